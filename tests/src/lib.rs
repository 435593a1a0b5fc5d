//! Helpers shared by jwt-guard's integration tests.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::sync::{Mutex, OnceLock};

/// A lookup closure over fixed variables, standing in for the process environment.
pub fn env(vars: &[(&str, &str)]) -> impl FnMut(&str) -> Option<OsString> + use<> {
    let vars: HashMap<String, OsString> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
        .collect();
    move |name| vars.get(name).cloned()
}

/// Fails when `haystack` contains `secret` or any 8-byte window of it.
pub fn assert_no_leak(haystack: &str, secret: &str, what: &str) {
    let secret = secret.as_bytes();
    let windows: Vec<&[u8]> = if secret.len() <= 8 {
        vec![secret]
    } else {
        secret.windows(8).collect()
    };
    for window in windows {
        let shown = String::from_utf8_lossy(window);
        assert!(
            !haystack
                .as_bytes()
                .windows(window.len())
                .any(|w| w == window),
            "{what} leaks the secret window {shown:?}:\n{haystack}"
        );
    }
}

/// Every log record of this test binary, as `LEVEL target: message`.
pub fn captured_logs() -> Vec<String> {
    logger().records.lock().unwrap().clone()
}

/// Installs the capturing logger (once per test binary).
pub fn capture_logs() {
    let logger = logger();
    // Another test of the same binary may have installed it already.
    let _ = log::set_logger(logger);
    log::set_max_level(log::LevelFilter::Trace);
}

struct Capture {
    records: Mutex<Vec<String>>,
}

fn logger() -> &'static Capture {
    static LOGGER: OnceLock<Capture> = OnceLock::new();
    LOGGER.get_or_init(|| Capture {
        records: Mutex::new(Vec::new()),
    })
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        self.records.lock().unwrap().push(line);
    }

    fn flush(&self) {}
}
