//! Shared by the CLI tests: running the binary on fixture trees, and SARIF schema checks.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `jwt-guard ARGS` in `dir` with a clean environment (no CI colouring or config leaks).
pub(crate) fn jwt_guard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jwt-guard"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap()
}

/// Writes `files` (path, content) under `root`, creating directories.
pub(crate) fn write_tree(root: &Path, files: &[(&str, &[u8])]) {
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Validates with Python's jsonschema; the script exits 3 when jsonschema is missing.
const VALIDATOR: &str = r#"
import json, sys
try:
    from jsonschema import FormatChecker, validators
except ImportError:
    sys.exit(3)
schema = json.load(open(sys.argv[1], encoding="utf-8"))
cls = validators.validator_for(schema)
cls.check_schema(schema)
errors = list(cls(schema, format_checker=FormatChecker()).iter_errors(json.load(sys.stdin)))
for error in errors:
    print("/".join(map(str, error.absolute_path)) + ": " + error.message)
sys.exit(1 if errors else 0)
"#;

pub(crate) enum Validation {
    Valid,
    Invalid(String),
    /// Python, jsonschema or the schema file is missing: why.
    Unavailable(String),
}

/// The official SARIF 2.1.0 schema: `$SARIF_SCHEMA`, or where `.ci/fetch-sarif-schema` puts it.
fn schema_path() -> PathBuf {
    std::env::var_os("SARIF_SCHEMA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/sarif-schema/sarif-2.1.0.json"),
        PathBuf::from,
    )
}

pub(crate) fn validate_sarif(sarif: &str) -> Validation {
    let schema = schema_path();
    if !schema.is_file() {
        return Validation::Unavailable(format!(
            "no SARIF schema at {} (run .ci/fetch-sarif-schema {0})",
            schema.display()
        ));
    }
    let child = Command::new("python3")
        .arg("-c")
        .arg(VALIDATOR)
        .arg(&schema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return Validation::Unavailable("python3 is not installed".into());
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(sarif.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    match output.status.code() {
        Some(0) => Validation::Valid,
        Some(3) => {
            Validation::Unavailable("python3 has no jsonschema (pip install jsonschema)".into())
        }
        _ => Validation::Invalid(format!("{}{}", stdout(&output), stderr(&output))),
    }
}

/// Asserts `sarif` is valid; without the tooling, skips with a message, except in CI.
pub(crate) fn assert_valid_sarif(sarif: &str) {
    match validate_sarif(sarif) {
        Validation::Valid => {}
        Validation::Invalid(errors) => panic!("SARIF fails the 2.1.0 schema:\n{errors}\n{sarif}"),
        Validation::Unavailable(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("SARIF schema validation is required in CI: {why}")
        }
        Validation::Unavailable(why) => eprintln!("SKIPPED: SARIF schema validation: {why}"),
    }
}

/// [`jwt_guard`] that must finish within `limit`: a hang is a failure, not a stuck CI run.
pub(crate) fn jwt_guard_within(dir: &Path, args: &[&str], limit: std::time::Duration) -> Output {
    jwt_guard_with(dir, args, &[], limit)
}

/// [`jwt_guard_within`] with `vars` (and PATH) as the whole environment.
pub(crate) fn jwt_guard_with(
    dir: &Path,
    args: &[&str],
    vars: &[(&str, &str)],
    limit: std::time::Duration,
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jwt-guard"));
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    jwt_guard_tests::output_within(&mut command, limit)
}
