//! A rotation restart under load, over real HTTP on 127.0.0.1: 20,000 requests on 64
//! keep-alive connections go to instance A (`JWT_SECRET=OLD`); halfway, traffic moves to
//! instance B (`JWT_SECRET=NEW`, `JWT_SECRET_PREVIOUS=OLD`), as a load balancer moves it in
//! a rolling update, and A is killed once no connection uses it. Every response must have
//! the status its instance owes the token it carried; none may fail.
#![allow(clippy::unwrap_used)]

#[path = "../load/client.rs"]
#[allow(dead_code, unreachable_pub)]
mod client;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

const OLD: &str = "RPGlOcyMYWYSDfirIW5GXTN8Oj055Y5lNKmKycgzZ1U6";
const NEW: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
const FORGER: &str = "Xw7pQ2mN9vK4rT8yB3cF6hJ1sD5gL0aZeUiOo9Y2tR4q";
const REQUESTS: usize = 20_000;
const CONNECTIONS: usize = 64;
const DEADLINE: Duration = Duration::from_secs(240);

/// A service instance; killed on drop.
struct Instance(Child, SocketAddr);

impl Instance {
    fn start(vars: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jwt-guard-example-service"))
            .args(["--bind", "127.0.0.1:0"])
            .env_clear()
            .env("RUST_LOG", "warn")
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line.trim().strip_prefix("listening on http://").unwrap();
        Instance(child, address.parse().unwrap())
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn token(secret: &str) -> String {
    let exp = jsonwebtoken::get_current_timestamp() + 600;
    let claims = json!({ "sub": "ada", "iat": exp - 600, "exp": exp });
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Old,
    New,
    Forged,
    Missing,
}

/// Responses by (instance, token kind, status).
type Tally = BTreeMap<(char, Kind, u16), usize>;

/// What instance `on_b` owes a request carrying `kind`.
fn expected(on_b: bool, kind: Kind) -> u16 {
    match (on_b, kind) {
        (_, Kind::Old) | (true, Kind::New) => 200,
        _ => 401,
    }
}

#[test]
fn a_rotation_restart_under_load_answers_every_request_correctly() {
    let a = Instance::start(&[("JWT_SECRET", OLD)]);
    let b = Instance::start(&[("JWT_SECRET", NEW), ("JWT_SECRET_PREVIOUS", OLD)]);
    let (a_address, b_address) = (a.1, b.1);
    let tokens: Arc<BTreeMap<Kind, String>> = Arc::new(
        [
            (Kind::Old, token(OLD)),
            (Kind::New, token(NEW)),
            (Kind::Forged, token(FORGER)),
        ]
        .into(),
    );
    let sent = Arc::new(AtomicUsize::new(0));
    let switched = Arc::new(AtomicBool::new(false));
    let moved = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    // (instance, kind, status) -> count, and every failure.
    let tally: Arc<Mutex<Tally>> = Arc::default();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for c in 0..CONNECTIONS {
        let share = REQUESTS / CONNECTIONS + usize::from(c < REQUESTS % CONNECTIONS);
        let (tokens, sent, switched, moved, done, tally, failures) = (
            Arc::clone(&tokens),
            Arc::clone(&sent),
            Arc::clone(&switched),
            Arc::clone(&moved),
            Arc::clone(&done),
            Arc::clone(&tally),
            Arc::clone(&failures),
        );
        tasks.push(runtime.spawn(async move {
            let mut connection = client::Connection::open(a_address).await.unwrap();
            for i in 0..share {
                if switched.load(Ordering::SeqCst) && connection.address == a_address {
                    // The balancer sends this client's next request to B.
                    connection = client::Connection::open(b_address).await.unwrap();
                    moved.fetch_add(1, Ordering::SeqCst);
                }
                let on_b = connection.address == b_address;
                let kind = match (i + c) % 4 {
                    0 => Kind::Forged,
                    1 => Kind::Missing,
                    // New tokens exist once B issues them.
                    2 if on_b => Kind::New,
                    _ => Kind::Old,
                };
                let token = tokens.get(&kind).map(String::as_str);
                sent.fetch_add(1, Ordering::SeqCst);
                match connection.get("/me", token, Duration::from_secs(20)).await {
                    Ok(status) => {
                        let instance = if on_b { 'B' } else { 'A' };
                        *tally
                            .lock()
                            .unwrap()
                            .entry((instance, kind, status))
                            .or_default() += 1;
                        if status != expected(on_b, kind) {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{instance} answered {status} to {kind:?}"));
                        }
                    }
                    Err(error) => failures.lock().unwrap().push(format!("{error}")),
                }
            }
            done.fetch_add(1, Ordering::SeqCst);
        }));
    }

    let start = Instant::now();
    while sent.load(Ordering::SeqCst) < REQUESTS / 2 {
        assert!(
            start.elapsed() < DEADLINE,
            "the load did not reach half way"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    switched.store(true, Ordering::SeqCst);
    // A is stopped once no connection uses it any more (or every client is done).
    while moved.load(Ordering::SeqCst) + done.load(Ordering::SeqCst) < CONNECTIONS {
        assert!(start.elapsed() < DEADLINE, "clients did not move to B");
        std::thread::sleep(Duration::from_millis(5));
    }
    drop(a);
    runtime.block_on(async {
        for task in tasks {
            tokio::time::timeout(DEADLINE, task).await.unwrap().unwrap();
        }
    });
    drop(b);

    let tally = tally.lock().unwrap();
    let failures = failures.lock().unwrap();
    let answered: usize = tally.values().sum();
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}\n{tally:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert_eq!(answered, REQUESTS, "{tally:?}");
    // Both instances served every kind of request they could get.
    for key in [
        ('A', Kind::Old, 200),
        ('A', Kind::Forged, 401),
        ('A', Kind::Missing, 401),
        ('B', Kind::Old, 200),
        ('B', Kind::New, 200),
        ('B', Kind::Forged, 401),
        ('B', Kind::Missing, 401),
    ] {
        assert!(
            tally.get(&key).is_some_and(|&n| n > 100),
            "{key:?}: {tally:?}"
        );
    }
}
