#!/usr/bin/env bash
# `jwt-guard audit-token` against the HMAC limit of this CPU and against hashcat, in one
# run, on the same candidates and the same token (HS256, secret on no list: a full pass).
#
#   bench/audit.sh [RUNS]       RUNS: default 5
#
# 1. cargo bench --bench audit: SHA-256's compression function on one core (the HMAC limit),
#    and the search itself on one thread and on every core (medians, ratios).
# 2. Whole processes, hyperfine (1 warm-up, median): `jwt-guard audit-token` and hashcat
#    (mode 16500, JWT; wordlist attack on the same candidates; CPU through PoCL) on every core.
#    `hashcat -b -m 16500` gives hashcat's own peak rate for reference.
#
# Tools: apt-get install hyperfine hashcat pocl-opencl-icd (hashcat is skipped if absent).
set -euo pipefail
exec </dev/null
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

cargo bench -q -p jwt-guard-cli --bench audit -- --runs "$runs" 2>/dev/null
cargo bench -q -p jwt-guard-cli --bench audit -- --write-wordlist "$work/candidates.txt" 2>/dev/null
cargo build --release -q -p jwt-guard-cli
jwt_guard="$root/target/release/jwt-guard"

# An HS256 token (120-byte signing input) signed with a random secret: every candidate is tried.
python3 - "$work/token.txt" <<'PY'
import base64, hashlib, hmac, json, os, sys
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
body = b64(json.dumps({"sub": "1234567890", "name": "Ada Lovelace", "iat": 1516239022}, separators=(",", ":")).encode())
signing = f"{head}.{body}"
sig = hmac.new(os.urandom(32), signing.encode(), hashlib.sha256).digest()
open(sys.argv[1], "w").write(f"{signing}.{b64(sig)}\n")
PY
candidates=$(wc -l < "$work/candidates.txt")
echo "token: HS256, $(($(wc -c < "$work/token.txt") - 1)) chars; candidates: $candidates"

cmds=("$jwt_guard audit-token --from $work/token.txt")
names=("jwt-guard audit-token")
if command -v hashcat >/dev/null; then
    hashcat --version
    hashcat -b -m 16500 -D 1 --quiet 2>/dev/null | grep -E 'Speed|Hash.Mode' || true
    # Exit 1 = exhausted (not found), as wanted (hyperfine -i); --potfile-disable so every
    # run does the work. A first run compiles hashcat's kernels: done here, untimed.
    hashcat -m 16500 -a 0 -D 1 --potfile-disable --quiet "$work/token.txt" "$work/candidates.txt" >/dev/null 2>&1 || true
    cmds+=("hashcat -m 16500 -a 0 -D 1 -w 3 --potfile-disable --quiet --self-test-disable $work/token.txt $work/candidates.txt")
    names+=("hashcat -m 16500 (PoCL CPU)")
else
    echo "hashcat not installed: apt-get install hashcat pocl-opencl-icd"
fi
args=()
for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
hyperfine -N --warmup 1 --runs "$runs" -i --export-json "$work/times.json" "${args[@]}" >/dev/null
python3 - "$work/times.json" "$candidates" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2])
base = statistics.median(results[0]["times"])
for r in results:
    m = statistics.median(r["times"])
    assert set(r["exit_codes"]) <= {0, 1}, r["exit_codes"]   # 0/1: ran through, found nothing
    print(f"{r['command']}: median {m:.3f} s, {n / m / 1e6:.2f} M candidates/s, {m / base:.2f}x jwt-guard's time")
PY
