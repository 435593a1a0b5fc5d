//! `jwt-guard check-env --repo` and `--digests`: a deployed secret (or the previous one)
//! that was ever committed is burnt, raw or base64-encoded, whichever file it was in;
//! neither side is ever printed.
#![allow(clippy::unwrap_used)]

#[path = "support/git.rs"]
mod git;
mod support;

use std::path::Path;
use std::process::Output;

use base64::Engine as _;
use git::{Repo, jwt_guard_env};
use jwt_guard_tests::assert_no_leak;
use support::{stderr, stdout};

/// Secrets that pass the default policy; made up for these tests.
const COMMITTED: &str = "hX7qL2vR9mK4pT8wZ3nB6yF1cJ5dG0sAbNq";
const FRESH: &str = "Pw4nC8xJ2kR6tY0bM5vL9qH3sD7fG1zEuTr";
const ENCODED: &str = "uE6rT1yW9qA3sZ8xC4vB0nM7kL2jH5gFwQe";

fn check(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> (i32, String) {
    let output: Output = jwt_guard_env(dir, &[&["check-env"], args].concat(), vars);
    let text = format!("{}{}", stdout(&output), stderr(&output));
    for secret in [COMMITTED, FRESH, ENCODED] {
        assert_no_leak(&text, secret, "check-env");
        let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
        assert_no_leak(&text, &b64, "check-env (base64)");
    }
    (output.status.code().unwrap(), text)
}

/// A repository where COMMITTED was in `config/prod.env` and was removed, and ENCODED is
/// still in a Kubernetes manifest, base64-encoded after a prefix.
fn fixture() -> (Repo, String, String) {
    let mut repo = Repo::new();
    repo.write("src/main.rs", "fn main() {}\n");
    repo.commit("base");
    repo.write(
        "config/prod.env",
        format!("PORT=8080\nLOG=info\nJWT_SECRET={COMMITTED}\n"),
    );
    let introduced = repo.commit("prod config");
    repo.remove("config/prod.env");
    let removed = repo.commit("remove the secret");
    let env_file =
        base64::engine::general_purpose::STANDARD.encode(format!("X=1\nJWT_SECRET={ENCODED}\n"));
    repo.write(
        "deploy/secret.yaml",
        format!("apiVersion: v1\nkind: Secret\ndata:\n  app.env: {env_file}\n"),
    );
    repo.commit("k8s");
    (repo, introduced, removed)
}

#[test]
fn a_committed_secret_is_burnt_with_where_and_when() {
    let (repo, introduced, removed) = fixture();
    let repo_arg = repo.dir.to_str().unwrap();
    let (code, text) = check(
        repo.tmp.path(),
        &["--repo", repo_arg],
        &[("JWT_SECRET", COMMITTED)],
    );
    assert_eq!(code, 1, "{text}");
    let expected = format!(
        "JWT_SECRET appears in commit {} (2023-11-15, config/prod.env:3, removed in {}): it is burnt, rotate it",
        &introduced[..12],
        &removed[..12]
    );
    assert!(text.contains(&expected), "{text}");
    assert!(
        text.contains("JWT_SECRET (HS256): valid"),
        "the policy still passes: {text}"
    );

    // Base64-encoded inside another encoded file is found too, and it is still at HEAD.
    let (code, text) = check(
        repo.tmp.path(),
        &["--repo", repo_arg],
        &[("JWT_SECRET", ENCODED)],
    );
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("deploy/secret.yaml:4, still at HEAD in deploy/secret.yaml"),
        "{text}"
    );

    let (code, text) = check(
        repo.tmp.path(),
        &["--repo", repo_arg],
        &[("JWT_SECRET", FRESH)],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("JWT_SECRET: not in the history of"), "{text}");
}

#[test]
fn a_burnt_previous_secret_fails_and_the_file_variable_is_read_as_at_start_up() {
    let (repo, _, _) = fixture();
    let file = repo.tmp.path().join("jwt");
    std::fs::write(&file, format!("{FRESH}\n")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let (code, text) = check(
        repo.tmp.path(),
        &["--repo", repo.dir.to_str().unwrap()],
        &[
            ("JWT_SECRET_FILE", file.to_str().unwrap()),
            ("JWT_SECRET_PREVIOUS", COMMITTED),
        ],
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("JWT_SECRET: not in the history"), "{text}");
    assert!(
        text.contains("JWT_SECRET_PREVIOUS appears in commit"),
        "{text}"
    );
    assert!(
        text.contains("must not stay as JWT_SECRET_PREVIOUS"),
        "{text}"
    );
}

#[test]
fn what_cannot_be_searched_is_an_error() {
    let (repo, _, _) = fixture();
    let outside = tempfile::tempdir().unwrap();
    let (code, text) = check(
        repo.tmp.path(),
        &["--repo", outside.path().to_str().unwrap()],
        &[("JWT_SECRET", FRESH)],
    );
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("not in a git repository"), "{text}");
    // A blob over the limit: not searched, so not clean.
    let (code, text) = check(
        repo.tmp.path(),
        &[
            "--repo",
            repo.dir.to_str().unwrap(),
            "--max-blob-size",
            "20",
        ],
        &[("JWT_SECRET", FRESH)],
    );
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("over --max-blob-size"), "{text}");
}

#[test]
fn digests_stand_in_for_the_repository_and_reveal_no_value() {
    let (repo, _, _) = fixture();
    let digests = repo.tmp.path().join("committed.digests");
    let output = jwt_guard_env(
        &repo.dir,
        &[
            "scan",
            "--history",
            "--export-digests",
            digests.to_str().unwrap(),
        ],
        &[],
    );
    // The committed .env is a finding of the scan; the digests are written all the same.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("config/prod.env:3"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("digests of committed values written"),
        "{}",
        stderr(&output)
    );
    let content = std::fs::read_to_string(&digests).unwrap();
    for secret in [COMMITTED, ENCODED] {
        assert_no_leak(&content, secret, "the digests file");
        use sha2::Digest as _;
        let plain: String = sha2::Sha256::digest(secret.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(
            !content.contains(&plain[..32]),
            "an unsalted hash is guessable offline"
        );
    }
    let file = digests.to_str().unwrap();
    let (code, text) = check(
        repo.tmp.path(),
        &["--digests", file],
        &[("JWT_SECRET", COMMITTED)],
    );
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("JWT_SECRET: committed to the repository"),
        "{text}"
    );
    let (code, text) = check(
        repo.tmp.path(),
        &["--digests", file],
        &[("JWT_SECRET", FRESH)],
    );
    assert_eq!(code, 0, "{text}");
    // Not a digests file, or a missing one: an error, not a pass.
    std::fs::write(&digests, "hello\n").unwrap();
    let (code, text) = check(
        repo.tmp.path(),
        &["--digests", file],
        &[("JWT_SECRET", FRESH)],
    );
    assert_eq!(code, 2, "{text}");
    let (code, _) = check(
        repo.tmp.path(),
        &["--digests", "/nonexistent/x"],
        &[("JWT_SECRET", FRESH)],
    );
    assert_eq!(code, 2);
    // A range would leave blobs out of the file: refused.
    let output = jwt_guard_env(
        &repo.dir,
        &["scan", "--history=HEAD~1..HEAD", "--export-digests", file],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
}
