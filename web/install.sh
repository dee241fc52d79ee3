#!/usr/bin/env bash
# Installs GraphiQL's browser files (React, GraphiQL, its explorer plugin) into
# web/node_modules with `npm ci`, pinned by web/package-lock.json, so the server can
# serve them itself and GraphiQL works with no network but loopback. Run by
# `make setup` and by the browser test's fixture; quick when they are already there
# (a stamp holds the lock file they were installed from).
#
#   bash web/install.sh            exit 1 with a message if npm is missing or fails
#   bash web/install.sh --optional warn instead and exit 0 (make setup: the server then
#                                  falls back to GraphiQL's files on a CDN)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STAMP="$HERE/node_modules/.retailtwin-installed"
OPTIONAL=0
[[ "${1:-}" == "--optional" ]] && OPTIONAL=1

fail() {
    echo "web/install.sh: $*" >&2
    if [[ $OPTIONAL -eq 1 ]]; then
        echo "web/install.sh: GraphiQL will load its files from a CDN instead (needs internet)" >&2
        exit 0
    fi
    exit 1
}

if [[ -f "$STAMP" ]] && cmp -s "$STAMP" "$HERE/package-lock.json"; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    fail "GraphiQL's files need Node.js and npm on PATH to install (node 18 or newer; e.g. apt-get install nodejs npm)"
fi
echo "web/install.sh: installing GraphiQL's browser files with npm ci (once)" >&2
if ! (cd "$HERE" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2); then
    fail "npm ci in $HERE failed; see above"
fi
cp "$HERE/package-lock.json" "$STAMP"
