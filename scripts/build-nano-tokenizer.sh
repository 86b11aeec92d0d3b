#!/usr/bin/env bash
# Regenerates the embedded default tokenizer: tokenizer.model, tokenizer.vocab and routelens_tokenizer.json
# (see model/nano/README-tokenizer.md for the design), in model/nano or in the folder given.
# Inputs: the shared corpus (papers.jsonl, molecules.tsv, proteins.fasta; default ../shared/corpus
# from the repository root, or $ROUTELENS_CORPUS), the molecules and proteins of samples/figure1/*.jsonl
# when present (their atoms must be in the vocabulary), and the atom tokens of the Debian molecule sets
# listed in scripts/debian-smiles-sets.tsv (read where the packages install them, never copied).
# Deterministic: a rerun on the same inputs gives bit-identical files (single-threaded, fixed seed).
# Usage: scripts/build-nano-tokenizer.sh [OUT_DIR]   (default model/nano; needs apt rights if Debian's
#        sentencepiece or rdkit-data is missing). model/nano's weights were trained on the tokenizer there:
#        a new vocabulary goes elsewhere (OUT_DIR) until a model is retrained on it (build-nano.sh --train).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${ROUTELENS_CORPUS:-$repo/../shared/corpus}"
out="$(realpath -m "${1:-$repo/model/nano}")"
sets="${ROUTELENS_SMILES_SETS:-$repo/scripts/debian-smiles-sets.tsv}"  # another list, e.g. a header alone, for a held-out check
vocab_size=4096
seed=20240927

for file in papers.jsonl molecules.tsv proteins.fasta; do
  [[ -f "$corpus/$file" ]] || { echo "build-nano-tokenizer: missing $corpus/$file" >&2; exit 1; }
done

apt_install() {
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if ! $sudo apt-get install -y "$@"; then
    $sudo apt-get update
    $sudo apt-get install -y "$@"
  fi
}
command -v spm_train >/dev/null 2>&1 || apt_install sentencepiece
for package in $(grep -v '^#' "$sets" | tail -n +2 | cut -f1 | sort -u); do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || apt_install "$package"
  echo "build-nano-tokenizer: $(dpkg-query -W -f='${Package} ${Version}' "$package")" >&2
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Writes $work/train.txt (prose only), $work/symbols.txt (user-defined pieces, one a line) and
# $work/routelens_tokenizer.json.
python3 - "$corpus" "$repo/samples/figure1" "$work" "$sets" <<'PY'
import glob, json, os, re, sys

corpus, samples_dir, work, sets = sys.argv[1:5]
# Same regex as dev.routelens.model.tokenizer.SmilesSplitter (Schwaller et al. 2019).
SMILES = re.compile(r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>|\*|\$|\%[0-9]{2}|[0-9])")
MARKERS = {"smiles_start": "[START_I_SMILES]", "smiles_end": "[END_I_SMILES]",
           "protein_start": "[START_AMINO]", "protein_end": "[END_AMINO]"}
SMILES_FORMAT, PROTEIN_FORMAT = "\u27e8%s\u27e9", "\u27ea%s\u27eb"  # ⟨%s⟩ and ⟪%s⟫
# Organic subset, aromatic atoms, wildcard, ring digits, bonds, branches and the dot: always present.
BASE_ATOMS = ["B", "C", "N", "O", "P", "S", "F", "Cl", "Br", "I", "b", "c", "n", "o", "s", "p", "*",
              *"0123456789", "-", "=", "#", "$", ":", "/", "\\", "(", ")", "."]
AMINO = [chr(c) for c in range(ord("A"), ord("Z") + 1)]  # 20 standard + B J O U X Z (IUPAC)
# Every two-digit ring bond: large ring systems use them, and they are a closed set.
RING_BONDS = ["%%%02d" % n for n in range(10, 100)]
# The parts of dev.routelens.model.tokenizer.BracketAtom (bracket_atom_fallback): the same element list,
# aromatic symbols and grammar. Every element, hydrogen count and charge up to 8, @ and @@, and the usual
# tracer isotopes have a piece; other isotopes, chirality and classes get one when an inventoried bracket
# atom has them.
ELEMENTS = ("H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr"
            " Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb"
            " Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf"
            " Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og").split()
AROMATIC = ["b", "c", "n", "o", "p", "s", "se", "as", "si", "te"]
BRACKET = re.compile(r"\[([0-9]{1,3})?([A-Z][a-z]?|[a-z]{1,2}|\*)(@(?:@|TH[12]|AL[12]|SP[1-3]|TB[0-9]{1,2}|OH[0-9]{1,2})?)?"
                     r"(H[0-9]?)?(\+{1,3}|-{1,3}|[+-][0-9]{1,2})?(:[0-9]+)?]")
FALLBACK_PARTS = (["[%s]" % e for e in ELEMENTS + AROMATIC + ["*"]] + ["H"] + ["H%d" % n for n in range(2, 10)]
                  + ["%s%d" % (sign, n) for n in range(1, 9) for sign in "+-"] + ["@", "@@"]
                  # isotopes of tracers and labels: 2H 3H 11C 13C 14C 15N 17O 18O/18F 32P 35S 123-125I 131I
                  + ["^%d" % m for m in (2, 3, 11, 13, 14, 15, 17, 18, 32, 35, 123, 124, 125, 131)])

def bracket_parts(token):
    match = BRACKET.fullmatch(token)
    if not match or match.group(2) not in set(ELEMENTS + AROMATIC + ["*"]):
        return []
    isotope, element, chirality, h, charge, atom_class = match.groups()
    parts = ["^%d" % int(isotope)] if isotope and int(isotope) > 0 else []
    parts.append("[%s]" % element)
    parts += [chirality] if chirality else []
    hydrogens = 0 if h is None else 1 if len(h) == 1 else int(h[1])
    parts += ["H" if hydrogens == 1 else "H%d" % hydrogens] if hydrogens else []
    if charge:
        value = int(charge[1:]) if len(charge) > 1 and charge[1].isdigit() else len(charge)
        parts += ["%s%d" % (charge[0], value)] if value else []
    parts += [atom_class] if atom_class else []
    return parts

def debian_molecules():
    """(smiles, where) of every record of the sets in debian-smiles-sets.tsv."""
    found = []
    with open(sets, encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if not line.startswith("#")][1:]
    for package, name, path, separator, column, header in rows:
        split = {"tab": lambda line: line.split("\t"), "comma": lambda line: line.split(","),
                 "space": lambda line: line.split()}[separator]
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if number <= int(header) or line.startswith("#") or not line.strip():
                    continue
                fields = split(line.rstrip("\n"))
                if len(fields) > int(column):
                    found.append((fields[int(column)].strip().strip('"'), "%s:%d" % (path, number)))
    return found

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
atom_set = set(BASE_ATOMS) | set(RING_BONDS)
train = [p for p in prose if p]
for smiles, where in molecules:
    split = atoms(smiles, where)
    atom_set.update(split)
debian = debian_molecules()
unsplit = 0
for smiles, where in debian:
    split = SMILES.findall(smiles)
    if "".join(split) != smiles:
        unsplit += 1  # not ours to fix; VocabularyAudit counts and names them
        continue
    atom_set.update(split)
part_set = set(FALLBACK_PARTS)
for atom in atom_set:
    if atom.startswith("["):
        part_set.update(bracket_parts(atom))
part_set -= atom_set  # a part that is also a whole atom token ([C], [Na]) is declared once
for protein, where in proteins:
    bad = sorted(set(protein) - set(AMINO))
    if bad:
        sys.exit(f"build-nano-tokenizer: {where}: protein has non-IUPAC letters {bad}")

symbols = (list(MARKERS.values()) + [SMILES_FORMAT % a for a in sorted(atom_set)]
           + [PROTEIN_FORMAT % a for a in AMINO] + [SMILES_FORMAT % p for p in sorted(part_set)])
with open(os.path.join(work, "train.txt"), "w", encoding="utf-8", newline="\n") as handle:
    handle.write("\n".join(train) + "\n")
with open(os.path.join(work, "symbols.txt"), "w", encoding="utf-8", newline="\n") as handle:
    handle.write("\n".join(symbols) + "\n")
config = dict(MARKERS, smiles_piece_format=SMILES_FORMAT, protein_piece_format=PROTEIN_FORMAT,
              bracket_atom_fallback=True)
with open(os.path.join(work, "routelens_tokenizer.json"), "w", encoding="utf-8", newline="\n") as handle:
    handle.write(json.dumps(config, ensure_ascii=False, indent=2) + "\n")
print(f"build-nano-tokenizer: {len(prose)} prose lines, {len(molecules)} corpus and sample molecules, "
      f"{len(debian)} Debian molecules ({unsplit} that the SMILES regex cannot split), {len(atom_set)} atom "
      f"tokens, {len(part_set)} more bracket-atom parts, {len(proteins)} proteins", file=sys.stderr)
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
