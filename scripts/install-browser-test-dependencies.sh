#!/usr/bin/env bash
# Installs what the browser tests (Tests/browser) need: Debian's chromium, and a Python venv with
# Playwright for Python and pytest. Playwright drives /usr/bin/chromium through executable_path,
# so no browser is downloaded (never `playwright install`). Safe to run again.
#
#   scripts/install-browser-test-dependencies.sh [venv folder, default .build-browser/venv]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.build-browser/venv}"

packages=(chromium)
python3 -m venv --help >/dev/null 2>&1 || packages+=(python3-venv)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "Installing: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import playwright, pytest" 2>/dev/null \
    || "$venv/bin/pip" install --quiet --disable-pip-version-check playwright pytest
