#!/usr/bin/env bash
# Regenerates the HF transformers reference fixtures of model/src/test/resources/dev/routelens/model/family/
# (olmoe, qwen2_moe, qwen3_moe, mixtral: config.json, model.safetensors, expected.json) with
# scripts/hf_family_fixtures.py. Deterministic: a rerun with the same versions gives identical files.
# The Python environment is $HF_FIXTURES_VENV (default target/hf-fixtures-venv), created when it lacks
# torch, transformers or safetensors; pip reads $PIP_INDEX_URL (default the local mirror
# file:///opt/pypi/simple; torch's CPU wheels may need PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu).
# The committed fixtures came from transformers 5.18.0 and torch 2.13.0+cpu.
# Usage: scripts/build-hf-fixtures.sh   (e.g. HF_FIXTURES_VENV=/tmp/hfvenv scripts/build-hf-fixtures.sh)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${HF_FIXTURES_VENV:-$repo/target/hf-fixtures-venv}"
torch_version="${TORCH_VERSION:-2.13.0}"
transformers_version="${TRANSFORMERS_VERSION:-5.18.0}"
export PIP_INDEX_URL="${PIP_INDEX_URL:-file:///opt/pypi/simple}"

if ! "$venv/bin/python" -c "import torch, transformers, safetensors" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "torch==$torch_version" "transformers==$transformers_version" safetensors
fi
"$venv/bin/python" - "$torch_version" "$transformers_version" <<'EOF'
import sys, torch, transformers
want = {"torch": sys.argv[1], "transformers": sys.argv[2]}
have = {"torch": torch.__version__.split("+")[0], "transformers": transformers.__version__}
if have != want:
    print(f"build-hf-fixtures: warning: {have} instead of {want}; expected.json will say so", file=sys.stderr)
EOF
"$venv/bin/python" "$repo/scripts/hf_family_fixtures.py"
