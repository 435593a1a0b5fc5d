//! The default policy against real generators and real leaked secrets.
//!
//! Random secrets shaped like the usual generator commands must pass, except when they
//! happen to contain a denied word; every publicly known secret and every repeated
//! pattern must fail. The measured word-rule rates are printed (run with
//! `--nocapture`) and documented in the README.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jwt_guard::{SecretPolicy, Violation};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SAMPLES: usize = 100_000;

type Generator = fn(&mut StdRng) -> String;

fn random_bytes(rng: &mut StdRng, n: usize) -> Vec<u8> {
    let mut bytes = vec![0; n];
    rng.fill(bytes.as_mut_slice());
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const GENERATORS: [(&str, Generator); 5] = [
    ("openssl rand -base64 48", |rng| {
        STANDARD.encode(random_bytes(rng, 48))
    }),
    ("openssl rand -base64 32", |rng| {
        STANDARD.encode(random_bytes(rng, 32))
    }),
    ("openssl rand -hex 32", |rng| hex(&random_bytes(rng, 32))),
    ("openssl rand -hex 16", |rng| hex(&random_bytes(rng, 16))),
    ("head -c 32 /dev/urandom | base64", |rng| {
        STANDARD.encode(random_bytes(rng, 32))
    }),
];

#[test]
fn random_secrets_fail_only_on_the_word_rule() {
    let policy = SecretPolicy::default();
    for (seed, (name, generate)) in GENERATORS.iter().enumerate() {
        let mut rng = StdRng::seed_from_u64(0x6a77_7400 + seed as u64);
        let mut rejected = 0;
        for _ in 0..SAMPLES {
            let secret = generate(&mut rng);
            if let Err(rejection) = policy.check(secret.as_bytes()) {
                let only_words = rejection
                    .violations()
                    .iter()
                    .all(|v| matches!(v, Violation::InsecureWord { .. }));
                assert!(only_words, "{name}: {secret} rejected for {rejection}");
                rejected += 1;
            }
        }
        let rate = rejected as f64 / SAMPLES as f64;
        println!(
            "{name}: {rejected} of {SAMPLES} rejected by the word rule ({rate:.3}%)",
            rate = rate * 100.0
        );
        // Hex cannot spell most words; base64 trips "key"/"dev"/... now and then.
        assert!(rate < 0.01, "{name}: word rule rejects {rate}");
    }
}

#[test]
fn every_long_known_public_secret_is_rejected() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/data/known-jwt-secrets/public-jwt-secrets-32plus.txt"
    );
    let Ok(list) = std::fs::read_to_string(path) else {
        assert!(std::env::var_os("CI").is_none(), "{path} is missing in CI");
        eprintln!("skipped: {path} not found");
        return;
    };
    let policy = SecretPolicy::default();
    let mut count = 0;
    for secret in list.lines().filter(|line| line.len() >= 32) {
        let rejection = policy.check(secret.as_bytes()).unwrap_err();
        assert!(
            rejection.violations().contains(&Violation::KnownPublic),
            "line {count}: not recognised as known"
        );
        count += 1;
    }
    assert!(count > 1800, "only {count} entries read");
}

#[test]
fn repeated_patterns_are_rejected() {
    let policy = SecretPolicy::default();
    for secret in [
        "0123".repeat(8),
        "a".repeat(64),
        "reallyreallyreallyreallyverysafe".to_owned(),
        "Zq9!".repeat(16),
    ] {
        let rejection = policy.check(secret.as_bytes()).unwrap_err();
        assert!(
            rejection.violations().contains(&Violation::LowDiversity),
            "{secret}: {rejection}"
        );
    }
}
