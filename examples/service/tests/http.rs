//! The real service binary on 127.0.0.1, driven over real HTTP/1.1: strict and degraded
//! start-up, login and /me, rotation. Every child is killed when its test ends.
#![allow(clippy::unwrap_used)]

use jwt_guard_tests::leaks;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};

const OLD: &str = "RPGlOcyMYWYSDfirIW5GXTN8Oj055Y5lNKmKycgzZ1U6";
const NEW: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
/// Long enough, no denied word, but a pattern: rejected as low-diversity.
const WEAK: &str = "Zq8WZq8WZq8WZq8WZq8WZq8WZq8WZq8WZq8W";
const TIMEOUT: Duration = Duration::from_secs(20);

fn command(vars: &[(&str, &str)], args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jwt-guard-example-service"));
    command
        .args(["--bind", "127.0.0.1:0"])
        .args(args)
        .env_clear()
        .envs(vars.iter().copied());
    command
}

/// Runs a service expected to exit (strict refusal, usage error), within [`TIMEOUT`].
trait Exits {
    fn exits(&mut self) -> Output;
}

impl Exits for Command {
    fn exits(&mut self) -> Output {
        let child = self
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let id = child.id();
        let (done, output) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(child.wait_with_output());
        });
        match output.recv_timeout(TIMEOUT) {
            Ok(output) => output.unwrap(),
            Err(_) => {
                // Still running: it started instead of refusing. Stop it, then fail.
                #[cfg(unix)]
                let _ = Command::new("kill").arg(id.to_string()).status();
                #[cfg(windows)]
                let _ = Command::new("taskkill")
                    .args(["/F", "/PID", &id.to_string()])
                    .status();
                panic!("the service was expected to exit within {TIMEOUT:?}");
            }
        }
    }
}

/// A running service; killed on drop.
struct Service {
    child: Child,
    address: String,
    stderr: mpsc::Receiver<String>,
}

impl Service {
    fn start(vars: &[(&str, &str)], args: &[&str]) -> Self {
        let mut child = command(vars, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (lines, first_line) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = lines.send(line);
        });
        let (log, stderr_text) = mpsc::channel();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(stderr).read_to_string(&mut text);
            let _ = log.send(text);
        });
        let mut service = Service {
            child,
            address: String::new(),
            stderr: stderr_text,
        };
        let line = first_line.recv_timeout(TIMEOUT).unwrap_or_default();
        service.address = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("the service did not start: {line:?}"))
            .to_owned();
        service
    }

    /// Kills the service and returns everything it wrote to stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr.recv_timeout(TIMEOUT).unwrap()
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.address
        );
        if let Some(token) = token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if !body.is_empty() {
            request.push_str("Content-Type: application/json\r\n");
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        parse_response(&response)
    }

    fn login(&self, username: &str) -> (u16, Value) {
        self.request(
            "POST",
            "/login",
            None,
            Some(json!({ "username": username })),
        )
    }

    fn me(&self, token: &str) -> (u16, Value) {
        self.request("GET", "/me", Some(token), None)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status and JSON body of an HTTP/1.1 response (axum sends a Content-Length).
fn parse_response(response: &str) -> (u16, Value) {
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    (status, serde_json::from_str(body).unwrap())
}

fn token_signed_with(secret: &str) -> String {
    let exp = jsonwebtoken::get_current_timestamp() + 600;
    let claims = json!({ "sub": "mallory", "iat": exp - 600, "exp": exp });
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap()
}

fn verifies_with(token: &str, secret: &str) -> bool {
    let key = DecodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::decode::<Value>(token, &key, &Validation::new(Algorithm::HS256)).is_ok()
}

fn token_of(response: (u16, Value)) -> String {
    assert_eq!(response.0, 200, "{}", response.1);
    response.1["token"].as_str().unwrap().to_owned()
}

#[test]
fn a_valid_secret_logs_in_and_verifies() {
    let service = Service::start(&[("JWT_SECRET", NEW)], &[]);
    assert_eq!(
        service.request("GET", "/health", None, None),
        (200, json!({ "status": "ok", "auth": "configured" }))
    );
    let token = token_of(service.login("ada"));
    assert!(verifies_with(&token, NEW));
    let (status, body) = service.me(&token);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["sub"], "ada");
    // A forged token, a garbage token and no token are refused.
    assert_eq!(service.me(&token_signed_with(OLD)).0, 401);
    assert_eq!(service.me("not.a.token").0, 401);
    let (status, body) = service.request("GET", "/me", None, None);
    assert_eq!(
        (status, body),
        (401, json!({ "error": "missing bearer token" }))
    );
    let stderr = service.stop();
    assert!(!leaks(NEW, &stderr, 5), "{stderr}");
}

#[test]
fn the_secret_can_come_from_a_file() {
    let path = std::env::temp_dir().join(format!("jwt-guard-service-{}", std::process::id()));
    std::fs::write(&path, format!("{NEW}\n")).unwrap();
    let service = Service::start(&[("JWT_SECRET_FILE", path.to_str().unwrap())], &[]);
    let token = token_of(service.login("ada"));
    std::fs::remove_file(&path).unwrap();
    assert!(verifies_with(&token, NEW));
}

#[test]
fn strict_mode_refuses_to_start_with_a_rejected_secret() {
    let output = command(&[("JWT_SECRET", WEAK)], &[]).exits();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "it must not listen");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: refusing to start: JWT_SECRET is rejected: too predictable"),
        "{stderr}"
    );
    assert!(stderr.contains("Generate one with"), "{stderr}");
    assert!(!leaks(WEAK, &stderr, 5), "{stderr}");
}

#[test]
fn strict_mode_refuses_to_start_without_a_secret() {
    let output = command(&[], &[]).exits();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: refusing to start: JWT_SECRET is not set"),
        "{stderr}"
    );
}

#[test]
fn degraded_mode_answers_health_and_refuses_every_token() {
    for (vars, args) in [
        (&[("JWT_SECRET", WEAK)][..], &["--degraded"][..]),
        (&[("JWT_SECRET", WEAK), ("AUTH_MODE", "degraded")], &[]),
    ] {
        let service = Service::start(vars, args);
        let (status, body) = service.request("GET", "/health", None, None);
        assert_eq!(
            (status, body),
            (200, json!({ "status": "ok", "auth": "not configured" }))
        );
        let not_configured = json!({ "error": "authentication is not configured on this server" });
        // Even a token correctly signed with the weak secret.
        assert_eq!(
            service.me(&token_signed_with(WEAK)),
            (503, not_configured.clone())
        );
        assert_eq!(service.login("ada"), (503, not_configured));
        let stderr = service.stop();
        let warning = "[WARN  jwt_guard::security] authentication is disabled";
        assert!(stderr.contains(warning), "{stderr}");
        assert!(!leaks(WEAK, &stderr, 5), "{stderr}");
    }
}

#[test]
fn rotation_accepts_old_tokens_and_signs_with_the_new_secret() {
    let before = Service::start(&[("JWT_SECRET", OLD)], &[]);
    let old_token = token_of(before.login("ada"));
    drop(before);

    let during = Service::start(&[("JWT_SECRET", NEW), ("JWT_SECRET_PREVIOUS", OLD)], &[]);
    let (status, body) = during.me(&old_token);
    assert_eq!((status, &body["sub"]), (200, &json!("ada")), "{body}");
    let new_token = token_of(during.login("grace"));
    assert!(verifies_with(&new_token, NEW));
    assert!(
        !verifies_with(&new_token, OLD),
        "the previous secret must never sign"
    );
    drop(during);

    let after = Service::start(&[("JWT_SECRET", NEW)], &[]);
    assert_eq!(after.me(&old_token).0, 401);
    assert_eq!(after.me(&new_token).0, 200);
}

#[test]
fn a_rejected_previous_secret_refuses_to_start() {
    let output = command(&[("JWT_SECRET", NEW), ("JWT_SECRET_PREVIOUS", WEAK)], &[]).exits();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("JWT_SECRET_PREVIOUS is rejected"),
        "{stderr}"
    );
    assert!(!leaks(WEAK, &stderr, 5), "{stderr}");
}

#[test]
fn bad_usage_exits_2() {
    let output = command(&[("JWT_SECRET", NEW)], &["--bogus"]).exits();
    assert_eq!(output.status.code(), Some(2));
    let output = command(&[("JWT_SECRET", NEW), ("AUTH_MODE", "lenient")], &[]).exits();
    assert_eq!(output.status.code(), Some(2));
}
