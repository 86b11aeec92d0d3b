"""Writes tiny HF transformers reference checkpoints, and HF's own outputs on them, for the Java family tests.

For each fixture (olmoe, qwen2_moe, qwen3_moe, mixtral) this builds a small random model with HF's classes,
saves it in BF16 with save_pretrained (the hub layout: one tensor per expert), reloads that checkpoint in
float32 with eager attention, runs three documents one at a time, and writes into
model/src/test/resources/dev/routelens/model/family/<fixture>/:

  config.json, model.safetensors   as save_pretrained wrote them (qwen2_moe and mixtral: config.json
                                   rewritten in the transformers 4.x form, see LEGACY_CONFIG)
  expected.json                    per document: ids; per MoE layer the router's raw logits [T][E], top-k
                                   ids [T][k] and applied weights [T][k], and (qwen2_moe) the shared
                                   expert's gated output [T][H]; the next-token NLL sum and count.

Floats are written as Python reprs of the float32 values (exact). A rerun reproduces every file.
Usage: scripts/build-hf-fixtures.sh   (or: python scripts/hf_family_fixtures.py [OUT_ROOT])
"""

import json
import shutil
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
import transformers
from safetensors import safe_open
from transformers import AutoConfig, AutoModelForCausalLM

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "model/src/test/resources/dev/routelens/model/family"
DOC_LENGTHS = (7, 13, 20)
MIN_TOPK_GAP = 1e-3  # every token's k-th and (k+1)-th logits differ by more: no routing near-ties
SIZE_LIMIT = 1 << 20

# Each fixture: the HF config class, its kwargs, the MoE layers HF must build, what it exercises.
FIXTURES = {
    "olmoe": dict(
        config=transformers.OlmoeConfig,
        seed=101,
        kwargs=dict(vocab_size=100, hidden_size=32, intermediate_size=24, num_hidden_layers=3,
                    num_attention_heads=4, num_key_value_heads=2, num_experts=16, num_experts_per_tok=4,
                    norm_topk_prob=False, clip_qkv=1.25, rms_norm_eps=1e-6, max_position_embeddings=64,
                    pad_token_id=1, bos_token_id=None, eos_token_id=99),
        moe_layers=[0, 1, 2],
        exercises="16 experts, top-4 without renormalisation, q_norm/k_norm over the whole projection, "
                  "clip_qkv after the norms (clips q, k and v), grouped KV (4 heads, 2 KV), rms_norm_eps 1e-6 "
                  "(default 1e-5), bos_token_id null, config in the 5.x form (rope_parameters, dtype)",
    ),
    "qwen2_moe": dict(
        config=transformers.Qwen2MoeConfig,
        seed=202,
        kwargs=dict(vocab_size=112, hidden_size=32, intermediate_size=48, moe_intermediate_size=16,
                    shared_expert_intermediate_size=40, num_hidden_layers=6, num_attention_heads=4,
                    num_key_value_heads=2, num_experts=8, num_experts_per_tok=3, norm_topk_prob=True,
                    decoder_sparse_step=2, mlp_only_layers=[3], qkv_bias=True, rms_norm_eps=1e-6,
                    max_position_embeddings=64, rope_parameters={"rope_type": "default", "rope_theta": 1e6},
                    bos_token_id=111, eos_token_id=111),
        moe_layers=[1, 5],
        exercises="q/k/v biases, shared expert (width 40) behind a sigmoid gate, routed experts width 16, dense "
                  "MLP width 48, top-3 renormalised, dense layers from decoder_sparse_step 2 (0, 2, 4) and "
                  "mlp_only_layers [3], grouped KV, config in the 4.x form (top-level rope_theta 1e6, torch_dtype)",
    ),
    "qwen3_moe": dict(
        config=transformers.Qwen3MoeConfig,
        seed=303,
        kwargs=dict(vocab_size=96, hidden_size=48, intermediate_size=56, moe_intermediate_size=20,
                    num_hidden_layers=3, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                    num_experts=10, num_experts_per_tok=3, norm_topk_prob=False, mlp_only_layers=[1],
                    rms_norm_eps=1e-5, max_position_embeddings=64,
                    rope_parameters={"rope_type": "default", "rope_theta": 1e6},
                    bos_token_id=94, eos_token_id=95),
        moe_layers=[0, 2],
        exercises="head_dim 16 with hidden 48 and 4 heads (projections 64 wide), per-head q_norm/k_norm, top-3 "
                  "without renormalisation, dense layer 1 from mlp_only_layers, grouped KV, rope_theta 1e6, "
                  "rms_norm_eps 1e-5 (default 1e-6), config in the 5.x form (num_local_experts, rope_parameters)",
    ),
    "mixtral": dict(
        config=transformers.MixtralConfig,
        seed=404,
        kwargs=dict(vocab_size=104, hidden_size=32, intermediate_size=40, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2, num_local_experts=8, num_experts_per_tok=2,
                    rms_norm_eps=1e-5, max_position_embeddings=64,
                    rope_parameters={"rope_type": "default", "rope_theta": 1e6}, bos_token_id=1, eos_token_id=2),
        moe_layers=[0, 1],
        exercises="control: plain Mixtral, 8 experts, top-2 renormalised, grouped KV, rope_theta 1e6, config in "
                  "the 4.x form (top-level rope_theta, torch_dtype)",
    ),
}

# Fixtures whose config.json is rewritten the way transformers 4.x wrote it.
LEGACY_CONFIG = {"qwen2_moe", "mixtral"}


def randomise(model, seed):
    """Seeded weights large enough that routing is decisive and every norm weight and bias matters.

    HF initialises norms to 1, biases to 0 and everything else with std 0.02; instead: norm weights
    1 + 0.25 z, biases 0.3 z, token embeddings 0.02 z (so layer 0's RMSNorm input is small and its eps
    shows), routers 1.5 z / sqrt(H), every other matrix z / sqrt(fan_in).
    """
    g = torch.Generator().manual_seed(seed)
    hidden = model.config.hidden_size
    with torch.no_grad():
        for name, p in model.named_parameters():
            z = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.25 * z)
            elif name.endswith(".bias"):
                p.copy_(0.3 * z)
            elif name.endswith("embed_tokens.weight"):
                p.copy_(0.02 * z)
            elif name.endswith("mlp.gate.weight"):
                p.copy_(1.5 * z / hidden ** 0.5)
            else:
                p.copy_(z / p.shape[-1] ** 0.5)


def documents(seed, vocab):
    g = torch.Generator().manual_seed(seed + 1)
    return [torch.randint(0, vocab, (n,), generator=g).tolist() for n in DOC_LENGTHS]


def to_legacy_config(path):
    """Rewrites a 5.x config.json as 4.x wrote it: top-level rope_theta and torch_dtype, no layer_types."""
    cfg = json.loads(path.read_text())
    rope = cfg.pop("rope_parameters")
    assert rope == {"rope_type": "default", "rope_theta": rope["rope_theta"]}, rope
    cfg["rope_theta"] = rope["rope_theta"]
    cfg["torch_dtype"] = cfg.pop("dtype")
    cfg.pop("layer_types", None)
    path.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")


def check_checkpoint(out, model_type, first_moe, legacy):
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["model_type"] == model_type
    assert cfg["torch_dtype" if legacy else "dtype"] == "bfloat16", cfg
    assert ("rope_theta" in cfg) == legacy and ("rope_parameters" in cfg) != legacy
    with safe_open(out / "model.safetensors", "pt") as f:
        keys = set(f.keys())
        dtypes = {f.get_slice(k).get_dtype() for k in keys}
    assert dtypes == {"BF16"}, dtypes
    expert = (f"model.layers.{first_moe}.block_sparse_moe.experts.3.w1.weight" if model_type == "mixtral"
              else f"model.layers.{first_moe}.mlp.experts.3.gate_proj.weight")
    assert expert in keys, sorted(keys)[:20]
    assert not any("gate_up_proj" in k for k in keys), "fused expert tensors in the hub layout"


def capture_hooks(model, moe_layers, records):
    """Forward hooks on each MoE layer's router (and shared expert); they fill records[layer]."""
    handles = []
    for i in moe_layers:
        mlp = model.model.layers[i].mlp

        def on_router(module, args, output, i=i):
            logits, weights, indices = output  # [T, E], [T, k], [T, k]
            records.setdefault(i, {}).update(logits=logits, topk=indices, topk_weights=weights)

        handles.append(mlp.gate.register_forward_hook(on_router))
        if hasattr(mlp, "shared_expert"):
            parts = {}

            def on_shared(module, args, output, parts=parts):
                parts["out"] = output  # [T, H]

            def on_shared_gate(module, args, output, parts=parts, i=i):
                # The block adds exactly this: F.sigmoid(shared_expert_gate(x)) * shared_expert(x).
                records.setdefault(i, {})["shared"] = F.sigmoid(output) * parts["out"]

            handles.append(mlp.shared_expert.register_forward_hook(on_shared))
            handles.append(mlp.shared_expert_gate.register_forward_hook(on_shared_gate))
    return handles


def clip_hooks(model, clip, counts):
    """Counts q/k (after q_norm/k_norm) and v entries beyond clip_qkv, before OLMoE clamps them in place."""
    handles = []
    for layer in model.model.layers:
        attn = layer.self_attn
        for key, module in (("q", attn.q_norm), ("k", attn.k_norm), ("v", attn.v_proj)):
            def hook(module, args, output, key=key):
                c = counts.setdefault(key, [0, 0])
                c[0] += int((output.abs() > clip).sum())
                c[1] += output.numel()
            handles.append(module.register_forward_hook(hook))
    return handles


def run_documents(model, docs, moe_layers, k):
    results = []
    for ids in docs:
        records = {}
        handles = capture_hooks(model, moe_layers, records)
        try:
            logits = model(torch.tensor([ids])).logits[0]  # [T, V] float32
        finally:
            for h in handles:
                h.remove()
        assert logits.dtype == torch.float32
        logp = torch.log_softmax(logits.double(), dim=-1)  # [T, V] float64
        nll = -logp[torch.arange(len(ids) - 1), torch.tensor(ids[1:])].sum().item()
        layers = []
        for i in moe_layers:
            r = records[i]
            top = torch.sort(r["logits"].double(), dim=-1, descending=True).values
            gap = (top[:, k - 1] - top[:, k]).min().item()
            assert gap > MIN_TOPK_GAP, f"layer {i}: top-{k} near-tie ({gap:.2e}); change the seed"
            entry = {"layer": i, "logits": r["logits"].tolist(), "topk": r["topk"].tolist(),
                     "topk_weights": r["topk_weights"].tolist()}
            if "shared" in r:
                entry["shared"] = r["shared"].tolist()
            for key in ("logits", "topk_weights", "shared"):
                assert key not in r or r[key].dtype == torch.float32, (key, r[key].dtype)
            layers.append(entry)
        results.append({"ids": ids, "moe": layers, "nll_sum": nll, "nll_count": len(ids) - 1})
    return results


def build(name, spec, root):
    out = root / name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    torch.manual_seed(spec["seed"])
    config = spec["config"](**spec["kwargs"])
    model = AutoModelForCausalLM.from_config(config)
    randomise(model, spec["seed"])
    model = model.to(torch.bfloat16)
    model.save_pretrained(out)
    (out / "generation_config.json").unlink(missing_ok=True)
    legacy = name in LEGACY_CONFIG
    if legacy:
        to_legacy_config(out / "config.json")
    check_checkpoint(out, config.model_type, spec["moe_layers"][0], legacy)

    # HF 5.18 must read the checkpoint back exactly: same config values, the bf16 weights, widened.
    reread = AutoConfig.from_pretrained(out)
    assert reread.rope_parameters == config.rope_parameters, (reread.rope_parameters, config.rope_parameters)
    for key in ("num_experts", "num_experts_per_tok", "rms_norm_eps", "mlp_only_layers", "decoder_sparse_step",
                "head_dim", "clip_qkv", "norm_topk_prob", "layer_types", "sliding_window", "qkv_bias"):
        assert getattr(reread, key, None) == getattr(config, key, None), key
    ref = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32, attn_implementation="eager").eval()
    saved = model.state_dict()
    loaded = ref.state_dict()
    assert saved.keys() == loaded.keys()
    for key, value in saved.items():
        assert torch.equal(value.float(), loaded[key]), f"{key} differs after reloading"

    moe_layers = [i for i, layer in enumerate(ref.model.layers) if hasattr(layer.mlp, "experts")]
    assert moe_layers == spec["moe_layers"], moe_layers
    k = config.num_experts_per_tok
    docs = documents(spec["seed"], config.vocab_size)
    clipped = {}
    handles = clip_hooks(ref, config.clip_qkv, clipped) if getattr(config, "clip_qkv", None) else []
    with torch.no_grad():
        results = run_documents(ref, docs, moe_layers, k)
    for h in handles:
        h.remove()
    for key, (over, total) in clipped.items():
        assert 0 < over < total / 2, f"clip_qkv clips {over} of {total} {key} entries"
    expected = {
        "family": name,
        "model_type": config.model_type,
        "moe_layers": moe_layers,
        "num_experts": config.num_experts,
        "top_k": k,
        "norm_topk_prob": getattr(config, "norm_topk_prob", True),
        "exercises": spec["exercises"],
        "generated_by": f"scripts/hf_family_fixtures.py with transformers {transformers.__version__}, "
                        f"torch {torch.__version__}; reloaded in float32, eager attention, one document at a time",
        "documents": results,
    }
    (out / "expected.json").write_text(json.dumps(expected, separators=(",", ":")) + "\n")
    for f in sorted(out.iterdir()):
        assert f.stat().st_size < SIZE_LIMIT, f
        print(f"  {f.relative_to(root.parent)}  {f.stat().st_size:,} bytes")
    if clipped:
        print("  clip_qkv clipped " + ", ".join(f"{k} {o}/{t}" for k, (o, t) in clipped.items()))


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    torch.set_num_threads(1)  # the same reduction order on every run
    print(f"transformers {transformers.__version__}, torch {torch.__version__} -> {root}")
    for name, spec in FIXTURES.items():
        print(name)
        build(name, spec, root)


if __name__ == "__main__":
    main()
