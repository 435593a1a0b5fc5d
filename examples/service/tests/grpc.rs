//! tonic through the same `AuthLayer`: a gRPC server (the standard health service) behind
//! the layer, on 127.0.0.1, called by a tonic client. gRPC clients read the layer's 401
//! as `Unauthenticated` and its 503 as `Unavailable`; a valid token reaches the service.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{Algorithm as Alg, EncodingKey, Header};
use jwt_guard::layer::AuthLayer;
use jwt_guard::{Algorithm, AuthGate, SecretPolicy};
use serde::Deserialize;
use serde_json::json;
use tonic::Code;
use tonic::metadata::MetadataValue;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

const SECRET: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
const WEAK: &str = "Zq8WZq8WZq8WZq8WZq8WZq8WZq8WZq8WZq8W";

#[derive(Clone, Deserialize)]
struct Claims {
    #[allow(dead_code)]
    sub: String,
}

fn gate(secret: &str) -> AuthGate {
    let lookup = |name: &str| (name == "JWT_SECRET").then(|| secret.into());
    AuthGate::load_degraded(
        "JWT_SECRET",
        Algorithm::HS256,
        &SecretPolicy::default(),
        lookup,
    )
}

fn token(secret: &str) -> String {
    let claims = json!({ "sub": "ada", "exp": jsonwebtoken::get_current_timestamp() + 600 });
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&Header::new(Alg::HS256), &claims, &key).unwrap()
}

/// Serves the health service behind the layer; its address.
async fn serve(gate: AuthGate) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (_reporter, health) = tonic_health::server::health_reporter();
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    tokio::spawn(
        tonic::transport::Server::builder()
            .layer(AuthLayer::<Claims>::new(Arc::new(gate)))
            .add_service(health)
            .serve_with_incoming(incoming),
    );
    format!("http://{address}")
}

async fn check(address: &str, token: Option<&str>) -> Result<(), tonic::Status> {
    let channel = tonic::transport::Endpoint::from_shared(address.to_owned())
        .unwrap()
        .timeout(Duration::from_secs(10))
        .connect()
        .await
        .unwrap();
    let mut client = HealthClient::new(channel);
    let mut request = tonic::Request::new(HealthCheckRequest {
        service: String::new(),
    });
    if let Some(token) = token {
        let value: MetadataValue<_> = format!("Bearer {token}").parse().unwrap();
        request.metadata_mut().insert("authorization", value);
    }
    client.check(request).await.map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tonic_services_sit_behind_the_same_layer() {
    let address = serve(gate(SECRET)).await;
    check(&address, Some(&token(SECRET))).await.unwrap();
    for bad in [None, Some(token(WEAK)), Some("not.a.token".to_owned())] {
        let status = check(&address, bad.as_deref()).await.unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
        assert!(!status.message().contains("eyJ"), "{status:?}");
    }
    // A gate without a valid secret: Unavailable, whatever the token.
    let degraded = serve(gate(WEAK)).await;
    for token in [None, Some(token(WEAK))] {
        let status = check(&degraded, token.as_deref()).await.unwrap_err();
        assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    }
}
