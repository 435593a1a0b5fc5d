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
    for src in &shapes {
        flags(src, Rule::JwtLiteral, 2, JWT);
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
fn arrays_of_integer_bounds_are_constant_key_material() {
    // A key of `u8::MAX`/`u8::MIN` elements is as fixed as one of numbers.
    flags(
        "fn t() {\n    let hmac_key = [u8::MAX, u8::MIN, 7];\n}",
        Rule::SecretBinding,
        2,
        "u8::MAX",
    );
    flags(
        "fn t() {\n    let k = EncodingKey::from_secret(&[u8::MIN, u8::MAX]);\n}",
        Rule::KeyLiteral,
        2,
        "u8::MIN",
    );
    // Other paths are not fixed values.
    clean("fn t(a: u8) {\n    let hmac_key = [a, Self::B, u8::BITS as u8];\n}");
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

// ---- class 5: values that cross a function or a file ----

#[test]
fn a_literal_given_to_the_crate_s_own_key_function_is_flagged_on_its_line() {
    // Free function, struct field initialiser around the sink.
    flags(
        "fn keys(secret: &str) -> Keys {\n    Keys { enc: EncodingKey::from_secret(secret.as_bytes()), n: 1 }\n}\nfn main() {\n    let k = keys(\"dev-flow-value-1\");\n}",
        Rule::KeyLiteral,
        5,
        "dev-flow-value-1",
    );
    // A method of an impl, called as `Type::new`, through a `let`.
    flags(
        "impl Keys {\n    pub fn new(secret: &[u8]) -> Self {\n        let raw = secret.to_vec();\n        Self { dec: DecodingKey::from_secret(&raw) }\n    }\n}\nfn main() {\n    let k = Keys::new(b\"dev-flow-value-2\");\n}",
        Rule::KeyLiteral,
        8,
        "dev-flow-value-2",
    );
    // Two hops: wrapper -> keys -> sink, the call above the definitions.
    flags(
        "fn main() {\n    let k = auth::make(\"dev-flow-value-3\");\n}\nfn make(s: &str) -> Keys { keys(s, 1) }\nfn keys(secret: &str, n: u8) -> Keys { Keys { enc: EncodingKey::from_secret(secret.as_bytes()) } }",
        Rule::KeyLiteral,
        2,
        "dev-flow-value-3",
    );
    // A method taking `self`: `state.sign_with(..)`, its name says key.
    flags(
        "impl Signer {\n    fn sign_with(&self, claims: &C, key: &[u8]) -> String { encode(&Header::default(), claims, &EncodingKey::from_secret(key)).unwrap() }\n}\nfn f(s: &Signer) {\n    s.sign_with(&c, b\"dev-flow-value-4\");\n}",
        Rule::KeyLiteral,
        5,
        "dev-flow-value-4",
    );
}

#[test]
fn runtime_values_and_other_parameters_of_key_functions_are_quiet() {
    clean(
        "fn keys(secret: &str, issuer: &str) -> Keys { Keys { enc: EncodingKey::from_secret(secret.as_bytes()), iss: issuer.into() } }\nfn main() { let s = std::env::var(\"JWT_SECRET\").unwrap(); keys(&s, \"my-issuer\"); }",
    );
    clean(
        "fn keys(secret: &str) -> Keys { Keys { enc: EncodingKey::from_secret(secret.as_bytes()) } }\nfn main() { let m = HashMap::new(); m.keys(); other::keys(&cfg.secret); }",
    );
    // A method not named for keys is not matched by its name alone.
    clean(
        "impl M { fn update(&mut self, key: &[u8]) { self.mac = Hmac::<Sha256>::new_from_slice(key).unwrap(); } }\nfn f(m: &mut M) { m.update(b\"message bytes\"); }",
    );
}

#[test]
fn a_const_of_this_file_reached_by_its_path_is_resolved() {
    flags(
        "mod config {\n    pub const KEY: &[u8] = b\"path-const-value\";\n}\nfn k() { EncodingKey::from_secret(config::KEY); }",
        Rule::KeyLiteral,
        2,
        "path-const-value",
    );
    flags(
        "impl Auth {\n    const KEY: &'static str = \"assoc-const-value\";\n    fn k() -> EncodingKey { EncodingKey::from_secret(Self::KEY.as_bytes()) }\n}",
        Rule::KeyLiteral,
        2,
        "assoc-const-value",
    );
}

pub(super) fn write_crate(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    for (path, text) in files {
        let path = tmp.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    tmp
}

pub(super) fn crate_findings(tmp: &tempfile::TempDir) -> (Report, Vec<(String, Rule, usize)>) {
    let report = scan_paths(&[tmp.path().to_path_buf()], &ScanOptions::default());
    let mut got: Vec<(String, Rule, usize)> = report
        .findings
        .iter()
        .map(|f| {
            let p = f
                .path
                .strip_prefix(tmp.path())
                .unwrap()
                .display()
                .to_string();
            (p, f.rule, f.line)
        })
        .collect();
    got.sort();
    (report, got)
}

#[test]
fn a_neutral_const_used_as_a_key_in_another_file_is_flagged_where_it_is_written() {
    let tmp = write_crate(&[
        (
            "src/config.rs",
            "//! Settings.\npub const PORT: u16 = 8080;\npub const KEY: &[u8] = b\"cross-file-value-1\";\n",
        ),
        (
            "src/auth.rs",
            "use crate::config;\npub fn enc() -> EncodingKey {\n    EncodingKey::from_secret(config::KEY)\n}\n",
        ),
        ("src/lib.rs", "mod auth;\nmod config;\n"),
    ]);
    let (report, got) = crate_findings(&tmp);
    assert_eq!(got, [("src/config.rs".to_owned(), Rule::KeyLiteral, 3)]);
    assert!(
        report.findings[0].message.contains("auth.rs"),
        "{}",
        report.findings[0].message
    );
    assert_redacted(&report, "cross-file-value-1");
}

#[test]
fn a_literal_given_to_a_key_function_of_another_file_is_flagged_where_it_is_written() {
    let tmp = write_crate(&[
        (
            "src/auth.rs",
            "pub struct Keys { enc: EncodingKey }\nimpl Keys {\n    pub fn new(secret: &[u8]) -> Self {\n        Self { enc: EncodingKey::from_secret(secret) }\n    }\n}\npub fn keys(secret: &str) -> Keys { Keys::new(secret.as_bytes()) }\n",
        ),
        (
            "src/main.rs",
            "mod auth;\nfn main() {\n    let a = auth::Keys::new(b\"cross-file-value-2\");\n    let b = auth::keys(\"cross-file-value-3\");\n    let c = auth::keys(&std::env::var(\"JWT_SECRET\").unwrap());\n}\n",
        ),
        (
            "src/state.rs",
            "pub fn state() -> crate::auth::Keys {\n    crate::auth::keys(settings::SIGNING)\n}\n",
        ),
        (
            "src/settings.rs",
            "pub const SIGNING: &str = \"cross-file-value-4\";\n",
        ),
    ]);
    let (report, got) = crate_findings(&tmp);
    assert_eq!(
        got,
        [
            ("src/main.rs".to_owned(), Rule::KeyLiteral, 3),
            ("src/main.rs".to_owned(), Rule::KeyLiteral, 4),
            ("src/settings.rs".to_owned(), Rule::KeyLiteral, 1),
        ]
    );
    for secret in [
        "cross-file-value-2",
        "cross-file-value-3",
        "cross-file-value-4",
    ] {
        assert_redacted(&report, secret);
    }
}

#[test]
fn crates_do_not_see_each_other_s_consts() {
    let tmp = write_crate(&[
        ("a/Cargo.toml", "[package]\nname = \"a\"\n"),
        (
            "a/src/lib.rs",
            "pub fn enc() -> EncodingKey { EncodingKey::from_secret(KEY) }\n",
        ),
        ("b/Cargo.toml", "[package]\nname = \"b\"\n"),
        (
            "b/src/lib.rs",
            "pub const KEY: &[u8] = b\"other-crate-value\";\n",
        ),
    ]);
    let (_, got) = crate_findings(&tmp);
    assert_eq!(got, []);
}

// ---- class 6: placeholder-looking values, decided by their use ----

#[test]
fn a_name_shaped_value_is_the_secret_unless_the_const_is_read_as_a_name() {
    // Flows to a sink: the secret.
    flags(
        "const SIGNING_SECRET: &str = \"ACME_HS_VAULT_SECRET\";\nfn k() { EncodingKey::from_secret(SIGNING_SECRET.as_bytes()); }",
        Rule::KeyLiteral,
        1,
        "ACME_HS_VAULT_SECRET",
    );
    // Never read as a variable name: the secret.
    flags(
        "pub const JWT_SECRET: &str = \"PRODUCTION_HS_SECRET_V2\";",
        Rule::SecretBinding,
        1,
        "PRODUCTION_HS_SECRET_V2",
    );
    // Read with env::var (or any variable reader): a name.
    clean(
        "const JWT_SECRET: &str = \"MY_APP_JWT_SECRET\";\nfn s() -> String { std::env::var(JWT_SECRET).expect(\"set it\") }",
    );
    clean(
        "static SIGNING_SECRET: &str = \"APP_SIGNING_SECRET\";\nfn s() -> Option<OsString> { env::var_os(&SIGNING_SECRET) }",
    );
    clean(
        "const JWT_SECRET: &str = \"APP_JWT_SECRET\";\nfn s() -> String { read_env(JWT_SECRET) }",
    );
    // The value is the const's own name.
    clean("const JWT_SECRET: &str = \"JWT_SECRET\";");
    // Not secret-named values stay what they were: a placeholder literal is flagged.
    flags(
        "const JWT_SECRET: &str = \"CHANGE_ME\";",
        Rule::SecretBinding,
        1,
        "CHANGE_ME",
    );
}

#[test]
fn a_name_read_in_another_file_of_the_crate_is_a_name() {
    let tmp = write_crate(&[
        (
            "src/names.rs",
            "pub const JWT_SECRET: &str = \"SVC_JWT_SECRET\";\npub const REFRESH_SECRET: &str = \"SVC_REFRESH_SECRET\";\n",
        ),
        (
            "src/config.rs",
            "use crate::names;\npub fn load() -> String {\n    std::env::var(names::JWT_SECRET).unwrap()\n}\n",
        ),
    ]);
    let (_, got) = crate_findings(&tmp);
    assert_eq!(got, [("src/names.rs".to_owned(), Rule::SecretBinding, 2)]);
}

#[test]
fn a_constructor_storing_its_parameter_in_a_key_field_is_a_key_function() {
    // `Self { secret }` then `self.secret` at the sink; called in a test-like setup.
    flags(
        "pub struct Jwt { secret: String }\nimpl Jwt {\n    pub fn new(secret: String) -> Self { Self { secret } }\n    pub fn sign(&self, c: &C) -> String { encode(&Header::default(), c, &EncodingKey::from_secret(self.secret.as_bytes())).unwrap() }\n}\nfn setup() -> Jwt {\n    Jwt::new(\"field-flow-value-1\".to_string())\n}",
        Rule::KeyLiteral,
        7,
        "field-flow-value-1",
    );
    // `jwt_secret: s.into()`, the constructor's second parameter.
    flags(
        "impl Auth {\n    fn new(db: Db, s: &str) -> Self { Auth { db, jwt_secret: s.into() } }\n    fn dec(&self) -> DecodingKey { DecodingKey::from_secret(self.jwt_secret.as_bytes()) }\n}\nfn main() {\n    let a = Auth::new(db, \"field-flow-value-2\");\n}",
        Rule::KeyLiteral,
        6,
        "field-flow-value-2",
    );
    // The other field, and a runtime value, stay quiet.
    clean(
        "impl Auth {\n    fn new(name: &str, s: String) -> Self { Auth { name: name.into(), jwt_secret: s } }\n    fn dec(&self) -> DecodingKey { DecodingKey::from_secret(self.jwt_secret.as_bytes()) }\n}\nfn main() { let a = Auth::new(\"service-name\", std::env::var(\"JWT_SECRET\").unwrap()); }",
    );
}

#[test]
fn any_lookup_or_message_reads_a_const_as_a_name() {
    clean(
        "const JWT_SECRET: &str = \"APP_JWT_SECRET\";\nfn s(c: &Config) -> String { c.get_string(JWT_SECRET).unwrap() }",
    );
    clean(
        "const JWT_SECRET: &str = \"APP_JWT_SECRET\";\nfn s(v: &Vars) -> String { v.lookup(\"prefix\", JWT_SECRET) }",
    );
    clean(
        "const JWT_SECRET: &str = \"APP_JWT_SECRET\";\nfn s() { panic!(\"{} must be set\", JWT_SECRET); }",
    );
    // Passed through a value wrapper, it is a value: still the secret.
    flags(
        "const SIGNING_SECRET: &str = \"ACME_HS_VAULT_SECRET\";\nfn s() -> SecretString { SecretString::from(SIGNING_SECRET) }",
        Rule::SecretBinding,
        1,
        "ACME_HS_VAULT_SECRET",
    );
}

#[test]
fn a_function_returning_a_fixed_value_is_that_value() {
    flags(
        "fn signing_material() -> &'static [u8] {\n    b\"returned-value-1\"\n}\nfn k() { EncodingKey::from_secret(signing_material()); }",
        Rule::KeyLiteral,
        2,
        "returned-value-1",
    );
    flags(
        "fn get_key() -> String {\n    std::env::var(\"APP_KEY\").unwrap_or_else(|_| \"returned-value-2\".to_string())\n}\nfn k() { DecodingKey::from_secret(get_key().as_bytes()); }",
        Rule::KeyLiteral,
        2,
        "returned-value-2",
    );
    clean(
        "fn get_key() -> String { std::env::var(\"APP_KEY\").expect(\"APP_KEY\") }\nfn k() { DecodingKey::from_secret(get_key().as_bytes()); }",
    );
    clean("fn name() -> &'static str { \"service\" }\nfn k() { let n = name(); }");
}

#[test]
fn a_getter_named_for_a_secret_takes_where_it_is_not_what_it_is() {
    clean(
        "pub mod env { pub const DATABASE_URL_ENV_VAR: &str = \"DATABASE_URL\"; }\nfn f() { let u = get_secret_environment_variable(env::DATABASE_URL_ENV_VAR); }",
    );
    clean(
        "fn f() { let s = load_jwt_secret(\"/run/secrets/jwt\"); let t = read_signing_key(\"KEY_FILE\"); }",
    );
    // A setter still is one.
    flags(
        "fn f(b: Builder) {\n    b.jwt_secret(\"setter-value-xyz\");\n}",
        Rule::SecretBinding,
        2,
        "setter-value-xyz",
    );
}
