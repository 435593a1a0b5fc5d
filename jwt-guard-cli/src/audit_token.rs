//! `jwt-guard audit-token`: is a token a service issued signed with a publicly known or
//! weak secret? Then anyone can forge that service's tokens today.
//!
//! Tokens come from the arguments, from files (`--from`, every JWT found in them), or one
//! a line on stdin. Each is named by a masked form (algorithm, ten characters, length),
//! never printed whole; a matched secret is named by its list and index, and shown only
//! with `--show-public-secret`.
//!
//! Exit status: 1 when a token is forgeable (signed with a known secret, or unsigned);
//! otherwise 2 when a token could not be checked (malformed, encrypted, or signed with a
//! private key) or the input could not be read; 0 when every token was checked and none
//! was signed with a known secret.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::hmac_search::{self, Target};
use crate::jwt_token::{self, Shape};
use crate::known_secrets::Candidates;

/// The most input read from stdin or from one `--from` file.
const MAX_INPUT: u64 = 16 * 1024 * 1024;
/// The most distinct tokens checked in one run (each costs a pass over every candidate).
pub(crate) const MAX_TOKENS: usize = 100;

const EXIT_FORGEABLE: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// Check whether tokens a service issued are signed with a publicly known or weak secret.
///
/// Tries, for each HS256/384/512 token, every secret of a built-in list: framework and
/// documentation defaults, the 103,979 entries of wallarm/jwt-secrets (MIT), every
/// insecure word of the start-up policy with common prefixes and suffixes, and every run
/// of 1 to 6 digits. Tokens come from the arguments, from --from files, or one a line on
/// stdin. No token and no matched secret is printed.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 1 a token is forgeable (signed with a known secret, or \
unsigned); 2 a token could not be checked (malformed, encrypted, signed with a private key) \
or the input could not be read; 0 every token was checked and none was signed with a known \
secret."
)]
pub(crate) struct AuditTokenArgs {
    /// Tokens to check (prefer --from or stdin: arguments end up in shell history).
    #[arg(value_name = "TOKEN")]
    tokens: Vec<String>,
    /// Check every JWT found in this file (a log, a HAR capture, a config; repeatable).
    #[arg(long, value_name = "FILE")]
    from: Vec<PathBuf>,
    /// Print a matched secret. It is public (it is on a published list), but it is also
    /// the service's signing secret until it is rotated: it is needed to find it in the
    /// service's configuration, and should not end up in CI logs.
    #[arg(long)]
    show_public_secret: bool,
    /// Threads to use (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
}

/// One token of the input, with where it came from.
struct Input {
    place: String,
    token: String,
}

pub(crate) fn run(args: &AuditTokenArgs) -> ExitCode {
    let inputs = match gather(args) {
        Ok(inputs) => inputs,
        Err(message) => return crate::fail(format_args!("{message}")),
    };
    let candidates = match Candidates::get() {
        Ok(candidates) => candidates,
        Err(message) => return crate::fail(format_args!("{message}")),
    };
    let threads = args.threads.map_or_else(hmac_search::cores, usize::from);
    let started = Instant::now();
    let (report, status) = audit(&inputs, candidates, threads, args.show_public_secret);
    let mut stdout = io::stdout().lock();
    let written = stdout
        .write_all(report.as_bytes())
        .and_then(|()| {
            writeln!(
                stdout,
                "({} candidate secrets, {} threads, {:.2} s)",
                thousands(candidates.len()),
                threads,
                started.elapsed().as_secs_f64()
            )
        })
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => ExitCode::from(status),
        Err(error) => crate::fail(format_args!("cannot write the report: {error}")),
    }
}

/// The tokens of the arguments, the `--from` files, or stdin.
fn gather(args: &AuditTokenArgs) -> Result<Vec<Input>, String> {
    let mut inputs: Vec<Input> = args
        .tokens
        .iter()
        .enumerate()
        .map(|(i, token)| Input {
            place: format!("argument {}", i + 1),
            token: token.trim().to_owned(),
        })
        .collect();
    for path in &args.from {
        let text = read_file(path)?;
        let found = jwt_token::find_in(&text);
        if found.is_empty() {
            return Err(format!("no JWT found in {}", path.display()));
        }
        inputs.extend(found.into_iter().map(|(line, token)| Input {
            place: format!("{}:{line}", path.display()),
            token: token.to_owned(),
        }));
    }
    if args.tokens.is_empty() && args.from.is_empty() {
        let stdin = io::stdin();
        if stdin.is_terminal() {
            return Err(
                "no token given: pass tokens as arguments, one a line on stdin, or --from FILE"
                    .to_owned(),
            );
        }
        let text = read_limited(stdin.lock(), "stdin")?;
        for (i, line) in text.split(|&b| b == b'\n').enumerate() {
            let Ok(line) = std::str::from_utf8(line) else {
                inputs.push(Input {
                    place: format!("stdin line {}", i + 1),
                    // Not UTF-8: certainly not a JWT. Keep it opaque.
                    token: "\u{0}".repeat(line.len().min(jwt_token::MAX_TOKEN_LEN + 1)),
                });
                continue;
            };
            let line = line.trim();
            let line = strip_bearer(line);
            if !line.is_empty() {
                inputs.push(Input {
                    place: format!("stdin line {}", i + 1),
                    token: line.to_owned(),
                });
            }
        }
    }
    if inputs.is_empty() {
        return Err("no token to audit".to_owned());
    }
    Ok(inputs)
}

/// `Bearer <token>` or `Authorization: Bearer <token>`, as copied from a request.
fn strip_bearer(line: &str) -> &str {
    let line = line
        .strip_prefix("Authorization:")
        .or_else(|| line.strip_prefix("authorization:"))
        .map_or(line, str::trim_start);
    match line.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim_start(),
        _ => line,
    }
}

fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    // Only regular files: a FIFO or a device could block or never end.
    if !metadata.is_file() {
        return Err(format!("cannot read {shown}: not a regular file"));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    read_limited(file, &shown.to_string())
}

fn read_limited(reader: impl Read, what: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(format!(
            "{what} is larger than {} MiB: split it",
            MAX_INPUT / 1024 / 1024
        ));
    }
    Ok(bytes)
}

/// The report and the exit status for `inputs`.
fn audit(
    inputs: &[Input],
    candidates: &Candidates,
    threads: usize,
    show_public_secret: bool,
) -> (String, u8) {
    let shapes: Vec<Shape<'_>> = inputs.iter().map(|i| jwt_token::shape(&i.token)).collect();
    // Each distinct HMAC token is searched once.
    let mut slots: HashMap<&str, usize> = HashMap::new();
    let mut targets: Vec<Target<'_>> = Vec::new();
    for (input, shape) in inputs.iter().zip(&shapes) {
        if let Shape::Hmac { target, .. } = shape
            && !slots.contains_key(input.token.as_str())
        {
            slots.insert(&input.token, targets.len());
            targets.push(target.clone());
        }
    }
    let mut out = String::new();
    if targets.len() > MAX_TOKENS {
        let _ = writeln!(
            out,
            "jwt-guard: error: {} distinct tokens to check, at most {MAX_TOKENS} at once: split the input",
            targets.len()
        );
        return (out, EXIT_ERROR);
    }
    let found = hmac_search::search(candidates, &targets, threads);
    let total = thousands(candidates.len());
    let (mut forgeable, mut unchecked, mut clean) = (0, 0, 0);
    for (input, shape) in inputs.iter().zip(&shapes) {
        let name = jwt_token::masked(&input.token, shape);
        let place = &input.place;
        match shape {
            Shape::Hmac { target, keyed } => {
                let alg = format!("{:?}", target.hmac).to_uppercase();
                let hit = slots
                    .get(input.token.as_str())
                    .and_then(|&slot| found[slot]);
                match hit {
                    Some(index) => {
                        forgeable += 1;
                        let _ = writeln!(
                            out,
                            "{place}: {alg} token {name}: signed with a publicly known secret: forgeable"
                        );
                        let _ = writeln!(out, "  matched: {}", candidates.source(index));
                        if show_public_secret {
                            let mut buf = [0; 8];
                            let secret = candidates.secret(index, &mut buf);
                            let _ =
                                writeln!(out, "  secret: {:?}", String::from_utf8_lossy(secret));
                        } else {
                            let _ = writeln!(
                                out,
                                "  (the secret is not shown; --show-public-secret shows it, to find it in the service's configuration)"
                            );
                        }
                        let _ = writeln!(
                            out,
                            "  fix: replace the secret now (jwt-guard generate) and restart without JWT_SECRET_PREVIOUS: every token signed with it must stop verifying"
                        );
                    }
                    None => {
                        clean += 1;
                        let _ = writeln!(
                            out,
                            "{place}: {alg} token {name}: not signed with any of {total} known secrets"
                        );
                    }
                }
                if !keyed.is_empty() {
                    let _ = writeln!(
                        out,
                        "  note: the header selects a key ({}): the signature was checked against the known secrets; \
                         how the service resolves {} (a key id or URL an attacker can change) was not tested",
                        keyed.join(", "),
                        if keyed.len() == 1 { "it" } else { "them" }
                    );
                }
            }
            Shape::Unsigned => {
                forgeable += 1;
                let _ = writeln!(
                    out,
                    "{place}: unsigned token {name} (alg \"none\"): forgeable: anyone can write a token the service accepts if it accepts this one"
                );
            }
            Shape::OtherAlgorithm(alg) => {
                unchecked += 1;
                let _ = writeln!(
                    out,
                    "{place}: {alg} token {name}: not checked: only HMAC secrets (HS256, HS384, HS512) are tried; \
                     a token signed with a private key cannot be checked against a list of secrets"
                );
            }
            Shape::Encrypted => {
                unchecked += 1;
                let _ = writeln!(
                    out,
                    "{place}: encrypted token (JWE) {name}: not checked: its signature, if any, is inside the encryption"
                );
            }
            Shape::Malformed(why) => {
                unchecked += 1;
                let _ = writeln!(
                    out,
                    "{place}: input {name}: not checked: not a JWT: it {why}"
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "summary: {} token{}: {forgeable} forgeable, {clean} not signed with a known secret, {unchecked} not checked",
        inputs.len(),
        if inputs.len() == 1 { "" } else { "s" }
    );
    let status = if forgeable > 0 {
        EXIT_FORGEABLE
    } else if unchecked > 0 {
        EXIT_ERROR
    } else {
        0
    };
    (out, status)
}

/// `1234567` as `1,234,567`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_prefixes_are_stripped() {
        assert_eq!(strip_bearer("Bearer a.b.c"), "a.b.c");
        assert_eq!(strip_bearer("Authorization: bearer a.b.c"), "a.b.c");
        assert_eq!(strip_bearer("a.b.c"), "a.b.c");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
