#!/usr/bin/env bash
# Issue 20's audit: how many molecules of the Debian sets (scripts/debian-smiles-sets.tsv) and the shared
# corpus CDK parses, and how many of those each nano vocabulary refuses, before (model/nano as shipped), with
# the bracket-atom fallback switched on for model/nano's current vocabulary, and after
# (model/nano-v2-tokenizer); a held-out check, a vocabulary built as v2 but without the Debian sets, shows
# which of their bracket atoms the fallback has to split; and whether every protein letter of
# emboss-test's FASTA files and proteins.fasta encodes. Prints counts, writes nothing in the repository.
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
# model/nano's current vocabulary with the fallback switched on: what opting in before retraining would give
mkdir "$work/nano-fallback"
cp model/nano/tokenizer.model "$work/nano-fallback/"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["bracket_atom_fallback"]=True; print(json.dumps(c, ensure_ascii=False))' \
  model/nano/routelens_tokenizer.json >"$work/nano-fallback/routelens_tokenizer.json"
# held out: the same build without the Debian sets (a sets list of its header alone)
grep -v '^#' scripts/debian-smiles-sets.tsv | head -1 >"$work/no-sets.tsv"
ROUTELENS_SMILES_SETS="$work/no-sets.tsv" scripts/build-nano-tokenizer.sh "$work/held-out" >/dev/null 2>&1
java -cp "model/target/test-classes:model/target/classes:$(cat "$work/classpath.txt")" \
  dev.routelens.model.tokenizer.VocabularyAudit scripts/debian-smiles-sets.tsv "$corpus" \
  "before=model/nano" "before, fallback on=$work/nano-fallback" "held out: corpus-only v2, fallback on=$work/held-out" "after=model/nano-v2-tokenizer"
