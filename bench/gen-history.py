#!/usr/bin/env python3
"""Writes a `git fast-import` stream of a Rust workspace with a long history, with JWT
secrets planted in known commits (some later removed), for bench/history.sh.

    python3 bench/gen-history.py [COMMITS] [SEED] | git -C REPO fast-import --quiet

Deterministic for a given COMMITS and SEED. Every secret is made up here from the seed.
The planted secrets are listed on stderr as `kind path commit-number`, never their values.
"""
import random
import sys

COMMITS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 7
rng = random.Random(SEED)
out = sys.stdout.buffer
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
WORDS = ["request", "response", "handler", "router", "state", "config", "session", "user",
         "order", "payment", "item", "cache", "client", "server", "error", "event", "metric"]


def secret(n=40):
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def function(i):
    a, b = rng.choice(WORDS), rng.choice(WORDS)
    return (f"/// Handles the {a} of a {b}.\npub fn {a}_{b}_{i}(input: &str) -> Result<String, Error> {{\n"
            f"    let {a} = input.trim().to_owned();\n    if {a}.is_empty() {{\n"
            f"        return Err(Error::Empty(\"{b}\"));\n    }}\n"
            f"    Ok(format!(\"{{}}-{{}}\", {a}, {i}))\n}}\n\n")


# Shapes of hardcoded secrets, each a whole file (Rust), and two that only config scanning sees.
def rust_secret(kind, value, i):
    if kind == "const":
        return f"pub const JWT_SECRET: &str = \"{value}\";\n"
    if kind == "key":
        return (f"pub fn keys_{i}() -> (EncodingKey, DecodingKey) {{\n"
                f"    (EncodingKey::from_secret(b\"{value}\"), DecodingKey::from_secret(b\"{value}\"))\n}}\n")
    if kind == "fallback":
        return (f"pub fn secret_{i}() -> String {{\n"
                f"    std::env::var(\"JWT_SECRET\").unwrap_or_else(|_| \"{value}\".to_string())\n}}\n")
    if kind == "hmac":
        return (f"pub fn mac_{i}() -> HmacSha256 {{\n"
                f"    HmacSha256::new_from_slice(b\"{value}\").expect(\"any length\")\n}}\n")
    raise ValueError(kind)


files = {}  # path -> list of chunks
crates = [f"crate{c:02}" for c in range(20)]
for crate in crates:
    files[f"{crate}/Cargo.toml"] = [f"[package]\nname = \"{crate}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"]
    files[f"{crate}/src/lib.rs"] = ["//! A crate.\n"] + [f"pub mod m{m};\n" for m in range(10)]
    for m in range(10):
        files[f"{crate}/src/m{m}.rs"] = ["use crate::Error;\n\n"] + [function(rng.randrange(10**6)) for _ in range(rng.randrange(3, 30))]
files["README.md"] = ["# generated\n"]

# Planted secrets: (commit number, kind, path, removed at commit number or None).
plants = []
for n, kind in enumerate(["const", "key", "fallback", "hmac"] * 3):
    at = rng.randrange(50, COMMITS - 100)
    removed = rng.choice([None, at + rng.randrange(5, 90)])
    plants.append((at, kind, f"{rng.choice(crates)}/src/secret_{n}.rs", removed))
for n in range(3):
    at = rng.randrange(50, COMMITS - 100)
    plants.append((at, "env", f"deploy/env_{n}/.env", rng.choice([None, at + 40])))
by_commit = {}
for plant in plants:
    by_commit.setdefault(plant[0], []).append(("add", plant))
    if plant[3] is not None:
        by_commit.setdefault(plant[3], []).append(("remove", plant))
for at, kind, path, removed in sorted(plants):
    print(f"{kind} {path} commit {at}" + (f" removed {removed}" if removed else ""), file=sys.stderr)


def data(text):
    raw = text.encode()
    out.write(b"data %d\n" % len(raw))
    out.write(raw)
    out.write(b"\n")


def commit(n, changes, branch="main", parents=()):
    t = 1_600_000_000 + n * 600
    out.write(f"commit refs/heads/{branch}\nmark :{n + 1}\n".encode())
    out.write(f"author Gen <gen@example.invalid> {t} +0000\ncommitter Gen <gen@example.invalid> {t} +0000\n".encode())
    data(f"change {n}")
    for i, parent in enumerate(parents):
        out.write(f"{'from' if i == 0 else 'merge'} :{parent + 1}\n".encode())
    for path, content in changes:
        if content is None:
            out.write(f"D {path}\n".encode())
        else:
            out.write(f"M 100644 inline {path}\n".encode())
            data(content)


# The first commit holds the whole tree.
commit(0, [(p, "".join(c)) for p, c in files.items()])
last_main = 0
side_start = None
for n in range(1, COMMITS):
    changes = []
    for _ in range(rng.randrange(1, 4)):
        path = rng.choice([p for p in files if p.endswith(".rs") and "/m" in p])
        chunks = files[path]
        if len(chunks) > 40 or (rng.random() < 0.3 and len(chunks) > 2):
            del chunks[rng.randrange(1, len(chunks))]
        else:
            chunks.insert(rng.randrange(1, len(chunks) + 1), function(n))
        changes.append((path, "".join(chunks)))
    for action, (at, kind, path, removed) in by_commit.get(n, []):
        if action == "add":
            value = secret()
            content = f"PORT=8080\nJWT_SECRET={value}\n" if kind == "env" else rust_secret(kind, value, n)
            files[path] = [content]
            changes.append((path, content))
        elif path in files:
            del files[path]
            changes.append((path, None))
    # Every 250 commits a topic branch of 5 commits is merged back.
    if n % 250 == 0:
        commit(n, changes, branch="main", parents=(last_main,))
        last_main = n
        side_start = n
        continue
    if side_start is not None and n - side_start <= 5:
        commit(n, changes, branch="topic", parents=(n - 1,))
        if n - side_start == 5:
            # Merge commit on main (uses the mark space after COMMITS).
            merge_mark = COMMITS + n
            t = 1_600_000_000 + n * 600 + 1
            out.write(f"commit refs/heads/main\nmark :{merge_mark + 1}\n".encode())
            out.write(f"author Gen <gen@example.invalid> {t} +0000\ncommitter Gen <gen@example.invalid> {t} +0000\n".encode())
            data(f"merge topic at {n}")
            out.write(f"from :{last_main + 1}\nmerge :{n + 1}\n".encode())
            last_main = merge_mark
            side_start = None
        continue
    commit(n, changes, branch="main", parents=(last_main,))
    last_main = n
