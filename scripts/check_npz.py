"""Manual check, not run by CI: load a figure1 folder's .npz files with NumPy and compare them with its CSVs.

    python scripts/check_npz.py out/figure1 [probe.npz] [out/stats]

Needs numpy and pandas. The probe check expects a capture of layers.*.moe.gate with 8 experts (SciDFM-nano).
"""
import json, sys
import numpy as np
import pandas as pd

f1 = sys.argv[1]
csv = pd.read_csv(f"{f1}/expert_choice.csv", float_precision="round_trip")
z = np.load(f"{f1}/expert_choice.npz")
e = z["expert_choice"]
D, M, E = e.shape
print("expert_choice", e.shape, e.dtype, "layers", z["layers"].tolist()[:3], "...")
cols = [c for c in csv.columns if c.startswith("L")]
assert cols[0] == "L0E0" and len(cols) == M * E
assert np.array_equal(e.reshape(D, -1), csv[cols].to_numpy()), "E_T differs from the CSV"
assert (z["ids"].astype(str) == csv["id"].astype(str).to_numpy()).all()
assert (z["labels"].astype(str) == csv["label"].to_numpy()).all()
assert np.allclose(e.sum(axis=2), 1.0), "each layer's e_i is a softmax"
t = np.load(f"{f1}/tsne.npz")
tc = pd.read_csv(f"{f1}/tsne.csv", float_precision="round_trip")
assert np.array_equal(t["coords"], tc[["x", "y", "z"]].to_numpy())
print("tsne coords", t["coords"].shape, "equal to tsne.csv")
fig = pd.read_csv(f"{f1}/figure1.csv")
assert list(fig.columns) == ["id", "label", "x", "y", "z", "oblique_x", "oblique_y"], list(fig.columns)
assert np.allclose(fig[["x", "y", "z"]].to_numpy(), tc[["x", "y", "z"]].to_numpy())
metrics = json.load(open(f"{f1}/metrics.json"))
print("metrics quality keys", sorted(metrics["quality"])[:4], "...")
assert all(k == k.lower() for k in metrics["quality"])
if len(sys.argv) > 2:
    p = np.load(sys.argv[2])
    print("probe entries", {k: p[k].shape for k in list(p.keys())[:3]}, "...", len(p.keys()), "entries")
    g = p["layers.5.moe.gate"]
    assert g.shape == (len(p["token_ids"]), 8) and g.dtype == np.float32
if len(sys.argv) > 3:
    st = sys.argv[3]
    rm = pd.read_csv(f"{st}/routing_metrics.csv")
    assert [c for c in rm.columns if c.startswith("E")] == [f"E{i}" for i in range(8)]
    rep = json.load(open(f"{st}/routing_report.json"))
    assert "random_baseline_either" in rep and "expert_share" in rep["rows"][0], list(rep)
    co = pd.read_csv(f"{st}/coactivation_layer25.csv")
    assert list(co.columns) == ["panel", "from_expert", "to_expert", "value"], list(co.columns)
    run = json.load(open(f"{st}/run.json"))
    print("stats run.json core", list(run)[:10])
print("all checks passed")
