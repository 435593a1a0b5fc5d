//! `jwt-guard scan --staged`: what the next commit would add, as staged, for a
//! pre-commit hook; unstaged edits and unchanged files are not its business.
#![allow(clippy::unwrap_used)]

#[path = "support/git.rs"]
mod git;
mod support;

use std::time::Instant;

use git::{Repo, jwt_guard_env};
use jwt_guard_tests::assert_no_leak;
use support::{stderr, stdout};

const SECRET: &str = "hX7qL2vR9mK4pT8wZ3nB6yF1cJ5dG0sA";
const OTHER: &str = "Pw4nC8xJ2kR6tY0bM5vL9qH3sD7fG1zE";

fn binding(secret: &str) -> String {
    format!("pub const JWT_SECRET: &str = \"{secret}\";\n")
}

fn staged(repo: &Repo, vars: &[(&str, &str)]) -> (i32, String) {
    let output = jwt_guard_env(&repo.dir, &["scan", "--staged"], vars);
    let text = format!("{}{}", stdout(&output), stderr(&output));
    assert_no_leak(&text, SECRET, "scan --staged");
    assert_no_leak(&text, OTHER, "scan --staged");
    (output.status.code().unwrap(), text)
}

#[test]
fn only_what_is_staged_and_differs_from_head_is_scanned() {
    let mut repo = Repo::new();
    // No commit yet: everything staged is new.
    repo.write("src/lib.rs", "pub mod auth;\n");
    repo.write("src/auth.rs", binding(SECRET));
    repo.git(&["add", "-A"]);
    let (code, text) = staged(&repo, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("src/auth.rs:1:"), "{text}");
    repo.commit_staged("add");

    // An unrelated staged change: the committed secret is history's business.
    repo.write("src/lib.rs", "pub mod auth;\npub fn a() {}\n");
    repo.git(&["add", "src/lib.rs"]);
    let (code, text) = staged(&repo, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("1 file scanned"), "{text}");

    // A secret in the work tree but not staged is not in the commit.
    repo.write("src/new.rs", binding(OTHER));
    let (code, text) = staged(&repo, &[]);
    assert_eq!(code, 0, "{text}");
    repo.git(&["add", "src/new.rs"]);
    let (code, text) = staged(&repo, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("src/new.rs"), "{text}");

    // Staged clean, then the work tree gets the secret: the staged content is what counts.
    repo.git(&["reset", "-q", "src/new.rs"]);
    repo.write("src/new.rs", "pub fn b() {}\n");
    repo.git(&["add", "src/new.rs"]);
    repo.write("src/new.rs", binding(OTHER));
    let (code, text) = staged(&repo, &[]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn the_index_git_hands_a_hook_is_the_one_read() {
    let mut repo = Repo::new();
    repo.write("src/lib.rs", "pub fn a() {}\n");
    repo.commit("base");
    // `git commit path` hands hooks a temporary index through GIT_INDEX_FILE.
    let other_index = repo.tmp.path().join("next-index");
    std::fs::copy(repo.dir.join(".git/index"), &other_index).unwrap();
    repo.write("src/auth.rs", binding(SECRET));
    let output = git::git_command(&repo.dir, &repo.home())
        .env("GIT_INDEX_FILE", &other_index)
        .args(["add", "src/auth.rs"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let (code, text) = staged(&repo, &[]);
    assert_eq!(code, 0, "the default index has nothing staged: {text}");
    let (code, text) = staged(&repo, &[("GIT_INDEX_FILE", other_index.to_str().unwrap())]);
    assert_eq!(code, 1, "{text}");
}

#[test]
fn test_code_deletions_and_exclusions_are_treated_as_at_head() {
    let mut repo = Repo::new();
    repo.write("Cargo.toml", "[package]\nname = \"x\"\n");
    repo.write("src/lib.rs", "pub fn a() {}\n#[cfg(test)]\nmod tests;\n");
    repo.write("src/tests.rs", binding(SECRET));
    repo.write("tests/it.rs", binding(SECRET));
    repo.write("vendor/x.rs", binding(OTHER));
    repo.git(&["add", "-A"]);
    let output = jwt_guard_env(
        &repo.dir,
        &["scan", "--staged", "--exclude", "vendor/"],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = jwt_guard_env(
        &repo.dir,
        &[
            "scan",
            "--staged",
            "--exclude",
            "vendor/",
            "--include-tests",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    repo.commit_staged("all");
    repo.git(&["rm", "-q", "vendor/x.rs"]);
    let (code, text) = staged(&repo, &[]);
    assert_eq!(code, 0, "a deletion brings nothing: {text}");
}

#[test]
fn a_bare_repository_has_nothing_staged_and_that_is_an_error() {
    let mut repo = Repo::new();
    repo.write("a.rs", "fn a() {}\n");
    repo.commit("a");
    let bare = repo.clone_to("bare.git", &["--bare"]);
    let output = jwt_guard_env(&bare, &["scan", "--staged"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bare repository"),
        "{}",
        stderr(&output)
    );
}

/// Not the benchmark (that is bench/history.sh, on a large repository): a guard that
/// a commit of a few files in a repository of a few thousand stays quick even unoptimised.
#[test]
fn a_small_commit_in_a_big_index_is_quick() {
    let mut repo = Repo::new();
    for dir in 0..40 {
        for file in 0..50 {
            repo.write(
                &format!("crate{dir}/src/m{file}.rs"),
                format!("pub fn f{file}() {{}}\n"),
            );
        }
    }
    repo.commit("many files");
    repo.write("crate7/src/m3.rs", binding(SECRET));
    repo.write("crate9/src/new.rs", "pub fn n() {}\n");
    repo.git(&["add", "-A"]);
    let started = Instant::now();
    let (code, text) = staged(&repo, &[]);
    let elapsed = started.elapsed();
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("2 files scanned"), "{text}");
    assert!(elapsed.as_secs_f64() < 5.0, "{elapsed:?}");
}
