#!/usr/bin/env bash
# Regenerates the embedded default tokenizer: model/nano/tokenizer.model, tokenizer.vocab and
# routelens_tokenizer.json (see model/nano/README-tokenizer.md for the design).
# Inputs: the shared corpus (papers.jsonl, molecules.tsv, proteins.fasta; default ../shared/corpus
# from the repository root, or $ROUTELENS_CORPUS) and the molecules and proteins of
# samples/figure1/*.jsonl when present (their atoms must be in the vocabulary).
# Deterministic: a rerun on the same inputs gives bit-identical files (single-threaded, fixed seed).
# Usage: scripts/build-nano-tokenizer.sh   (needs apt rights if Debian's sentencepiece is missing)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ROUTELENS_CORPUS:-$repo/../shared/corpus}"
out="$repo/model/nano"
vocab_size=4096
seed=20240927

for file in papers.jsonl molecules.tsv proteins.fasta; do
  [[ -f "$corpus/$file" ]] || { echo "build-nano-tokenizer: missing $corpus/$file" >&2; exit 1; }
done

if ! command -v spm_train >/dev/null 2>&1; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if ! $sudo apt-get install -y sentencepiece; then
    $sudo apt-get update
    $sudo apt-get install -y sentencepiece
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Writes $work/train.txt (prose only), $work/symbols.txt (user-defined pieces, one a line) and
# $work/routelens_tokenizer.json.
python3 - "$corpus" "$repo/samples/figure1" "$work" <<'PY'
import glob, json, os, re, sys

corpus, samples_dir, work = sys.argv[1:4]
# Same regex as dev.routelens.model.tokenizer.SmilesSplitter (Schwaller et al. 2019).
SMILES = re.compile(r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>|\*|\$|\%[0-9]{2}|[0-9])")
MARKERS = {"smiles_start": "[START_I_SMILES]", "smiles_end": "[END_I_SMILES]",
           "protein_start": "[START_AMINO]", "protein_end": "[END_AMINO]"}
SMILES_FORMAT, PROTEIN_FORMAT = "\u27e8%s\u27e9", "\u27ea%s\u27eb"  # ⟨%s⟩ and ⟪%s⟫
# Organic subset, aromatic atoms, wildcard, ring digits, bonds, branches and the dot: always present.
BASE_ATOMS = ["B", "C", "N", "O", "P", "S", "F", "Cl", "Br", "I", "b", "c", "n", "o", "s", "p", "*",
              *"0123456789", "-", "=", "#", "$", ":", "/", "\\", "(", ")", "."]
AMINO = [chr(c) for c in range(ord("A"), ord("Z") + 1)]  # 20 standard + B J O U X Z (IUPAC)

def atoms(smiles, where):
    pieces = SMILES.findall(smiles)
    if "".join(pieces) != smiles:
        sys.exit(f"build-nano-tokenizer: {where}: SMILES '{smiles}' does not split into atom tokens")
    return pieces

def one_line(text):
    return " ".join(text.split())

prose, molecules, proteins = [], [], []
with open(os.path.join(corpus, "papers.jsonl"), encoding="utf-8") as handle:
    for line in handle:
        paper = json.loads(line)
        prose += [one_line(paper["title"]), one_line(paper["abstract"])]
with open(os.path.join(corpus, "molecules.tsv"), encoding="utf-8") as handle:
    next(handle)
    molecules += [(row.split("\t")[0], "molecules.tsv") for row in handle if row.strip()]
sequence = []
with open(os.path.join(corpus, "proteins.fasta"), encoding="utf-8") as handle:
    for line in handle:
        if line.startswith(">"):
            if sequence:
                proteins.append(("".join(sequence), "proteins.fasta"))
            sequence = []
        else:
            sequence.append(line.strip())
if sequence:
    proteins.append(("".join(sequence), "proteins.fasta"))
for path in sorted(glob.glob(os.path.join(samples_dir, "*.jsonl"))):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            kind, text = record.get("kind", "text"), record.get("text")
            if not isinstance(text, str):
                sys.exit(f"build-nano-tokenizer: {path}:{number}: no 'text' field")
            where = f"{os.path.basename(path)}:{number}"
            # Samples add atoms and letters only: their prose would retrain BPE (and shift every prose id
            # of the trained nano weights) whenever a sample text changes.
            if kind == "smiles":
                molecules.append((text, where))
            elif kind == "protein":
                proteins.append((text, where))

# Molecules and proteins enter only as user-defined pieces: each atom or letter is one piece whatever
# BPE learns, and their wrapped form in train.txt would only skew the character-coverage counts.
atom_set = set(BASE_ATOMS)
train = [p for p in prose if p]
for smiles, where in molecules:
    split = atoms(smiles, where)
    atom_set.update(split)
for protein, where in proteins:
    bad = sorted(set(protein) - set(AMINO))
    if bad:
        sys.exit(f"build-nano-tokenizer: {where}: protein has non-IUPAC letters {bad}")

symbols = list(MARKERS.values()) + [SMILES_FORMAT % a for a in sorted(atom_set)] + [PROTEIN_FORMAT % a for a in AMINO]
with open(os.path.join(work, "train.txt"), "w", encoding="utf-8", newline="\n") as handle:
    handle.write("\n".join(train) + "\n")
with open(os.path.join(work, "symbols.txt"), "w", encoding="utf-8", newline="\n") as handle:
    handle.write("\n".join(symbols) + "\n")
config = dict(MARKERS, smiles_piece_format=SMILES_FORMAT, protein_piece_format=PROTEIN_FORMAT)
with open(os.path.join(work, "routelens_tokenizer.json"), "w", encoding="utf-8", newline="\n") as handle:
    handle.write(json.dumps(config, ensure_ascii=False, indent=2) + "\n")
print(f"build-nano-tokenizer: {len(prose)} prose lines, {len(molecules)} molecules "
      f"({len(atom_set)} atom tokens), {len(proteins)} proteins", file=sys.stderr)
PY

# [PAD] is a control piece (never produced from text, dropped on decode) at id 3. Paths are relative
# because the trainer records them in the model; the temporary directory's name must not leak in.
cd "$work"
spm_train --input=train.txt --model_prefix=tokenizer --model_type=bpe \
  --vocab_size="$vocab_size" --character_coverage=0.9995 --max_sentence_length=65536 \
  --byte_fallback=true --normalization_rule_name=identity --remove_extra_whitespaces=false \
  --add_dummy_prefix=false --allow_whitespace_only_pieces=true --split_digits=true \
  --user_defined_symbols_file=symbols.txt \
  --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=3 --pad_piece='[PAD]' \
  --random_seed="$seed" --num_threads=1 --minloglevel=1 >spm_train.log 2>&1 \
  || { cat spm_train.log >&2; exit 1; }

mkdir -p "$out"
for file in tokenizer.model tokenizer.vocab routelens_tokenizer.json; do
  cp "$work/$file" "$out/.tmp-$file"
  mv -f "$out/.tmp-$file" "$out/$file"  # same directory: an atomic rename
done
(cd "$out" && sha256sum tokenizer.model tokenizer.vocab routelens_tokenizer.json)
