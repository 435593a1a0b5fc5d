//! `audit-token`'s speed against the physical limit of HMAC on this CPU.
//!
//! ```sh
//! cargo bench -p jwt-guard-cli --bench audit                 # default: 7 runs
//! cargo bench -p jwt-guard-cli --bench audit -- --runs 11
//! cargo bench -p jwt-guard-cli --bench audit -- --write-wordlist FILE   # for a peer cracker
//! ```
//!
//! 1. The limit: SHA-256's (and SHA-512's) compression function alone, one core, on
//!    16 KiB of data, as the sha2 crate's own `bench_update` measures it; an HMAC over a
//!    token's signing input costs `Hmac::compressions` of those, so the limit in HMAC/s
//!    is compressions per second divided by that count.
//! 2. The search: the public list alone (wallarm, 103,979) and every candidate, against
//!    one token whose secret is on neither (a full pass), on one thread and on all.
//!
//! Medians of `--runs`; ratios against the limit in the same run.

#![allow(clippy::unwrap_used)]
#![allow(dead_code, unreachable_pub)]

#[path = "../src/hmac_search.rs"]
mod hmac_search;
#[path = "../src/known_secrets.rs"]
mod known_secrets;

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use hmac_search::{CandidateList, Hmac, Target};
use known_secrets::Candidates;
use sha2::Digest;

/// A real-looking HS256 token's signing input: 36-byte header, 84-byte payload.
const SIGNING_INPUT: &[u8] = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImlhdCI6MTUxNjIzOTAyMn0";

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn timed(runs: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// Bytes per second of `digest` on 16 KiB, over about 0.3 s, median of `runs`.
fn hash_rate<D: Digest>(runs: usize) -> f64 {
    let data = vec![0x5au8; 16 * 1024];
    let per_run = |_| {
        let start = Instant::now();
        let mut bytes = 0u64;
        while start.elapsed() < Duration::from_millis(300) {
            for _ in 0..16 {
                black_box(D::digest(black_box(&data)));
                bytes += data.len() as u64;
            }
        }
        bytes as f64 / start.elapsed().as_secs_f64()
    };
    median((0..runs).map(per_run).collect())
}

/// A full pass: a token whose secret is on no list.
fn full_pass(list: &impl CandidateList, threads: usize) {
    let key = b"l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX7aPm0FjNal1U";
    let signature = {
        let mut pad_in = vec![0x36u8; 64];
        let mut pad_out = vec![0x5cu8; 64];
        for (i, k) in key.iter().enumerate() {
            pad_in[i] ^= k;
            pad_out[i] ^= k;
        }
        let inner = sha2::Sha256::new()
            .chain_update(&pad_in)
            .chain_update(SIGNING_INPUT)
            .finalize();
        sha2::Sha256::new()
            .chain_update(&pad_out)
            .chain_update(inner)
            .finalize()
            .to_vec()
    };
    let target = Target {
        hmac: Hmac::Hs256,
        signing_input: SIGNING_INPUT,
        signature,
    };
    let found = hmac_search::search(list, std::slice::from_ref(&target), threads);
    assert_eq!(found, [None]);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 7;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--runs" => {
                runs = args[i + 1].parse().unwrap();
                i += 1;
            }
            "--write-wordlist" => {
                let candidates = Candidates::get().unwrap();
                let mut out = std::io::BufWriter::new(std::fs::File::create(&args[i + 1]).unwrap());
                let mut buf = [0; 8];
                for index in 0..candidates.len() {
                    out.write_all(candidates.secret(index, &mut buf)).unwrap();
                    out.write_all(b"\n").unwrap();
                }
                out.flush().unwrap();
                println!("wrote {} candidates to {}", candidates.len(), args[i + 1]);
                return;
            }
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
        i += 1;
    }
    let cores = hmac_search::cores();
    let candidates = Candidates::get().unwrap();
    let compressions = Hmac::Hs256.compressions(SIGNING_INPUT.len());

    let sha256 = hash_rate::<sha2::Sha256>(runs);
    let sha512 = hash_rate::<sha2::Sha512>(runs);
    let limit = sha256 / 64.0 / compressions as f64;
    println!("cores: {cores}, runs: {runs} (medians)");
    println!(
        "SHA-256 compression, one core: {:.0} MB/s = {:.2} M blocks/s ({:.1} ns/block)",
        sha256 / 1e6,
        sha256 / 64.0 / 1e6,
        64.0 / sha256 * 1e9
    );
    println!(
        "SHA-512 compression, one core: {:.0} MB/s = {:.2} M blocks/s",
        sha512 / 1e6,
        sha512 / 128.0 / 1e6
    );
    println!(
        "HMAC-SHA-256 limit over a {}-byte signing input ({compressions} compressions): {:.2} M HMAC/s per core",
        SIGNING_INPUT.len(),
        limit / 1e6
    );

    // The wallarm list alone, as its own candidate list.
    let wallarm: Vec<Vec<u8>> = {
        let mut buf = [0; 8];
        (0..candidates.len())
            .map(|i| (i, candidates.source(i)))
            .filter(|(_, s)| matches!(s, known_secrets::Source::Wallarm { .. }))
            .map(|(i, _)| candidates.secret(i, &mut buf).to_vec())
            .collect()
    };
    let report = |name: &str, len: usize, one: f64, all: f64| {
        let rate_one = len as f64 / one;
        let rate_all = len as f64 / all;
        println!(
            "{name} ({len} secrets): one thread {:.1} ms, {:.2} M HMAC/s = {:.2}x the limit's time; \
             {cores} threads {:.1} ms, {:.2} M HMAC/s ({:.2}x one thread)",
            one * 1e3,
            rate_one / 1e6,
            limit / rate_one,
            all * 1e3,
            rate_all / 1e6,
            rate_all / rate_one,
        );
    };
    let one = timed(runs, || full_pass(&wallarm, 1));
    let all = timed(runs, || full_pass(&wallarm, cores));
    report("wallarm list", wallarm.len(), one, all);
    let one = timed(runs, || full_pass(candidates, 1));
    let all = timed(runs, || full_pass(candidates, cores));
    report("all candidates", candidates.len(), one, all);
    let load = timed(runs, || {
        black_box(Candidates::load().unwrap());
    });
    println!(
        "compressed list in the binary: {} bytes ({:.0} KiB); decompressing and indexing it: {:.1} ms",
        known_secrets::WALLARM_ZST.len(),
        known_secrets::WALLARM_ZST.len() as f64 / 1024.0,
        load * 1e3
    );
}
