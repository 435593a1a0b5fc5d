//! `scan` checks every hardcoded JWT against audit-token's list of public secrets: the
//! finding says when the token is forgeable, and still shows neither token nor secret.
#![allow(clippy::unwrap_used)]

mod support;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use jwt_guard_tests::assert_no_leak;
use support::{jwt_guard, stderr, stdout, write_tree};

/// Entry 2829 of the wallarm list.
const LISTED: &str = "qwertyuiop";
const RANDOM: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";

fn token(secret: &str) -> String {
    let claims = serde_json::json!({ "sub": "svc", "exp": 4_102_444_800_u64 });
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap()
}

#[test]
fn a_hardcoded_jwt_signed_with_a_public_secret_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (public, private) = (token(LISTED), token(RANDOM));
    let source =
        format!("const PUBLIC: &str = \"{public}\";\nconst PRIVATE: &str = r#\"{private}\"#;\n");
    write_tree(dir.path(), &[("src/lib.rs", source.as_bytes())]);
    for format in ["human", "json", "sarif"] {
        let output = jwt_guard(dir.path(), &["scan", "--format", format, "src"]);
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(1), "{all}");
        for hidden in [&public, &private, LISTED, RANDOM] {
            assert_no_leak(&all, hidden, "scan's output");
        }
        let marked = "it is signed with a publicly known secret (entry 2829 (line 2829) of \
                      wallarm/jwt-secrets jwt.secrets.list (MIT)): anyone can forge tokens";
        assert_eq!(all.matches(marked).count(), 1, "{format}: {all}");
        assert_eq!(
            all.matches("this literal is a hardcoded JWT").count(),
            2,
            "{format}: {all}"
        );
    }
}
