#!/bin/sh
# Tokenise every example plan with the TextMate grammar and compare with the pinned
# snapshots in tests/snap/ (`--update` rewrites them; review the diff by eye).
# Needs `npm ci` here first (the Makefile's vscode-deps target).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
examples=$(cd "$here/../../examples" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$examples" -name '*.dialplan' | sort | while read -r plan; do
  name=$(echo "${plan#"$examples"/}" | tr / _)
  cp "$plan" "$work/$name"
  if [ -f "$here/tests/snap/$name.snap" ]; then cp "$here/tests/snap/$name.snap" "$work/"; fi
done
cd "$here"
if [ "${1:-}" = "--update" ]; then
  npx vscode-tmgrammar-snap -u -g syntaxes/dialplan.tmLanguage.json "$work/*.dialplan"
  rm -f tests/snap/*.snap
  cp "$work"/*.snap tests/snap/
else
  for plan in "$work"/*.dialplan; do
    [ -f "$plan.snap" ] || { echo "no snapshot for $(basename "$plan"): run with --update"; exit 1; }
  done
  npx vscode-tmgrammar-snap -g syntaxes/dialplan.tmLanguage.json "$work/*.dialplan"
fi
