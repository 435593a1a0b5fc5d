#!/bin/sh
# pre-commit hook `jwt-guard-build`: builds jwt-guard from this checkout of the jwt-guard
# repository on first use (cargo needed once), then scans what is staged. Later runs
# start the built binary directly, so the hook costs milliseconds.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/jwt-guard"
if [ ! -x "$bin" ]; then
    cargo build --release --locked -q -p jwt-guard-cli --manifest-path "$here/Cargo.toml" >&2
fi
exec "$bin" scan --staged
