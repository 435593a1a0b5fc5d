//! [`Claims`] as an axum extractor, and [`AuthRejection`] as an axum response (feature
//! `axum`, through axum-core only).

use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::request::Parts;

use super::{AuthRejection, Claims, DEFAULT_RETRY_AFTER};
use crate::LOG_TARGET;

/// Takes the claims [`AuthLayer`](super::AuthLayer) verified. On a route the layer does not
/// cover (or a layer of another claims type) there are none: that is a server
/// misconfiguration, answered as a gate without a secret is (503), and logged as an
/// error, never as an open door.
impl<S, C> FromRequestParts<S> for Claims<C>
where
    S: Send + Sync,
    C: Clone + Send + Sync + 'static,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AuthRejection> {
        parts.extensions.get::<Claims<C>>().cloned().ok_or_else(|| {
            log::error!(
                target: LOG_TARGET,
                "Claims<{}> extracted on a route without an AuthLayer of that claims type: \
                 refusing the request",
                std::any::type_name::<C>()
            );
            AuthRejection::NotConfigured {
                retry_after: DEFAULT_RETRY_AFTER,
            }
        })
    }
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        self.to_response().map(axum_core::body::Body::from)
    }
}
