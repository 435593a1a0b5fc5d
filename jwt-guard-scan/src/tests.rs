//! Rule tests: every supported shape, every shape that must not be flagged, redaction.
#![allow(clippy::unwrap_used)]

use super::*;
use std::path::Path;

fn scan(src: &str) -> Report {
    scan_source(
        Path::new("src/lib.rs"),
        src.as_bytes(),
        &ScanOptions::default(),
    )
}

fn rules(src: &str) -> Vec<Rule> {
    scan(src).findings.iter().map(|f| f.rule).collect()
}

/// Asserts `src` gives exactly one finding, of `rule`, on `line`, with nothing of `secret` in it.
#[track_caller]
fn flags(src: &str, rule: Rule, line: usize, secret: &str) {
    let report = scan(src);
    let got: Vec<(Rule, usize)> = report.findings.iter().map(|f| (f.rule, f.line)).collect();
    assert_eq!(got, vec![(rule, line)], "in:\n{src}");
    assert_redacted(&report, secret);
}

#[track_caller]
/// Every finding of `src` as (rule, line).
fn found(src: &str) -> Vec<(Rule, usize)> {
    scan(src)
        .findings
        .iter()
        .map(|f| (f.rule, f.line))
        .collect()
}

fn clean(src: &str) {
    let report = scan(src);
    assert!(
        report.findings.is_empty(),
        "unexpected {:#?}\nin:\n{src}",
        report.findings
    );
}

/// No output holds the secret or any 8-byte window of it (or all of it, when shorter).
#[track_caller]
fn assert_redacted(report: &Report, secret: &str) {
    let mut outputs = vec![
        report.render_human(),
        report.render_human_styled(),
        format!("{report:?}"),
    ];
    for f in &report.findings {
        outputs.extend([
            f.message.clone(),
            f.masked_line.clone(),
            f.render(),
            f.path.display().to_string(),
        ]);
    }
    #[cfg(feature = "json")]
    outputs.extend([format::json(report), format::sarif(report)]);
    let windows: Vec<&[u8]> = if secret.len() <= 8 {
        vec![secret.as_bytes()]
    } else {
        secret.as_bytes().windows(8).collect()
    };
    for out in &outputs {
        for w in &windows {
            let w = String::from_utf8_lossy(w);
            assert!(!out.contains(w.as_ref()), "`{w}` leaked into:\n{out}");
        }
    }
}

// ---- key-literal ----

#[test]
fn key_literal_from_secret_byte_string() {
    flags(
        "fn k() { let key = EncodingKey::from_secret(b\"dev-secret\"); }",
        Rule::KeyLiteral,
        1,
        "dev-secret",
    );
}

#[test]
fn key_literal_through_as_bytes_and_across_lines() {
    let src = "fn k() {\n    let key = DecodingKey::from_secret(\n        \"my-hs256-signing-material\"\n            .as_bytes(),\n    );\n}";
    flags(src, Rule::KeyLiteral, 3, "my-hs256-signing-material");
}

#[test]
fn key_literal_shapes() {
    let cases = [
        (
            "DecodingKey::from_base64_secret(\"c2VjcmV0c2VjcmV0\")",
            "c2VjcmV0c2VjcmV0",
        ),
        (
            "Hmac::<Sha256>::new_from_slice(b\"hmac-material-1\")",
            "hmac-material-1",
        ),
        (
            "HmacSha256::new_varkey(b\"hmac-material-2\")",
            "hmac-material-2",
        ),
        (
            "HS256Key::from_bytes(b\"jwt-simple-material\")",
            "jwt-simple-material",
        ),
        (
            "Jwa::HS256.signer_from_bytes(b\"josekit-material\")",
            "josekit-material",
        ),
        ("Hs256Key::new(b\"jwt-compact-mat\")", "jwt-compact-mat"),
        (
            "Algorithm::new_hmac(AlgorithmID::HS256, \"jsonwebtokens-m\")",
            "jsonwebtokens-m",
        ),
        (
            "Secret::bytes_from_str(\"biscuit-material\")",
            "biscuit-material",
        ),
        (
            "Secret::Bytes(\"biscuit-bytes-v\".into())",
            "biscuit-bytes-v",
        ),
        (
            "hmac::Key::new(hmac::HMAC_SHA256, b\"ring-material-xx\")",
            "ring-material-xx",
        ),
        (
            "Key::new(HMAC_SHA512, \"ring-material-yy\".as_bytes())",
            "ring-material-yy",
        ),
        (
            "EncodingKey::from_secret(r#\"raw-material\"#.as_bytes())",
            "raw-material",
        ),
        (
            "EncodingKey::from_secret(br##\"raw-bytes-mat\"##)",
            "raw-bytes-mat",
        ),
        (
            "EncodingKey::from_secret(&[0x73, 0x65, 0x63, 0x72])",
            "0x73, 0x65",
        ),
        (
            "EncodingKey::from_secret(&vec![115u8, 101, 99])",
            "115u8, 101",
        ),
        (
            "EncodingKey::from_secret(\"ab\".repeat(16).as_bytes())",
            "\"ab\"",
        ),
        (
            "EncodingKey::from_secret(String::from(\"wrapped-mat\").as_bytes())",
            "wrapped-mat",
        ),
        (
            "EncodingKey::from_secret(&STANDARD.decode(\"ZGV2LXNlY3JldA==\").unwrap())",
            "ZGV2LXNlY3JldA==",
        ),
        (
            "EncodingKey::from_secret(concat!(\"part-one\", \"part-two\").as_bytes())",
            "part-one",
        ),
    ];
    for (expr, secret) in cases {
        flags(
            &format!("fn k() {{\n    let k = {expr};\n}}"),
            Rule::KeyLiteral,
            2,
            secret,
        );
    }
}

#[test]
fn key_literal_through_a_binding_points_at_the_literal() {
    for kw in [
        "const K: &[u8] = b\"bound-material\";",
        "static K: &str = \"bound-material\";",
    ] {
        let src = format!("{kw}\nfn k() {{\n    EncodingKey::from_secret(K.as_ref());\n}}");
        let report = scan(&src);
        assert_eq!(report.findings.len(), 1, "{src}");
        let f = &report.findings[0];
        assert_eq!((f.rule, f.line), (Rule::KeyLiteral, 1));
        assert!(f.message.contains("through `K`"), "{}", f.message);
        assert_redacted(&report, "bound-material");
    }
    let src = "fn k() {\n    let material = \"let-bound-mat\";\n    let key = EncodingKey::from_secret(material.as_bytes());\n}";
    flags(src, Rule::KeyLiteral, 2, "let-bound-mat");
}

#[test]
fn key_literal_not_for_runtime_values() {
    // A `let` in another function, or a buffer filled at run time, is not the key.
    clean(
        "fn a() { let key = \"elsewhere-val\"; }\nfn b(key: &[u8]) { Hmac::new_from_slice(key); }",
    );
    clean(
        "fn b() { let mut key = Vec::new(); f.read_to_end(&mut key)?; Hmac::new_from_slice(&key); }",
    );
    clean("fn b() { let key = Key::<Self>::default(); Hmac::new_from_slice(&key); }");
    clean("fn k(s: &str) { EncodingKey::from_secret(s.as_bytes()); }");
    clean(
        "fn k() { let s = std::env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\"); EncodingKey::from_secret(s.as_bytes()); }",
    );
    clean("fn k() { let s: [u8; 32] = rand::random(); Hmac::<Sha256>::new_from_slice(&s); }");
    clean("fn k() { EncodingKey::from_secret(format!(\"{}{}\", a, b).as_bytes()); }");
    clean("fn k() { EncodingKey::from_secret(config.jwt_secret.as_bytes()); }");
    clean("fn k() { DecodingKey::from_rsa_pem(b\"-----BEGIN PUBLIC KEY-----\"); }");
    clean("fn k() { let m = HashMap::new(); let k = Key::new(\"keyboard\"); }");
}

// ---- env-fallback ----

#[test]
fn env_fallback_shapes() {
    let cases = [
        "env::var(\"JWT_SECRET\").unwrap_or(\"fb-one-value\".into())",
        "std::env::var(\"JWT_SECRET\").unwrap_or_else(|_| \"fb-one-value\".to_string())",
        "env::var(\"APP_SECRET\").unwrap_or_else(|_| String::from(\"fb-one-value\"))",
        "dotenv::var(\"SECRET_KEY\").unwrap_or(\"fb-one-value\".to_owned())",
        "dotenvy::var(\"JWT_SECRET\").ok().unwrap_or_else(|| \"fb-one-value\".into())",
        "env::var(\"JWT_SECRET\").or_else(|_| Ok::<_, VarError>(\"fb-one-value\".into())).unwrap()",
        "env::var(\"JWT_SECRET\").map_or(\"fb-one-value\".to_string(), |s| s)",
        "env::var(\"JWT_SECRET\").unwrap_or(STANDARD.encode(\"fb-one-value\"))",
    ];
    for expr in cases {
        flags(
            &format!("fn c() {{\n    let s = {expr};\n}}"),
            Rule::EnvFallback,
            2,
            "fb-one-value",
        );
    }
}

#[test]
fn env_fallback_with_a_warning_printed_first() {
    let src = "fn c() -> String {\n    env::var(\"JWT_SECRET\").unwrap_or_else(|_| {\n        eprintln!(\"JWT_SECRET not set, using an insecure default\");\n        \"insecure-default\".to_string()\n    })\n}";
    flags(src, Rule::EnvFallback, 4, "insecure-default");
}

#[test]
fn env_fallback_match_and_if_let() {
    let src = "fn c() -> String {\n    match env::var(\"JWT_SECRET\") {\n        Ok(s) => s,\n        Err(_) => \"match-fb-value\".into(),\n    }\n}";
    flags(src, Rule::EnvFallback, 4, "match-fb-value");
    let src = "fn c() -> String {\n    match std::env::var(\"JWT_SECRET\") {\n        Ok(s) => s,\n        Err(e) => {\n            log::warn!(\"{e}\");\n            String::from(\"match-block-v\")\n        }\n    }\n}";
    flags(src, Rule::EnvFallback, 6, "match-block-v");
    let src = "fn c() -> String {\n    if let Ok(s) = env::var(\"JWT_SECRET\") { s } else { \"if-let-fb-value\".into() }\n}";
    flags(src, Rule::EnvFallback, 2, "if-let-fb-value");
}

#[test]
fn env_fallback_through_a_const_and_base64() {
    let src = "const DEFAULT: &str = \"ZGV2LXNlY3JldC12YWx1ZQ==\";\nfn c() { let s = env::var(\"JWT_SECRET\").unwrap_or(DEFAULT.to_string()); }";
    flags(src, Rule::EnvFallback, 1, "ZGV2LXNlY3JldC12YWx1ZQ==");
    // The variable's name may itself come from a const.
    let src = "const VAR: &str = \"JWT_SECRET\";\nfn c() { let s = env::var(VAR).unwrap_or(\"named-fb-value\".into()); }";
    flags(src, Rule::EnvFallback, 2, "named-fb-value");
}

#[test]
fn empty_fallbacks_for_secret_variables_are_flagged() {
    for expr in [
        "env::var(\"JWT_SECRET\").unwrap_or_default()",
        "env::var(\"JWT_SECRET\").unwrap_or(String::new())",
        "env::var(\"JWT_SECRET\").unwrap_or_else(|_| String::new())",
        "env::var(\"JWT_SECRET\").unwrap_or(\"\".into())",
        "env::var(\"JWT_SECRET\").unwrap_or_else(|_| Default::default())",
    ] {
        let src = format!("fn c() {{ let s = {expr}; }}");
        let report = scan(&src);
        assert_eq!(rules(&src), [Rule::EnvFallback], "{src}");
        assert!(report.findings[0].message.contains("empty"), "{src}");
    }
}

#[test]
fn env_fallback_not_for_other_variables_or_errors() {
    clean("fn c() { let p = env::var(\"PORT\").unwrap_or(\"8080\".into()); }");
    clean("fn c() { let s = env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\"); }");
    clean("fn c() { let s = env::var(\"JWT_SECRET\")?; }");
    clean(
        "fn c() { let s = env::var(\"JWT_SECRET\").map_err(|_| Error::Missing(\"JWT_SECRET\"))?; }",
    );
    clean(
        "fn c() { let f = env::var(\"JWT_SECRET_FILE\").unwrap_or(\"/run/secrets/jwt\".into()); }",
    );
    clean(
        "fn c() { let s = env::var(\"JWT_SECRET\").unwrap_or_else(|_| panic!(\"JWT_SECRET is not set\")); }",
    );
    clean("fn c() { let s = env::var(\"JWT_SECRET\").unwrap_or_else(|_| generate_secret()); }");
}

#[test]
fn env_fallback_in_clap_and_confique_attributes() {
    let src = "struct Args {\n    #[arg(long, env = \"JWT_SECRET\", default_value = \"clap-default-v\")]\n    jwt_secret: String,\n}";
    flags(src, Rule::EnvFallback, 2, "clap-default-v");
    let src = "struct Conf {\n    #[config(env = \"APP_SECRET\", default = \"confique-dflt\")]\n    secret: String,\n}";
    flags(src, Rule::EnvFallback, 2, "confique-dflt");
    clean(
        "struct Args {\n    #[arg(long, env = \"JWT_SECRET\")]\n    jwt_secret: String,\n    #[arg(env = \"PORT\", default_value = \"8080\")]\n    port: u16,\n}",
    );
}

// ---- build-time-embed ----

#[test]
fn build_time_embed_env_and_option_env() {
    flags(
        "const S: &str = env!(\"JWT_SECRET\");",
        Rule::BuildTimeEmbed,
        1,
        "unused-0",
    );
    flags(
        "fn s() -> Option<&'static str> {\n    option_env!(\"SECRET_KEY\")\n}",
        Rule::BuildTimeEmbed,
        2,
        "unused-0",
    );
    clean("const V: &str = env!(\"CARGO_PKG_VERSION\");");
}

#[test]
fn included_secret_files_are_build_time_embeds() {
    flags(
        "static JWT_SECRET: &str = include_str!(\"../secret.txt\");",
        Rule::BuildTimeEmbed,
        1,
        "unused-0",
    );
    flags(
        "fn k() { EncodingKey::from_secret(include_bytes!(\"../jwt.key\")); }",
        Rule::BuildTimeEmbed,
        1,
        "unused-0",
    );
    let report =
        scan("const K: &[u8] = include_bytes!(\"k.bin\");\nfn k() { Hmac::new_from_slice(K); }");
    assert_eq!(report.findings.len(), 1);
    assert!(
        report.findings[0].message.contains("include_bytes!")
            && report.findings[0].message.contains("through `K`")
    );
    clean("static LICENSE: &str = include_str!(\"../LICENSE\");");
}

#[test]
fn option_env_fallback_is_flagged_and_masked_too() {
    let src = "fn s() -> &'static str {\n    option_env!(\"JWT_SECRET\").unwrap_or(\"baked-fb-value\")\n}";
    let report = scan(src);
    let got: Vec<Rule> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(got, [Rule::BuildTimeEmbed, Rule::EnvFallback]);
    assert_redacted(&report, "baked-fb-value");
}

// ---- secret-binding ----

#[test]
fn secret_binding_consts_statics_lets() {
    flags(
        "const JWT_SECRET: &str = \"const-secret\";",
        Rule::SecretBinding,
        1,
        "const-secret",
    );
    flags(
        "pub static SECRET_KEY: &[u8] = b\"static-secret\";",
        Rule::SecretBinding,
        1,
        "static-secret",
    );
    flags(
        "fn f() { let jwt_secret = \"let-secret-value\"; }",
        Rule::SecretBinding,
        1,
        "let-secret-value",
    );
    flags(
        "fn f() { let app_secret: String = \"typed-let-value\".into(); }",
        Rule::SecretBinding,
        1,
        "typed-let-value",
    );
    flags(
        "static SIGNING_KEY: [u8; 4] = [0x11, 0x22, 0x33, 0x44];",
        Rule::SecretBinding,
        1,
        "0x11, 0x22",
    );
    flags(
        "const JWT_SECRET: &str = \"CHANGE_ME\";",
        Rule::SecretBinding,
        1,
        "CHANGE_ME",
    );
}

#[test]
fn secret_binding_lazy_statics() {
    let src =
        "lazy_static! {\n    static ref JWT_SECRET: String = \"lazy-static-val\".to_string();\n}";
    flags(src, Rule::SecretBinding, 2, "lazy-static-val");
    let src =
        "static JWT_SECRET: LazyLock<String> = LazyLock::new(|| \"lazylock-value\".to_owned());";
    flags(src, Rule::SecretBinding, 1, "lazylock-value");
    let src = "static HMAC_KEY: Lazy<Vec<u8>> = Lazy::new(|| b\"once-cell-value\".to_vec());";
    flags(src, Rule::SecretBinding, 1, "once-cell-value");
}

#[test]
fn secret_binding_struct_default_and_serde_default() {
    let src = "impl Default for Config {\n    fn default() -> Self {\n        Self {\n            port: 8080,\n            jwt_secret: \"default-impl-val\".into(),\n        }\n    }\n}";
    flags(src, Rule::SecretBinding, 5, "default-impl-val");
    let src = "fn default_jwt_secret() -> String {\n    \"serde-default-v\".into()\n}";
    flags(src, Rule::SecretBinding, 2, "serde-default-v");
    let src = "fn f(c: &mut Config) { c.jwt_secret = String::from(\"assigned-value\"); }";
    flags(src, Rule::SecretBinding, 1, "assigned-value");
}

#[test]
fn secret_binding_builders_maps_and_json() {
    flags(
        "fn f() { Config::builder().port(1).jwt_secret(\"builder-value\").build(); }",
        Rule::SecretBinding,
        1,
        "builder-value",
    );
    flags(
        "fn f() { Auth::new().secret(\"sec-builder-v\"); }",
        Rule::SecretBinding,
        1,
        "sec-builder-v",
    );
    flags(
        "fn f() { map.insert(\"jwt_secret\", \"map-insert-val\"); }",
        Rule::SecretBinding,
        1,
        "map-insert-val",
    );
    flags(
        "fn f() { map.insert(\"jwt_secret\".to_string(), \"map-insert-v2\".to_string()); }",
        Rule::SecretBinding,
        1,
        "map-insert-v2",
    );
    let src = "fn f() {\n    let v = json!({\n        \"user\": \"bob\",\n        \"jwt_secret\": \"json-macro-value\"\n    });\n}";
    flags(src, Rule::SecretBinding, 4, "json-macro-value");
}

#[test]
fn a_secret_named_string_pairs_in_tuples_but_not_in_lists() {
    flags(
        "static PAIRS: &[(&str, &str)] = &[(\"jwt_secret\", \"tuple-pair-val\")];",
        Rule::SecretBinding,
        1,
        "tuple-pair-val",
    );
    // Field names listed one after another: `"key"` is not the value of `"secret"`.
    clean("fn f() { let names = vec![\"secret\".to_string(), \"key\".to_string()]; }");
    clean("const REDACT: [&str; 3] = [\"jwt_secret\", \"password\", \"token\"];");
    clean("fn f() { redact(\"jwt_secret\", \"password\", \"token\"); }");
}

#[test]
fn secret_binding_config_defaults_and_match_arms() {
    flags(
        "fn c() { Config::builder().set_default(\"jwt_secret\", \"config-default\")?; }",
        Rule::SecretBinding,
        1,
        "config-default",
    );
    flags(
        "fn v(k: &str) -> &str { match k { \"JWT_SECRET\" => \"match-arm-value\", _ => \"\" } }",
        Rule::SecretBinding,
        1,
        "match-arm-value",
    );
}

#[test]
fn secret_binding_not_for_names_paths_messages_and_declarations() {
    clean("const VAR: &str = \"JWT_SECRET\";");
    clean("const JWT_SECRET_VAR: &str = \"JWT_SECRET\";");
    clean("const JWT_SECRET: &str = \"JWT_SECRET\";");
    clean("const JWT_SECRET_PATH: &str = \"/run/secrets/jwt\";");
    clean("fn f() { let secret_path = \"/run/secrets/jwt\"; }");
    clean("const SECRET_HEADER: &str = \"X-Api-Key\";");
    clean("const AUTH_HEADER: &str = \"Authorization\";");
    clean("struct Config { jwt_secret: String, secret_key: &'static str, hmac_key: [u8; 32] }");
    clean("fn new(jwt_secret: &str, signing_key: &[u8]) -> Self { todo!() }");
    clean("fn f() { let jwt_secret = String::new(); }");
    clean("const JWT_SECRET: &str = \"\";");
    clean(
        "fn f() { let jwt_secret = generate(); let mut secret = [0u8; 32]; rng.fill(&mut secret); }",
    );
    clean("fn f() { let jwt_secret = format!(\"{}-{}\", a, b); }");
    clean("const SIGNING_KEY_ID: &str = \"550e8400-e29b-41d4-a716-446655440000\";");
    clean("fn f() { header.kid = Some(\"550e8400-e29b-41d4-a716-446655440000\".into()); }");
    clean("const SECRET_HASH: &str = \"$argon2id$v=19$m=65536\";");
    clean("const PASSWORD_HASH: &str = \"5e884898da28047151d0e56f8dc629\";");
    clean("const PUBLIC_KEY: &str = \"-----BEGIN PUBLIC KEY-----\\nMIIB\";");
    clean("const JWKS: &str = r#\"{\"keys\":[{\"kty\":\"RSA\",\"n\":\"abc\"}]}\"#;");
    clean(
        "fn f() { let keyboard = \"qwerty\"; let device = \"dev-01\"; let username = \"user\"; }",
    );
    clean("fn f() { let secret_msg = \"the secret is wrong\"; }");
    clean("fn f() { let jwt_secret = env::var(\"JWT_SECRET\")?; }");
    clean("fn f() { req.header(\"Authorization\", \"Bearer x\"); }");
}

#[test]
fn messages_mentioning_secrets_are_not_flagged() {
    clean("fn f() { let s = env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\"); }");
    clean("#[derive(Error)] enum E { #[error(\"invalid jwt secret: too short\")] Short }");
    clean(
        "fn f() { log::warn!(\"jwt_secret is weak\"); println!(\"SECRET_KEY: {}\", \"hidden\"); }",
    );
    clean("fn f() { tracing::info!(jwt_secret = %masked, \"loaded\"); }");
}

#[test]
fn comments_and_doc_comments_are_not_flagged() {
    clean(
        "// const JWT_SECRET: &str = \"in-a-comment\";\n/// EncodingKey::from_secret(b\"in-doc\")\n/* let jwt_secret = \"block\"; */\nfn f() {}",
    );
}

// ---- jwt-literal ----

const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

#[test]
fn jwt_literal_anywhere() {
    flags(
        &format!("fn f() {{\n    let t = \"{JWT}\";\n}}"),
        Rule::JwtLiteral,
        2,
        JWT,
    );
    flags(
        &format!("fn f() {{ req.header(\"Authorization\", concat!(\"Bearer \", \"{JWT}\")); }}"),
        Rule::JwtLiteral,
        1,
        JWT,
    );
    clean("fn f() { let t = \"eyJub3QiOiJhIGp3dCJ9\"; }");
}

// ---- scope, suppression, robustness ----

#[test]
fn test_code_is_skipped_unless_asked() {
    let src = "#[cfg(test)]\nmod tests {\n    const JWT_SECRET: &str = \"test-only-value\";\n}\n#[test]\nfn t() { EncodingKey::from_secret(b\"test-only-value\"); }";
    clean(src);
    let opts = ScanOptions {
        include_tests: true,
        ..ScanOptions::default()
    };
    let report = scan_source(Path::new("a.rs"), src.as_bytes(), &opts);
    assert_eq!(report.findings.len(), 2);
}

/// Issue 7, item 2: code a debug build compiles is not test code.
#[test]
fn a_cfg_any_test_debug_assertions_item_is_scanned() {
    let src = "#[cfg(any(test, debug_assertions))]\npub const JWT_SECRET: &str = \"Dv7pLm2vRt9sWk4bNz8c\";\n";
    flags(src, Rule::SecretBinding, 2, "Dv7pLm2vRt9sWk4bNz8c");
}

/// Which `cfg`s hide a secret (test-only code) and which leave it scanned, as items,
/// inner attributes, fields and statements.
#[test]
fn cfg_truth_table() {
    // (predicate, scanned by default)
    let table = [
        ("test", false),
        ("test,", false),
        ("all(test, unix)", false),
        ("all(unix, test)", false),
        ("not(not(test))", false),
        ("any(test, test)", false),
        ("all(any(test, a), test)", false),
        ("any(all(test, a), all(test, b))", false),
        ("all(test, feature = \"x\", not(windows))", false),
        ("any(test, debug_assertions)", true),
        ("any(debug_assertions, test)", true),
        ("not(test)", true),
        ("all(test, not(test))", true),
        ("any(test, not(test))", true),
        ("all(any(test, a), any(test, b))", true),
        ("feature = \"test\"", true),
        ("tests", true),
        ("test = \"x\"", true),
        ("doctest", true),
        ("any()", true),
        // Malformed: scanned.
        ("test, unix", true),
        ("", true),
        ("not()", true),
        ("all(test unix)", true),
        ("a::test", true),
        ("test = x", true),
    ];
    for (cfg, scanned) in table {
        let shapes = [
            format!("#[cfg({cfg})]\nconst JWT_SECRET: &str = \"Hq4wZx8cVb2nMk6p\";\n"),
            format!(
                "#[cfg({cfg})]\nmod m {{\n    const JWT_SECRET: &str = \"Hq4wZx8cVb2nMk6p\";\n}}\n"
            ),
            format!(
                "mod m {{\n    #![cfg({cfg})]\n    const JWT_SECRET: &str = \"Hq4wZx8cVb2nMk6p\";\n}}\n"
            ),
            format!("#![cfg({cfg})]\nconst JWT_SECRET: &str = \"Hq4wZx8cVb2nMk6p\";\n"),
            format!(
                "fn f() -> Config {{\n    Config {{\n        #[cfg({cfg})]\n        jwt_secret: \"Hq4wZx8cVb2nMk6p\".into(),\n    }}\n}}\n"
            ),
            format!(
                "fn f() {{\n    #[cfg({cfg})]\n    let jwt_secret = \"Hq4wZx8cVb2nMk6p\";\n}}\n"
            ),
        ];
        for src in shapes {
            let report = scan(&src);
            assert_eq!(
                report.findings.len(),
                usize::from(scanned),
                "cfg({cfg}) in:\n{src}"
            );
            assert_redacted(&report, "Hq4wZx8cVb2nMk6p");
            let all = scan_source(
                Path::new("src/lib.rs"),
                src.as_bytes(),
                &ScanOptions {
                    include_tests: true,
                    ..ScanOptions::default()
                },
            );
            assert_eq!(all.findings.len(), 1, "cfg({cfg}) with tests in:\n{src}");
        }
    }
}

/// `#[cfg(..)] mod x;`: the walker leaves `x.rs` out only under a test-only cfg.
#[test]
fn out_of_line_modules_are_left_out_only_under_test_only_cfgs() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "#[cfg(all(test, unix))]\nmod unit;\n#[cfg(any(test, debug_assertions))]\nmod debug;\n#[cfg(test = \"x\")]\nmod odd;\n",
    )
    .unwrap();
    for module in ["unit", "debug", "odd"] {
        std::fs::write(
            src.join(format!("{module}.rs")),
            "pub const JWT_SECRET: &str = \"Dv7pLm2vRt9sWk4bNz8c\";\n",
        )
        .unwrap();
    }
    let report = scan_paths(std::slice::from_ref(&src), &ScanOptions::default());
    let mut found: Vec<String> = report
        .findings
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, ["debug.rs", "odd.rs"]);
    assert_redacted(&report, "Dv7pLm2vRt9sWk4bNz8c");
}

#[test]
fn an_inner_test_attribute_hides_its_module_only() {
    let src = "mod a {\n    #![cfg(test)]\n}\nconst JWT_SECRET: &str = \"Zq8rTy5uWx3vBn7m\";\n";
    flags(src, Rule::SecretBinding, 4, "Zq8rTy5uWx3vBn7m");
    let src = "fn f() {\n    #![cfg(test)]\n    let jwt_secret = \"in-test-fn-body\";\n}\nconst JWT_SECRET: &str = \"Zq8rTy5uWx3vBn7m\";\n";
    flags(src, Rule::SecretBinding, 5, "Zq8rTy5uWx3vBn7m");
}

#[test]
fn suppression_with_reason_silences_and_counts() {
    let src = "// jwt-guard: allow(secret-binding) RFC 7515 appendix A.1 test vector\nconst JWT_SECRET: &str = \"rfc-vector-value\";\nconst SECRET_KEY: &str = \"other-value-xx\"; // jwt-guard: allow(secret-binding) public fixture";
    let report = scan(src);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.suppressed, 2);
}

#[test]
fn suppression_must_name_the_rule_that_fired() {
    let src =
        "// jwt-guard: allow(key-literal) wrong rule\nconst JWT_SECRET: &str = \"wrong-rule-val\";";
    flags(src, Rule::SecretBinding, 2, "wrong-rule-val");
    let src = "// jwt-guard: allow(secret-binding) too far above\n\nconst JWT_SECRET: &str = \"too-far-value\";";
    flags(src, Rule::SecretBinding, 3, "too-far-value");
}

#[test]
fn suppression_without_reason_is_an_error_and_does_not_silence() {
    let src = "// jwt-guard: allow(secret-binding)\nconst JWT_SECRET: &str = \"no-reason-value\";";
    let report = scan(src);
    let got: Vec<Rule> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(got, [Rule::InvalidSuppression, Rule::SecretBinding]);
    assert_eq!(report.suppressed, 0);
    assert_redacted(&report, "no-reason-value");
    assert!(
        report
            .render_human()
            .contains("error: invalid jwt-guard suppression [invalid-suppression]")
    );
}

#[test]
fn deeply_nested_input_does_not_overflow_the_stack() {
    let depth = 200_000;
    for (open, close) in [
        ("{", "}"),
        ("(", ")"),
        ("[", "]"),
        ("|_| ", ""),
        ("Some(", ")"),
        ("move ", ""),
        ("&", ""),
    ] {
        let src = format!(
            "const JWT_SECRET: &str = {}\"x\"{};",
            open.repeat(depth),
            close.repeat(depth)
        );
        // Run on a small stack, as a build script's main thread may have.
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || scan(&src).findings.len());
        handle.unwrap().join().expect("no stack overflow");
    }
}

#[test]
fn repeated_sinks_stay_linear() {
    let shapes = [
        "jwt_secret: { a; ",
        "#[arg(env = \"JWT_SECRET\", ",
        "env = \"JWT_SECRET\", ",
        "EncodingKey::from_secret(a, ",
        "env::var(\"JWT_SECRET\").map(|_| { x; ",
        "match env::var(\"JWT_SECRET\") { Err(_) => a, ",
        "\"jwt_secret\": ",
        "let jwt_secret = ",
    ];
    for shape in shapes {
        let src = shape.repeat(1_000_000 / shape.len());
        let started = std::time::Instant::now();
        let _ = scan(&src);
        // Generous: quadratic behaviour would take minutes, not seconds.
        assert!(
            started.elapsed().as_secs() < 20,
            "{shape} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn invalid_rust_and_unterminated_literals_warn_and_still_scan() {
    let src = "const JWT_SECRET: &str = \"before-the-break\";\nfn broken( { ] \"unterminated";
    let report = scan(src);
    assert_eq!(rules(src), [Rule::SecretBinding]);
    assert_eq!(report.warnings.len(), 1);
    assert!(report.warnings[0].message.contains("line 2"));
}

// ---- redaction and rendering ----

#[test]
fn masked_line_keeps_length_quotes_and_prefix() {
    let src = "fn k() {\n    let key = EncodingKey::from_secret(b\"dev-secret\");\n}";
    let f = &scan(src).findings[0];
    assert_eq!(
        f.masked_line,
        "    let key = EncodingKey::from_secret(b\"**********\");"
    );
    assert_eq!((f.line, f.column), (2, 40));
    assert_eq!(&f.masked_line[f.highlight.clone()], "b\"**********\"");
}

#[test]
fn every_secret_on_the_line_is_masked_and_multiline_literals_are_masked_whole() {
    let src =
        "const JWT_SECRET: &str = \"first-secret\"; const SECRET_KEY: &str = \"second-secret\";";
    let report = scan(src);
    assert_eq!(report.findings.len(), 2);
    assert_redacted(&report, "first-secret");
    assert_redacted(&report, "second-secret");
    let src = "const JWT_SECRET: &str = \"line-one-part\nline-two-part\";";
    let report = scan(src);
    assert_eq!(
        report.findings[0].masked_line,
        "const JWT_SECRET: &str = \"*************\n*************\";"
    );
    assert_redacted(&report, "line-one-part");
    assert_redacted(&report, "line-two-part");
}

/// The finding's shown line(s), as in the source, and the highlighted text of the masked line.
#[track_caller]
fn shown(src: &str, f: &Finding) -> (String, String) {
    let lines: Vec<&str> = src.lines().collect();
    let count = f.masked_line.lines().count();
    let original = lines[f.line - 1..f.line - 1 + count].join("\n");
    assert_eq!(
        original.chars().count(),
        f.masked_line.chars().count(),
        "masking keeps the length"
    );
    let highlighted = f
        .masked_line
        .chars()
        .skip(f.highlight.start)
        .take(f.highlight.len())
        .collect();
    (original, highlighted)
}

/// Issue 7, item 7: a test-only literal next to a finding was shown in clear.
#[test]
fn a_test_literal_on_a_finding_line_is_masked() {
    let src = "#[cfg(test)] const JWT_SECRET: &str = \"Te1aQw9zXcVbNm\"; const APP_SECRET: &str = \"Te2bRt8yVbNmQa\";\n";
    let report = scan(src);
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!(
        f.masked_line,
        "#[cfg(test)] const JWT_SECRET: &str = \"**************\"; const APP_SECRET: &str = \"**************\";"
    );
    assert_eq!(shown(src, f).1, "\"**************\"");
    assert_eq!(f.column, 82);
    assert_redacted(&report, "Te1aQw9zXcVbNm");
    assert_redacted(&report, "Te2bRt8yVbNmQa");
}

/// Every literal on a shown line is masked, whatever its kind and whether or not a
/// rule looked at it; the highlight still covers exactly the flagged literal.
#[test]
fn every_literal_kind_on_a_shown_line_is_masked() {
    let cases = [
        // A raw string, a byte string and a C string in test code.
        (
            "#[cfg(test)] const K: &str = r#\"Rw5xQp8zLm3v\"#; const JWT_SECRET: &str = \"Sb7nKq2wXe9r\";",
            "#[cfg(test)] const K: &str = r#\"************\"#; const JWT_SECRET: &str = \"************\";",
            &["Rw5xQp8zLm3v", "Sb7nKq2wXe9r"][..],
        ),
        (
            "const JWT_SECRET: &str = \"Sb7nKq2wXe9r\"; #[test] fn t() { Hmac::new_from_slice(b\"By4tGh6jKl1m\"); c\"Cs3dFg5hJk7l\"; }",
            "const JWT_SECRET: &str = \"************\"; #[test] fn t() { Hmac::new_from_slice(b\"************\"); c\"************\"; }",
            &["Sb7nKq2wXe9r", "By4tGh6jKl1m", "Cs3dFg5hJk7l"][..],
        ),
        // A constructor no rule knows, characters, and a key as a byte array.
        (
            "let k = Keys::new(b\"Uk8vNm2cXz4q\"); let jwt_secret = \"Sb7nKq2wXe9r\"; let c = 'Q';",
            "let k = Keys::new(b\"************\"); let jwt_secret = \"************\"; let c = '*';",
            &["Uk8vNm2cXz4q", "Sb7nKq2wXe9r"][..],
        ),
        (
            "#[cfg(test)] const K: [u8; 4] = [0x73, 0x65, 0x63, 0x72]; const JWT_SECRET: &[u8] = br\"Sb7nKq2wXe9r\";",
            "#[cfg(test)] const K: [u8; *] = [****, ****, ****, ****]; const JWT_SECRET: &[u8] = br\"************\";",
            &["0x73", "Sb7nKq2wXe9r"][..],
        ),
    ];
    for (src, want, secrets) in cases {
        let report = scan(src);
        assert_eq!(report.findings.len(), 1, "{src}");
        let f = &report.findings[0];
        assert_eq!(f.masked_line, want);
        let (_, highlighted) = shown(src, f);
        assert!(
            highlighted
                .trim_start_matches(['b', 'r', '#'])
                .starts_with("\"*")
                && highlighted.ends_with("*\""),
            "{highlighted}"
        );
        for secret in secrets {
            assert_redacted(&report, secret);
        }
    }
}

#[test]
fn literals_spanning_into_or_out_of_a_shown_line_are_masked() {
    // The finding's line holds the start of another literal, and the end of a third.
    let src = "let a = \"Ab1cDe2fGh3i\nJk4lMn5oPq6r\"; const JWT_SECRET: &str = \"Sb7nKq2wXe9r\"; let b = \"St7uVw8xYz9a\nBc0dEf1gHi2j\";\n";
    let report = scan(src);
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!(f.line, 2);
    assert_eq!(
        f.masked_line,
        "************\"; const JWT_SECRET: &str = \"************\"; let b = \"************"
    );
    assert_eq!(shown(src, f).1, "\"************\"");
    for secret in ["Jk4lMn5oPq6r", "Sb7nKq2wXe9r", "St7uVw8xYz9a"] {
        assert_redacted(&report, secret);
    }
    // A flagged literal spanning lines, with a test-only literal on its last line.
    let src = "const JWT_SECRET: &str = \"Ab1cDe2fGh3i\nJk4lMn5oPq6r\"; #[cfg(test)] const T: &str = \"St7uVw8xYz9a\";";
    let report = scan(src);
    let f = &report.findings[0];
    assert_eq!(
        f.masked_line,
        "const JWT_SECRET: &str = \"************\n************\"; #[cfg(test)] const T: &str = \"************\";"
    );
    assert_eq!(shown(src, f).1, "\"************\n************\"");
    assert_redacted(&report, "St7uVw8xYz9a");
}

#[test]
fn two_findings_on_one_line_each_highlight_their_own_literal() {
    let src =
        "const JWT_SECRET: &str = \"Ab1cDe2fGh3i\"; const APP_SECRET: &[u8] = b\"Jk4lMn5oPq6r99\";";
    let report = scan(src);
    assert_eq!(report.findings.len(), 2);
    let masked =
        "const JWT_SECRET: &str = \"************\"; const APP_SECRET: &[u8] = b\"**************\";";
    let highlighted: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            assert_eq!(f.masked_line, masked);
            shown(src, f).1
        })
        .collect();
    assert_eq!(highlighted, ["\"************\"", "b\"**************\""]);
    assert_redacted(&report, "Ab1cDe2fGh3i");
    assert_redacted(&report, "Jk4lMn5oPq6r99");
}

#[test]
fn a_suppressed_finding_next_to_a_live_one_is_masked_too() {
    let src = "fn k() { EncodingKey::from_secret(b\"Kk7vBn3mQw9e\"); const APP_SECRET: &str = \"Ab1cDe2fGh3i\"; } // jwt-guard: allow(key-literal) public test vector";
    let report = scan(src);
    assert_eq!(report.suppressed, 1);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].rule, Rule::SecretBinding);
    assert_eq!(
        report.findings[0].masked_line,
        "fn k() { EncodingKey::from_secret(b\"************\"); const APP_SECRET: &str = \"************\"; } // jwt-guard: allow(key-literal) public test vector"
    );
    assert_redacted(&report, "Kk7vBn3mQw9e");
    assert_redacted(&report, "Ab1cDe2fGh3i");
}

#[test]
fn an_invalid_suppression_line_masks_its_literals() {
    let src = "let t = Keys::new(b\"Uk8vNm2cXz4q\"); // jwt-guard: allow(secret-binding)\nconst JWT_SECRET: &str = \"Ab1cDe2fGh3i\";";
    let report = scan(src);
    let rules: Vec<Rule> = report.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [Rule::InvalidSuppression, Rule::SecretBinding]);
    assert_redacted(&report, "Uk8vNm2cXz4q");
    assert_redacted(&report, "Ab1cDe2fGh3i");
}

#[test]
fn columns_count_characters_not_bytes() {
    let src = "/* é */ const JWT_SECRET: &str = \"ünïcödé-secret\";";
    let f = &scan(src).findings[0];
    assert_eq!(f.column, 34);
    let hl: String = f
        .masked_line
        .chars()
        .skip(f.highlight.start)
        .take(f.highlight.len())
        .collect();
    assert_eq!(hl, "\"**************\"");
}

#[test]
fn human_rendering_has_the_rustc_shape() {
    let src = "fn k() {\n    let key = EncodingKey::from_secret(b\"dev-secret\");\n}";
    let out = scan(src).render_human();
    let want = "\
error: hardcoded JWT secret [key-literal]
 --> src/lib.rs:2:40
  |
2 |     let key = EncodingKey::from_secret(b\"**********\");
  |                                        ^^^^^^^^^^^^^ this literal is used as an HMAC signing key
  |
  = help: load it at start-up instead: #[jwt_secret_env] or JwtSecret::from_env()
  = note: suppress with `// jwt-guard: allow(key-literal) <reason>` on this line or the line above
";
    assert!(out.starts_with(want), "got:\n{out}");
    let styled = scan(src).render_human_styled();
    assert!(styled.contains("\u{1b}[") && styled.contains("hardcoded JWT secret"));
    assert!(
        out.ends_with("jwt-guard: 1 file scanned, 1 finding, 0 suppressed, 0 errors\n"),
        "got:\n{out}"
    );
}

mod collections;
mod config_text;
mod long_tail;

/// A string key long or odd enough to be the secret itself is not quoted in a message;
/// a name-shaped key is.
#[test]
fn messages_quote_only_name_shaped_keys() {
    let odd = "my-app-secret-for-signing-tokens-2024";
    let src = format!("fn f() {{ m.insert(\"{odd}\", \"Xq7pLm2vRt9sWk4b\"); }}");
    let report = scan(&src);
    assert_eq!(report.findings.len(), 1, "{report:?}");
    assert!(
        !report.findings[0].message.contains(odd),
        "{}",
        report.findings[0].message
    );
    assert!(!report.render_human().contains(odd));
    let named = scan("fn f() { m.insert(\"jwt_secret\", \"Xq7pLm2vRt9sWk4b\"); }");
    assert!(
        named.findings[0].message.contains("`jwt_secret`"),
        "{:?}",
        named.findings
    );
}
