//! What a build script compiles with the light guard (`default-features = false,
//! features = ["build"]`) stays light: no runtime, no proc macro or syn, no SHA-256, no
//! YAML parser, no libc (on the common platforms), no general diagnostic renderer, no
//! `toml` crate, no memchr. Each of these once crept in through a feature of a shared crate
//! (annotate-snippets drew the diagnostics, the `toml` crate read the policy file); the
//! build cost they add is in bench/README.md.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

/// Crates the light guard must not compile, and why they are elsewhere.
const HEAVY: &[(&str, &str)] = &[
    (
        "jwt-guard-macros",
        "the runtime's proc macro (feature `macros`)",
    ),
    ("syn", "proc macros"),
    ("sha2", "the start-up verdict (scanner feature `verdict`)"),
    (
        "yaml-rust2",
        "the CLI's YAML parser (scanner feature `structured`)",
    ),
    (
        "serde_json",
        "JSON and SARIF reports (scanner feature `json`)",
    ),
    ("gix", "the CLI's history scan"),
    (
        "annotate-snippets",
        "rustc's renderer: jwt-guard-scan's render.rs draws the diagnostics, annotate-snippets is its test oracle",
    ),
    ("anstyle", "annotate-snippets' colours"),
    (
        "toml",
        "the policy file is read with toml_parser into jwt-guard-policy-file's own tree",
    ),
    (
        "toml_datetime",
        "toml's date types (the tree checks dates itself)",
    ),
    ("serde_spanned", "toml's spans (the tree keeps its own)"),
    (
        "libc",
        "two open(2) flags, declared in jwt-guard-policy's open.rs (libc only on other platforms)",
    ),
    (
        "memchr",
        "vectorised searches (scanner feature `fast-search`): unoptimised, std's are as fast",
    ),
];

/// The crates `jwt-guard` without default features and with `features` compiles.
fn guard_crates(features: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&root)
        .args([
            "tree",
            "--locked",
            "-p",
            "jwt-guard",
            "--no-default-features",
        ])
        .args(["--features", features, "-e", "normal", "--prefix", "none"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| Some(line.split_whitespace().next()?.to_owned()))
        .collect()
}

#[test]
fn the_light_build_guard_compiles_none_of_the_heavy_crates() {
    let crates = guard_crates("build");
    // The tree is the guard's: the scanner is in it.
    assert!(crates.iter().any(|c| c == "jwt-guard-scan"), "{crates:?}");
    for (name, why) in HEAVY {
        assert!(
            !crates.iter().any(|c| c == name),
            "{name} ({why}) is in the light guard: {crates:?}"
        );
    }
}

/// `fast-search`, for a build guard optimised by the user, brings memchr back, and only it.
#[test]
fn fast_search_adds_memchr_to_the_light_guard() {
    let light = guard_crates("build");
    let mut fast = guard_crates("fast-search");
    fast.retain(|c| !light.contains(c));
    fast.dedup();
    assert_eq!(fast, ["memchr"]);
}
