#!/usr/bin/env bash
# Rebuilds jwt.secrets.list.zst, the public list `jwt-guard audit-token` tries, from the
# shared copy of wallarm/jwt-secrets (commit 99e2360, MIT: LICENSE-wallarm beside this
# file). The only change is CRLF -> LF, so entry N is line N of the original. The test
# `the_shipped_list_is_the_shared_list` checks the result against the shared copy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here/../../../shared/data/known-jwt-secrets/jwt.secrets.list}
tr -d '\r' < "$src" | zstd -q -19 --ultra -22 --no-check -f -o "$here/jwt.secrets.list.zst"
ls -l "$here/jwt.secrets.list.zst"
