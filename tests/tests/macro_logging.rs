//! A secret rejected while loading a `#[jwt_secret_env]` struct is logged as a
//! security warning through `log`: the variable and the rule ids, never the value.
//! (One test per file: the logger is global to the process.)
#![allow(clippy::unwrap_used)]

use std::sync::Mutex;

use jwt_guard::{JwtSecret, jwt_secret_env};
use log::{Level, Log, Metadata, Record};

static RECORDS: Mutex<Vec<(Level, String, String)>> = Mutex::new(Vec::new());

struct Capture;

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &Record<'_>) {
        let entry = (
            record.level(),
            record.target().to_owned(),
            record.args().to_string(),
        );
        RECORDS.lock().unwrap().push(entry);
    }
    fn flush(&self) {}
}

#[jwt_secret_env]
#[allow(dead_code)]
struct Config {
    jwt_secret: JwtSecret,
}

#[test]
fn a_rejected_secret_is_logged_without_its_value() {
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let secret = "Zq4Lw9Tn2Vx7Rb5Mc8Hp3Ja6Fs1Gd0EkAdmin";
    let result = Config::from_lookup(|name| (name == "JWT_SECRET").then(|| secret.into()));
    assert!(result.is_err());

    let records = RECORDS.lock().unwrap();
    let warning = records
        .iter()
        .find(|(level, target, _)| *level == Level::Warn && target == jwt_guard::LOG_TARGET)
        .unwrap_or_else(|| panic!("no security warning in {records:?}"));
    assert!(warning.2.contains("JWT_SECRET"), "{}", warning.2);
    assert!(warning.2.contains("insecure-word"), "{}", warning.2);
    for (_, _, message) in records.iter() {
        for window in secret.as_bytes().windows(8) {
            assert!(
                !message.as_bytes().windows(8).any(|part| part == window),
                "{message}"
            );
        }
    }
}
