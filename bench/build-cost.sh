#!/usr/bin/env bash
# What the build guard costs a user's build:
#  1. cold `cargo build` of a hello-world crate, without and with a build.rs running
#     `jwt_guard::build::check()` (and with jwt-guard as a build-dependency but no `build`
#     feature, to tell the crate from the feature);
#  2. an incremental `cargo build` (one source file touched) of a generated ~20,000-line
#     crate, without and with the guard, and the guard's build script run on its own.
#
#   bench/build-cost.sh [RUNS]     RUNS: default 3 for cold builds, 10 for incremental ones
#
# Needs hyperfine (`apt-get install hyperfine`). Uses only crates already in cargo's cache
# (--offline) once the workspace has been built.
set -euo pipefail
cold_runs=${1:-3}
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
hello guard-crate "jwt-guard = { path = \"$root/jwt-guard\" }" 'fn main() {}'
hello guard-build "jwt-guard = { path = \"$root/jwt-guard\", features = [\"build\"] }" 'fn main() { jwt_guard::build::check(); }'

echo "== cold cargo build of hello world ($cold_runs runs each, $(nproc) cores)"
hyperfine --style basic --runs "$cold_runs" --export-json "$work/cold.json" \
    --prepare "rm -rf $work/plain/target" -n "hello world" "cargo build --offline -q --manifest-path $work/plain/Cargo.toml" \
    --prepare "rm -rf $work/guard-crate/target" -n "+ jwt-guard (no feature)" "cargo build --offline -q --manifest-path $work/guard-crate/Cargo.toml" \
    --prepare "rm -rf $work/guard-build/target" -n "+ jwt-guard build guard" "cargo build --offline -q --manifest-path $work/guard-build/Cargo.toml" \
    >/dev/null
python3 - "$work/cold.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
for r in results:
    print(f"  {r['command']:<28} median {r['median']:6.2f} s   added {r['median'] - base:+6.2f} s")
PY

echo "== incremental cargo build of a generated 20,000-line crate (a source file touched, $warm_runs runs)"
(cd "$root" && cargo bench -q -p jwt-guard-cli --bench scan -- --write-crate "$work/big-guard")
cp -r "$work/big-guard" "$work/big-plain"
rm "$work/big-plain/build.rs"
sed -i '/build-dependencies/,/^jwt-guard/d' "$work/big-plain/Cargo.toml"
for crate in big-plain big-guard; do (cd "$work/$crate" && cargo build --offline -q 2>/dev/null); done
hyperfine --style basic --warmup 1 --runs "$warm_runs" --export-json "$work/warm.json" \
    --prepare "touch $work/big-plain/src/m0.rs" -n "without guard" "cargo build --offline -q --manifest-path $work/big-plain/Cargo.toml" \
    --prepare "touch $work/big-guard/src/m0.rs" -n "with guard" "cargo build --offline -q --manifest-path $work/big-guard/Cargo.toml" \
    >/dev/null
# The build script alone, as cargo runs it after a source change.
script=$(ls "$work"/big-guard/target/debug/build/generated-service-*/build-script-build | head -1)
out_dir=$(dirname "$(ls -d "$work"/big-guard/target/debug/build/generated-service-*/out | head -1)")/out
hyperfine --style basic --warmup 3 --runs 50 --export-json "$work/script.json" -n "build script alone" \
    "env -C $work/big-guard CARGO_MANIFEST_DIR=$work/big-guard OUT_DIR=$out_dir CARGO_PKG_NAME=generated-service $script" \
    >/dev/null
lines=$(cat "$work"/big-guard/src/*.rs | wc -l)
python3 - "$work/warm.json" "$work/script.json" "$lines" <<'PY'
import json, sys
warm = json.load(open(sys.argv[1]))["results"]
script = json.load(open(sys.argv[2]))["results"][0]
for r in warm:
    print(f"  {r['command']:<28} median {r['median'] * 1e3:7.1f} ms")
print(f"  {'added by the guard':<28} {(warm[1]['median'] - warm[0]['median']) * 1e3:+7.1f} ms (noisy: difference of two builds)")
print(f"  {'build script alone':<28} median {script['median'] * 1e3:7.1f} ms over {sys.argv[3]} lines")
PY
