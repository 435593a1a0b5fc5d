//! End to end: a crate whose `build.rs` calls `jwt_guard::build::check()` fails `cargo build`
//! on a hardcoded secret, and builds once the literal is suppressed with a reason or gone.
//!
//! One temporary crate is rebuilt through its states, with a target directory shared under
//! the workspace's `target/`, so the guard and its dependencies compile once.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SECRET: &str = "dev-secret-e2e";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A crate whose build script runs the guard; `features` completes its jwt-guard build
/// dependency, `metadata` ends its manifest.
fn write_crate(dir: &Path, features: &str, metadata: &str) {
    let guard = workspace_root().join("jwt-guard");
    let manifest = format!(
        "[package]\nname = \"guarded\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [build-dependencies]\njwt-guard = {{ path = {:?}, {features} }}\n\n[workspace]\n{metadata}",
        guard.display().to_string()
    );
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    // Same dependency versions as the workspace, so the shared target dir is reused offline.
    fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    fs::write(
        dir.join("build.rs"),
        "fn main() {\n    jwt_guard::build::check();\n}\n",
    )
    .unwrap();
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(
        dir.join("src/main.rs"),
        "mod auth;\n\nfn main() {\n    auth::key();\n}\n",
    )
    .unwrap();
}

/// `src/auth.rs` with the key built from `key_expr` on line 6.
fn write_auth(dir: &Path, comment: &str, key_expr: &str) {
    // File times are coarse (a clock tick): let the edit be visibly newer than the last build.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let src = format!(
        "pub struct EncodingKey;\n\
         impl EncodingKey {{ pub fn from_secret(_: &[u8]) -> Self {{ EncodingKey }} }}\n\
         \n\
         pub fn key() {{\n\
         {comment}\n    let _key = EncodingKey::from_secret({key_expr});\n\
         }}\n"
    );
    fs::write(dir.join("src/auth.rs"), src).unwrap();
}

fn cargo_build(dir: &Path) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(["build", "--offline", "-v"])
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/e2e-build-guard"),
        )
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn build_fails_on_a_hardcoded_secret_and_passes_once_it_is_handled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // With default features, as the first releases documented.
    write_crate(dir, "features = [\"build\"]", "");

    // 1. A hardcoded secret: the build fails with the rustc-style diagnostic, masked.
    write_auth(dir, "", &format!("b\"{SECRET}\""));
    let out = cargo_build(dir);
    let err = stderr(&out);
    assert!(!out.status.success(), "build should fail:\n{err}");
    assert!(
        err.contains("error: hardcoded JWT secret [key-literal]"),
        "{err}"
    );
    assert!(err.contains("--> src/auth.rs:6:41"), "{err}");
    assert!(err.contains("from_secret(b\"**************\");"), "{err}");
    assert!(
        err.contains("^^^^^^^^^^^^^^^^^ this literal is used as an HMAC signing key"),
        "{err}"
    );
    // src/auth.rs, src/main.rs, build.rs and the package's Cargo.toml (a config file).
    assert!(
        err.contains("jwt-guard: 4 files scanned, 1 finding, 0 suppressed, 0 errors"),
        "{err}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(SECRET) && !err.contains(SECRET),
        "{err}"
    );

    // 2. The same literal, suppressed with a reason: builds.
    write_auth(
        dir,
        "    // jwt-guard: allow(key-literal) fixture for the e2e test",
        &format!("b\"{SECRET}\""),
    );
    let out = cargo_build(dir);
    assert!(
        out.status.success(),
        "suppressed build should pass:\n{}",
        stderr(&out)
    );

    // 3. A suppression without a reason is itself an error.
    write_auth(
        dir,
        "    // jwt-guard: allow(key-literal)",
        &format!("b\"{SECRET}\""),
    );
    let out = cargo_build(dir);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("[invalid-suppression]") && err.contains("[key-literal]"),
        "{err}"
    );

    // 4. The literal removed: the secret is read from JWT_SECRET at run time. Builds.
    let from_env = "std::env::var(\"JWT_SECRET\").expect(\"JWT_SECRET must be set\").as_bytes()";
    write_auth(dir, "", from_env);
    let out = cargo_build(dir);
    assert!(
        out.status.success(),
        "clean build should pass:\n{}",
        stderr(&out)
    );

    // 5. A change outside `src/` and `build.rs` does not rerun the guard: it printed
    //    `cargo::rerun-if-changed` for what it scans (Cargo's default would rerun it).
    fs::write(dir.join("NOTES.txt"), "not Rust").unwrap();
    let out = cargo_build(dir);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Fresh guarded"),
        "the crate should be fresh:\n{err}"
    );
    assert!(
        !err.contains("build-script-build`"),
        "the build script reran:\n{err}"
    );
}

/// The light guard (no default features: no runtime, no SHA-256) still scans config files
/// and honours the policy file's scope and exceptions, and a policy file that does not
/// parse fails the build.
#[test]
fn the_light_guard_scans_config_and_honours_the_policy_file() {
    const ENV_SECRET: &str = "Lx4mQ9tR2vW7zB";
    const DEPLOY_SECRET: &str = "Lx8kP3nF6hJ1dS";
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let light = "default-features = false, features = [\"build\"]";
    // `deploy/` is scanned only because the policy includes it.
    let scope = "\n[package.metadata.jwt-guard.guard]\ninclude = [\"deploy\"]\n";
    write_crate(dir, light, scope);
    write_auth(dir, "", "std::env::var(\"JWT_SECRET\").unwrap().as_bytes()");
    fs::write(
        dir.join(".env"),
        format!("JWT_SECRET={ENV_SECRET}\nAUTH_SECRET={ENV_SECRET}x\n"),
    )
    .unwrap();
    fs::create_dir_all(dir.join("deploy")).unwrap();
    fs::write(
        dir.join("deploy/consts.rs"),
        format!("pub const JWT_SECRET: &str = \"{DEPLOY_SECRET}\";\n"),
    )
    .unwrap();

    let out = cargo_build(dir);
    let err = stderr(&out);
    assert!(!out.status.success(), "build should fail:\n{err}");
    for at in ["--> .env:1:", "--> .env:2:", "--> deploy/consts.rs:1:"] {
        assert!(err.contains(at), "{at}:\n{err}");
    }
    // Without SHA-256 the config findings claim nothing about start-up.
    assert!(
        err.contains("in a .env file; rotate it, it is in the repository")
            && !err.contains("start-up would"),
        "{err}"
    );
    for secret in [ENV_SECRET, DEPLOY_SECRET] {
        assert!(
            !err.contains(secret) && !String::from_utf8_lossy(&out.stdout).contains(secret),
            "{err}"
        );
    }

    // The `.env` finding on line 2 becomes a reviewed exception: the others remain.
    let exception = "\n[[package.metadata.jwt-guard.exceptions]]\npath = \".env\"\n\
                     rule = \"config-secret\"\nline = 2\nreason = \"fixture of the e2e test\"\n";
    write_crate(dir, light, &format!("{scope}{exception}"));
    let out = cargo_build(dir);
    let err = stderr(&out);
    assert!(!out.status.success(), "build should fail:\n{err}");
    assert!(
        !err.contains("--> .env:2:"),
        "the exception was ignored:\n{err}"
    );
    assert!(
        err.contains("--> .env:1:") && err.contains("--> deploy/consts.rs:1:"),
        "{err}"
    );

    // A policy file that does not parse is an error, not the built-in policy.
    fs::write(dir.join("jwt-guard.toml"), "min-len = = 64\n").unwrap();
    let out = cargo_build(dir);
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "a broken policy file must fail:\n{err}"
    );
    assert!(
        err.contains("invalid jwt-guard policy") && err.contains("not valid TOML"),
        "{err}"
    );
}
