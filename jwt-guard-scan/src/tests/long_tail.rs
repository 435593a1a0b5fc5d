//! Issue 11: the long tail of real shapes. Each class has several shapes and twins that
//! must stay quiet. Every value here is written for these tests.

use super::*;

const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTQyIiwibmFtZSI6Im5vYm9keSJ9.q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c";

// ---- class 1: a JWT inside a longer string ----

#[test]
fn a_jwt_inside_a_longer_literal_is_found() {
    let shapes = [
        format!("fn h() {{\n    let v = HeaderValue::from_static(\"Bearer {JWT}\");\n}}"),
        format!(
            "fn h() {{\n    req.metadata_mut().insert(\"authorization\", MetadataValue::from_static(\"Bearer {JWT}\"));\n}}"
        ),
        format!("fn h() {{\n    let auth = format!(\"Bearer {{}}\", \"{JWT}\");\n}}"),
        format!(
            "const CURL: &str = r#\"x\"#;\nconst DOC: &str = r#\"curl -H \"Authorization: Bearer {JWT}\" http://localhost:8080/api\"#;"
        ),
        format!("fn h() {{\n    let q = \"/ws?token={JWT}\";\n}}"),
    ];
    for (n, src) in shapes.iter().enumerate() {
        let line = if n == 3 { 2 } else { 2 };
        flags(src, Rule::JwtLiteral, line, JWT);
    }
}

#[test]
fn a_jwt_like_prefix_or_template_is_not_a_jwt() {
    clean("fn h() { HeaderValue::from_static(\"Bearer eyJhbGciOiJIUzI1NiJ9\"); }");
    clean("fn h() { let v = format!(\"Bearer {}\", token); }");
    clean("fn h() { let v = \"base64: xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\"; }");
    clean("fn h() { let v = \"eyJ is how every JWT header starts\"; }");
}

// ---- class 2: values the lexer or rules skipped ----

#[test]
fn non_ascii_and_escaped_values_are_values() {
    flags(
        "fn s() -> String {\n    std::env::var(\"JWT_SECRET\").unwrap_or(\"contraseña-de-desarrollo-größe\".into())\n}",
        Rule::EnvFallback,
        2,
        "contraseña-de-desarrollo-größe",
    );
    flags(
        "const JWT_SECRET: &str = \"geheimnis-für-dev-ümlaut\";",
        Rule::SecretBinding,
        1,
        "geheimnis-für-dev-ümlaut",
    );
    flags(
        "fn k() {\n    EncodingKey::from_secret(b\"k\\x00y\\xff\\x10zq\\x7fw\");\n}",
        Rule::KeyLiteral,
        2,
        "k\\x00y\\xff",
    );
    flags(
        "const SIGNING_KEY: &[u8] = b\"\\xde\\xad\\xbe\\xef\\x01\\x02\";",
        Rule::SecretBinding,
        1,
        "\\xde\\xad",
    );
}

#[test]
fn repeat_arrays_are_constant_key_material() {
    for (expr, line) in [
        ("EncodingKey::from_secret(&[9u8; 32])", 2),
        ("Hmac::<Sha256>::new_from_slice(&[0u8; 64])", 2),
        ("HS256Key::from_bytes(&vec![0x5a; 48])", 2),
        ("EncodingKey::from_secret(&[b'k'; KEY_LEN])", 2),
    ] {
        let src = format!("fn k() {{\n    let k = {expr};\n}}");
        let report = scan(&src);
        let got: Vec<(Rule, usize)> = report.findings.iter().map(|f| (f.rule, f.line)).collect();
        assert_eq!(got, [(Rule::KeyLiteral, line)], "{src}");
    }
    flags(
        "fn k() {\n    let key = vec![0x5a; 48];\n    let mac = HmacSha256::new_from_slice(&key);\n}",
        Rule::KeyLiteral,
        2,
        "0x5a",
    );
    flags(
        "fn s() -> Vec<u8> {\n    env::var(\"JWT_SECRET\").map(String::into_bytes).unwrap_or(vec![7u8; 32])\n}",
        Rule::EnvFallback,
        2,
        "7u8",
    );
    flags(
        "static HMAC_KEY: [u8; 32] = [42; 32];",
        Rule::SecretBinding,
        1,
        "42",
    );
}

#[test]
fn buffers_filled_later_are_not_keys() {
    clean(
        "fn k() { let mut key = [0u8; 32]; rng.fill_bytes(&mut key); EncodingKey::from_secret(&key); }",
    );
    clean("static mut SIGNING_KEY: [u8; 32] = [0; 32];");
    clean("fn k() -> Keys { Keys { signing_key: [0u8; 32], n: 0 } }");
    clean("fn k() { let mut jwt_secret = vec![0u8; 64]; getrandom(&mut jwt_secret); }");
}

#[test]
fn if_else_and_match_arms_bound_to_a_secret_slot() {
    let src = "fn s() -> String {\n    let jwt_secret = if cfg!(debug_assertions) {\n        \"debug-signing-value\"\n    } else {\n        \"release-signing-value\"\n    };\n    jwt_secret.into()\n}";
    let report = scan(src);
    let got: Vec<(Rule, usize)> = report.findings.iter().map(|f| (f.rule, f.line)).collect();
    assert_eq!(
        got,
        [(Rule::SecretBinding, 3), (Rule::SecretBinding, 5)],
        "{src}"
    );
    assert_redacted(&report, "debug-signing-value");
    assert_redacted(&report, "release-signing-value");
    // One fixed arm is enough: the other reads the environment.
    flags(
        "fn k(prod: bool) {\n    let key = if prod { std::env::var(\"K\").unwrap() } else { \"local-only-value\".into() };\n    EncodingKey::from_secret(key.as_bytes());\n}",
        Rule::KeyLiteral,
        2,
        "local-only-value",
    );
    let src = "fn s(env: Env) -> &'static str {\n    let signing_key = match env {\n        Env::Dev => \"dev-signing-value\",\n        Env::Staging => { \"stage-signing-value\" }\n        Env::Prod => PROD_KEY.as_str(),\n    };\n    signing_key\n}";
    let report = scan(src);
    let got: Vec<(Rule, usize)> = report.findings.iter().map(|f| (f.rule, f.line)).collect();
    assert_eq!(
        got,
        [(Rule::SecretBinding, 3), (Rule::SecretBinding, 4)],
        "{src}"
    );
    flags(
        "fn s() -> String {\n    env::var(\"JWT_SECRET\").unwrap_or_else(|_| if cfg!(test) { \"qz-local-signvalue\".into() } else { panic!(\"set it\") })\n}",
        Rule::EnvFallback,
        2,
        "qz-local-signvalue",
    );
}

#[test]
fn if_else_and_match_without_a_fixed_arm_are_quiet() {
    clean("fn s() { let jwt_secret = if a { load()? } else { fetch()? }; }");
    clean(
        "fn s() { let jwt_secret = match src { Src::Env => env::var(\"JWT_SECRET\")?, Src::File(p) => read(p)? }; }",
    );
    clean("fn s() { let jwt_secret = if a { String::new() } else { load() }; }");
    clean("fn s() { let jwt_secret = if a { \"JWT_SECRET\" } else { \"APP_SECRET\" }; }");
    clean("fn s() { if jwt_secret.is_empty() { \"x\" } else { \"y\" }; }");
}

#[test]
fn format_string_from_and_to_owned_chains_are_fixed() {
    flags(
        "fn k() {\n    let secret = format!(\"{}-{}\", \"part-a-value\", \"part-b-value\");\n    EncodingKey::from_secret(secret.as_bytes());\n}",
        Rule::KeyLiteral,
        2,
        "part-a-value",
    );
    flags(
        "fn k() {\n    let s = String::from(\"chain-value-xyz\").to_owned().clone();\n    EncodingKey::from_secret(s.as_bytes());\n}",
        Rule::KeyLiteral,
        2,
        "chain-value-xyz",
    );
    clean(
        "fn k(p: &str) { let s = format!(\"{p}-suffix\"); EncodingKey::from_secret(s.as_bytes()); }",
    );
    clean(
        "fn k(p: &str) { let s = format!(\"{}-suffix\", p); EncodingKey::from_secret(s.as_bytes()); }",
    );
}

// ---- class 4: compile-time embedding beyond env! ----

#[test]
fn dotenv_macros_and_secret_files_are_build_time_embeds() {
    for src in [
        "fn s() -> &'static str {\n    dotenv!(\"JWT_SECRET\")\n}",
        "fn s() -> &'static str {\n    dotenvy_macro::dotenv!(\"JWT_SECRET\")\n}",
        "fn s() -> &'static str {\n    dotenv_codegen::dotenv!(\"APP_SECRET\")\n}",
        "fn s() -> &'static str {\n    concat!(env!(\"JWT_SECRET\"), \"\")\n}",
        "fn s() -> &'static str {\n    include_str!(\"../secrets/jwt_secret.txt\")\n}",
        "fn s() -> &'static [u8] {\n    include_bytes!(\"secret.key\")\n}",
    ] {
        let report = scan(src);
        let got: Vec<(Rule, usize)> = report.findings.iter().map(|f| (f.rule, f.line)).collect();
        assert_eq!(got, [(Rule::BuildTimeEmbed, 2)], "{src}");
    }
    clean("fn s() -> &'static str { dotenv!(\"DATABASE_URL\") }");
    clean("fn s() { dotenv().ok(); let s = std::env::var(\"JWT_SECRET\")?; }");
    clean("const README: &str = include_str!(\"../README.md\");");
    clean("static CERT: &[u8] = include_bytes!(\"public_key.pem\");");
}

// ---- false positives: redaction masks ----

#[test]
fn redaction_masks_are_not_secrets() {
    clean(
        "impl fmt::Debug for Config {\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n        f.debug_struct(\"Config\")\n            .field(\"signing_key\", &\"[hidden]\")\n            .field(\"jwt_secret\", &\"xxxx\")\n            .field(\"hmac_key\", &\"***\")\n            .field(\"client_secret\", &\"<redacted>\")\n            .field(\"app_secret\", &\"REDACTED\")\n            .finish()\n    }\n}",
    );
    clean("fn d(&self) -> Config { Config { jwt_secret: \"********\".into(), ..self.clone() } }");
    clean("fn d() { let masked_secret = \"••••••\"; let jwt_secret = \"...\"; }");
    // A real value next to a mask is still flagged.
    flags(
        "fn d() {\n    f.field(\"jwt_secret\", &\"hunter2-real-value\");\n}",
        Rule::SecretBinding,
        2,
        "hunter2-real-value",
    );
    flags(
        "const JWT_SECRET: &str = \"changeme\";",
        Rule::SecretBinding,
        1,
        "changeme",
    );
}

// ---- class 3: secret wrappers are transparent ----

#[test]
fn secret_wrappers_are_transparent() {
    for (setup, use_) in [
        (
            "let s = SecretString::from(\"wrapped-value-one\");",
            "EncodingKey::from_secret(s.expose_secret().as_bytes())",
        ),
        (
            "let s = SecretBox::new(Box::new(b\"wrapped-value-two\".to_vec()));",
            "Hmac::<Sha256>::new_from_slice(s.expose_secret())",
        ),
        (
            "let s = Secret::new(String::from(\"wrapped-value-three\"));",
            "DecodingKey::from_secret(s.expose_secret().as_bytes())",
        ),
        (
            "let s = Zeroizing::new(b\"wrapped-value-four\".to_vec());",
            "HS256Key::from_bytes(&s)",
        ),
        (
            "let s = SecretString::new(\"wrapped-value-five\".into());",
            "EncodingKey::from_secret(s.expose_secret().as_bytes())",
        ),
    ] {
        let src = format!("fn k() {{\n    {setup}\n    let k = {use_};\n}}");
        let report = scan(&src);
        let got: Vec<(Rule, usize)> = report.findings.iter().map(|f| (f.rule, f.line)).collect();
        assert_eq!(got, [(Rule::KeyLiteral, 2)], "{src}");
    }
    clean(
        "fn k(cfg: &Cfg) { let s = SecretString::from(cfg.jwt.clone()); EncodingKey::from_secret(s.expose_secret().as_bytes()); }",
    );
    clean(
        "fn k() { let s: SecretString = std::env::var(\"JWT_SECRET\").unwrap().into(); EncodingKey::from_secret(s.expose_secret().as_bytes()); }",
    );
}
