#!/bin/sh
# Build dialplan.vsix: installs the extension's npm dependencies locally (npm ci) and
# packages with @vscode/vsce. Install it with `code --install-extension dialplan.vsix`.
set -eu
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npx vsce package --allow-missing-repository --skip-license -o dialplan.vsix
