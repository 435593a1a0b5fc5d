//! Helpers shared by jwt-guard's integration tests.
#![allow(clippy::unwrap_used)]

pub mod harness;

use std::collections::HashMap;
use std::ffi::OsString;
use std::sync::{Mutex, OnceLock};

mod child;
#[cfg(unix)]
pub use child::mkfifo;
pub use child::{DEADLINE, output, output_within, within};

/// A lookup closure over fixed variables, standing in for the process environment.
pub fn env(vars: &[(&str, &str)]) -> impl FnMut(&str) -> Option<OsString> + use<> {
    let vars: HashMap<String, OsString> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
        .collect();
    move |name| vars.get(name).cloned()
}

/// The first `window`-byte run of `secret` (the whole secret when shorter) found in
/// `text`, if any.
pub fn leaked_window<'s>(secret: &'s str, text: &[u8], window: usize) -> Option<&'s [u8]> {
    let secret = secret.as_bytes();
    let window = window.clamp(1, secret.len().max(1));
    secret
        .windows(window)
        .find(|run| text.windows(run.len()).any(|w| w == *run))
}

/// Whether `text` holds any `window`-byte run of `secret`.
pub fn leaks(secret: &str, text: &str, window: usize) -> bool {
    leaked_window(secret, text.as_bytes(), window).is_some()
}

/// Fails when `haystack` contains `secret` or any 8-byte window of it.
pub fn assert_no_leak(haystack: &str, secret: &str, what: &str) {
    if let Some(run) = leaked_window(secret, haystack.as_bytes(), 8) {
        let shown = String::from_utf8_lossy(run);
        panic!("{what} leaks the secret window {shown:?}:\n{haystack}");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_any_window_of_the_secret() {
        assert!(leaks("Vq3x9LmT2pR8", "error: ...x9LmT... rejected", 5));
        assert!(!leaks("Vq3x9LmT2pR8", "error: x9Lm rejected", 5));
        assert!(
            leaks("abc", "xxabcxx", 8),
            "a short secret is searched whole"
        );
        assert_eq!(
            leaked_window("Vq3x9LmT2pR8", b"..T2pR8..", 5),
            Some(&b"T2pR8"[..])
        );
    }

    #[test]
    #[should_panic(expected = "leaks the secret window")]
    fn assert_no_leak_fails_on_a_leak() {
        assert_no_leak("JWT_SECRET=Vq3x9LmT2pR8", "Vq3x9LmT2pR8", "stderr");
    }
}
