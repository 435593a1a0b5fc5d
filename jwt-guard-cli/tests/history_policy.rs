//! `scan --history` and `scan --staged` honour the policy file a scan of the work tree
//! takes (found from the repository path, as `scan PATH` finds it): its `exclude` leaves
//! the same repository paths out of every commit and of the index, `config-files` and
//! `max-file-size` scope them as at HEAD, its exceptions cover history findings as HEAD
//! findings (shown as suppressed in JSON and SARIF; expired, a finding again), and a
//! policy file that does not parse is exit 2, never a quiet scan without it.
#![allow(clippy::unwrap_used)]

#[path = "support/git.rs"]
mod git;
mod support;

use std::path::Path;

use git::{Repo, jwt_guard_env};
use jwt_guard_tests::assert_no_leak;
use serde_json::Value;
use support::{assert_valid_sarif, stderr, stdout};

/// Fixture secrets: made up here, random-looking, so any 8-byte window in an output is a leak.
const SECRET: &str = "kR4vN8qT2wZ6yB0mX5cL9pH3sJ7dF1gA";
const DOTENV: &str = "Gm7tQ2xW9rK4nB6vZ1cP8sL3yH0dJ5fE";
const ALL: [&str; 2] = [SECRET, DOTENV];

fn binding(secret: &str) -> String {
    format!("pub const JWT_SECRET: &str = \"{secret}\";\n")
}

/// [`binding`] with a comment naming `place` first: history scans one blob once, so the
/// same secret in several files needs files that differ.
fn binding_at(place: &str, secret: &str) -> String {
    format!("{}// {place}\n", binding(secret))
}

/// `jwt-guard scan ARGS` in `dir`: exit code and stdout, stderr after checking neither
/// holds a secret.
fn scan(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = jwt_guard_env(dir, &[&["scan"], args].concat(), &[]);
    for secret in ALL {
        assert_no_leak(&stdout(&output), secret, "stdout");
        assert_no_leak(&stderr(&output), secret, "stderr");
    }
    (
        output.status.code().unwrap(),
        stdout(&output),
        stderr(&output),
    )
}

/// The JSON report of `scan --format json ARGS` and its exit code.
fn json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let (code, out, err) = scan(dir, &[&["--format", "json"], args].concat());
    let report =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}{err}"));
    (report, code)
}

/// The paths of the report's findings, in order.
fn paths(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect()
}

/// The two ways into git: every commit, and what the index stages.
const MODES: [&str; 2] = ["--history", "--staged"];

/// A repository whose files are all staged for its first commit (`--staged` scans them)
/// or committed (`--history` scans them).
fn repo_with(mode: &str, files: &[(&str, String)]) -> Repo {
    let mut repo = Repo::new();
    for (path, content) in files {
        repo.write(path, content);
    }
    repo.git(&["add", "-A"]);
    if mode == "--history" {
        repo.commit_staged("add");
    }
    repo
}

#[test]
fn a_policy_exclude_leaves_the_directory_out_and_the_same_secret_elsewhere_in() {
    for mode in MODES {
        let files = [
            (
                "jwt-guard.toml",
                "[guard]\nexclude = [\"vendor\"]\n".to_owned(),
            ),
            ("vendor/keys.rs", binding_at("vendor", SECRET)),
            ("vendored/keys.rs", binding_at("vendored", SECRET)),
            ("src/vendor/keys.rs", binding_at("src/vendor", SECRET)),
        ];
        let repo = repo_with(mode, &files);
        let (report, code) = json(&repo.dir, &[mode]);
        assert_eq!(code, 1, "{mode}: {report}");
        assert_eq!(
            paths(&report),
            ["src/vendor/keys.rs", "vendored/keys.rs"],
            "{mode}: only the repository's vendor/ is excluded: {report}"
        );
        // The not-flagged twin: without the policy file, vendor/ is reported.
        std::fs::remove_file(repo.dir.join("jwt-guard.toml")).unwrap();
        let (report, _) = json(&repo.dir, &[mode]);
        assert!(
            paths(&report).contains(&"vendor/keys.rs".to_owned()),
            "{mode}: {report}"
        );
    }
}

/// A package's policy in a subdirectory names paths relative to that directory: found
/// from the path argument, its `generated` is `crates/api/generated` in the repository,
/// not the root's `generated`; a path outside the repository excludes nothing.
#[test]
fn a_policy_file_in_a_subdirectory_excludes_its_own_paths() {
    for mode in MODES {
        let manifest = "[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n\
                        [package.metadata.jwt-guard.guard]\nexclude = [\"generated\", \"../../../elsewhere\"]\n";
        let files = [
            ("crates/api/Cargo.toml", manifest.to_owned()),
            ("crates/api/generated/keys.rs", binding_at("api", SECRET)),
            ("generated/keys.rs", binding_at("root", SECRET)),
        ];
        let repo = repo_with(mode, &files);
        let (report, code) = json(&repo.dir.join("crates/api"), &[mode]);
        assert_eq!(code, 1, "{mode}: {report}");
        assert_eq!(paths(&report), ["generated/keys.rs"], "{mode}: {report}");
        // From the root, whose policy (none) excludes nothing, both are reported.
        let (report, _) = json(&repo.dir, &[mode]);
        assert_eq!(
            paths(&report),
            ["crates/api/generated/keys.rs", "generated/keys.rs"],
            "{mode}: {report}"
        );
    }
}

const EXCEPTION: &str = "[[exceptions]]\npath = \"src/fixtures.rs\"\nrule = \"secret-binding\"\n\
                         line = 1\nreason = \"public test vector\"\n";

#[test]
fn an_exception_covers_the_finding_and_shows_as_suppressed_until_it_expires() {
    for mode in MODES {
        let files = [
            (
                "jwt-guard.toml",
                format!("{EXCEPTION}expires = 2999-12-31\n"),
            ),
            ("src/fixtures.rs", binding(SECRET)),
            ("src/auth.rs", binding(DOTENV)),
        ];
        let repo = repo_with(mode, &files);
        let (report, code) = json(&repo.dir, &[mode]);
        assert_eq!(code, 1, "{mode}: {report}");
        assert_eq!(paths(&report), ["src/auth.rs"], "{mode}: {report}");
        let excepted = report["excepted"].as_array().unwrap();
        assert_eq!(excepted.len(), 1, "{mode}: {report}");
        let excepted = &excepted[0];
        assert_eq!(excepted["path"], "src/fixtures.rs");
        assert_eq!(excepted["severity"], "none");
        assert_eq!(excepted["reason"], "public test vector");
        assert_eq!(excepted["expires"], "2999-12-31");
        assert!(
            excepted["declared_at"]
                .as_str()
                .unwrap()
                .ends_with("jwt-guard.toml:2:1"),
            "{excepted}"
        );
        assert_eq!(excepted["fingerprint"].as_str().unwrap().len(), 16);
        if mode == "--history" {
            // Its commit is told as a finding's is; it is no secret of the history.
            assert_eq!(excepted["commit"]["id"], repo.git(&["rev-parse", "HEAD"]));
            assert_eq!(excepted["still_present"], true);
            let secrets = report["history"]["secrets"].as_array().unwrap();
            assert_eq!(secrets.len(), 1, "{report}");
            assert_eq!(secrets[0]["first_path"], "src/auth.rs");
        }

        // SARIF: a result with the exception's suppression, as at HEAD.
        let (code, sarif, _) = scan(&repo.dir, &[mode, "--format", "sarif"]);
        assert_eq!(code, 1, "{mode}: {sarif}");
        assert_valid_sarif(&sarif);
        let log: Value = serde_json::from_str(&sarif).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        let suppressed: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(suppressed.len(), 1, "{mode}: {sarif}");
        assert_eq!(
            suppressed[0]["suppressions"][0]["justification"],
            "public test vector"
        );
        assert_eq!(
            suppressed[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/fixtures.rs"
        );
        if mode == "--history" {
            assert_eq!(
                suppressed[0]["properties"]["commit"],
                repo.git(&["rev-parse", "HEAD"])
            );
        }

        // Past its last day the finding is back, saying so.
        repo.write(
            "jwt-guard.toml",
            format!("{EXCEPTION}expires = 2020-01-01\n"),
        );
        let (report, code) = json(&repo.dir, &[mode]);
        assert_eq!(code, 1, "{mode}: {report}");
        assert_eq!(
            paths(&report),
            ["src/auth.rs", "src/fixtures.rs"],
            "{mode}: {report}"
        );
        let expired = &report["findings"][1]["message"];
        assert!(
            expired.as_str().unwrap().contains("expired on 2020-01-01"),
            "{mode}: {report}"
        );
        assert_eq!(report["excepted"], serde_json::json!([]));
    }
}

#[test]
fn config_files_false_leaves_a_committed_dotenv_out() {
    for mode in MODES {
        let files = [
            (
                "jwt-guard.toml",
                "[guard]\nconfig-files = false\n".to_owned(),
            ),
            (".env", format!("JWT_SECRET={DOTENV}\n")),
            ("src/auth.rs", binding(SECRET)),
        ];
        let repo = repo_with(mode, &files);
        let (report, code) = json(&repo.dir, &[mode]);
        assert_eq!(code, 1, "{mode}: {report}");
        assert_eq!(paths(&report), ["src/auth.rs"], "{mode}: {report}");
        // The twin: configuration files are read by default.
        repo.write("jwt-guard.toml", "[guard]\nconfig-files = true\n");
        let (report, _) = json(&repo.dir, &[mode]);
        assert_eq!(paths(&report), [".env", "src/auth.rs"], "{mode}: {report}");
    }
}

/// `max-file-size` limits git scans too, and --max-file-size, given, wins over it.
#[test]
fn the_policy_size_limit_applies_unless_the_flag_is_given() {
    for mode in MODES {
        let big = format!("// {}\npub fn a() {{}}\n", "x".repeat(400));
        let files = [
            (
                "jwt-guard.toml",
                "[guard]\nmax-file-size = 200\n".to_owned(),
            ),
            ("src/big.rs", big),
        ];
        let repo = repo_with(mode, &files);
        let (code, out, err) = scan(&repo.dir, &[mode]);
        assert_eq!(code, 2, "{mode}: over the policy's limit: {out}{err}");
        assert!(out.contains("over the limit of 200"), "{mode}: {out}");
        let (code, out, err) = scan(&repo.dir, &[mode, "--max-file-size", "1000"]);
        assert_eq!(code, 0, "{mode}: {out}{err}");
    }
}

#[test]
fn a_policy_file_that_does_not_parse_fails_closed() {
    for mode in MODES {
        let files = [
            // The broken line holds the secret: the error names the line, not its text.
            (
                "jwt-guard.toml",
                format!("[guard]\nexclude = [\"src\"]\nJWT_SECRET = \"{SECRET}\n"),
            ),
            ("src/auth.rs", binding(SECRET)),
        ];
        let repo = repo_with(mode, &files);
        let (code, out, err) = scan(&repo.dir, &[mode]);
        assert_eq!(code, 2, "{mode}: {out}{err}");
        assert!(out.is_empty(), "{mode}: no report: {out}");
        assert!(
            err.contains("invalid jwt-guard policy") && err.contains("jwt-guard.toml:3"),
            "{mode}: {err}"
        );
        // A well-formed file naming an unknown key is refused too.
        repo.write(
            "jwt-guard.toml",
            "[guard]\nexclude = [\"src\"]\nexclud = []\n",
        );
        let (code, out, err) = scan(&repo.dir, &[mode]);
        assert_eq!(code, 2, "{mode}: {out}{err}");
        assert!(err.contains("jwt-guard.toml:3"), "{mode}: {err}");
    }
}

/// A bare repository has no work tree, so no policy file: its history is scanned under
/// the built-in policy (a clone with a work tree applies the file).
#[test]
fn a_bare_repository_reads_no_policy_file() {
    let mut repo = Repo::new();
    repo.write("jwt-guard.toml", "[guard]\nexclude = [\"vendor\"]\n");
    repo.write("vendor/keys.rs", binding(SECRET));
    repo.commit("add");
    let (report, _) = json(&repo.dir, &["--history"]);
    assert_eq!(paths(&report), Vec::<String>::new(), "{report}");
    let bare = repo.clone_to("bare.git", &["--bare"]);
    // A policy file beside the bare repository is not its policy either.
    std::fs::write(
        bare.join("jwt-guard.toml"),
        "[guard]\nexclude = [\"vendor\"]\n",
    )
    .unwrap();
    let (report, code) = json(&bare, &["--history"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(paths(&report), ["vendor/keys.rs"], "{report}");
}

/// An exception names the line a finding has at HEAD; history reports a secret where it
/// first appeared, maybe on another line. The exception covers the secret's history in
/// that file when HEAD has that secret on the excepted line, and only then.
#[test]
fn a_line_exception_covers_the_secret_it_names_at_head_after_the_line_moved() {
    let exception = "[[exceptions]]\npath = \"src/fixtures.rs\"\nrule = \"secret-binding\"\n\
                     line = 3\nreason = \"public test vector\"\n";
    let mut repo = repo_with(
        "--history",
        &[
            ("jwt-guard.toml", exception.to_owned()),
            ("src/fixtures.rs", binding(SECRET)),
        ],
    );
    // Two lines above it later: HEAD has the secret on line 3, its first commit on line 1.
    repo.write(
        "src/fixtures.rs",
        format!("// Test vectors.\n\n{}", binding(SECRET)),
    );
    repo.commit("document the fixtures");
    let (report, code) = json(&repo.dir, &["--history"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    let excepted = report["excepted"].as_array().unwrap();
    assert_eq!(excepted.len(), 1, "{report}");
    // Reported where history has it: the first commit's line.
    assert_eq!(excepted[0]["line"], 1, "{report}");
    assert_eq!(excepted[0]["reason"], "public test vector");
    // Past its last day, the finding is back and says so, as at HEAD.
    repo.write(
        "jwt-guard.toml",
        format!("{exception}expires = 2020-01-01\n"),
    );
    let (report, code) = json(&repo.dir, &["--history"]);
    assert_eq!(code, 1, "{report}");
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("expired on 2020-01-01"), "{report}");
    assert_eq!(report["findings"][0]["line"], 1, "{report}");
    repo.write("jwt-guard.toml", exception);

    // Line 3 at HEAD holds another secret: the first one's history is not covered.
    repo.write(
        "src/fixtures.rs",
        format!("// Test vectors.\n\n{}{}", binding(DOTENV), binding(SECRET)),
    );
    repo.commit("another vector");
    let (report, code) = json(&repo.dir, &["--history"]);
    assert_eq!(code, 1, "{report}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["line"], 1, "{report}");
    assert_eq!(report["excepted"].as_array().unwrap().len(), 1, "{report}");
}
