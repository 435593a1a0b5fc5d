//! What `AuthLayer` adds to a request, over real HTTP on 127.0.0.1: the same axum server
//! answers `/open` (no layer) and `/auth` (behind the layer), both sent the same valid
//! token; passes alternate, 20,000 requests over 64 keep-alive connections each.
//!
//! ```sh
//! cargo bench -p jwt-guard-example-service --bench layer_latency             # 5 passes each
//! cargo bench -p jwt-guard-example-service --bench layer_latency -- --passes 9
//! ```
//!
//! Prints, per route, the median over passes of p50 and p99 latency and of requests/s,
//! then the layer's added latency (`/auth` minus `/open`). Server and client share the
//! machine (2 cores here): the client's own cost is in both routes' figures alike.
#![allow(clippy::unwrap_used, missing_docs, unreachable_pub)]

#[path = "../load/client.rs"]
mod client;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use jwt_guard::layer::{AuthLayer, Claims};
use jwt_guard::{Algorithm, AuthGate, SecretPolicy};
use serde::{Deserialize, Serialize};

// jwt-guard: allow(secret-binding) benchmark fixture: signs tokens for a server on 127.0.0.1 only
const SECRET: &str = "l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
const REQUESTS: usize = 20_000;
const CONNECTIONS: usize = 64;

#[derive(Clone, Serialize, Deserialize)]
struct TokenClaims {
    sub: String,
    exp: u64,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let mut passes = 5;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--passes") {
        passes = args[i + 1].parse().unwrap();
    }
    let policy = SecretPolicy::default();
    let secret = policy.secret(SECRET).unwrap();
    let gate = Arc::new(AuthGate::from_secrets(Algorithm::HS256, secret, None).unwrap());
    let exp = jsonwebtoken::get_current_timestamp() + 3600;
    let token: Arc<str> = gate
        .encode(&TokenClaims {
            sub: "ada".into(),
            exp,
        })
        .unwrap()
        .into();

    // The server on its own runtime and threads, as a separate process would be.
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = server
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = listener.local_addr().unwrap();
    let app = Router::new()
        .route(
            "/auth",
            get(|Claims(c): Claims<TokenClaims>| async move { c.sub }),
        )
        .route_layer(AuthLayer::<TokenClaims>::new(Arc::clone(&gate)))
        .route("/open", get(|| async { "ada" }));
    server.spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // Warm-up: connections, caches, the allocator.
    client.block_on(client::run(
        address,
        "/open",
        Arc::clone(&token),
        2_000,
        CONNECTIONS,
    ));
    client.block_on(client::run(
        address,
        "/auth",
        Arc::clone(&token),
        2_000,
        CONNECTIONS,
    ));

    let mut figures: [(Vec<f64>, Vec<f64>, Vec<f64>); 2] = Default::default();
    for _ in 0..passes {
        for (i, path) in ["/open", "/auth"].into_iter().enumerate() {
            let start = Instant::now();
            let mut latencies = client.block_on(client::run(
                address,
                path,
                Arc::clone(&token),
                REQUESTS,
                CONNECTIONS,
            ));
            let elapsed = start.elapsed().as_secs_f64();
            let us = |d: Duration| d.as_secs_f64() * 1e6;
            figures[i]
                .0
                .push(us(client::quantile(&mut latencies, 0.50)));
            figures[i]
                .1
                .push(us(client::quantile(&mut latencies, 0.99)));
            figures[i].2.push(REQUESTS as f64 / elapsed);
        }
    }
    println!(
        "{passes} passes per route, {REQUESTS} requests over {CONNECTIONS} connections each, 127.0.0.1, medians over passes"
    );
    let mut p50 = [0.0; 2];
    let mut p99 = [0.0; 2];
    for (i, path) in ["/open (no layer)", "/auth (AuthLayer)"]
        .into_iter()
        .enumerate()
    {
        let (a, b, c) = figures[i].clone();
        p50[i] = median(a);
        p99[i] = median(b);
        println!(
            "{path}: p50 {:.0} us, p99 {:.0} us, {:.0} requests/s",
            p50[i],
            p99[i],
            median(c)
        );
    }
    println!(
        "added by the layer: p50 {:+.0} us, p99 {:+.0} us (HS256 verify + claims deserialise + extension)",
        p50[1] - p50[0],
        p99[1] - p99[0]
    );
    // And the layer's own cost without the network, for scale.
    let layer = AuthLayer::<TokenClaims>::new(Arc::clone(&gate));
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    let start = Instant::now();
    let n = 100_000;
    for _ in 0..n {
        std::hint::black_box(layer.verify(std::hint::black_box(&headers)).unwrap());
    }
    println!(
        "AuthLayer::verify alone, one thread: {:.2} us per token",
        start.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
