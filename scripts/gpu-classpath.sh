#!/usr/bin/env bash
# Prepares the classpath folder for running RouteLens on a GPU machine that has a Python PyTorch but no
# package registry (see ../shared/gpu/README.md for the JNI kit). Copies the module jars and their
# runtime dependencies into DIR, leaving out what the kit replaces (pytorch-native-*, pytorch-jni) and
# native jars for other platforms, so that the kit stays under the 64 MiB that can travel with a run.
# Usage: scripts/gpu-classpath.sh DIR [--with-hf-tokenizers] [--lean]
#   --lean also drops OpenBLAS (15 MB, used by Smile), for GPU runs of probe/bench that draw no t-SNE.
set -euo pipefail
dest=${1:?usage: scripts/gpu-classpath.sh DIR [--with-hf-tokenizers] [--lean]}
shift
with_hf=no
lean=no
for flag in "$@"; do
  case "$flag" in
    --with-hf-tokenizers) with_hf=yes ;;
    --lean) lean=yes ;;
    *) echo "gpu-classpath: unknown flag $flag" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && mvn -B -q -DskipTests -pl cli -am package)
mkdir -p "$dest"
rm -f "$dest"/*.jar
IFS=":" read -r -a entries < "$root/cli/target/classpath.txt" || true  # no trailing newline
for jar in "${entries[@]}"; do
  name=$(basename "$jar")
  case "$name" in
    pytorch-native-*|pytorch-jni-*) continue ;;                    # the kit builds its own JNI against libtorch
    *-windows-*|*-macosx-*|*-linux-arm64*|*-linux-ppc64le*|*-android-*|*-ios-*) continue ;;
    tokenizers-*) [[ $with_hf == yes ]] || continue ;;            # only for tokenizer.json models
    pdfbox-*|fontbox-*) continue ;;                                # XChart's PDF export, never used
    openblas-*) [[ $lean == no ]] || continue ;;
  esac
  cp "$jar" "$dest/"
done
total=$(du -sm "$dest" | cut -f1)
echo "gpu-classpath: $(ls "$dest" | wc -l) jars, ${total} MB in $dest"
if (( total > 24 )); then
  echo "gpu-classpath: warning: over 24 MB; with the kit's ~40 MB JRE the run may exceed 64 MiB" >&2
fi
