//! `POST /login` issues a token, `GET /me` verifies it, `GET /health` answers. Every
//! authenticated route goes through the gate, so a service without a valid secret
//! refuses them all.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use jsonwebtoken::get_current_timestamp;
use jwt_guard::{AuthError, AuthGate};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How long an issued token is valid: also how long to keep `JWT_SECRET_PREVIOUS` set
/// during a rotation.
const TOKEN_LIFETIME_SECS: u64 = 15 * 60;

type Gate = Arc<AuthGate>;

pub(crate) fn router(gate: Gate) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/login", post(login))
        .route("/me", get(me))
        .with_state(gate)
}

#[derive(Debug, Serialize, Deserialize)]
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

async fn me(State(gate): State<Gate>, headers: HeaderMap) -> Response {
    let Some(token) = bearer(&headers) else {
        return error(StatusCode::UNAUTHORIZED, "missing bearer token");
    };
    match gate.decode::<Claims>(token) {
        Ok(data) => Json(json!({ "sub": data.claims.sub, "exp": data.claims.exp })).into_response(),
        Err(refused) => auth_error(&refused),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// 503 while the service has no valid secret (the operator must act), 401 for a bad
/// token (the client must). Neither tells the client more than that.
fn auth_error(refused: &AuthError) -> Response {
    match refused {
        AuthError::NotConfigured(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "authentication is not configured on this server",
        ),
        _ => error(StatusCode::UNAUTHORIZED, "invalid token"),
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}
