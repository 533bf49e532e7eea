#!/usr/bin/env bash
# Installs the Debian packages Trilobite builds against (C libraries through pkg-config, and the
# font its figures use). Safe to run again: apt-get skips what is already there.
set -euo pipefail
packages=(pkg-config libpng-dev libjpeg-dev libopenblas0-pthread libcairo2-dev fonts-dejavu-core libcmark-gfm-dev libcmark-gfm-extensions-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
