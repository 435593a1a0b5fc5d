//! One policy file, three readers: a crate's `#[jwt_secret_env]` loader, `jwt-guard
//! check-env --manifest-path` and `AuthGate` give the same verdict for the same secret;
//! a malformed or loosening policy is a compile error on the attribute and exit 2 in the
//! CLI; and an edit to `Cargo.toml` alone expands the macro again (the expansion
//! `include_bytes!`s the manifest).
//!
//! One temporary crate is rebuilt through its states with cargo, with a target directory
//! under the workspace's `target/`, so jwt-guard compiles once. No `set_var`: every child
//! gets its own environment.
#![allow(clippy::unwrap_used)]

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jwt_guard::AuthGate;
use jwt_guard::policy_file::{from_path, secret_policy};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

const POLICY: &str = "[package.metadata.jwt-guard]\nalg = \"HS512\"\ndeny = [\"acme\"]\n\n[package.metadata.jwt-guard.secrets.AUTH_KEY]\n";

fn write_manifest(dir: &Path, policy: &str) {
    // File times are coarse: let the edit be visibly newer than the last build.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let runtime = workspace_root().join("jwt-guard");
    let manifest = format!(
        "[package]\nname = \"policied\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\njwt-guard = {{ path = {:?} }}\n\n[workspace]\n\n{policy}",
        runtime.display().to_string()
    );
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
}

fn write_main(dir: &Path, args: &str) {
    std::thread::sleep(std::time::Duration::from_millis(20));
    let src = format!(
        "#[jwt_guard::jwt_secret_env({args})]\n\
         struct Config {{\n    secret: jwt_guard::JwtSecret,\n}}\n\n\
         fn main() {{\n    println!(\"{{}}\", Config::JWT_ALGORITHM);\n    \
         match Config::from_env() {{\n        Ok(_) => println!(\"accepted\"),\n        \
         Err(error) => println!(\"refused: {{error}}\"),\n    }}\n}}\n"
    );
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(dir.join("src/main.rs"), src).unwrap();
}

fn cargo(dir: &Path, command: &str) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([command, "--offline", "-q"])
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/e2e-policy-file"),
        )
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("AUTH_KEY");
    cmd
}

fn build(dir: &Path) -> Output {
    cargo(dir, "build").output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The crate's loader: `accepted` or `refused: …`, and the algorithm it names.
fn loader(dir: &Path, secret: &str) -> (String, bool) {
    let exe = workspace_root().join("target/e2e-policy-file/debug/policied");
    let out = Command::new(exe)
        .env_clear()
        .env("AUTH_KEY", secret)
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let alg = stdout.lines().next().unwrap_or_default().to_owned();
    (alg, stdout.contains("\naccepted"))
}

fn check_env(args: &[&str], dir: &Path, secret: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jwt-guard"));
    cmd.arg("check-env").args(args).current_dir(dir).env_clear();
    if let Some(secret) = secret {
        cmd.env("AUTH_KEY", secret);
    }
    cmd.output().unwrap()
}

fn gate(manifest: &Path, secret: &str) -> bool {
    let file = from_path(manifest).unwrap();
    let (algorithm, policy) = secret_policy(&file, "AUTH_KEY");
    let lookup = |name: &str| (name == "AUTH_KEY").then(|| OsString::from(secret));
    AuthGate::load("AUTH_KEY", algorithm, &policy, lookup).is_ok()
}

#[test]
fn one_policy_file_one_verdict_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let manifest = dir.join("Cargo.toml");
    fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    write_manifest(dir, POLICY);
    write_main(dir, "var = \"AUTH_KEY\"");
    let out = build(dir);
    assert!(out.status.success(), "{}", text(&out));

    let good_64 = "Vq3x9LmT2pR8wZ4kN7bF1hJ6cY0sD5gQWe7rTy8uIo9pAs0dFg1hJk2lZx3cVb4n";
    let good_48 = &good_64[..48];
    let with_word = format!("{}AcMe", &good_64[..62]);
    for (secret, expected) in [
        (good_64, true),
        (good_48, false),
        (with_word.as_str(), false),
    ] {
        let (alg, accepted) = loader(dir, secret);
        assert_eq!(alg, "HS512", "the macro names the file's algorithm");
        assert_eq!(accepted, expected, "loader, {} bytes", secret.len());
        let out = check_env(
            &["--manifest-path", manifest.to_str().unwrap()],
            &tmp.path().join(".."),
            Some(secret),
        );
        assert_eq!(
            out.status.code(),
            Some(if expected { 0 } else { 1 }),
            "{}",
            text(&out)
        );
        assert!(text(&out).contains("AUTH_KEY (HS512)"), "{}", text(&out));
        // Run in the package's directory (or below), check-env finds the manifest itself.
        let out = check_env(&[], dir, Some(secret));
        assert_eq!(
            out.status.code(),
            Some(if expected { 0 } else { 1 }),
            "{}",
            text(&out)
        );
        assert_eq!(gate(&manifest, secret), expected, "AuthGate");
    }
    // A flag may tighten the file, never loosen it.
    let out = check_env(&["--alg", "HS256"], dir, Some(good_64));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--alg HS256 is weaker than the HS512"),
        "{}",
        text(&out)
    );

    // Only the manifest changes from here on: the macro must expand again each time.
    // 1. A loosening: a compile error on the attribute, naming the file, line and key.
    write_manifest(dir, &format!("{POLICY}min-len = 16\n"));
    let out = build(dir);
    let err = text(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("#[jwt_secret_env]: invalid jwt-guard policy: "),
        "{err}"
    );
    assert!(err.contains("Cargo.toml:16:11: `package.metadata.jwt-guard.secrets.AUTH_KEY.min-len`: 16 is below the built-in minimum of 32 bytes"), "{err}");
    assert!(
        err.contains("--> src/main.rs:1:1"),
        "the error points at the attribute:\n{err}"
    );
    let out = check_env(&[], dir, Some(good_64));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out)
            .contains("Cargo.toml:16:11: `package.metadata.jwt-guard.secrets.AUTH_KEY.min-len`"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains(good_64), "no secret in errors");

    // 2. An unknown key and a wrong type, both reported at once.
    write_manifest(
        dir,
        "[package.metadata.jwt-guard]\nmin_len = 64\ndeny = \"acme\"\nalg = 512\n",
    );
    let err = text(&build(dir));
    assert!(
        err.contains("Cargo.toml:12:1: `package.metadata.jwt-guard.min_len`: unknown key"),
        "{err}"
    );
    assert!(
        err.contains(
            "Cargo.toml:14:7: `package.metadata.jwt-guard.alg`: expected a string, found integer"
        ),
        "{err}"
    );

    // 3. Valid again, and a secret variable the file does not declare is refused.
    write_manifest(
        dir,
        "[package.metadata.jwt-guard.secrets.JWT_SECRET]\nalg = \"HS384\"\n",
    );
    let err = text(&build(dir));
    assert!(err.contains("field `secret` reads `AUTH_KEY`, which the jwt-guard policy (Cargo.toml) does not declare under `secrets` (it declares `JWT_SECRET`)"), "{err}");

    // 4. An argument asking less than the file is an error on that argument.
    write_manifest(dir, POLICY);
    write_main(dir, "var = \"AUTH_KEY\", alg = \"HS384\", min_len = 50");
    let err = text(&build(dir));
    assert!(err.contains("`alg = \"HS384\"` is weaker than the HS512 the jwt-guard policy (Cargo.toml) requires for `AUTH_KEY`"), "{err}");
    assert!(err.contains("--> src/main.rs:1:53"), "{err}");
    assert!(
        err.contains("`min_len = 50` is below the 64 bytes"),
        "{err}"
    );

    // 5. An argument tightening it builds, and the loader applies both.
    write_main(dir, "var = \"AUTH_KEY\", min_len = 70");
    let out = build(dir);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!loader(dir, good_64).1, "70 bytes now required");
}

/// `jwt-guard scan` takes scope and exceptions from the package's policy: an exception
/// shows in JSON and SARIF as suppressed with its reason; expired, it is a finding again;
/// a malformed policy is exit 2.
#[test]
fn scan_takes_scope_and_exceptions_from_the_policy_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let manifest = |expires: &str, extra: &str| {
        format!(
            "[package]\nname = \"p\"\nversion = \"0.1.0\"\n\n[package.metadata.jwt-guard]\n{extra}\n\
             [[package.metadata.jwt-guard.exceptions]]\npath = \"src/lib.rs\"\nrule = \"secret-binding\"\n\
             line = 1\nreason = \"public RFC 7515 test vector\"\n{expires}\n"
        )
    };
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::create_dir_all(dir.join("generated")).unwrap();
    fs::write(
        dir.join("src/lib.rs"),
        "pub const JWT_SECRET: &str = \"Dv7pLm2vRt9sWk4bNz8c\";\n",
    )
    .unwrap();
    fs::write(
        dir.join("generated/keys.rs"),
        "pub const JWT_SECRET: &str = \"Te2bRt8yVbNmQaZx\";\n",
    )
    .unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        manifest("expires = 2999-12-31", "guard.exclude = [\"generated\"]"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_jwt-guard"))
            .args(args)
            .current_dir(dir)
            .env_clear()
            .output()
            .unwrap()
    };
    let out = run(&["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(
        json["files_scanned"], 2,
        "src/lib.rs and Cargo.toml: generated/ is excluded by the file"
    );
    let excepted = &json["excepted"][0];
    assert_eq!(excepted["path"], "src/lib.rs");
    assert_eq!(excepted["reason"], "public RFC 7515 test vector");
    assert_eq!(excepted["expires"], "2999-12-31");
    let declared = excepted["declared_at"].as_str().unwrap();
    assert!(declared.ends_with("Cargo.toml:8:1"), "{declared}");
    let out = run(&["scan", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let suppression = &sarif["runs"][0]["results"][0]["suppressions"][0];
    assert_eq!(suppression["justification"], "public RFC 7515 test vector");

    // Without an expiry it holds; past its last day the finding is back, saying so.
    fs::write(dir.join("Cargo.toml"), manifest("", "")).unwrap();
    assert_eq!(run(&["scan", "src"]).status.code(), Some(0));
    fs::write(
        dir.join("Cargo.toml"),
        manifest("expires = \"2020-01-01\"", ""),
    )
    .unwrap();
    let out = run(&["scan", "src"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("expired on 2020-01-01"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("Dv7pLm2v"), "{}", text(&out));

    // Malformed: exit 2, naming the line and the key.
    fs::write(
        dir.join("Cargo.toml"),
        manifest("expires = \"2020-02-30\"", ""),
    )
    .unwrap();
    let out = run(&["scan"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(
            "Cargo.toml:12:11: `package.metadata.jwt-guard.exceptions[0].expires`: expected a date"
        ),
        "{}",
        text(&out)
    );
}
