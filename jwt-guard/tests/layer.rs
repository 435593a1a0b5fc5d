//! The tower layer and the axum extractor (features `tower`, `axum`): every status and
//! header they answer with, every token shape, and that no answer or log line echoes a
//! token or a secret.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use http::{HeaderValue, Request, StatusCode, header};
use http_body_util::BodyExt;
use jsonwebtoken::{EncodingKey, Header, Validation, get_current_timestamp};
use jwt_guard::layer::{AuthLayer, AuthRejection, Claims, MAX_TOKEN_LEN};
use jwt_guard::{Algorithm, AuthGate, SecretPolicy};
use jwt_guard_tests::{assert_no_leak, capture_logs, captured_logs, env};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower::ServiceExt;

const CURRENT: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
const PREVIOUS: &str = "RPGlOcyMYWYSDfirIW5GXTN8Oj055Y5lNKmKycgzZ1U6";
/// Long enough, but patterned: a gate over it is not configured.
const WEAK: &str = "Zq8WZq8WZq8WZq8WZq8WZq8WZq8WZq8WZq8W";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct MyClaims {
    sub: String,
    exp: u64,
}

fn gate(vars: &[(&str, &str)]) -> AuthGate {
    AuthGate::load_degraded(
        "JWT_SECRET",
        Algorithm::HS256,
        &SecretPolicy::default(),
        env(vars),
    )
}

fn configured() -> AuthGate {
    gate(&[("JWT_SECRET", CURRENT)])
}

fn sign(secret: &str, alg: jsonwebtoken::Algorithm, claims: &Value) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&Header::new(alg), claims, &key).unwrap()
}

fn in_ten_minutes() -> u64 {
    get_current_timestamp() + 600
}

fn token(secret: &str) -> String {
    sign(
        secret,
        jsonwebtoken::Algorithm::HS256,
        &json!({ "sub": "ada", "exp": in_ten_minutes() }),
    )
}

/// `/me` answers the verified subject, `/open` is outside the layer.
fn app(layer: AuthLayer<MyClaims>) -> Router {
    async fn me(Claims(claims): Claims<MyClaims>) -> String {
        claims.sub
    }
    Router::new()
        .route("/me", get(me))
        .route_layer(layer)
        .route("/open", get(|| async { "open" }))
}

struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// Everything a client sees, for the leak checks.
    fn text(&self) -> String {
        format!("{} {:?} {}", self.status, self.headers, self.body)
    }
}

fn send(router: Router, request: Request<Body>) -> Answer {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let response = router.oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        Answer {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    })
}

fn request(headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::get("/me");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

fn bearer(token: &str) -> Request<Body> {
    request(&[("authorization", &format!("Bearer {token}"))])
}

fn call(layer: &AuthLayer<MyClaims>, request: Request<Body>) -> Answer {
    send(app(layer.clone()), request)
}

fn assert_unauthorized(answer: &Answer, challenge: &str, token: &str) {
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    assert_eq!(answer.header(header::WWW_AUTHENTICATE), Some(challenge));
    assert_eq!(
        answer.header(header::CONTENT_TYPE),
        Some("application/json")
    );
    assert_eq!(answer.header(header::RETRY_AFTER), None);
    if !token.is_empty() {
        assert_no_leak(&answer.text(), token, "a 401");
    }
}

fn assert_invalid(answer: &Answer, token: &str) {
    assert_unauthorized(answer, r#"Bearer error="invalid_token""#, token);
    assert_eq!(answer.body, r#"{"error":"invalid token"}"#);
}

fn assert_missing(answer: &Answer) {
    assert_unauthorized(answer, "Bearer", "");
    assert_eq!(answer.body, r#"{"error":"missing bearer token"}"#);
}

#[test]
fn a_valid_token_reaches_the_handler_with_its_claims() {
    let layer = AuthLayer::new(configured());
    let answer = call(&layer, bearer(&token(CURRENT)));
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "ada")
    );
    // The scheme is case-insensitive, and more than one space may follow it.
    let answer = call(
        &layer,
        request(&[("authorization", &format!("bearer   {}", token(CURRENT)))]),
    );
    assert_eq!(answer.status, StatusCode::OK);
}

#[test]
fn a_route_outside_the_layer_is_untouched() {
    let layer = AuthLayer::new(gate(&[("JWT_SECRET", WEAK)]));
    let open = Request::get("/open").body(Body::empty()).unwrap();
    let answer = send(app(layer), open);
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "open")
    );
}

#[test]
fn a_gate_without_a_secret_answers_503_to_every_request() {
    let layer = AuthLayer::new(gate(&[("JWT_SECRET", WEAK)]));
    let weakly_signed = token(WEAK);
    for request in [
        request(&[]),
        bearer(&weakly_signed),
        bearer(&token(CURRENT)),
        bearer("garbage"),
        request(&[("authorization", "Basic YWRhOmFkYQ==")]),
    ] {
        let answer = call(&layer, request);
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(answer.header(header::RETRY_AFTER), Some("30"));
        assert_eq!(answer.header(header::WWW_AUTHENTICATE), None);
        assert_eq!(
            answer.body,
            r#"{"error":"authentication is not configured on this server"}"#
        );
        assert_no_leak(&answer.text(), &weakly_signed, "a 503");
        assert_no_leak(&answer.text(), WEAK, "a 503");
    }
}

#[test]
fn retry_after_is_whole_seconds_rounded_up_and_never_zero() {
    for (delay, header) in [
        (Duration::from_secs(90), "90"),
        (Duration::from_millis(1500), "2"),
        (Duration::ZERO, "1"),
    ] {
        let layer = AuthLayer::new(gate(&[])).retry_after(delay);
        let answer = call(&layer, request(&[]));
        assert_eq!(answer.header(header::RETRY_AFTER), Some(header));
    }
}

#[test]
fn no_bearer_token_is_a_401_challenge_without_an_error_code() {
    let layer = AuthLayer::new(configured());
    assert_missing(&call(&layer, request(&[])));
    // Another scheme carries no bearer token.
    assert_missing(&call(
        &layer,
        request(&[("authorization", "Basic YWRhOmFkYQ==")]),
    ));
    // A cookie is read only when the layer names it.
    let cookie = format!("session={}", token(CURRENT));
    assert_missing(&call(&layer, request(&[("cookie", &cookie)])));
}

#[test]
fn malformed_tokens_are_invalid() {
    let layer = AuthLayer::new(configured());
    let good = token(CURRENT);
    let huge = format!("{good}{}", "A".repeat(MAX_TOKEN_LEN));
    let megabyte = "eyJ".repeat(350_000);
    let cases = [
        String::new(),
        "not.a.token".to_owned(),
        "a.b".to_owned(),
        "a.b.c.d".to_owned(),
        format!("{good} extra"),
        good.replace('.', "!"),
        "eyJhbGciOiJIUzI1NiJ9..".to_owned(),
        huge,
        megabyte,
    ];
    for token in &cases {
        assert_invalid(&call(&layer, bearer(token)), token);
    }
    // "Bearer" with nothing after it.
    assert_invalid(&call(&layer, request(&[("authorization", "Bearer")])), "");
    // A header value that is not visible ASCII.
    let mut request = request(&[]);
    request.headers_mut().insert(
        header::AUTHORIZATION,
        HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
    );
    assert_invalid(&call(&layer, request), "");
}

#[test]
fn two_authorization_headers_are_invalid() {
    let layer = AuthLayer::new(configured());
    let good = token(CURRENT);
    let answer = call(
        &layer,
        request(&[
            ("authorization", &format!("Bearer {good}")),
            ("authorization", "Bearer x.y.z"),
        ]),
    );
    assert_invalid(&answer, &good);
}

#[test]
fn forged_expired_and_wrong_algorithm_tokens_are_invalid() {
    let layer = AuthLayer::new(configured());
    let hs256 = jsonwebtoken::Algorithm::HS256;
    let claims = json!({ "sub": "ada", "exp": in_ten_minutes() });
    let unsigned = {
        use base64::Engine;
        let b64 =
            |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!(
            "{}.{}.",
            b64(&json!({ "alg": "none", "typ": "JWT" })),
            b64(&claims)
        )
    };
    let cases = [
        // Another secret, the weak one, a public one.
        token(PREVIOUS),
        token(WEAK),
        token("your-256-bit-secret"),
        // Expired.
        sign(CURRENT, hs256, &json!({ "sub": "ada", "exp": 1 })),
        // No exp at all (required by default).
        sign(CURRENT, hs256, &json!({ "sub": "ada" })),
        // Same secret, another HMAC: the gate pins HS256.
        sign(CURRENT, jsonwebtoken::Algorithm::HS512, &claims),
        // alg "none".
        unsigned,
        // Claims that do not deserialize into MyClaims.
        sign(CURRENT, hs256, &json!({ "exp": in_ten_minutes() })),
        // The signature of one token on another's claims.
        {
            let a = token(CURRENT);
            let b = sign(
                CURRENT,
                hs256,
                &json!({ "sub": "root", "exp": in_ten_minutes() }),
            );
            let signature = a.rsplit('.').next().unwrap();
            let (head, _) = b.rsplit_once('.').unwrap();
            format!("{head}.{signature}")
        },
    ];
    for token in &cases {
        assert_invalid(&call(&layer, bearer(token)), token);
    }
}

#[test]
fn validation_is_configurable_as_jsonwebtoken_s() {
    let mut validation = Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["billing"]);
    validation.set_issuer(&["https://auth.example"]);
    validation.validate_nbf = true;
    // As in jsonwebtoken, a missing `aud` or `iss` passes unless required.
    validation.set_required_spec_claims(&["exp", "aud", "iss"]);
    let layer = AuthLayer::new(configured()).validation(validation);
    let hs256 = jsonwebtoken::Algorithm::HS256;
    let exp = in_ten_minutes();
    let good = json!({ "sub": "ada", "exp": exp, "aud": "billing", "iss": "https://auth.example" });
    let answer = call(&layer, bearer(&sign(CURRENT, hs256, &good)));
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    for bad in [
        json!({ "sub": "ada", "exp": exp, "aud": "shop", "iss": "https://auth.example" }),
        json!({ "sub": "ada", "exp": exp, "iss": "https://auth.example" }),
        json!({ "sub": "ada", "exp": exp, "aud": "billing", "iss": "https://evil.example" }),
        json!({ "sub": "ada", "exp": exp, "aud": "billing", "iss": "https://auth.example", "nbf": exp }),
    ] {
        let token = sign(CURRENT, hs256, &bad);
        assert_invalid(&call(&layer, bearer(&token)), &token);
    }
}

#[test]
fn a_validation_cannot_widen_the_algorithm() {
    let validation = Validation::new(jsonwebtoken::Algorithm::HS512);
    let layer = AuthLayer::new(configured()).validation(validation);
    let claims = json!({ "sub": "ada", "exp": in_ten_minutes() });
    let hs512 = sign(CURRENT, jsonwebtoken::Algorithm::HS512, &claims);
    assert_invalid(&call(&layer, bearer(&hs512)), &hs512);
    assert_eq!(call(&layer, bearer(&token(CURRENT))).status, StatusCode::OK);
}

#[test]
fn during_a_rotation_the_previous_secret_verifies() {
    let rotating = AuthLayer::new(gate(&[
        ("JWT_SECRET", CURRENT),
        ("JWT_SECRET_PREVIOUS", PREVIOUS),
    ]));
    assert_eq!(
        call(&rotating, bearer(&token(PREVIOUS))).status,
        StatusCode::OK
    );
    assert_eq!(
        call(&rotating, bearer(&token(CURRENT))).status,
        StatusCode::OK
    );
    let after = AuthLayer::new(configured());
    let old = token(PREVIOUS);
    assert_invalid(&call(&after, bearer(&old)), &old);
}

#[test]
fn a_named_cookie_carries_the_token() {
    let layer = AuthLayer::new(configured()).cookie("session");
    let good = token(CURRENT);
    let cookie = format!("theme=dark; session={good}; lang=en");
    let answer = call(&layer, request(&[("cookie", &cookie)]));
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "ada")
    );
    // Quoted, and split over two Cookie headers (HTTP/2).
    let quoted = format!("session=\"{good}\"");
    let answer = call(
        &layer,
        request(&[("cookie", "theme=dark"), ("cookie", &quoted)]),
    );
    assert_eq!(answer.status, StatusCode::OK);
    // The header wins over the cookie.
    let forged = token(PREVIOUS);
    let both = request(&[
        ("authorization", &format!("Bearer {forged}")),
        ("cookie", &format!("session={good}")),
    ]);
    assert_invalid(&call(&layer, both), &forged);
    // Another scheme in the header: the cookie still counts.
    let basic = request(&[("authorization", "Basic YWRhOmFkYQ=="), ("cookie", &cookie)]);
    assert_eq!(call(&layer, basic).status, StatusCode::OK);
    // A cookie of another name, an empty one, two of the name, a bad one.
    assert_missing(&call(
        &layer,
        request(&[("cookie", &format!("sess={good}"))]),
    ));
    assert_invalid(&call(&layer, request(&[("cookie", "session=")])), "");
    let twice = format!("session={good}; session={forged}");
    assert_invalid(&call(&layer, request(&[("cookie", &twice)])), &good);
    let bad = format!("session={forged}");
    assert_invalid(&call(&layer, request(&[("cookie", &bad)])), &forged);
}

#[test]
fn the_extractor_without_the_layer_fails_closed() {
    async fn me(Claims(claims): Claims<MyClaims>) -> String {
        claims.sub
    }
    let router = Router::new().route("/me", get(me));
    let answer = send(router, bearer(&token(CURRENT)));
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.header(header::RETRY_AFTER), Some("30"));
}

#[test]
fn the_rejection_is_an_axum_response_too() {
    use axum::response::IntoResponse;
    for rejection in [
        AuthRejection::MissingToken,
        AuthRejection::InvalidToken,
        AuthRejection::NotConfigured {
            retry_after: Duration::from_secs(5),
        },
    ] {
        let expected = rejection.to_response();
        let response = rejection.into_response();
        assert_eq!(response.status(), expected.status());
        assert_eq!(response.headers(), expected.headers());
    }
}

#[test]
fn verify_works_without_tower() {
    let layer = AuthLayer::<MyClaims>::new(configured());
    let mut headers = http::HeaderMap::new();
    assert_eq!(
        layer.verify(&headers).unwrap_err(),
        AuthRejection::MissingToken
    );
    let value = format!("Bearer {}", token(CURRENT));
    headers.insert(header::AUTHORIZATION, value.parse().unwrap());
    assert_eq!(layer.verify(&headers).unwrap().sub, "ada");
}

#[test]
fn nothing_printed_shows_a_secret_or_a_token() {
    capture_logs();
    let rotating = gate(&[("JWT_SECRET", CURRENT), ("JWT_SECRET_PREVIOUS", PREVIOUS)]);
    let layer = AuthLayer::<MyClaims>::new(rotating).cookie("session");
    let forged = token("your-256-bit-secret");
    let _ = call(&layer, bearer(&forged));
    let mut printed = format!("{layer:?}");
    printed.push_str(&format!("{:?}", Claims(1)));
    printed.push_str(&captured_logs().join("\n"));
    for secret in [CURRENT, PREVIOUS, forged.as_str()] {
        assert_no_leak(&printed, secret, "Debug output and logs");
    }
    assert!(
        captured_logs()
            .iter()
            .any(|line| line.contains("token refused: bad signature")),
        "{:?}",
        captured_logs()
    );
}

#[test]
fn grpc_requests_get_grpc_shaped_rejections() {
    let grpc = |layer: &AuthLayer<MyClaims>, token: Option<&str>| {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", "application/grpc+proto")];
        if let Some(bearer) = &bearer {
            headers.push(("authorization", bearer));
        }
        call(layer, request(&headers))
    };
    let layer = AuthLayer::new(configured());
    let forged = token(PREVIOUS);
    for (token, status, grpc_status) in [(None, 401, "16"), (Some(forged.as_str()), 401, "16")] {
        let answer = grpc(&layer, token);
        assert_eq!(answer.status.as_u16(), status);
        assert_eq!(
            answer.header(header::CONTENT_TYPE),
            Some("application/grpc")
        );
        assert_eq!(answer.headers.get("grpc-status").unwrap(), grpc_status);
        assert!(answer.header(header::WWW_AUTHENTICATE).is_some());
        assert_eq!(
            answer.body, "",
            "a gRPC client would decode a body as a message"
        );
        assert_no_leak(&answer.text(), &forged, "a gRPC rejection");
    }
    let degraded = AuthLayer::new(gate(&[("JWT_SECRET", WEAK)]));
    let answer = grpc(&degraded, Some(&token(WEAK)));
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.headers.get("grpc-status").unwrap(), "14");
    assert_eq!(answer.header(header::RETRY_AFTER), Some("30"));
    assert_eq!(grpc(&layer, Some(&token(CURRENT))).status, StatusCode::OK);
}
