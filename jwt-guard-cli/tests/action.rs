//! The GitHub Action, as far as it can be tested without GitHub: action.yml's steps and the
//! workflows pass actionlint, and the scan step's own script (`action/scan.sh`, the same
//! command lines the action runs) produces valid SARIF on a sample repository.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use jwt_guard_tests::{assert_no_leak, output};
use serde_json::Value;
use support::{Validation, validate_sarif, write_tree};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// actionlint's WebAssembly build (`.ci/fetch-actionlint`), or why it is not there: a skip
/// outside CI, a failure in CI.
fn actionlint_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ACTIONLINT_DIR")
        .map_or_else(|| root().join("target/actionlint"), PathBuf::from)
        .join("package");
    let node = Command::new("node").arg("--version").output();
    if dir.join("main.wasm").is_file() && node.is_ok_and(|o| o.status.success()) {
        return Some(dir);
    }
    let why = format!(
        "actionlint not found at {} (run .ci/fetch-actionlint target/actionlint; needs node)",
        dir.display()
    );
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("note: skipped: {why}");
    None
}

/// Lints each (name, workflow text) with actionlint; the problems, one a line.
fn actionlint(dir: &Path, workflows: &[(&str, String)]) -> String {
    const SCRIPT: &str = r#"
const { createLinter } = require(process.argv[1] + "/node.cjs");
const input = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
createLinter().then((lint) => {
  for (const [name, text] of input) {
    for (const e of lint(text, name)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
});
"#;
    let input = serde_json::to_string(workflows).unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), input).unwrap();
    let out = output(
        Command::new("node")
            .args(["-e", SCRIPT])
            .arg(dir)
            .arg(file.path()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// action.yml's steps as a reusable workflow's job, whose `inputs` are the action's: so
/// actionlint checks every expression, step id and script of the action.
fn action_as_workflow(action: &str) -> String {
    let block = |start: &str| -> Vec<&str> {
        let mut lines = action.lines().skip_while(|l| *l != start).skip(1);
        let mut out = Vec::new();
        for line in lines.by_ref() {
            if !line.is_empty() && !line.starts_with(' ') {
                break;
            }
            out.push(line);
        }
        out
    };
    let mut workflow = String::from("on:\n  workflow_call:\n    inputs:\n");
    for line in block("inputs:") {
        if line.is_empty() {
            continue;
        }
        workflow.push_str(&format!("    {line}\n"));
        // An input's name: `  name:` at two spaces. Workflow inputs need a type.
        if line.starts_with("  ") && !line.starts_with("   ") {
            workflow.push_str("        type: string\n");
        }
    }
    workflow.push_str("jobs:\n  action:\n    runs-on: ubuntu-latest\n    steps:\n");
    let runs = block("runs:");
    let steps = runs.iter().skip_while(|l| l.trim() != "steps:").skip(1);
    for line in steps {
        workflow.push_str(&format!("  {line}\n"));
    }
    workflow
}

/// The GitHub workflow of docs/ci.md: the yaml block after its marker comment.
fn docs_workflow() -> String {
    let docs = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let after = docs.split("<!-- github-workflow").nth(1).unwrap();
    let block = after.split("```yaml\n").nth(1).unwrap();
    block.split("```").next().unwrap().to_owned()
}

#[test]
fn the_action_and_the_workflows_pass_actionlint() {
    let Some(dir) = actionlint_dir() else {
        return;
    };
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let own = std::fs::read_to_string(root().join(".github/workflows/jwt-guard.yml")).unwrap();
    let synthetic = action_as_workflow(&action);
    assert!(synthetic.contains("id: scan"), "{synthetic}");
    let problems = actionlint(
        &dir,
        &[
            ("action.yml (as a workflow)", synthetic.clone()),
            (".github/workflows/jwt-guard.yml", own),
            ("docs/ci.md (GitHub workflow)", docs_workflow()),
        ],
    );
    assert!(problems.is_empty(), "{problems}\n{synthetic}");
    // And actionlint does find problems in such a file: an input no one declared.
    let broken = synthetic.replace("inputs.exclude", "inputs.exclude-paths");
    let problems = actionlint(&dir, &[("broken", broken)]);
    assert!(problems.contains("exclude-paths"), "{problems}");
}

#[test]
fn the_action_passes_every_input_the_script_reads() {
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let script = std::fs::read_to_string(root().join("action/scan.sh")).unwrap();
    let read: BTreeSet<&str> = script
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("INPUT_"))
        .collect();
    let passed: BTreeSet<&str> = action
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .map(|(key, _)| key)
        .filter(|k| k.starts_with("INPUT_"))
        .collect();
    assert_eq!(read, passed);
    for input in &passed {
        let name = input["INPUT_".len()..]
            .to_ascii_lowercase()
            .replace('_', "-");
        assert!(action.contains(&format!("  {name}:\n")), "no input {name}");
        assert!(
            action.contains(&format!("${{{{ inputs.{name} }}}}")),
            "{name} not passed"
        );
    }
    assert!(action.contains(r#"run: bash "$GITHUB_ACTION_PATH/action/scan.sh""#));
}

/// A repository with one hardcoded secret, one clean file, and a hardcoded secret in
/// test code.
const SECRET: &str = "hunter2-but-much-longer-0c9Qx";

fn sample_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let auth = format!(
        "use jsonwebtoken::EncodingKey;\npub fn key() -> EncodingKey {{\n    EncodingKey::from_secret(b\"{SECRET}\")\n}}\n"
    );
    let test =
        format!("#[cfg(test)]\nmod tests {{\n    const JWT_SECRET: &str = \"{SECRET}\";\n}}\n");
    write_tree(
        dir.path(),
        &[
            (
                "Cargo.toml",
                b"[package]\nname = \"sample\"\nversion = \"0.1.0\"\n",
            ),
            ("src/auth.rs", auth.as_bytes()),
            ("src/lib.rs", b"pub mod auth;\npub mod util;\n"),
            ("src/util.rs", test.as_bytes()),
            (
                "clean/src/lib.rs",
                b"pub fn add(a: u8, b: u8) -> u8 { a + b }\n",
            ),
        ],
    );
    dir
}

struct Step {
    output: Output,
    outputs: String,
    sarif: Option<Value>,
}

/// Runs action/scan.sh as the action's scan step does, in `repo`, with `inputs`.
fn scan_step(repo: &Path, inputs: &[(&str, &str)]) -> Step {
    let work = tempfile::tempdir().unwrap();
    let sarif = work.path().join("jwt-guard.sarif");
    let outputs = work.path().join("github_output");
    let mut command = Command::new("bash");
    command
        .arg(root().join("action/scan.sh"))
        .current_dir(repo)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("JWT_GUARD", env!("CARGO_BIN_EXE_jwt-guard"))
        .env("SARIF_FILE", &sarif)
        .env("GITHUB_OUTPUT", &outputs)
        .envs(inputs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = output(&mut command);
    let text = std::fs::read_to_string(&sarif).ok();
    Step {
        output,
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
        sarif: text.filter(|t| !t.is_empty()).map(|t| {
            match validate_sarif(&t) {
                Validation::Valid => {}
                Validation::Invalid(errors) => panic!("invalid SARIF: {errors}\n{t}"),
                Validation::Unavailable(why) => eprintln!("note: SARIF schema not checked: {why}"),
            }
            serde_json::from_str(&t).unwrap()
        }),
    }
}

fn results(sarif: &Value) -> Vec<(String, String)> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_owned();
            (r["ruleId"].as_str().unwrap().to_owned(), uri)
        })
        .collect()
}

fn all_text(step: &Step) -> String {
    format!(
        "{}{}{}{}",
        String::from_utf8_lossy(&step.output.stdout),
        String::from_utf8_lossy(&step.output.stderr),
        step.outputs,
        step.sarif
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default()
    )
}

#[test]
fn the_scan_step_reports_findings_as_valid_sarif_and_in_the_log() {
    let repo = sample_repo();
    let step = scan_step(repo.path(), &[("INPUT_PATHS", "src clean")]);
    assert_eq!(step.output.status.code(), Some(0), "{}", all_text(&step));
    assert!(step.outputs.contains("exit-code=1\n"), "{}", step.outputs);
    assert!(step.outputs.contains("sarif-file="), "{}", step.outputs);
    let sarif = step.sarif.as_ref().unwrap();
    assert_eq!(
        results(sarif),
        [("key-literal".to_owned(), "src/auth.rs".to_owned())]
    );
    // The human report, for the job log.
    let log = String::from_utf8_lossy(&step.output.stdout);
    assert!(
        log.contains("error: hardcoded JWT secret [key-literal]"),
        "{log}"
    );
    assert_no_leak(&all_text(&step), SECRET, "the action's step");
}

#[test]
fn the_scan_step_passes_its_inputs_to_the_cli() {
    let repo = sample_repo();
    // include-tests: the test module's constant too.
    let step = scan_step(
        repo.path(),
        &[("INPUT_PATHS", "src"), ("INPUT_INCLUDE_TESTS", "true")],
    );
    let rules: Vec<String> = results(step.sarif.as_ref().unwrap())
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        rules,
        ["key-literal", "secret-binding"],
        "{}",
        all_text(&step)
    );
    // exclude, one glob a line, blank lines ignored.
    let step = scan_step(
        repo.path(),
        &[
            ("INPUT_PATHS", "src\nclean\n"),
            ("INPUT_EXCLUDE", "auth.rs\n\n  \n"),
        ],
    );
    assert!(
        step.outputs.contains("exit-code=0\n"),
        "{}",
        all_text(&step)
    );
    assert!(results(step.sarif.as_ref().unwrap()).is_empty());
    let log = String::from_utf8_lossy(&step.output.stdout);
    assert!(
        log.contains("jwt-guard: no hardcoded JWT secret found"),
        "{log}"
    );
    // config-files: false still scans the Rust sources.
    let step = scan_step(repo.path(), &[("INPUT_CONFIG_FILES", "false")]);
    assert!(
        step.outputs.contains("exit-code=1\n"),
        "{}",
        all_text(&step)
    );
    assert_no_leak(&all_text(&step), SECRET, "the action's step");
}

#[test]
fn the_scan_step_fails_when_it_cannot_scan_or_is_misconfigured() {
    let repo = sample_repo();
    let step = scan_step(repo.path(), &[("INPUT_PATHS", "src does-not-exist")]);
    assert_eq!(step.output.status.code(), Some(2), "{}", all_text(&step));
    assert!(step.outputs.contains("exit-code=2\n"), "{}", step.outputs);
    let step = scan_step(repo.path(), &[("INPUT_HISTORY", "maybe")]);
    assert_eq!(step.output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&step.output.stderr);
    assert!(
        stderr.contains("expected true or false, not 'maybe'"),
        "{stderr}"
    );
}

/// The `with:` inputs of this repository's own workflow, as the action's environment.
fn own_workflow_inputs() -> Vec<(String, String)> {
    let own = std::fs::read_to_string(root().join(".github/workflows/jwt-guard.yml")).unwrap();
    let with = own.split_once("        with:\n").unwrap().1;
    let mut inputs: Vec<(String, String)> = Vec::new();
    for line in with.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if let Some(item) = line.strip_prefix("            ") {
            // A line of the block scalar above (`exclude: |`).
            inputs.last_mut().unwrap().1.push_str(&format!("{item}\n"));
        } else if let Some((key, value)) = line.trim().split_once(':') {
            let name = format!("INPUT_{}", key.to_uppercase().replace('-', "_"));
            inputs.push((name, value.trim().trim_start_matches('|').to_owned()));
        }
    }
    inputs
}

#[test]
fn the_repository_passes_its_own_workflow_scan() {
    let inputs = own_workflow_inputs();
    let exclude = inputs.iter().find(|(k, _)| k == "INPUT_EXCLUDE").unwrap();
    assert!(
        exclude.1.contains("examples/vulnerable-service/"),
        "{inputs:?}"
    );
    let inputs: Vec<(&str, &str)> = inputs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let step = scan_step(&root(), &inputs);
    assert!(
        step.outputs.contains("exit-code=0\n"),
        "{}",
        all_text(&step)
    );
    assert_eq!(results(step.sarif.as_ref().unwrap()), []);
    // And the same scan without the exclusion finds the demo's secrets.
    let step = scan_step(&root(), &[("INPUT_PATHS", "examples")]);
    assert!(
        step.outputs.contains("exit-code=1\n"),
        "{}",
        all_text(&step)
    );
}
