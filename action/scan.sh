#!/usr/bin/env bash
# The scan step of the jwt-guard GitHub Action (action.yml), kept in a file so the tests
# run exactly these command lines (jwt-guard-cli/tests/action.rs).
#
# Inputs (environment): JWT_GUARD (the binary), INPUT_PATHS (newline- or space-separated),
# INPUT_HISTORY, INPUT_INCLUDE_TESTS, INPUT_CONFIG_FILES (true/false), INPUT_EXCLUDE
# (newline-separated globs), SARIF_FILE (where the SARIF goes), GITHUB_OUTPUT (step outputs).
# Writes the SARIF, prints the human report when something was found, and records the scan's
# exit status as the output `exit-code`. Fails (exit 2) only when the scan could not run;
# whether findings fail the job is the action's next step.
set -euo pipefail
jwt_guard=${JWT_GUARD:-jwt-guard}
sarif=${SARIF_FILE:?SARIF_FILE is required}
output=${GITHUB_OUTPUT:-/dev/null}

truthy() { case "${1,,}" in true|yes|1|on) return 0 ;; false|no|0|off|'') return 1 ;;
  *) echo "jwt-guard action: expected true or false, not '$1'" >&2; exit 2 ;; esac; }

args=(scan)
truthy "${INPUT_HISTORY:-false}" && args+=(--history)
truthy "${INPUT_INCLUDE_TESTS:-false}" && args+=(--include-tests)
while IFS= read -r glob; do
  [ -n "${glob//[[:space:]]/}" ] && args+=(--exclude "$glob")
done <<< "${INPUT_EXCLUDE:-}"
if ! truthy "${INPUT_CONFIG_FILES:-true}"; then
  # Rust sources only: leave deployment and config files (.env, YAML, TOML, JSON) out.
  for glob in '.env' '.env.*' '*.env' '*.yaml' '*.yml' '*.toml' '*.json' 'Dockerfile*'; do
    args+=(--exclude "$glob")
  done
fi
read -r -d '' -a paths <<< "${INPUT_PATHS:-.}" || true
[ "${#paths[@]}" -gt 0 ] || paths=(.)

status=0
"$jwt_guard" "${args[@]}" --format sarif -- "${paths[@]}" > "$sarif" || status=$?
echo "exit-code=$status" >> "$output"
echo "sarif-file=$sarif" >> "$output"
case "$status" in
  0) echo "jwt-guard: no hardcoded JWT secret found" ;;
  1) # The same findings, readable in the job log (every literal masked).
     "$jwt_guard" "${args[@]}" -- "${paths[@]}" || true ;;
  *) echo "jwt-guard: the scan could not run or could not read everything (exit $status)" >&2
     "$jwt_guard" "${args[@]}" -- "${paths[@]}" >&2 || true
     exit 2 ;;
esac
