//! The [`AuthGate`] as tower middleware (feature `tower`): one [`AuthLayer`] in front of
//! the routes that need a token, in axum, tonic, hyper or any tower stack.
//!
//! For each request the layer
//!
//! 1. answers **503** with `Retry-After` when the gate is not configured (degraded mode),
//!    whatever token the request carries;
//! 2. takes the bearer token from `Authorization: Bearer <token>` or, when
//!    [`cookie`](AuthLayer::cookie) names one, from that cookie;
//! 3. verifies it with the gate: the gate's algorithm only, the current secret or, during
//!    a rotation, the previous one, and the claims checks of a jsonwebtoken
//!    [`Validation`] (`exp` by default; [`validation`](AuthLayer::validation) sets
//!    audience, issuer, `nbf`, leeway...);
//! 4. puts the typed claims in the request's extensions as [`Claims<C>`] and calls the
//!    inner service; otherwise answers **401** with `WWW-Authenticate: Bearer` (RFC 6750).
//!
//! A rejection says what RFC 6750 lets it say and no more: the status, the challenge, a
//! one-line JSON body. It never echoes the token, nor why the signature or a claim
//! failed (`log::debug!` on target [`LOG_TARGET`] names the category
//! for the operator, never the token).
//!
//! ```
//! # #[cfg(feature = "axum")] {
//! use jwt_guard::{AuthGate, layer::{AuthLayer, Claims}};
//!
//! #[derive(Clone, serde::Deserialize)]
//! struct MyClaims { sub: String }
//!
//! async fn me(Claims(claims): Claims<MyClaims>) -> String { claims.sub }
//!
//! let gate = AuthGate::degraded_from_env();             // or AuthGate::from_env()? (strict)
//! let app: axum::Router = axum::Router::new()
//!     .route("/me", axum::routing::get(me))
//!     .route_layer(
//!         AuthLayer::<MyClaims>::new(gate)
//!             .cookie("session")                         // optional: also read a cookie
//!             .retry_after(std::time::Duration::from_secs(60)), // the 503's Retry-After
//!     );
//! // tonic: Server::builder().layer(AuthLayer::<MyClaims>::new(gate)).add_service(...)
//! # }
//! ```
//!
//! # Responses
//!
//! | when | status | headers | body (`application/json`) |
//! |---|---|---|---|
//! | the gate is not configured | 503 | `Retry-After: 30` (or as set) | `{"error":"authentication is not configured on this server"}` |
//! | no bearer token | 401 | `WWW-Authenticate: Bearer` | `{"error":"missing bearer token"}` |
//! | a malformed, expired, not yet valid, wrong-audience or badly signed token, or an ambiguous one (two `Authorization` headers, two cookies of the name) | 401 | `WWW-Authenticate: Bearer error="invalid_token"` | `{"error":"invalid token"}` |
//!
//! A request without any token gets the challenge without an error code, as RFC 6750
//! §3.1 asks ("if the request lacks any authentication information, the resource server
//! SHOULD NOT include an error code"). A gRPC request (`content-type: application/grpc`)
//! gets the same status and headers without a body, plus `grpc-status` 16
//! (`Unauthenticated`) or 14 (`Unavailable`) and a `grpc-message`: what tonic, grpc-go and
//! grpc-java clients read.

mod body;
mod token;

#[cfg(feature = "axum")]
mod axum;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use jsonwebtoken::Validation;
use jsonwebtoken::errors::ErrorKind;
use serde::de::DeserializeOwned;

pub use body::{AuthBody, ResponseFuture};
pub use token::MAX_TOKEN_LEN;

use crate::{AuthError, AuthGate, LOG_TARGET};

/// The `Retry-After` of a 503 unless [`AuthLayer::retry_after`] sets another.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The claims of a verified token, put in the request's extensions by [`AuthLayer`].
///
/// With feature `axum` it is also an extractor: `async fn me(Claims(claims): Claims<MyClaims>)`.
/// Read it elsewhere (tonic, hyper) with `request.extensions().get::<Claims<MyClaims>>()`.
#[derive(Clone, PartialEq, Eq)]
pub struct Claims<C>(pub C);

/// Claims are the application's data, and may be personal: not printed.
impl<C> fmt::Debug for Claims<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Claims(..)")
    }
}

/// Why a request was refused; it becomes the response in the [table](self#responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthRejection {
    /// The gate has no valid secret: 503, whatever the token.
    NotConfigured {
        /// The `Retry-After` header's value.
        retry_after: Duration,
    },
    /// No bearer token: 401, challenge without an error code.
    MissingToken,
    /// A token that does not verify, for whatever reason: 401, `error="invalid_token"`.
    InvalidToken,
}

impl AuthRejection {
    /// The status it answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotConfigured { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Self::MissingToken | Self::InvalidToken => StatusCode::UNAUTHORIZED,
        }
    }

    /// The response: status, headers and a one-line JSON body, nothing from the request.
    pub fn to_response(&self) -> Response<Bytes> {
        let (challenge, body) = match self {
            Self::NotConfigured { .. } => (
                None,
                r#"{"error":"authentication is not configured on this server"}"#,
            ),
            Self::MissingToken => (Some("Bearer"), r#"{"error":"missing bearer token"}"#),
            Self::InvalidToken => (
                Some(r#"Bearer error="invalid_token""#),
                r#"{"error":"invalid token"}"#,
            ),
        };
        let mut response = Response::new(Bytes::from_static(body.as_bytes()));
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(challenge) = challenge {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        if let Self::NotConfigured { retry_after } = self {
            // Whole seconds, rounded up: a delay of 0 would invite a busy retry loop.
            let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

impl AuthRejection {
    /// The response to a gRPC request (`content-type: application/grpc...`): the same
    /// status and headers, `grpc-status` 16 (UNAUTHENTICATED) or 14 (UNAVAILABLE) with a
    /// short `grpc-message`, and no body, which a gRPC client would try to decode as a
    /// message.
    pub fn to_grpc_response(&self) -> Response<Bytes> {
        let mut response = self.to_response();
        *response.body_mut() = Bytes::new();
        let code = match self {
            Self::NotConfigured { .. } => "14",
            Self::MissingToken | Self::InvalidToken => "16",
        };
        let message = match self {
            Self::NotConfigured { .. } => "authentication is not configured on this server",
            Self::MissingToken => "missing bearer token",
            Self::InvalidToken => "invalid token",
        };
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/grpc"),
        );
        headers.insert("grpc-status", HeaderValue::from_static(code));
        headers.insert("grpc-message", HeaderValue::from_static(message));
        response
    }
}

/// Whether a request is gRPC (its answer must be gRPC-shaped).
fn is_grpc(headers: &http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/grpc"))
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotConfigured { .. } => "authentication is not configured",
            Self::MissingToken => "missing bearer token",
            Self::InvalidToken => "invalid token",
        })
    }
}

impl std::error::Error for AuthRejection {}

/// Verifies the bearer token of every request with an [`AuthGate`], and puts its claims
/// (`C`) in the request's extensions as [`Claims<C>`]. See the [module](self) for what it
/// answers otherwise.
pub struct AuthLayer<C> {
    config: Arc<Config>,
    claims: PhantomData<fn() -> C>,
}

#[derive(Clone)]
struct Config {
    gate: Arc<AuthGate>,
    validation: Validation,
    cookie: Option<String>,
    retry_after: Duration,
}

impl<C> AuthLayer<C> {
    /// A layer over `gate` (an [`AuthGate`] or an `Arc` of one, shared with the handlers
    /// that sign), with the gate's default [`validation`](AuthGate::validation).
    pub fn new(gate: impl Into<Arc<AuthGate>>) -> Self {
        let gate = gate.into();
        Self {
            config: Arc::new(Config {
                validation: gate.validation(),
                gate,
                cookie: None,
                retry_after: DEFAULT_RETRY_AFTER,
            }),
            claims: PhantomData,
        }
    }

    /// The claims checks: `exp`, `nbf`, `aud`, `iss`, `sub`, required claims, leeway, as
    /// jsonwebtoken's [`Validation`] has them. Its algorithm list is ignored: the gate's
    /// algorithm is the only one accepted, whatever a token's header says.
    pub fn validation(mut self, validation: Validation) -> Self {
        Arc::make_mut(&mut self.config).validation = validation;
        self
    }

    /// Also take the token from the cookie `name` when there is no `Authorization: Bearer`
    /// header (which wins when both are sent).
    pub fn cookie(mut self, name: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.config).cookie = Some(name.into());
        self
    }

    /// The `Retry-After` of the 503 a not-configured gate answers (whole seconds, rounded
    /// up, at least 1; [`DEFAULT_RETRY_AFTER`] unless set).
    pub fn retry_after(mut self, delay: Duration) -> Self {
        Arc::make_mut(&mut self.config).retry_after = delay;
        self
    }

    /// The gate it verifies with.
    pub fn gate(&self) -> &AuthGate {
        &self.config.gate
    }
}

impl<C: DeserializeOwned> AuthLayer<C> {
    /// Checks a request's headers as the layer does: the claims, or the rejection. For
    /// servers that are not tower services.
    pub fn verify(&self, headers: &http::HeaderMap) -> Result<C, AuthRejection> {
        self.config.verify(headers)
    }
}

impl Config {
    fn verify<C: DeserializeOwned>(&self, headers: &http::HeaderMap) -> Result<C, AuthRejection> {
        if !self.gate.is_configured() {
            return Err(AuthRejection::NotConfigured {
                retry_after: self.retry_after,
            });
        }
        let token = token::bearer(headers, self.cookie.as_deref())?;
        match self.gate.decode_with::<C>(token, &self.validation) {
            Ok(data) => Ok(data.claims),
            Err(AuthError::NotConfigured(_)) => Err(AuthRejection::NotConfigured {
                retry_after: self.retry_after,
            }),
            Err(AuthError::Token(error)) => {
                log::debug!(target: LOG_TARGET, "token refused: {}", category(error.kind()));
                Err(AuthRejection::InvalidToken)
            }
        }
    }
}

/// Why a token failed, for the operator's debug log: a fixed phrase, never the error's
/// text (a base64 or JSON error can quote bytes of the token).
fn category(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidSignature => "bad signature",
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => "wrong algorithm",
        ErrorKind::ExpiredSignature => "expired",
        ErrorKind::ImmatureSignature => "not yet valid (nbf)",
        ErrorKind::InvalidAudience => "wrong audience",
        ErrorKind::InvalidIssuer => "wrong issuer",
        ErrorKind::InvalidSubject => "wrong subject",
        ErrorKind::MissingRequiredClaim(_) => "a required claim is missing",
        ErrorKind::InvalidClaimFormat(_) => "a claim has the wrong type",
        ErrorKind::Json(_) => "claims do not deserialize",
        _ => "malformed",
    }
}

impl<C> Clone for AuthLayer<C> {
    fn clone(&self) -> Self {
        Self {
            config: Arc::clone(&self.config),
            claims: PhantomData,
        }
    }
}

impl<C> fmt::Debug for AuthLayer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.config.fmt(f)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthLayer")
            .field("gate", &self.gate)
            .field("cookie", &self.cookie)
            .field("retry_after", &self.retry_after)
            .finish_non_exhaustive()
    }
}

impl<S, C> tower_layer::Layer<S> for AuthLayer<C> {
    type Service = Auth<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        Auth {
            inner,
            config: Arc::clone(&self.config),
            claims: PhantomData,
        }
    }
}

/// The service [`AuthLayer`] wraps around `S`.
pub struct Auth<S, C> {
    inner: S,
    config: Arc<Config>,
    claims: PhantomData<fn() -> C>,
}

impl<S: Clone, C> Clone for Auth<S, C> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            config: Arc::clone(&self.config),
            claims: PhantomData,
        }
    }
}

impl<S: fmt::Debug, C> fmt::Debug for Auth<S, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("inner", &self.inner)
            .field("layer", &self.config)
            .finish()
    }
}

impl<S, C, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for Auth<S, C>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>>,
    C: DeserializeOwned + Clone + Send + Sync + 'static,
{
    type Response = Response<AuthBody<ResBody>>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        match self.config.verify::<C>(request.headers()) {
            Ok(claims) => {
                request.extensions_mut().insert(Claims(claims));
                ResponseFuture::inner(self.inner.call(request))
            }
            Err(rejection) if is_grpc(request.headers()) => {
                ResponseFuture::rejected(rejection.to_grpc_response())
            }
            Err(rejection) => ResponseFuture::rejected(rejection.to_response()),
        }
    }
}
