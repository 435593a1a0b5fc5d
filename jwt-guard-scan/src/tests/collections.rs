//! Issue 11: key material in collections (a key id -> secret map, a list of pairs) bound
//! to a secret-named slot or given to a secret-named parameter. Every value here is
//! written for these tests.

use super::long_tail::{crate_findings, write_crate};
use super::*;

#[test]
fn each_value_of_a_fixed_map_bound_to_a_secret_slot_is_flagged_on_its_line() {
    let shapes = [
        "fn k() {\n    let jwt_secrets = HashMap::from([\n        (1_u64, \"kid-one-Zq81x\".to_string()),\n        (2_u64, \"kid-two-Pw27y\".to_string()),\n    ]);\n}",
        "fn k() {\n    let signing_keys = BTreeMap::from_iter([\n        (\"k1\", b\"kid-one-Zq81x\".to_vec()),\n        (\"k2\", b\"kid-two-Pw27y\".to_vec()),\n    ]);\n}",
        "fn k() {\n    let hmac_keys: HashMap<_, _> = [\n        (\"k1\", \"kid-one-Zq81x\"),\n        (\"k2\", \"kid-two-Pw27y\"),\n    ].into_iter().collect();\n}",
        "fn k() -> Config {\n    Config { jwt_secrets: vec![\n            (1, String::from(\"kid-one-Zq81x\")),\n            (2, String::from(\"kid-two-Pw27y\")),\n        ] }\n}",
    ];
    for src in shapes {
        assert_eq!(
            found(src),
            [(Rule::SecretBinding, 3), (Rule::SecretBinding, 4)],
            "{src}"
        );
        assert_redacted(&scan(src), "kid-one-Zq81x");
        assert_redacted(&scan(src), "kid-two-Pw27y");
    }
}

#[test]
fn a_fixed_map_given_to_a_secret_named_parameter_is_flagged_on_its_lines() {
    // The map's values reach the keys through a closure: the parameter's name says
    // what it holds.
    let src = "struct AuthConfig { keys: Vec<DecodingKey> }
impl AuthConfig {
    pub fn new(jwt_secrets: HashMap<u64, String>) -> Self {
        let keys = jwt_secrets.values().map(|s| DecodingKey::from_secret(s.as_bytes())).collect();
        Self { keys }
    }
}
fn config() -> AuthConfig {
    AuthConfig::new(HashMap::from([
        (1_u64, \"rotating-one-Zq81x\".to_string()),
        (2_u64, \"rotating-two-Pw27y\".to_string()),
    ]))
}";
    assert_eq!(
        found(src),
        [(Rule::SecretBinding, 10), (Rule::SecretBinding, 11)]
    );
    // A plain literal to such a parameter, through `Self::` and a free function.
    let src = "struct Signer;
impl Signer {
    fn with_secret(name: &str, signing_secret: &str) -> Self { Signer }
    fn dev() -> Self { Self::with_secret(\"dev\", \"plain-literal-Hk3\") }
}
fn install(realm: &str, hmac_key: &[u8]) {}
fn main() { install(\"realm\", b\"free-fn-literal-Qj9\"); }";
    assert_eq!(
        found(src),
        [(Rule::SecretBinding, 4), (Rule::SecretBinding, 7)]
    );
}

#[test]
fn a_map_given_to_a_secret_named_parameter_of_another_file_is_flagged_where_it_is_written() {
    let tmp = write_crate(&[
        (
            "src/keys.rs",
            "pub struct KeyStore;\nimpl KeyStore {\n    pub fn new(signing_keys: Vec<(String, Vec<u8>)>) -> Self { KeyStore }\n}\n",
        ),
        (
            "src/main.rs",
            "mod keys;\nfn main() {\n    let store = keys::KeyStore::new(vec![\n        (\"2024\".into(), b\"store-key-Ty6n\".to_vec()),\n    ]);\n}\n",
        ),
    ]);
    let (report, got) = crate_findings(&tmp);
    assert_eq!(got, [("src/main.rs".to_owned(), Rule::SecretBinding, 4)]);
    assert_redacted(&report, "store-key-Ty6n");
}

#[test]
fn maps_of_names_config_headers_and_messages_are_quiet() {
    // Not a secret slot: config, headers, messages.
    clean(
        "fn c() {\n    let headers = HashMap::from([(\"accept\", \"application/json\"), (\"x-trace\", \"on\")]);\n}",
    );
    clean(
        "fn c() {\n    let errors: HashMap<_, _> = [(401, \"token expired\"), (403, \"forbidden\")].into_iter().collect();\n}",
    );
    clean(
        "fn c(settings: Settings) {\n    Settings::new(HashMap::from([(\"port\", \"8080\"), (\"host\", \"localhost\")]));\n}",
    );
    // A secret-named slot holding variable names, paths or masks.
    clean(
        "fn c() {\n    let secret_vars = HashMap::from([(\"jwt\", \"JWT_SECRET\"), (\"db\", \"DB_SECRET\")]);\n}",
    );
    clean("fn c() {\n    let secret_files = vec![(\"jwt\", \"/run/secrets/jwt\")];\n}");
    clean(
        "fn c() {\n    let masked_secrets = HashMap::from([(1, \"****\"), (2, \"[redacted]\")]);\n}",
    );
    // A list of plain names is not a map of values.
    clean("const SECRET_KEYS: &[&str] = &[\"password\", \"token\", \"client_secret\"];");
    // Values filled at run time.
    clean(
        "fn c(a: String) {\n    let jwt_secrets = HashMap::from([(1, a.clone()), (2, std::env::var(\"K\").unwrap())]);\n}",
    );
    // A getter's parameter says where the secret is, not what it is.
    clean(
        "fn read_secret(secret_env: &str) -> String { String::new() }\nfn get_secret(jwt_secret: &str) {}\nfn m() { read_secret(\"JWT\"); get_secret(\"vault/jwt\"); }",
    );
}

#[test]
fn an_entry_added_to_a_secret_named_collection_is_flagged() {
    flags(
        "fn k() {\n    let mut jwt_secrets = HashMap::new();\n    jwt_secrets.insert(7, \"inserted-Wd4m\".to_string());\n}",
        Rule::SecretBinding,
        3,
        "inserted-Wd4m",
    );
    flags(
        "impl S {\n    fn add(&mut self) {\n        self.signing_keys.push((\"kid\", b\"pushed-Rb7c\".to_vec()));\n    }\n}",
        Rule::SecretBinding,
        3,
        "pushed-Rb7c",
    );
    // Another collection, a runtime value, a variable name.
    clean(
        "fn k(v: String) {\n    headers.insert(\"x-api\", \"on\");\n    jwt_secrets.insert(1, v);\n    secret_names.push(\"JWT_SECRET\");\n}",
    );
}
