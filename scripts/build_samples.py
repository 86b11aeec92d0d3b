#!/usr/bin/env python3
"""Regenerates samples/figure1/molecules.jsonl and proteins.jsonl from two Debian packages.

Molecules: the ChEMBL 24 random sample shipped in rdkit-data, single-component records only
(salts and mixtures are skipped), topped up from the ChEMBL_11265 actives file, spread evenly.
Proteins: UniProt entries from emboss-test, first the Swiss-Prot test database (swiss/seq.dat),
then data/uniprotft.sw, in file order, keeping the first entry for each distinct sequence.
The output is a pure function of the package files, so reruns give identical bytes.
Usage: build_samples.py OUTPUT_DIR
"""
import csv
import json
import os
import re
import sys
import tempfile

RDKIT = "/usr/share/RDKit"
EMBOSS = "/usr/share/EMBOSS"
COUNT = 100
CHEMBL_RANDOM = "Contrib/NIBRSubstructureFilters/examples/chembl24_structs_randomtestSample_100.csv"
CHEMBL_ACTIVES = "Contrib/fraggle/data/ChEMBL_11265_actives.smi"
SWISS_FILES = ["test/swiss/seq.dat", "test/data/uniprotft.sw"]
IUPAC = re.compile(r"^[ACDEFGHIKLMNPQRSTVWYBZXUO]+$")
# Atoms in a SMILES string: bracket atoms, two-letter halogens, organic-subset atoms.
ATOM = re.compile(r"\[[^\]]+\]|Cl|Br|[BCNOSPFI]|[bcnops]")


def heavy_atoms(smiles):
    return sum(1 for atom in ATOM.findall(smiles) if not re.fullmatch(r"\[2?H\]", atom))


def drug_like(smiles):
    """Single component, 10 to 60 heavy atoms."""
    return "." not in smiles and 10 <= heavy_atoms(smiles) <= 60


def molecules():
    picked, seen = [], set()
    with open(os.path.join(RDKIT, CHEMBL_RANDOM), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            smiles = row["smiles"].strip()
            if drug_like(smiles) and smiles not in seen:
                seen.add(smiles)
                picked.append((smiles, f"rdkit-data:{RDKIT}/{CHEMBL_RANDOM}#{row['chemblid']}"))
    actives = []
    with open(os.path.join(RDKIT, CHEMBL_ACTIVES), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and drug_like(parts[0]) and parts[0] not in seen:
                actives.append((parts[0], parts[1]))
    missing = COUNT - len(picked)
    if missing > len(actives):
        sys.exit(f"build_samples: only {len(picked) + len(actives)} molecules available, need {COUNT}")
    for k in range(missing):
        smiles, name = actives[k * len(actives) // missing]  # evenly spread over the file
        seen.add(smiles)
        picked.append((smiles, f"rdkit-data:{RDKIT}/{CHEMBL_ACTIVES}#{name}"))
    return picked[:COUNT]


def swiss_entries(path):
    """Yields (entry name, primary accession, sequence) from a Swiss-Prot flat file."""
    entry = None
    with open(path, encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("ID   "):
                entry = {"name": line.split()[1], "acc": [], "seq": [], "in_seq": False}
            elif entry is None:
                continue
            elif line.startswith("AC   "):
                entry["acc"] += [a for a in re.split(r"[;\s]+", line[5:]) if a]
            elif line.startswith("SQ   "):
                entry["in_seq"] = True
            elif line.startswith("//"):
                yield entry["name"], entry["acc"][0], "".join(entry["seq"])
                entry = None
            elif entry["in_seq"]:
                entry["seq"].append(re.sub(r"[\s\d]", "", line))


def proteins():
    picked, seen_seq, seen_acc = [], set(), set()
    for relative in SWISS_FILES:
        path = os.path.join(EMBOSS, relative)
        for name, accession, sequence in swiss_entries(path):
            sequence = sequence.upper()
            if not IUPAC.match(sequence) or sequence in seen_seq or accession in seen_acc:
                continue
            seen_seq.add(sequence)
            seen_acc.add(accession)
            picked.append((sequence, f"emboss-test:{path}#{accession} {name}"))
    if len(picked) < COUNT:
        sys.exit(f"build_samples: only {len(picked)} distinct proteins available, need {COUNT}")
    return picked[:COUNT]


def write_jsonl(path, prefix, label, kind, items):
    lines = []
    for index, (text, source) in enumerate(items, start=1):
        record = {"id": f"{prefix}-{index:03d}", "label": label, "kind": kind, "text": text, "source": source}
        lines.append(json.dumps(record, ensure_ascii=False))
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".jsonl")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(temp, 0o644)
    os.replace(temp, path)
    print(f"wrote {len(items)} records to {path}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: build_samples.py OUTPUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write_jsonl(os.path.join(out, "molecules.jsonl"), "mol", "molecules", "smiles", molecules())
    write_jsonl(os.path.join(out, "proteins.jsonl"), "prot", "proteins", "protein", proteins())


if __name__ == "__main__":
    main()
