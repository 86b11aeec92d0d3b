#!/usr/bin/env bash
# Issue 20's audit: how many molecules of the Debian sets (scripts/debian-smiles-sets.tsv) and the shared
# corpus CDK parses, and how many of those each vocabulary refuses: the first nano vocabulary (git show
# 3493500:model/nano/tokenizer.model, read from history), and model/nano's as shipped; a held-out check, a vocabulary
# built like model/nano's but without the Debian sets, shows which of their bracket atoms the fallback has to
# split; and whether every protein letter of emboss-test's FASTA files and proteins.fasta encodes. Prints counts, writes nothing in the repository.
# Usage: scripts/audit-nano-vocab.sh   (installs rdkit-data and emboss-test when missing; needs apt rights)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ROUTELENS_CORPUS:-$repo/../shared/corpus}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
for package in rdkit-data emboss-test; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' \
    || $sudo apt-get install -y "$package" || { $sudo apt-get update && $sudo apt-get install -y "$package"; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
mvn -B -q -o -pl model -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath.txt" >/dev/null
# the first nano vocabulary, before the Debian inventory (the weights trained on it are in git history too)
mkdir "$work/first"
git show 3493500:model/nano/tokenizer.model >"$work/first/tokenizer.model"
git show 3493500:model/nano/routelens_tokenizer.json >"$work/first/routelens_tokenizer.json"
# held out: the same build without the Debian sets (a sets list of its header alone)
grep -v '^#' scripts/debian-smiles-sets.tsv | head -1 >"$work/no-sets.tsv"
ROUTELENS_SMILES_SETS="$work/no-sets.tsv" scripts/build-nano-tokenizer.sh "$work/held-out" >/dev/null 2>&1
java -cp "model/target/test-classes:model/target/classes:$(cat "$work/classpath.txt")" \
  dev.routelens.model.tokenizer.VocabularyAudit scripts/debian-smiles-sets.tsv "$corpus" \
  "first nano vocabulary=$work/first" "held out: corpus-only, fallback on=$work/held-out" "model/nano=model/nano"
