//! `jwt-guard scan --history` on repositories the tests build: each secret ever
//! committed is reported once, with the commit that brought it and whether it is still
//! at HEAD; odd objects (binary, huge, submodules) neither panic nor pass quietly;
//! shallow, bare, packed and loose repositories give the same answers; no output holds
//! a secret.
#![allow(clippy::unwrap_used)]

#[path = "support/git.rs"]
mod git;
mod support;

use std::path::Path;
use std::process::Output;

use git::{Repo, jwt_guard_env};
use jwt_guard_tests::assert_no_leak;
use serde_json::Value;
use support::{assert_valid_sarif, stderr, stdout};

/// Fixture secrets: made up here, random-looking, so any 8-byte window in an output is a leak.
const FIRST: &str = "hX7qL2vR9mK4pT8wZ3nB6yF1cJ5dG0sA";
const SECOND: &str = "Pw4nC8xJ2kR6tY0bM5vL9qH3sD7fG1zE";
const THIRD: &str = "uE6rT1yW9qA3sZ8xC4vB0nM7kL2jH5gF";
const ALL: [&str; 3] = [FIRST, SECOND, THIRD];

fn binding(secret: &str) -> String {
    format!("// auth settings\npub const JWT_SECRET: &str = \"{secret}\";\n")
}

fn key_literal(secret: &str) -> String {
    format!("pub fn key() -> EncodingKey {{\n    EncodingKey::from_secret(b\"{secret}\")\n}}\n")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let output = jwt_guard_env(dir, args, &[]);
    for secret in ALL {
        assert_no_leak(&stdout(&output), secret, "stdout");
        assert_no_leak(&stderr(&output), secret, "stderr");
    }
    output
}

fn history_json(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let output = run(
        dir,
        &[&["scan", "--format", "json", "--history"], extra].concat(),
    );
    let report: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&output), stderr(&output)));
    (report, output.status.code().unwrap())
}

fn secrets(report: &Value) -> &Vec<Value> {
    report["history"]["secrets"].as_array().unwrap()
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

#[test]
fn a_removed_secret_is_reported_once_with_its_commit_and_removal() {
    let mut repo = Repo::new();
    repo.write("src/lib.rs", "pub mod auth;\n");
    repo.write("src/auth.rs", binding(FIRST));
    let introduced = repo.commit("add auth");
    // The line moves, then the line changes around the same secret: not new.
    repo.write("src/auth.rs", format!("// moved\n{}", binding(FIRST)));
    repo.commit("move");
    repo.write(
        "src/auth.rs",
        format!("// moved\npub(crate) const JWT_SECRET: &str = \"{FIRST}\";\n"),
    );
    repo.commit("change the line");
    repo.write(
        "src/auth.rs",
        "pub fn secret() -> String { std::env::var(\"JWT_SECRET\").unwrap() }\n",
    );
    let removed = repo.commit("remove");
    repo.write("README.md", "docs\n");
    repo.commit("docs");

    let (report, code) = history_json(&repo.dir, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(findings(&report).len(), 1, "{report}");
    let finding = &findings(&report)[0];
    assert_eq!(finding["commit"]["id"], introduced);
    assert_eq!(finding["commit"]["date"], "2023-11-14T23:13:20Z");
    assert_eq!(finding["path"], "src/auth.rs");
    assert_eq!(finding["line"], 2);
    assert_eq!(finding["rule"], "secret-binding");
    assert_eq!(finding["still_present"], false);
    let secret = &secrets(&report)[0];
    assert_eq!(secrets(&report).len(), 1);
    assert_eq!(secret["secret"], finding["secret"]);
    assert_eq!(secret["first_commit"]["id"], introduced);
    assert_eq!(secret["removed_in"]["id"], removed);
    assert_eq!(secret["still_present"], false);
    assert_eq!(secret["advice"], "rotate: it is in history");
    assert_eq!(report["history"]["commits_scanned"], 5);
    // The fingerprint is keyed per run: another run names the same secret differently.
    let (again, _) = history_json(&repo.dir, &[]);
    assert_ne!(secrets(&again)[0]["secret"], secret["secret"]);
    assert_eq!(secret["secret"].as_str().unwrap().len(), 16);
}

#[test]
fn a_renamed_file_keeps_its_first_commit_and_is_still_present() {
    let mut repo = Repo::new();
    repo.write("src/auth.rs", key_literal(SECOND));
    let introduced = repo.commit("add");
    repo.git(&["mv", "src/auth.rs", "src/keys.rs"]);
    repo.commit_staged("rename");
    let (report, code) = history_json(&repo.dir, &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report).len(), 1, "{report}");
    assert_eq!(findings(&report)[0]["commit"]["id"], introduced);
    assert_eq!(findings(&report)[0]["still_present"], true);
    let secret = &secrets(&report)[0];
    assert_eq!(secret["still_present"], true);
    assert_eq!(secret["present_at"][0]["path"], "src/keys.rs");
    assert_eq!(secret["removed_in"], Value::Null);

    let human = stdout(&run(&repo.dir, &["scan", "--history"]));
    assert!(
        human.contains("still present at HEAD (src/keys.rs:2)"),
        "{human}"
    );
    assert!(
        human.contains(&format!("committed in {}", &introduced[..12])),
        "{human}"
    );
    assert!(human.contains("rotate: it is in history"), "{human}");
}

#[test]
fn a_secret_from_a_merged_branch_names_the_branch_commit() {
    let mut repo = Repo::new();
    repo.write("src/lib.rs", "pub fn a() {}\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("src/config.rs", binding(THIRD));
    let on_branch = repo.commit("on topic");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/other.rs", "pub fn b() {}\n");
    repo.commit("on main");
    repo.merge("topic");
    // The same secret pasted into a second file later is a second place, not a second secret.
    repo.write("src/copy.rs", format!("// pasted\n{}", binding(THIRD)));
    let pasted = repo.commit("paste");

    let (report, _) = history_json(&repo.dir, &[]);
    assert_eq!(secrets(&report).len(), 1, "{report}");
    assert_eq!(secrets(&report)[0]["first_commit"]["id"], on_branch);
    assert_eq!(secrets(&report)[0]["places"], 2);
    let commits: Vec<&str> = findings(&report)
        .iter()
        .map(|f| f["commit"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(commits, [on_branch.as_str(), pasted.as_str()]);
    assert_eq!(report["history"]["commits_scanned"], 5);
}

#[test]
fn a_commit_only_a_tag_reaches_is_scanned_by_default_and_ranges_select() {
    let mut repo = Repo::new();
    repo.write("src/lib.rs", "pub fn a() {}\n");
    let base = repo.commit("base");
    repo.git(&["checkout", "-q", "--detach"]);
    repo.write("src/release.rs", key_literal(FIRST));
    let tagged = repo.commit("release only");
    repo.git(&["tag", "-a", "-m", "release", "v1"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/next.rs", binding(SECOND));
    let next = repo.commit("next");

    let (report, _) = history_json(&repo.dir, &[]);
    let firsts: Vec<&str> = secrets(&report)
        .iter()
        .map(|s| s["first_commit"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(firsts.len(), 2, "{report}");
    assert!(firsts.contains(&tagged.as_str()) && firsts.contains(&next.as_str()));
    let tag_only = secrets(&report)
        .iter()
        .find(|s| s["first_commit"]["id"] == tagged)
        .unwrap();
    assert_eq!(tag_only["in_head_history"], false);

    // A range: only what `base..main` brings.
    let (report, code) = history_json(&repo.dir, &[]);
    assert_eq!(code, 1);
    let output = run(
        &repo.dir,
        &[
            "scan",
            "--format",
            "json",
            &format!("--history={base}..main"),
        ],
    );
    let ranged: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(ranged["history"]["commits_scanned"], 1, "{ranged}");
    assert_eq!(secrets(&ranged).len(), 1);
    assert_eq!(secrets(&ranged)[0]["first_commit"]["id"], next);
    assert_eq!(ranged["history"]["revisions"][0], format!("{base}..main"));
    drop(report);
    // Only the tag.
    let output = run(&repo.dir, &["scan", "--format", "json", "--history=v1"]);
    let tag: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(secrets(&tag).len(), 1);
    assert_eq!(secrets(&tag)[0]["first_commit"]["id"], tagged);
}

#[test]
fn odd_objects_neither_panic_nor_pass_quietly() {
    let mut repo = Repo::new();
    repo.write("src/lib.rs", "pub fn a() {}\n");
    // A binary file, and a binary file with a Rust name.
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
    repo.write("assets/logo.png", &binary);
    repo.write("src/generated.rs", &binary);
    // A submodule pointer (a gitlink entry) to a commit this repository does not hold.
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        "160000,1111111111111111111111111111111111111111,vendor/sub",
    ]);
    repo.write(
        ".gitmodules",
        "[submodule \"sub\"]\n\tpath = vendor/sub\n\turl = ../sub\n",
    );
    // A symbolic link.
    std::os::unix::fs::symlink("lib.rs", repo.dir.join("src/link.rs")).unwrap();
    repo.commit("odd objects");
    // A blob over the size limit (9 MiB, over the default 8 MiB).
    repo.write("src/huge.rs", vec![b'/'; 9 * 1024 * 1024]);
    repo.commit("huge");

    let (report, code) = history_json(&repo.dir, &[]);
    assert_eq!(code, 2, "what was not scanned makes it fail: {report}");
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| format!("{} {}", w["path"], w["message"]))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("src/generated.rs") && w.contains("UTF-8")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("src/huge.rs") && w.contains("--max-file-size")),
        "{warnings:?}"
    );
    assert!(findings(&report).is_empty());
    // Excluding the two is the way out, and then it is clean.
    let (report, code) = history_json(
        &repo.dir,
        &["--exclude", "src/generated.rs", "--exclude", "src/huge.rs"],
    );
    assert_eq!(code, 0, "{report}");
}

#[test]
fn exclusions_test_code_and_suppressions_are_honoured_as_at_head() {
    let mut repo = Repo::new();
    repo.write("Cargo.toml", "[package]\nname = \"x\"\n");
    repo.write("src/lib.rs", "pub fn a() {}\n#[cfg(test)]\nmod tests;\n");
    repo.write("src/tests.rs", binding(FIRST));
    repo.write("tests/it.rs", binding(SECOND));
    repo.write(
        "src/allowed.rs",
        format!("// jwt-guard: allow(secret-binding) a published test vector\npub const JWT_SECRET: &str = \"{THIRD}\";\n"),
    );
    repo.write("vendor/dep.rs", key_literal(THIRD));
    repo.commit("tests and vendor");
    let (report, code) = history_json(&repo.dir, &["--exclude", "vendor/"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["suppressed"], 1);
    let (report, code) = history_json(&repo.dir, &["--exclude", "vendor/", "--include-tests"]);
    assert_eq!(code, 1);
    assert_eq!(secrets(&report).len(), 2, "{report}");
    let (report, _) = history_json(&repo.dir, &[]);
    assert_eq!(secrets(&report).len(), 1, "{report}");
    assert_eq!(findings(&report)[0]["path"], "vendor/dep.rs");
}

/// One repository with secrets removed, kept and on a branch, in every shape a clone
/// can take: the answers must not depend on it.
#[test]
fn bare_shallow_packed_and_loose_repositories_agree() {
    let mut repo = Repo::new();
    repo.write("src/old.rs", binding(FIRST));
    let first = repo.commit("old");
    repo.remove("src/old.rs");
    repo.commit("remove old");
    repo.write("src/keep.rs", key_literal(SECOND));
    let second = repo.commit("keep");
    repo.write("README.md", "x\n");
    let last = repo.commit("docs");

    let summary = |dir: &Path| {
        let (report, code) = history_json(dir, &[]);
        let mut rows: Vec<String> = secrets(&report)
            .iter()
            .map(|s| {
                format!(
                    "{} {} {}",
                    s["first_commit"]["id"], s["still_present"], s["first_path"]
                )
            })
            .collect();
        rows.sort();
        (rows, code, report)
    };
    let (loose, code, _) = summary(&repo.dir);
    assert_eq!(code, 1);
    assert_eq!(loose.len(), 2, "{loose:?}");
    assert!(
        loose.contains(&format!("\"{first}\" false \"src/old.rs\"")),
        "{loose:?}"
    );
    assert!(
        loose.contains(&format!("\"{second}\" true \"src/keep.rs\"")),
        "{loose:?}"
    );

    let bare = repo.clone_to("bare.git", &["--bare"]);
    assert_eq!(summary(&bare).0, loose, "bare clone");
    // A bare repository's HEAD is its default branch: the kept secret is still present.
    let plain = repo.clone_to("plain", &[]);
    assert_eq!(summary(&plain).0, loose, "packed clone");
    repo.git(&["gc", "-q"]);
    assert_eq!(summary(&repo.dir).0, loose, "after gc");

    // Shallow: only the last two commits are there; what they hold is found, and the
    // missing history makes the scan fail rather than pass for complete.
    let shallow = repo.clone_to("shallow", &["--depth", "2"]);
    let (rows, code, report) = summary(&shallow);
    assert_eq!(code, 1, "{report}");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains(&second), "{rows:?}");
    let warning = report["warnings"][0]["message"].as_str().unwrap();
    assert!(
        warning.contains("shallow clone") && warning.contains("--unshallow"),
        "{warning}"
    );
    let _ = last;
}

#[test]
fn json_is_the_v1_contract_plus_history_fields_and_sarif_is_valid() {
    let mut repo = Repo::new();
    repo.write("src/auth.rs", key_literal(FIRST));
    repo.commit("add");
    let output = run(&repo.dir, &["scan", "--history", "--format", "json"]);
    let text = stdout(&output);
    let report: Value = serde_json::from_str(&text).unwrap();
    // Every v1 key, in order, then the additions.
    let finding = &text[text.find("\"findings\"").unwrap()..];
    let order = [
        "rule",
        "path",
        "line",
        "column",
        "message",
        "severity",
        "fingerprint",
        "commit",
        "secret",
        "still_present",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| finding.find(&format!("\"{k}\"")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]), "{finding}");
    assert_eq!(report["version"], 1);
    for key in [
        "files_scanned",
        "suppressed",
        "findings",
        "warnings",
        "excepted",
        "history",
    ] {
        assert!(report.get(key).is_some(), "{key}: {text}");
    }
    let output = run(&repo.dir, &["scan", "--history", "--format", "sarif"]);
    let sarif = stdout(&output);
    assert_valid_sarif(&sarif);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let run = &log["runs"][0];
    let provenance = &run["versionControlProvenance"][0];
    assert!(
        provenance["repositoryUri"]
            .as_str()
            .unwrap()
            .starts_with("file://")
    );
    assert_eq!(provenance["revisionId"], repo.git(&["rev-parse", "HEAD"]));
    assert_eq!(provenance["branch"], "main");
    let properties = &run["results"][0]["properties"];
    assert_eq!(properties["commit"], repo.git(&["rev-parse", "HEAD"]));
    assert_eq!(properties["stillPresent"], true);
    assert_eq!(
        run["properties"]["history"]["secrets"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn what_is_not_a_repository_or_revision_or_object_fails_closed() {
    let mut repo = Repo::new();
    repo.write("src/auth.rs", key_literal(FIRST));
    let id = repo.commit("add");
    let outside = tempfile::tempdir().unwrap();
    for (dir, args, expected) in [
        (
            outside.path(),
            vec!["scan", "--history"],
            "not in a git repository",
        ),
        (
            repo.dir.as_path(),
            vec!["scan", "--history=no-such-branch"],
            "unknown revision",
        ),
        (
            repo.dir.as_path(),
            vec!["scan", "--history", "a", "b"],
            "one repository path",
        ),
        (
            repo.dir.as_path(),
            vec!["scan", "--history", "missing"],
            "no such file",
        ),
    ] {
        let output = run(dir, &args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // A corrupt loose object: the commit's tree is truncated.
    let tree = repo.git(&["rev-parse", &format!("{id}^{{tree}}")]);
    let object = repo
        .dir
        .join(".git/objects")
        .join(&tree[..2])
        .join(&tree[2..]);
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    std::fs::write(&object, b"x\x9c\x03\x00").unwrap();
    let output = run(&repo.dir, &["scan", "--history"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stderr(&output).contains(&tree), "{}", stderr(&output));
}

#[test]
fn an_empty_repository_has_an_empty_history() {
    let repo = Repo::new();
    let (report, code) = history_json(&repo.dir, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["history"]["commits_scanned"], 0);
}
