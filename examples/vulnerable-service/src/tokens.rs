//! A service token pasted in "just for now". It is a JWT (HS256, `{"sub":"svc"}`), fake.

const SERVICE_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJlLWZha2UtZmFrZS1mYWtl";

/// The header a client sends it in (a header name: not flagged).
pub const HEADER: &str = "Authorization";

pub fn service_token() -> String {
    format!("Bearer {SERVICE_TOKEN}")
}
