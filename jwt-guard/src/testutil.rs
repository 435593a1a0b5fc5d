//! Helpers shared by the unit tests of several modules: fixed secrets, a lookup over a
//! fixed environment, a leak check and a log capture. (Integration tests have theirs in
//! the `jwt-guard-tests` crate.)
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::sync::Mutex;

use crate::{Algorithm, AuthGate, SecretPolicy};

/// Good secrets: 44 bytes (HS256 only), 44 bytes, and 70 bytes (every algorithm).
pub(crate) const CURRENT: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
pub(crate) const PREVIOUS: &str = "RPGlOcyMYWYSDfirIW5GXTN8Oj055Y5lNKmKycgzZ1U6";
pub(crate) const LONG: &str =
    "CblNgUKf289pgxDGALNfeuLmBztNV1JgFJRAf3ZWgdb6NDbl2E24tMS2BCM95LOnm6sLIQ";

/// A lookup over a fixed environment.
pub(crate) fn env(vars: &[(&str, &str)]) -> impl FnMut(&str) -> Option<OsString> + use<> {
    let map: HashMap<String, OsString> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), OsString::from(*v)))
        .collect();
    move |name| map.get(name).cloned()
}

/// A gate over `JWT_SECRET` (and `JWT_SECRET_PREVIOUS`) of `vars`, degraded when they are bad.
pub(crate) fn gate(alg: Algorithm, vars: &[(&str, &str)]) -> AuthGate {
    AuthGate::load_degraded("JWT_SECRET", alg, &SecretPolicy::default(), env(vars))
}

/// Whether any 5 consecutive bytes of `secret` appear in `text`.
pub(crate) fn leaks(secret: &str, text: &str) -> bool {
    secret
        .as_bytes()
        .windows(5)
        .any(|window| text.contains(std::str::from_utf8(window).unwrap()))
}

static LOGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        LOGS.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

/// Starts capturing log lines (once per test process).
pub(crate) fn capture_logs() {
    if log::set_logger(&Capture).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
}

/// Every log line captured so far, from every test of this process, with `needle`.
pub(crate) fn logged(needle: &str) -> Vec<String> {
    LOGS.lock()
        .unwrap()
        .iter()
        .filter(|line| line.contains(needle))
        .cloned()
        .collect()
}
