//! `scan --history` and `scan --staged` read the deployment and configuration files a scan
//! at HEAD reads (`.env`, compose, Dockerfile, shell scripts, ...), with its exclusions and
//! suppressions, and group their secrets by value with the Rust ones: a secret in a `.env`
//! and in a `.rs` file is one secret to rotate, two different `.env` secrets are two.
#![allow(clippy::unwrap_used)]

#[path = "support/git.rs"]
mod git;
mod support;

use std::path::Path;

use git::{Repo, jwt_guard_env};
use jwt_guard_tests::assert_no_leak;
use serde_json::Value;
use support::{stderr, stdout};

/// Fixture secrets: made up here, random-looking, so any 8-byte window in an output is a leak.
const DOTENV: &str = "Vq3mZ8kT1xR6wN0bL5yH9cJ2sF7dG4pA";
const COMPOSE: &str = "eK2wP7rY0tU5iO9aS3dF8gH1jL6zX4cB";
const COMPOSE_EDITED: &str = "nM5bV0cX8zL3kJ7hG2fD6sA1qW9eR4tY";
const SCRIPT: &str = "yT4uI9oP2aS7dF1gH6jK0lZ3xC8vB5nM";
const ALL: [&str; 4] = [DOTENV, COMPOSE, COMPOSE_EDITED, SCRIPT];

fn history(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let output = jwt_guard_env(
        dir,
        &[&["scan", "--format", "json", "--history"], extra].concat(),
        &[],
    );
    for secret in ALL {
        assert_no_leak(&stdout(&output), secret, "stdout");
        assert_no_leak(&stderr(&output), secret, "stderr");
    }
    let report: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&output), stderr(&output)));
    (report, output.status.code().unwrap())
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

fn secrets(report: &Value) -> &Vec<Value> {
    report["history"]["secrets"].as_array().unwrap()
}

/// The finding at `path`, which must be the only one there.
fn finding_at<'r>(report: &'r Value, path: &str) -> &'r Value {
    let at: Vec<&Value> = findings(report)
        .iter()
        .filter(|f| f["path"] == path)
        .collect();
    assert_eq!(at.len(), 1, "one finding at {path}: {report}");
    at[0]
}

fn compose(secret: &str, image: &str) -> String {
    format!(
        "services:\n  api:\n    image: {image}\n    environment:\n      JWT_SECRET: \"{secret}\"\n"
    )
}

#[test]
fn a_dotenv_committed_then_removed_and_an_edited_compose_file_are_reported() {
    let mut repo = Repo::new();
    repo.write("src/main.rs", "fn main() {}\n");
    repo.write(".env", format!("PORT=8080\nJWT_SECRET={DOTENV}\n"));
    repo.write("docker-compose.yml", compose(COMPOSE, "api:1"));
    let first = repo.commit("add deployment files");
    repo.remove(".env");
    let removed = repo.commit("remove .env");
    // An edit around the same secret brings nothing new; a new value is a new secret.
    repo.write("docker-compose.yml", compose(COMPOSE, "api:2"));
    repo.commit("bump image");
    repo.write("docker-compose.yml", compose(COMPOSE_EDITED, "api:2"));
    let edited = repo.commit("new secret");

    let (report, code) = history(&repo.dir, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(findings(&report).len(), 3, "{report}");
    let dotenv = finding_at(&report, ".env");
    assert_eq!(dotenv["rule"], "config-secret");
    assert_eq!(dotenv["commit"]["id"], first);
    assert_eq!(dotenv["line"], 2);
    assert_eq!(dotenv["still_present"], false);
    let composed: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["path"] == "docker-compose.yml")
        .collect();
    assert_eq!(composed.len(), 2, "{report}");
    assert_eq!(composed[0]["commit"]["id"], first);
    assert_eq!(composed[0]["still_present"], false);
    assert_eq!(composed[1]["commit"]["id"], edited);
    assert_eq!(composed[1]["still_present"], true);
    assert_eq!(secrets(&report).len(), 3, "{report}");
    let group = secrets(&report)
        .iter()
        .find(|s| s["secret"] == dotenv["secret"])
        .unwrap();
    assert_eq!(group["removed_in"]["id"], removed);
}

#[test]
fn config_secrets_group_by_their_value_across_formats() {
    let mut repo = Repo::new();
    // The same value in a .rs file, a .env file (unquoted), a Dockerfile and, base64-encoded,
    // a Kubernetes Secret; another in a shell script without an extension.
    repo.write(
        "src/auth.rs",
        format!("pub const JWT_SECRET: &str = \"{DOTENV}\";\n"),
    );
    repo.write("deploy/prod.env", format!("JWT_SECRET={DOTENV}\n"));
    repo.write(
        "Dockerfile",
        format!("FROM scratch\nENV JWT_SECRET=\"{DOTENV}\"\n"),
    );
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(DOTENV);
    repo.write(
        "k8s/secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n  JWT_SECRET: {encoded}\n"
        ),
    );
    repo.write(
        "bin/start",
        format!("#!/bin/sh\nexport JWT_SECRET='{SCRIPT}'\nexec api\n"),
    );
    repo.commit("add");

    let (report, code) = history(&repo.dir, &[]);
    assert_eq!(code, 1, "{report}");
    let rust = finding_at(&report, "src/auth.rs");
    let dotenv = finding_at(&report, "deploy/prod.env");
    let docker = finding_at(&report, "Dockerfile");
    let script = finding_at(&report, "bin/start");
    let kubernetes = finding_at(&report, "k8s/secret.yaml");
    assert_eq!(dotenv["secret"], rust["secret"], "{report}");
    assert_eq!(docker["secret"], rust["secret"], "{report}");
    assert_eq!(kubernetes["secret"], rust["secret"], "{report}");
    assert_ne!(script["secret"], rust["secret"], "{report}");
    assert_eq!(secrets(&report).len(), 2, "{report}");
}

#[test]
fn history_honours_the_head_scans_choices_for_config_files() {
    let mut repo = Repo::new();
    // Suppressed with a reason; excluded by the user; a file without an extension and
    // without a shebang (not a script, not read); a template's instruction; not a JWT
    // secret's name. None of them is a finding.
    repo.write(
        "local.env",
        format!("# jwt-guard: allow(config-secret) local demo value\nJWT_SECRET={DOTENV}\n"),
    );
    repo.write("vendor/app.env", format!("JWT_SECRET={COMPOSE}\n"));
    repo.write("NOTES", format!("JWT_SECRET={SCRIPT}\n"));
    repo.write(".env.example", "JWT_SECRET=change-me\n");
    repo.write(
        "config.toml",
        format!("[db]\nname = \"{COMPOSE_EDITED}\"\n"),
    );
    repo.commit("add");

    let (report, code) = history(&repo.dir, &["--exclude", "vendor/"]);
    assert_eq!(code, 0, "{report}");
    assert!(findings(&report).is_empty(), "{report}");
    assert_eq!(report["suppressed"], 1, "{report}");
    // The excluded file is read without the exclusion: the exclusion was what hid it.
    let (report, code) = history(&repo.dir, &[]);
    assert_eq!(code, 1, "{report}");
    finding_at(&report, "vendor/app.env");
    assert_eq!(findings(&report).len(), 1, "{report}");
}

#[test]
fn a_staged_config_file_is_scanned() {
    let mut repo = Repo::new();
    repo.write("src/main.rs", "fn main() {}\n");
    repo.commit("init");
    repo.write("k8s/values.yaml", compose(COMPOSE, "api:1"));
    repo.write("bin/notes", format!("JWT_SECRET={SCRIPT}\n"));
    repo.git(&["add", "-A"]);
    let output = jwt_guard_env(&repo.dir, &["scan", "--staged"], &[]);
    let text = format!("{}{}", stdout(&output), stderr(&output));
    for secret in ALL {
        assert_no_leak(&text, secret, "scan --staged");
    }
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("k8s/values.yaml:5:"), "{text}");
    assert!(!text.contains("bin/notes"), "{text}");
}
