//! A secret rejected while loading a `#[jwt_secret_env]` struct is logged as a
//! security warning through `log`: the variable and the rule ids, never the value.
//! (One test per file: the logger is global to the process.)
#![allow(clippy::unwrap_used)]

use jwt_guard::{JwtSecret, jwt_secret_env};
use jwt_guard_tests::{assert_no_leak, capture_logs, captured_logs};

#[jwt_secret_env]
#[allow(dead_code)]
struct Config {
    jwt_secret: JwtSecret,
}

#[test]
fn a_rejected_secret_is_logged_without_its_value() {
    capture_logs();
    let secret = "Zq4Lw9Tn2Vx7Rb5Mc8Hp3Ja6Fs1Gd0EkAdmin";
    let result = Config::from_lookup(|name| (name == "JWT_SECRET").then(|| secret.into()));
    assert!(result.is_err());

    // Each record is `LEVEL target: message`.
    let records = captured_logs();
    let security_warning = format!("WARN {}: ", jwt_guard::LOG_TARGET);
    let warning = records
        .iter()
        .find_map(|record| record.strip_prefix(&security_warning))
        .unwrap_or_else(|| panic!("no security warning in {records:?}"));
    assert!(warning.contains("JWT_SECRET"), "{warning}");
    assert!(warning.contains("insecure-word"), "{warning}");
    for record in &records {
        assert_no_leak(record, secret, "log record");
    }
}
