//! `jwt-guard audit-token` end to end: every token shape, every input path, the exit
//! statuses, and that no output shows a token or a matched secret (unless asked).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use jwt_guard_tests::{DEADLINE, assert_no_leak, output_within, within};
use serde_json::json;

/// A full pass over a million candidates, in a debug build, on a shared machine.
const AUDIT_DEADLINE: Duration = Duration::from_secs(120);
/// Entry 2829 of the wallarm list, and on no other part of the candidates.
const LISTED: &str = "qwertyuiop";
const RANDOM: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";

fn sign_with(secret: &str, header: Header) -> String {
    let claims = json!({ "sub": "ada", "exp": 4_102_444_800_u64 });
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn hs(alg: Algorithm, secret: &str) -> String {
    sign_with(secret, Header::new(alg))
}

fn b64(json: &str) -> String {
    URL_SAFE_NO_PAD.encode(json)
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jwt-guard"));
    command
        .arg("audit-token")
        .args(args)
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn audit(args: &[&str]) -> Output {
    output_within(&mut command(args), AUDIT_DEADLINE)
}

/// Runs with `input` on stdin (through a file, so nothing can block on a pipe).
fn audit_stdin(args: &[&str], input: &[u8]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stdin");
    std::fs::write(&path, input).unwrap();
    let stdin = std::fs::File::open(&path).unwrap();
    let mut command = command(args);
    command.stdin(stdin);
    within(AUDIT_DEADLINE, move || command.output().unwrap())
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The status, the whole output, and a check that none of `hidden` shows in it.
fn run_checked(output: &Output, hidden: &[&str]) -> (i32, String) {
    let all = text(output);
    for secret in hidden {
        assert_no_leak(&all, secret, "audit-token's output");
    }
    (output.status.code().unwrap(), all)
}

#[test]
fn a_token_signed_with_a_listed_secret_is_forgeable_and_neither_is_printed() {
    let token = hs(Algorithm::HS256, LISTED);
    let (status, out) = run_checked(&audit(&[&token]), &[&token, LISTED]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("argument 1: HS256 token eyJ0eX…"), "{out}");
    assert!(
        out.contains("signed with a publicly known secret: forgeable"),
        "{out}"
    );
    assert!(
        out.contains(
            "matched: entry 2829 (line 2829) of wallarm/jwt-secrets jwt.secrets.list (MIT)"
        ),
        "{out}"
    );
    assert!(out.contains("--show-public-secret shows it"), "{out}");
    assert!(out.contains("summary: 1 token: 1 forgeable"), "{out}");
}

#[test]
fn show_public_secret_prints_the_matched_secret_only() {
    let token = hs(Algorithm::HS512, LISTED);
    let (status, out) = run_checked(&audit(&["--show-public-secret", &token]), &[&token]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains(&format!("secret: \"{LISTED}\"")), "{out}");
}

#[test]
fn a_token_signed_with_a_random_secret_is_not_on_the_list() {
    let tokens = [
        hs(Algorithm::HS256, RANDOM),
        hs(Algorithm::HS384, &RANDOM.repeat(2)),
        hs(Algorithm::HS512, &RANDOM.repeat(2)),
    ];
    let args: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let mut hidden = args.clone();
    hidden.push(RANDOM);
    let (status, out) = run_checked(&audit(&args), &hidden);
    assert_eq!(status, 0, "{out}");
    for (i, alg) in ["HS256", "HS384", "HS512"].iter().enumerate() {
        let line = format!("argument {}: {alg} token eyJ0eX", i + 1);
        assert!(out.contains(&line), "{out}");
    }
    assert_eq!(
        out.matches("not signed with any of 1,2").count(),
        3,
        "{out}"
    );
    assert!(
        out.contains(
            "summary: 3 tokens: 0 forgeable, 3 not signed with a known secret, 0 not checked"
        ),
        "{out}"
    );
}

#[test]
fn framework_defaults_and_policy_patterns_are_named_by_source() {
    let cases = [
        (
            "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7",
            "framework/documentation default #10: FastAPI OAuth2 JWT tutorial",
        ),
        (
            "MyAdmin2025",
            "an insecure word with a common prefix or suffix",
        ),
        ("730519", "policy pattern: a run of 6 digits"),
    ];
    for (secret, source) in cases {
        let token = hs(Algorithm::HS256, secret);
        let (status, out) = run_checked(&audit(&[&token]), &[&token, secret]);
        assert_eq!(status, 1, "{out}");
        assert!(out.contains(source), "{source}: {out}");
    }
}

#[test]
fn unsigned_asymmetric_encrypted_and_keyed_tokens_get_a_note() {
    let claims = b64(r#"{"sub":"ada"}"#);
    let none = format!("{}.{claims}.", b64(r#"{"alg":"none","typ":"JWT"}"#));
    let rs256 = format!("{}.{claims}.{}", b64(r#"{"alg":"RS256"}"#), "A".repeat(342));
    let es256 = format!("{}.{claims}.{}", b64(r#"{"alg":"ES256"}"#), "A".repeat(86));
    let jwe = format!(
        "{}.AAAA.AAAA.AAAA.AAAA",
        b64(r#"{"alg":"dir","enc":"A256GCM"}"#)
    );
    let mut keyed = Header::new(Algorithm::HS256);
    keyed.kid = Some("key-2024".into());
    keyed.jku = Some("https://issuer.example/keys".into());
    let keyed = sign_with(RANDOM, keyed);

    let (status, out) = run_checked(&audit(&[&none]), &[&none]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("unsigned token"), "{out}");
    assert!(out.contains("(alg \"none\"): forgeable"), "{out}");

    let (status, out) = run_checked(&audit(&[&rs256, &es256, &jwe]), &[&rs256, &es256, &jwe]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("argument 1: RS256 token eyJhbG…"), "{out}");
    assert!(out.contains("argument 2: ES256 token"), "{out}");
    assert_eq!(
        out.matches("not checked: only HMAC secrets (HS256, HS384, HS512) are tried")
            .count(),
        2,
        "{out}"
    );
    assert!(out.contains("argument 3: encrypted token (JWE)"), "{out}");
    assert!(out.contains("3 not checked"), "{out}");

    let (status, out) = run_checked(&audit(&[&keyed]), &[&keyed, RANDOM]);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("not signed with any of"), "{out}");
    assert!(
        out.contains("note: the header selects a key (kid, jku): the signature was checked"),
        "{out}"
    );
    assert!(out.contains("was not tested"), "{out}");
}

#[test]
fn malformed_input_is_not_checked_and_not_echoed() {
    let valid = hs(Algorithm::HS256, RANDOM);
    let (head, rest) = valid.split_once('.').unwrap();
    let cases = [
        // A secret pasted by mistake.
        RANDOM.to_owned(),
        "not.a.token".to_owned(),
        format!("{head}.{rest}.extra"),
        format!("{head}.{}", rest.replace('.', "")),
        format!("{}.{rest}", b64("not json at all")),
        format!("{}.{rest}", b64(r#"{"typ":"JWT"}"#)),
        // An HS256 signature of the wrong length.
        format!("{head}.{}.{}", rest.split('.').next().unwrap(), "AAAA"),
        format!("{valid} trailing words"),
    ];
    for input in &cases {
        let (status, out) = run_checked(&audit(&[input]), &[input]);
        assert_eq!(status, 2, "{input}: {out}");
        assert!(out.contains("not checked: not a JWT"), "{out}");
        assert!(out.contains("1 not checked"), "{out}");
    }
}

#[test]
fn huge_tokens_are_refused_unread() {
    let huge = |len: usize| {
        format!(
            "{}.{}.{}",
            b64(r#"{"alg":"HS256"}"#),
            "A".repeat(len),
            "A".repeat(43)
        )
    };
    // An argument (Linux caps one at 128 KiB), a --from file and a stdin line of 2 MiB.
    let argument = huge(100_000);
    let (status, out) = run_checked(&audit(&[&argument]), &[&argument]);
    assert_eq!(status, 2, "{out:.300}");
    assert!(
        out.contains("not checked: not a JWT: it is longer than 64 KiB"),
        "{out:.300}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.log");
    let two_mib = huge(2 << 20);
    std::fs::write(&file, format!("token={two_mib}\n")).unwrap();
    let output = audit(&["--from", file.to_str().unwrap()]);
    let (status, out) = run_checked(&output, &[&two_mib]);
    assert_eq!(status, 2, "{out:.300}");
    assert!(out.contains("longer than 64 KiB"), "{out:.300}");
    let output = audit_stdin(&[], two_mib.as_bytes());
    let (status, out) = run_checked(&output, &[&two_mib]);
    assert_eq!(status, 2, "{out:.300}");
    let line = format!("stdin line 1: input ({} chars): not checked", two_mib.len());
    assert!(out.contains(&line), "{out:.300}");
    // Over the stdin limit: an error, not a partial audit.
    let flood = vec![b'A'; 17 << 20];
    let output = audit_stdin(&[], &flood);
    let (status, out) = run_checked(&output, &[]);
    assert_eq!(status, 2, "{out:.300}");
    assert!(
        out.contains("jwt-guard: error: stdin is larger than 16 MiB"),
        "{out:.300}"
    );
}

#[test]
fn stdin_takes_one_token_a_line() {
    let listed = hs(Algorithm::HS256, LISTED);
    let random = hs(Algorithm::HS384, &RANDOM.repeat(2));
    let input = format!("\n{listed}\r\n  Bearer {random}  \n\nAuthorization: Bearer {listed}\n");
    let output = audit_stdin(&[], input.as_bytes());
    let (status, out) = run_checked(&output, &[&listed, &random, LISTED]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("stdin line 2: HS256 token"), "{out}");
    assert!(out.contains("stdin line 3: HS384 token"), "{out}");
    assert!(out.contains("stdin line 5: HS256 token"), "{out}");
    assert!(
        out.contains("summary: 3 tokens: 2 forgeable, 1 not signed"),
        "{out}"
    );
    // Bytes that are not UTF-8 are a malformed line, not a crash.
    let output = audit_stdin(&[], b"\xff\xfe\n");
    let (status, out) = run_checked(&output, &[]);
    assert_eq!(status, 2, "{out}");
    assert!(
        out.contains("stdin line 1: input (2 chars): not checked"),
        "{out}"
    );
}

#[test]
fn no_token_at_all_is_an_error() {
    let (status, out) = run_checked(&audit(&[]), &[]);
    assert_eq!(status, 2, "{out}");
    assert!(out.contains("jwt-guard: error: no token to audit"), "{out}");
    let output = audit_stdin(&[], b"\n   \n");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

#[test]
fn from_finds_the_tokens_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let listed = hs(Algorithm::HS256, LISTED);
    let random = hs(Algorithm::HS256, RANDOM);
    let log = dir.path().join("access.log");
    std::fs::write(
        &log,
        format!(
            "127.0.0.1 GET /me\nauthorization: Bearer {listed}\n{{\"access_token\":\"{random}\",\"x\":\"eyJ.not\"}}\n"
        ),
    )
    .unwrap();
    let log_arg = log.to_str().unwrap();
    let (status, out) = run_checked(&audit(&["--from", log_arg]), &[&listed, &random, LISTED]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains(&format!("{log_arg}:2: HS256 token")), "{out}");
    assert!(out.contains(&format!("{log_arg}:3: HS256 token")), "{out}");
    assert!(
        out.contains("summary: 2 tokens: 1 forgeable, 1 not signed"),
        "{out}"
    );
}

#[test]
fn from_refuses_what_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "no token here").unwrap();
    let missing = dir.path().join("missing.txt");
    let mut cases: Vec<(&Path, &str)> = vec![
        (dir.path(), "not a regular file"),
        (&missing, "cannot read"),
        (&empty, "no JWT found in"),
    ];
    #[cfg(unix)]
    let fifo = dir.path().join("fifo");
    #[cfg(unix)]
    {
        jwt_guard_tests::mkfifo(&fifo);
        cases.push((&fifo, "not a regular file"));
    }
    for (path, message) in cases {
        let output = output_within(&mut command(&["--from", path.to_str().unwrap()]), DEADLINE);
        let (status, out) = run_checked(&output, &[]);
        assert_eq!(status, 2, "{out}");
        assert!(out.starts_with("jwt-guard: error: "), "{out}");
        assert!(out.contains(message), "{message}: {out}");
    }
}

#[test]
fn too_many_distinct_tokens_is_an_error_before_any_work() {
    let tokens: Vec<String> = (0..101)
        .map(|i| hs(Algorithm::HS256, &format!("{RANDOM}{i}")))
        .collect();
    let input = tokens.join("\n");
    let output = audit_stdin(&[], input.as_bytes());
    let hidden: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let (status, out) = run_checked(&output, &hidden);
    assert_eq!(status, 2, "{out}");
    assert!(
        out.contains("101 distinct tokens to check, at most 100"),
        "{out}"
    );
}
