#!/usr/bin/env bash
# What the build guard costs a user's build:
#  1. cold `cargo build` of a hello-world crate, without and with a build.rs running
#     `jwt_guard::build::check()` (with and without jwt-guard's default features);
#  2. an incremental `cargo build` (one source file touched) of a generated ~20,000-line
#     crate, without and with the guard, and the guard's build script run on its own.
#
#   bench/build-cost.sh [RUNS] [BASE]
#     RUNS: default 3 for cold builds, 10 for incremental ones
#     BASE: another checkout of jwt-guard (`git worktree add /tmp/base main`): its light
#           guard is built in the same rounds, for a before/after on one machine state
#           (a checkout from before the scanner was its own crate has no light guard: its
#           `features = ["build"]` guard is built instead, as users built it then)
#
# Cold builds compile jwt-guard as a user's build gets it from crates.io: without
# incremental compilation (CARGO_INCREMENTAL=0). Cargo compiles a path dependency such as
# these incrementally otherwise, which costs a cold build more (the figures before
# 2026-12-01 in bench/README.md were taken that way; `INCREMENTAL=1` measures it so again).
#
# Needs hyperfine (`apt-get install hyperfine`). Uses only crates already in cargo's cache
# (--offline) once the workspace has been built.
set -euo pipefail
# Nothing timed reads a terminal: rustc reads stdin when cargo probes it, for one.
exec </dev/null
cold_runs=${1:-3}
base_root=${2:+$(cd "$2" && pwd)}
warm_runs=$((cold_runs > 3 ? cold_runs : 10))
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

hello() { # hello NAME BUILD_DEP_LINE BUILD_RS
    mkdir -p "$work/$1/src"
    printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\n\n[build-dependencies]\n%s\n\n[workspace]\n' "$1" "$2" >"$work/$1/Cargo.toml"
    echo 'fn main() { println!("hello"); }' >"$work/$1/src/main.rs"
    [ -z "$3" ] || echo "$3" >"$work/$1/build.rs"
    (cd "$work/$1" && cargo generate-lockfile --offline -q)
}
hello plain "" ""
# The recommended form: without default features, the build script compiles the scanner only.
hello guard-build "jwt-guard = { path = \"$root/jwt-guard\", default-features = false, features = [\"build\"] }" 'fn main() { jwt_guard::build::check(); }'
# With default features, as before the scanner became its own crate: the runtime and its
# proc macro (syn) are compiled for the build script too.
hello guard-build-default "jwt-guard = { path = \"$root/jwt-guard\", features = [\"build\"] }" 'fn main() { jwt_guard::build::check(); }'

crates=(plain guard-build guard-build-default)
if [ -n "$base_root" ]; then
    base_dep="default-features = false, features = [\"build\"]"
    [ -d "$base_root/jwt-guard-scan" ] || base_dep="features = [\"build\"]"
    hello guard-build-base "jwt-guard = { path = \"$base_root/jwt-guard\", $base_dep }" 'fn main() { jwt_guard::build::check(); }'
    crates+=(guard-build-base)
fi

# Cold builds in rounds (each crate once per round), so a change in the machine's load
# falls on every crate alike; wall and CPU (user + system, children included) per build.
echo "== cold cargo build of hello world ($cold_runs runs each, $(nproc) cores, CARGO_INCREMENTAL=${INCREMENTAL:-0}, load $(cut -d' ' -f1-3 /proc/loadavg))"
TIMEFORMAT='%R %U %S'
for _ in $(seq "$cold_runs"); do
    for crate in "${crates[@]}"; do
        rm -rf "$work/$crate/target"
        { time CARGO_INCREMENTAL=${INCREMENTAL:-0} cargo build --offline -q --manifest-path "$work/$crate/Cargo.toml" >/dev/null 2>&1 || { echo "failed: $crate" >&2; exit 1; }; } 2>>"$work/$crate.times"
    done
done
# median FILE EXPR: the median of EXPR over a crate's times ($1 wall, $2 user, $3 system).
median() {
    awk "{print $2}" "$1" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
base_wall=$(median "$work/plain.times" '$1')
base_cpu=$(median "$work/plain.times" '$2 + $3')
for crate in "${crates[@]}"; do
    wall=$(median "$work/$crate.times" '$1')
    cpu=$(median "$work/$crate.times" '$2 + $3')
    case $crate in
        plain) label="hello world" ;;
        guard-build) label="+ build guard (no default features)" ;;
        guard-build-default) label="+ build guard (default features)" ;;
        *) label="+ BASE's build guard" ;;
    esac
    runs=$(awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1}' "$work/$crate.times")
    awk -v l="$label" -v w="$wall" -v c="$cpu" -v bw="$base_wall" -v bc="$base_cpu" -v r="$runs" \
        'BEGIN {printf "  %-44s median %6.2f s (added %+6.2f s)   CPU %6.2f s (added %+6.2f s)   runs: %s\n", l, w, w - bw, c, c - bc, r}'
done
if [ -n "$base_root" ]; then
    awk -v g="$(median "$work/guard-build.times" '$1')" -v b="$(median "$work/guard-build-base.times" '$1')" -v p="$base_wall" \
        'BEGIN {printf "  added wall time, light guard over BASE guard: %.2f\n", (g - p) / (b - p)}'
fi

echo "== incremental cargo build of a generated 20,000-line crate (a source file touched, $warm_runs runs)"
(cd "$root" && cargo bench -q -p jwt-guard-cli --bench scan -- --write-crate "$work/big-guard")
cp -r "$work/big-guard" "$work/big-plain"
rm "$work/big-plain/build.rs"
sed -i '/build-dependencies/,/^jwt-guard/d' "$work/big-plain/Cargo.toml"
# Build scripts and their dependencies are compiled without optimisation by default; the
# README's recipe for a fast first scan optimises the scanner: big-guard-opt. The other
# two variants time the build script alone with memchr's searches (feature
# `fast-search`), unoptimised and optimised.
variant() { # variant NAME FEATURE OPTIMISED
    cp -r "$work/big-guard" "$work/$1"
    sed -i "s/features = \\[\"build\"\\]/features = [\"$2\"]/" "$work/$1/Cargo.toml"
    if [ "$3" = yes ]; then
        printf '\n[profile.dev.package.jwt-guard-scan]\nopt-level = 3\n' >>"$work/$1/Cargo.toml"
        [ "$2" = build ] || printf '[profile.dev.package.memchr]\nopt-level = 3\n' >>"$work/$1/Cargo.toml"
    fi
}
variant big-guard-opt build yes
variant big-guard-memchr fast-search no
variant big-guard-opt-memchr fast-search yes
for crate in big-plain big-guard big-guard-opt big-guard-memchr big-guard-opt-memchr; do
    (cd "$work/$crate" && cargo build --offline -q 2>/dev/null)
done
hyperfine --style basic --warmup 1 --runs "$warm_runs" --export-json "$work/warm.json" \
    --prepare "touch $work/big-plain/src/m0.rs" -n "without guard" "cargo build --offline -q --manifest-path $work/big-plain/Cargo.toml" \
    --prepare "touch $work/big-guard/src/m0.rs" -n "with guard" "cargo build --offline -q --manifest-path $work/big-guard/Cargo.toml" \
    --prepare "touch $work/big-guard-opt/src/m0.rs" -n "with guard, opt-level 3" "cargo build --offline -q --manifest-path $work/big-guard-opt/Cargo.toml" \
    >/dev/null
# The build script alone, as cargo runs it after a source change.
script_cmds=()
for crate in big-guard big-guard-memchr big-guard-opt big-guard-opt-memchr; do
    script=$(ls -t "$work/$crate"/target/debug/build/generated-service-*/build-script-build | head -1)
    out_dir=$(ls -d "$work/$crate"/target/debug/build/generated-service-*/out | head -1)
    # Touch one file first, as the incremental build does: the guard rescans what changed.
    run="env -C $work/$crate CARGO_MANIFEST_DIR=$work/$crate OUT_DIR=$out_dir CARGO_PKG_NAME=generated-service $script"
    script_cmds+=(--prepare "touch $work/$crate/src/m0.rs" -n "build script alone ($crate)" "$run")
    # Without its record of clean files, as in a first build: every file is scanned.
    script_cmds+=(--prepare "rm -f $out_dir/jwt-guard-clean-files" -n "first scan ($crate)" "$run")
done
hyperfine --style basic -N --warmup 3 --runs 50 --export-json "$work/script.json" "${script_cmds[@]}" >/dev/null
lines=$(cat "$work"/big-guard/src/*.rs | wc -l)
python3 - "$work/warm.json" "$work/script.json" "$lines" <<'PY'
import json, sys
warm = json.load(open(sys.argv[1]))["results"]
base = warm[0]["median"]
for r in warm:
    print(f"  {r['command']:<44} median {r['median'] * 1e3:7.1f} ms   added {(r['median'] - base) * 1e3:+7.1f} ms")
print("  (added = difference of two whole builds: noisy on a shared machine)")
for r in json.load(open(sys.argv[2]))["results"]:
    print(f"  {r['command']:<44} median {r['median'] * 1e3:7.1f} ms  ({sys.argv[3]} lines)")
PY
