//! `#[jwt_secret_env]` structs loaded through `from_lookup`: every field kind, every
//! argument enforced, every problem in one error, and no value in any message.
#![allow(clippy::unwrap_used)]
// Some structs exist only to be loaded: not every field is read.
#![allow(dead_code)]

use jwt_guard_tests::{assert_no_leak, env as vars};
use std::ffi::OsString;

use jwt_guard::{Error, JwtSecret, SecretPolicy, Violation, jwt_secret_env};

// Random alphanumerics holding no insecure word (checked in `fixtures_are_good_secrets`).
const GOOD_32: &str = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oO";
const GOOD_48: &str = "OL8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7D";
const GOOD_64: &str = "xtpYlSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rESQedUStPK";
const GOOD_80: &str =
    "R0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2G8NP";

fn rule_ids(error: &Error) -> Vec<&'static str> {
    match error {
        Error::Rejected { rejection, .. } => {
            rejection.violations().iter().map(Violation::id).collect()
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[jwt_secret_env]
#[derive(Debug)]
struct Service {
    jwt_secret: JwtSecret,
    #[env(var = "PORT", default = "8080")]
    port: u16,
    #[env(default = 30)]
    timeout_secs: u64,
    #[env(default = false)]
    debug: bool,
    /// No attribute: read from `DATABASE_URL`, required.
    database_url: String,
    /// `Option`: `None` when `LOG_LEVEL` is unset.
    log_level: Option<String>,
    #[env(var = "APP_REPLICAS")]
    replicas: Option<u8>,
}

const SERVICE_VARS: [(&str, &str); 2] = [
    ("JWT_SECRET", GOOD_32),
    ("DATABASE_URL", "postgres://db/app"),
];

#[test]
fn fixtures_are_good_secrets() {
    for secret in [GOOD_32, GOOD_48, GOOD_64, GOOD_80] {
        assert!(
            SecretPolicy::default().check(secret.as_bytes()).is_ok(),
            "{secret}"
        );
    }
}

#[test]
fn loads_every_field_kind() {
    let service = Service::from_lookup(vars(&[
        ("JWT_SECRET", GOOD_32),
        ("PORT", "9000"),
        ("TIMEOUT_SECS", "5"),
        ("DEBUG", "true"),
        ("DATABASE_URL", "postgres://db/app"),
        ("LOG_LEVEL", "debug"),
        ("APP_REPLICAS", "3"),
    ]))
    .unwrap();
    assert_eq!(service.jwt_secret.expose_secret(), GOOD_32.as_bytes());
    assert_eq!(service.port, 9000);
    assert_eq!(service.timeout_secs, 5);
    assert!(service.debug);
    assert_eq!(service.database_url, "postgres://db/app");
    assert_eq!(service.log_level.as_deref(), Some("debug"));
    assert_eq!(service.replicas, Some(3));
}

#[test]
fn defaults_apply_when_unset_and_options_are_none() {
    let service = Service::from_lookup(vars(&SERVICE_VARS)).unwrap();
    assert_eq!(service.port, 8080);
    assert_eq!(service.timeout_secs, 30);
    assert!(!service.debug);
    assert_eq!(service.log_level, None);
    assert_eq!(service.replicas, None);
}

#[test]
fn a_field_without_attribute_reads_its_name_in_screaming_snake_case_and_is_required() {
    let error =
        Service::from_lookup(vars(&[("JWT_SECRET", GOOD_32), ("database_url", "x")])).unwrap_err();
    assert!(
        matches!(&error, Error::Missing { var } if var == "DATABASE_URL"),
        "{error:?}"
    );

    #[jwt_secret_env]
    struct Raw {
        jwt_secret: JwtSecret,
        r#type: String,
    }
    let raw = Raw::from_lookup(vars(&[("JWT_SECRET", GOOD_32), ("TYPE", "worker")])).unwrap();
    assert_eq!(raw.r#type, "worker");
    assert_eq!(raw.jwt_secret.expose_secret(), GOOD_32.as_bytes());
}

#[test]
fn an_unparsable_value_names_the_variable_and_the_field() {
    let mut pairs = SERVICE_VARS.to_vec();
    pairs.push(("APP_REPLICAS", "many"));
    let error = Service::from_lookup(vars(&pairs)).unwrap_err();
    assert!(
        matches!(&error, Error::Parse { var, field, .. } if var == "APP_REPLICAS" && field == "replicas"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "failed to parse environment variable APP_REPLICAS into field `replicas`"
    );
}

#[test]
fn an_invalid_default_is_reported_like_a_value() {
    #[jwt_secret_env]
    struct BadDefault {
        jwt_secret: JwtSecret,
        #[env(default = "eighty")]
        port: u16,
    }
    let error = BadDefault::from_lookup(vars(&[("JWT_SECRET", GOOD_32)]))
        .err()
        .unwrap();
    assert!(
        matches!(&error, Error::Parse { var, .. } if var == "PORT"),
        "{error:?}"
    );
    assert!(BadDefault::from_lookup(vars(&[("JWT_SECRET", GOOD_32), ("PORT", "1")])).is_ok());
}

#[test]
fn the_attribute_var_renames_the_secret_variable() {
    #[jwt_secret_env(var = "APP_JWT_SECRET")]
    struct Renamed {
        key: JwtSecret,
    }
    let error = Renamed::from_lookup(vars(&[("JWT_SECRET", GOOD_32)]))
        .err()
        .unwrap();
    assert!(
        matches!(&error, Error::Missing { var } if var == "APP_JWT_SECRET"),
        "{error:?}"
    );
    let renamed = Renamed::from_lookup(vars(&[("APP_JWT_SECRET", GOOD_48)])).unwrap();
    assert_eq!(renamed.key.expose_secret(), GOOD_48.as_bytes());
}

#[jwt_secret_env(deny = ["acme"])]
struct Tokens {
    #[jwt_secret(var = "ACCESS_TOKEN_SECRET")]
    access: JwtSecret,
    #[jwt_secret(var = "REFRESH_TOKEN_SECRET", alg = "HS512", deny = ["initech"])]
    refresh: JwtSecret,
}

#[test]
fn several_secrets_load_each_from_its_variable_with_its_policy() {
    let tokens = Tokens::from_lookup(vars(&[
        ("ACCESS_TOKEN_SECRET", GOOD_32),
        ("REFRESH_TOKEN_SECRET", GOOD_64),
    ]))
    .unwrap();
    assert_eq!(tokens.access.expose_secret(), GOOD_32.as_bytes());
    assert_eq!(tokens.refresh.expose_secret(), GOOD_64.as_bytes());

    // HS512 applies to `refresh` only.
    let error = Tokens::from_lookup(vars(&[
        ("ACCESS_TOKEN_SECRET", GOOD_48),
        ("REFRESH_TOKEN_SECRET", GOOD_48),
    ]))
    .err()
    .unwrap();
    assert!(
        matches!(&error, Error::Rejected { var, .. } if var == "REFRESH_TOKEN_SECRET"),
        "{error:?}"
    );
    assert_eq!(rule_ids(&error), ["too-short"]);
}

#[test]
fn deny_words_add_up_from_the_struct_and_the_field() {
    let with_acme = format!("{}ACME", &GOOD_64[..60]);
    let with_initech = format!("{}InItEcH", &GOOD_64[..57]);
    // The struct's word applies to both fields, the field's word only to its own.
    let error = Tokens::from_lookup(vars(&[
        ("ACCESS_TOKEN_SECRET", &with_initech),
        ("REFRESH_TOKEN_SECRET", &with_acme),
    ]))
    .err()
    .unwrap();
    assert!(
        matches!(&error, Error::Rejected { var, .. } if var == "REFRESH_TOKEN_SECRET"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("contains the insecure word \"acme\""),
        "{error}"
    );
    let error = Tokens::from_lookup(vars(&[
        ("ACCESS_TOKEN_SECRET", GOOD_32),
        ("REFRESH_TOKEN_SECRET", &with_initech),
    ]))
    .err()
    .unwrap();
    assert!(
        error
            .to_string()
            .contains("contains the insecure word \"initech\""),
        "{error}"
    );
}

#[test]
fn min_len_is_enforced() {
    #[jwt_secret_env(min_len = 48)]
    struct Long {
        jwt_secret: JwtSecret,
    }
    let error = Long::from_lookup(vars(&[("JWT_SECRET", GOOD_32)]))
        .err()
        .unwrap();
    assert_eq!(rule_ids(&error), ["too-short"]);
    assert!(
        error
            .to_string()
            .contains("too short (32 bytes, at least 48 required)"),
        "{error}"
    );
    assert!(Long::from_lookup(vars(&[("JWT_SECRET", GOOD_48)])).is_ok());
}

#[test]
fn alg_raises_the_minimum_length() {
    #[jwt_secret_env(alg = "HS384")]
    struct Hs384 {
        jwt_secret: JwtSecret,
    }
    #[jwt_secret_env(alg = "HS512", min_len = 80)]
    struct Hs512Longer {
        jwt_secret: JwtSecret,
    }
    assert_eq!(
        rule_ids(
            &Hs384::from_lookup(vars(&[("JWT_SECRET", GOOD_32)]))
                .err()
                .unwrap()
        ),
        ["too-short"]
    );
    assert!(Hs384::from_lookup(vars(&[("JWT_SECRET", GOOD_48)])).is_ok());
    let error = Hs512Longer::from_lookup(vars(&[("JWT_SECRET", GOOD_64)]))
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("at least 80 required"),
        "{error}"
    );
    assert!(Hs512Longer::from_lookup(vars(&[("JWT_SECRET", GOOD_80)])).is_ok());
}

#[test]
fn the_default_policy_applies_without_arguments() {
    for (secret, rule) in [
        ("short", "too-short"),
        ("your-256-bit-secret-your-256-bit-secret", "insecure-word"),
        (&"0123".repeat(8), "low-diversity"),
        (&format!(" {GOOD_32}"), "whitespace"),
    ] {
        let error = Service::from_lookup(vars(&[("JWT_SECRET", secret), ("DATABASE_URL", "x")]))
            .err()
            .unwrap();
        assert!(rule_ids(&error).contains(&rule), "{secret}: {error}");
    }
}

#[test]
fn every_problem_is_reported_in_one_error_in_field_order() {
    let weak = "Zq4Lw9Tn2devRb5M";
    let error = Service::from_lookup(vars(&[
        ("JWT_SECRET", weak),
        ("PORT", "eighty"),
        ("APP_REPLICAS", "-1"),
    ]))
    .err()
    .unwrap();
    let Error::Several(errors) = &error else {
        panic!("expected every problem, got {error:?}");
    };
    assert_eq!(errors.len(), 4, "{error}");
    assert_eq!(
        error.vars(),
        ["JWT_SECRET", "PORT", "DATABASE_URL", "APP_REPLICAS"]
    );
    let message = error.to_string();
    assert!(
        message.starts_with("4 configuration problems:"),
        "{message}"
    );
    for expected in [
        "JWT_SECRET is rejected: too short (16 bytes, at least 32 required); contains the insecure word \"dev\"",
        "failed to parse environment variable PORT into field `port`",
        "DATABASE_URL is not set",
        "failed to parse environment variable APP_REPLICAS into field `replicas`",
    ] {
        assert!(
            message.contains(expected),
            "missing {expected:?} in {message}"
        );
    }
    assert_no_leak(&message, weak, "message");
}

#[test]
fn no_message_reveals_the_secret() {
    let near_misses = [
        "Zq4Lw9Tn2devRb5M",                      // short, with a word
        "Zq4Lw9Tn2Vx7Rb5Mc8Hp3Ja6Fs1Gd0EkAdmin", // long enough, with a word
        "q7Vt9xLw2Rm4Zp8N\tc3Hs6Gb1Jf5Yk0UdE",   // a control character
        "abcdabcdabcdabcdabcdabcdabcdabcdabcd",  // low diversity
    ];
    for secret in near_misses {
        let error = Service::from_lookup(vars(&[("JWT_SECRET", secret), ("PORT", "x")]))
            .err()
            .unwrap();
        assert_eq!(error.vars()[0], "JWT_SECRET");
        for output in [error.to_string(), format!("{error:?}"), error.with_causes()] {
            assert_no_leak(&output, secret, "output");
        }
    }
    let loaded = Service::from_lookup(vars(&SERVICE_VARS)).unwrap();
    assert_no_leak(&format!("{loaded:?}"), GOOD_32, "Debug");
    assert!(format!("{loaded:?}").contains("jwt_secret: JwtSecret(<redacted>)"));
}

#[test]
fn a_missing_or_empty_secret_names_its_variable() {
    let error = Service::from_lookup(vars(&[("DATABASE_URL", "x")]))
        .err()
        .unwrap();
    assert!(
        matches!(&error, Error::Missing { var } if var == "JWT_SECRET"),
        "{error:?}"
    );
    let error = Service::from_lookup(vars(&[("JWT_SECRET", ""), ("DATABASE_URL", "x")]))
        .err()
        .unwrap();
    assert!(
        matches!(&error, Error::Empty { var } if var == "JWT_SECRET"),
        "{error:?}"
    );
}

#[test]
fn the_secret_can_come_from_the_file_named_by_the_file_variable() {
    let path = std::env::temp_dir().join(format!("jwt-guard-macro-test-{}", std::process::id()));
    std::fs::write(&path, format!("{GOOD_48}\n")).unwrap();
    let result = Service::from_lookup(vars(&[
        ("JWT_SECRET_FILE", path.to_str().unwrap()),
        ("DATABASE_URL", "x"),
    ]));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        result.unwrap().jwt_secret.expose_secret(),
        GOOD_48.as_bytes()
    );
}

#[cfg(unix)]
#[test]
fn a_value_that_is_not_utf8_names_its_variable() {
    use std::os::unix::ffi::OsStringExt;
    let not_utf8 = OsString::from_vec(vec![b'8', 0xff, b'0']);
    let mut lookup = vars(&SERVICE_VARS);
    let error = Service::from_lookup(|name| {
        if name == "PORT" {
            Some(not_utf8.clone())
        } else {
            lookup(name)
        }
    })
    .err()
    .unwrap();
    assert!(
        matches!(&error, Error::NotUnicode { var } if var == "PORT"),
        "{error:?}"
    );
}

#[test]
fn from_lookup_asks_only_for_the_struct_variables() {
    let mut asked = Vec::new();
    let _ = Tokens::from_lookup(|name| {
        asked.push(name.to_owned());
        None
    });
    asked.retain(|name| name != "CREDENTIALS_DIRECTORY");
    assert_eq!(
        asked,
        [
            "ACCESS_TOKEN_SECRET",
            "ACCESS_TOKEN_SECRET_FILE",
            "REFRESH_TOKEN_SECRET",
            "REFRESH_TOKEN_SECRET_FILE"
        ]
    );
}
