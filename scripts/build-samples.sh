#!/usr/bin/env bash
# Regenerates the default molecules and proteins of samples/figure1 from Debian's rdkit-data and
# emboss-test packages (installing them when absent). Deterministic: reruns give identical files.
# Usage: scripts/build-samples.sh   (run from anywhere; needs apt rights if the packages are missing)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
for package in rdkit-data emboss-test; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if ! $sudo apt-get install -y "${missing[@]}"; then
    $sudo apt-get update
    $sudo apt-get install -y "${missing[@]}"
  fi
fi

python3 "$repo/scripts/build_samples.py" "$repo/samples/figure1"
