#!/usr/bin/env bash
# Runs the browser tests against a built site.
#
#   Tests/browser/run.sh [pytest arguments…]
#
# Expects scripts/install-browser-test-dependencies.sh to have run, the site built into `site/`
# (TRILOBITE_SITE) and `.build/release/trilobite` (TRILOBITE_BIN) for the live-reload test.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${TRILOBITE_BROWSER_VENV:-.build-browser/venv}"
export TRILOBITE_SITE="${TRILOBITE_SITE:-$PWD/site}"
export TRILOBITE_BIN="${TRILOBITE_BIN:-$PWD/.build/release/trilobite}"
export TRILOBITE_SCREENSHOTS="${TRILOBITE_SCREENSHOTS:-$PWD/.build-browser/screenshots}"
# The whole run is bounded too, in case a browser hangs outside Playwright's own waits.
exec timeout 900 "$venv/bin/python" -m pytest -p no:cacheprovider -q Tests/browser "$@"
