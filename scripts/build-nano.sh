#!/usr/bin/env bash
# Regenerates model/nano/ from nothing but this repository and Debian's sentencepiece:
#   1. the tokenizer (scripts/build-nano-tokenizer.sh; bit-identical on rerun),
#   2. seeded random BF16 weights (NanoModel; bit-identical on rerun with the same RandomWeights;
#      the committed model started from its earlier generator, see model/nano/TRAINING.md), the start of
#   3. training, when --train is given (./routelens train with train/nano-train.json; see
#      model/nano/TRAINING.md for the exact command, its wall time and its figures).
# Usage: scripts/build-nano.sh [--train]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/build-nano-tokenizer.sh
# One reactor run: model's classpath then names core's jar from this build (core is never installed).
mvn -B -q -DskipTests -pl model -am package dependency:build-classpath -Dmdep.outputFile="$root/model/target/classpath.txt"
java -cp "model/target/classes:$(cat model/target/classpath.txt)" dev.routelens.model.nano.NanoModel out/nano-random 4096 20240927
cp model/nano/tokenizer.model model/nano/routelens_tokenizer.json out/nano-random/
sha256sum out/nano-random/model.safetensors model/nano/tokenizer.model
if [[ "${1:-}" == "--train" ]]; then
  ./routelens train --config train/nano-train.json --out out/nano-train
  cp out/nano-train/config.json out/nano-train/model.safetensors model/nano/
fi
