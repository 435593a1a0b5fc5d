//! Issue 11: configuration text (JSON, TOML, YAML, .env) inside a Rust string literal.
//! Every value here is written for these tests.

use super::*;

#[test]
fn a_secret_in_config_text_held_by_a_literal_is_flagged_on_the_value_s_line() {
    let shapes = [
        // serde_json on a raw string, the value on the literal's line.
        (
            "fn c() -> Config {\n    serde_json::from_str(r#\"{\"jwt_secret\": \"json-raw-Vb82q\"}\"#).unwrap()\n}",
            2,
            "json-raw-Vb82q",
        ),
        // A multi-line raw string: the value's own line.
        (
            "const CONFIG: &str = r#\"{\n  \"port\": 8080,\n  \"auth\": { \"signing_key\": \"json-nested-Lq71\" }\n}\"#;",
            3,
            "json-nested-Lq71",
        ),
        // A key id -> secret map under a secret-named key.
        (
            "fn c() {\n    let j = r#\"{\"jwt_secrets\": {\"2024\": \"json-map-Ue5c\"}}\"#;\n}",
            2,
            "json-map-Ue5c",
        ),
        // Escaped JSON in a plain string: the literal's line.
        (
            "fn c() {\n    let j = \"{\\\"jwt_secret\\\": \\\"json-escaped-Mk3\\\"}\";\n}",
            2,
            "json-escaped-Mk3",
        ),
        // config-rs and figment with TOML text.
        (
            "fn c() {\n    let s = File::from_str(\"jwt_secret = 'toml-inline-Hy64'\", FileFormat::Toml);\n}",
            2,
            "toml-inline-Hy64",
        ),
        (
            "fn c() {\n    Figment::new().merge(Toml::string(r#\"\n[auth]\nport = 1\njwt_secret = \"toml-section-Gr5\"\n\"#));\n}",
            5,
            "toml-section-Gr5",
        ),
        // YAML and .env text.
        (
            "const Y: &str = \"server:\\n  port: 80\\njwt:\\n  secret: yaml-text-Pp09\\n\";",
            1,
            "yaml-text-Pp09",
        ),
        (
            "fn c() {\n    let env = \"PORT=80\\nJWT_SECRET=dotenv-text-Ww2\\n\";\n}",
            2,
            "dotenv-text-Ww2",
        ),
    ];
    for (src, line, secret) in shapes {
        assert_eq!(found(src), [(Rule::ConfigSecret, line)], "{src}");
        assert_redacted(&scan(src), secret);
    }
}

#[test]
fn references_placeholders_schemas_messages_and_tests_are_quiet() {
    // References and placeholders.
    clean("const C: &str = r#\"{\"jwt_secret\": \"${JWT_SECRET}\"}\"#;");
    clean("const C: &str = \"JWT_SECRET=$JWT_SECRET\";");
    clean("const C: &str = r#\"{\"jwt_secret\": \"\"}\"#;");
    // A JSON schema describing the key, and other keys' values.
    clean(
        "const SCHEMA: &str = r#\"{\"properties\": {\"jwt_secret\": {\"type\": \"string\", \"minLength\": 32}}}\"#;",
    );
    clean("const C: &str = r#\"{\"port\": 8080, \"host\": \"api.internal\"}\"#;");
    // Messages and format strings that look like a key and a value.
    clean("fn e() { panic!(\"jwt_secret: must be set to at least 32 bytes\"); }");
    clean("fn e(s: &str) { log!(\"jwt_secret = {}\", s); }");
    clean("fn e() { let m = \"JWT_SECRET is missing, set it in the environment\"; }");
    // Test code is stripped as usual.
    clean(
        "#[cfg(test)]\nmod tests {\n    const C: &str = r#\"{\"jwt_secret\": \"test-only-Zz1\"}\"#;\n}",
    );
}
