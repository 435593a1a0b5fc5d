//! `POST /login` issues a token, `GET /me` verifies it, `GET /health` answers. Every
//! authenticated route sits behind jwt-guard's `AuthLayer`, so a service without a valid
//! secret refuses them all (503), and a missing or bad token gets a 401.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use jsonwebtoken::get_current_timestamp;
use jwt_guard::layer::{AuthLayer, AuthRejection, Claims as Verified, DEFAULT_RETRY_AFTER};
use jwt_guard::{AuthError, AuthGate};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How long an issued token is valid: also how long to keep `JWT_SECRET_PREVIOUS` set
/// during a rotation.
const TOKEN_LIFETIME_SECS: u64 = 15 * 60;

type Gate = Arc<AuthGate>;

pub(crate) fn router(gate: Gate) -> Router {
    Router::new()
        .route("/me", get(me))
        // Every route above needs a verified token.
        .route_layer(AuthLayer::<Claims>::new(Arc::clone(&gate)))
        .route("/health", get(health))
        .route("/login", post(login))
        .with_state(gate)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
}

#[derive(Debug, Deserialize)]
struct Login {
    username: String,
}

async fn health(State(gate): State<Gate>) -> Response {
    let auth = if gate.is_configured() {
        "configured"
    } else {
        "not configured"
    };
    Json(json!({ "status": "ok", "auth": auth })).into_response()
}

/// Issues a token for `username`. Checking the user's credentials is the application's
/// business and left out: this example is about the token's secret.
async fn login(State(gate): State<Gate>, Json(login): Json<Login>) -> Response {
    if login.username.is_empty() {
        return error(StatusCode::BAD_REQUEST, "username is empty");
    }
    let now = get_current_timestamp();
    let claims = Claims {
        sub: login.username,
        iat: now,
        exp: now + TOKEN_LIFETIME_SECS,
    };
    match gate.encode(&claims) {
        Ok(token) => Json(json!({
            "token": token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECS,
        }))
        .into_response(),
        Err(refused) => auth_error(&refused),
    }
}

async fn me(Verified(claims): Verified<Claims>) -> Response {
    Json(json!({ "sub": claims.sub, "exp": claims.exp })).into_response()
}

/// 503 while the service has no valid secret, as the layer answers; a token that cannot
/// be serialised is the server's fault.
fn auth_error(refused: &AuthError) -> Response {
    match refused {
        AuthError::NotConfigured(_) => AuthRejection::NotConfigured {
            retry_after: DEFAULT_RETRY_AFTER,
        }
        .into_response(),
        _ => error(StatusCode::INTERNAL_SERVER_ERROR, "cannot issue a token"),
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}
