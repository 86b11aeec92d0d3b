#!/usr/bin/env python3
"""Regenerates the HF tokenizer fixtures in model/src/test/resources/dev/routelens/model/tokenizer/.

Three tiny tokenizers, trained with HF `tokenizers` on sentences written below, each saved by the
transformers class its family uses, so that tokenizer.json holds exactly the pipeline that class builds
(transformers 5 rebuilds normalizer, pre-tokenizer and decoder from the class, not from the file):
  qwen2/  Qwen2Tokenizer (Qwen1.5-MoE, Qwen2-MoE, Qwen3-MoE): NFC, Qwen's split regex then byte-level,
          bos_token null; <|endoftext|>, <|im_start|>, <|im_end|> special; a ByteLevel post-processor,
          as Qwen's released tokenizer.json has (the class would save a plain "$A" template).
  olmoe/  GPTNeoXTokenizer (OLMoE): NFC, byte-level, eos <|endoftext|>, pad <|padding|>, bos_token null,
          add_bos_token false; a ByteLevel post-processor as GPT-NeoX-20B's tokenizer.json has (the class
          replaces whatever the file holds).
  llama/  LlamaTokenizer: Metaspace BPE with byte fallback and a TemplateProcessing that puts <s> first.
Each directory gets expected.json: for each text, AutoTokenizer.from_pretrained(dir)(text)["input_ids"]
(so the family's BOS convention is applied) and HF's decode of those ids less BOS, EOS and padding (which
RouteLens's decode drops wherever they are; other special tokens stay, as there).
bos_rules.json: the ids HF puts before a text for the llama and qwen2 tokenizer.json under other
post-processors and tokenizer_config.json files (the rule HfBosConvention implements).
Usage: /tmp/hfvenv/bin/python scripts/hf_tokenizer_fixtures.py   (transformers 5.18, tokenizers 0.23)
Deterministic: a rerun gives identical files.
"""
import copy
import json
import os
import shutil
import sys
import tempfile

import tokenizers
import transformers
from tokenizers import AddedToken, pre_tokenizers, trainers
from transformers import AutoTokenizer, GPTNeoXTokenizer, LlamaTokenizer, Qwen2Tokenizer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model", "src", "test", "resources",
                   "dev", "routelens", "model", "tokenizer")
VOCAB_SIZE = 700
# Training text, written for these fixtures: routing prose plus a few words in other scripts.
SENTENCES = [
    "A mixture-of-experts layer routes each token to the two experts with the largest gate logits.",
    "The router computes a softmax over the experts and keeps the top two weights.",
    "Experts that receive many tokens are overloaded; a balancing loss spreads the load.",
    "We probe the gate logits of every layer and record which experts each token reaches.",
    "Molecules, proteins and papers are routed to different experts in the middle layers.",
    "Routing entropy falls from the first layer to the last, then rises again.",
    "The tokenizer splits text into pieces; the model reads their ids.",
    "def route(tokens, experts):\n    return [top_two(gate(t)) for t in tokens]\n",
    "Numbers like 2024, 3.14159 and 1e-6 appear in configurations.",
    "Le routeur envoie chaque jeton à deux experts ; café, élève, déjà vu.",
    "Η δρομολόγηση των ειδικών αλλάζει από επίπεδο σε επίπεδο.",
    "专家路由把每个词元发送给两个专家。日本語のテキストも少しあります。",
    "Tabs\tand  double  spaces,\n\nblank lines and trailing spaces   \n",
]
# Texts whose ids are compared: non-ASCII (é, Greek, CJK, emoji), whitespace runs and newlines.
TEXTS = [
    "The router sends each token to two experts.",
    " leading space, trailing space ",
    "Tabs\tand  double  spaces\n\nnew lines\r\n",
    "    four spaces, then text\n  \n",
    "café naïve résumé déjà",
    "cafe\u0301 with a combining accent",
    "Η δρομολόγηση των ειδικών",
    "专家路由 和 日本語のテキスト",
    "emoji 🙂🧬 and a flag 🇫🇷",
    "x²+y² ≤ 1, α→β, 𝔽_p",
    "numbers 12345 and 3.14159",
    "",
]
FAMILY_TEXTS = {
    "qwen2": ["<|im_start|>user\nRoute this.<|im_end|>\n"],
    "olmoe": [],
    "llama": ["<s> inside text"],
}


def train(backend, initial_alphabet, special_tokens):
    """Trains the BPE model of `backend` (a class's own pipeline) on SENTENCES; its vocab and merges."""
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=special_tokens,
                                  initial_alphabet=initial_alphabet, show_progress=False)
    backend.train_from_iterator(SENTENCES, trainer)
    model = json.loads(backend.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    return model["vocab"], merges


def qwen2():
    vocab, merges = train(Qwen2Tokenizer().backend_tokenizer, pre_tokenizers.ByteLevel.alphabet(), [])
    tok = Qwen2Tokenizer(vocab=vocab, merges=merges)
    tok.add_tokens([AddedToken(t, special=True) for t in ("<|im_start|>", "<|im_end|>")])
    return tok, {}, {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}


def olmoe():
    vocab, merges = train(GPTNeoXTokenizer().backend_tokenizer, pre_tokenizers.ByteLevel.alphabet(), [])
    tok = GPTNeoXTokenizer(vocab=vocab, merges=merges, bos_token=None, unk_token=None)
    return tok, {"add_bos_token": False, "add_eos_token": False}, {
        "type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}


def llama():
    specials = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]
    vocab, merges = train(LlamaTokenizer().backend_tokenizer, [], specials)
    tok = LlamaTokenizer(vocab=vocab, merges=merges, add_bos_token=True)
    return tok, {"add_bos_token": True}, None


FAMILIES = {"qwen2": qwen2, "olmoe": olmoe, "llama": llama}
EXPECTED_BOS = {"qwen2": None, "olmoe": None, "llama": "<s>"}


def prefix(tok, text):
    """The ids HF puts before `text`'s own (`text` not empty)."""
    full = tok(text)["input_ids"]
    bare = tok(text, add_special_tokens=False)["input_ids"]
    for k in range(len(full) - len(bare) + 1):
        if full[k:k + len(bare)] == bare:
            return full[:k]
    raise AssertionError(f"{text!r}: {full} does not contain {bare}")


def write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(value, handle, ensure_ascii=False, indent=1, sort_keys=False)
        handle.write("\n")


def family(name):
    directory = os.path.join(OUT, name)
    shutil.rmtree(directory, ignore_errors=True)
    tok, config_extra, post_processor = FAMILIES[name]()
    with tempfile.TemporaryDirectory() as tmp:
        tok.save_pretrained(tmp)
        os.makedirs(directory)
        with open(os.path.join(tmp, "tokenizer.json"), encoding="utf-8") as handle:
            tokenizer_json = json.load(handle)
        with open(os.path.join(tmp, "tokenizer_config.json"), encoding="utf-8") as handle:
            config = json.load(handle)
    config.update(config_extra)  # what the real files say; transformers 5 ignores these two keys
    if post_processor is not None:
        tokenizer_json["post_processor"] = post_processor
    write_json(os.path.join(directory, "tokenizer.json"), tokenizer_json)
    write_json(os.path.join(directory, "tokenizer_config.json"), config)

    hf = AutoTokenizer.from_pretrained(directory)
    assert type(hf).__name__ == type(tok).__name__, (name, type(hf).__name__)
    bos = [] if EXPECTED_BOS[name] is None else [hf.convert_tokens_to_ids(EXPECTED_BOS[name])]
    dropped = set(bos) | {i for i in (hf.bos_token_id, hf.eos_token_id, hf.pad_token_id) if i is not None}
    cases = []
    for text in TEXTS + FAMILY_TEXTS[name]:
        ids = hf(text)["input_ids"]
        assert ids[:len(bos)] == bos and (text == "" or prefix(hf, text) == bos), (name, text, ids)
        decoded = hf.decode([i for i in ids if i not in dropped], skip_special_tokens=False)
        cases.append({"text": text, "ids": ids, "decoded": decoded})
    write_json(os.path.join(directory, "expected.json"), {
        "generator": f"scripts/hf_tokenizer_fixtures.py, transformers {transformers.__version__}, "
                     f"tokenizers {tokenizers.__version__}",
        "tokenizer_class": type(hf).__name__,
        "bos_id": bos[0] if bos else None,
        "cases": cases,
    })
    return tokenizer_json


TEMPLATE_BOS = {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}}
TEMPLATE_EOS = {"type": "TemplateProcessing",
                "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                         {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "special_tokens": {"</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}}
BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
LLAMA_CONFIG = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
# (name, base fixture, post_processor, tokenizer_config.json)
RULES = [
    ("template, no class", "llama", TEMPLATE_BOS, LLAMA_CONFIG),
    ("template, add_bos_token false", "llama", TEMPLATE_BOS, {**LLAMA_CONFIG, "add_bos_token": False}),
    ("template, LlamaTokenizer, add_bos_token false", "llama", TEMPLATE_BOS,
     {**LLAMA_CONFIG, "tokenizer_class": "LlamaTokenizer", "add_bos_token": False}),
    ("template, bos_token null", "llama", TEMPLATE_BOS, {**LLAMA_CONFIG, "bos_token": None}),
    ("none, add_bos_token true", "llama", None, {**LLAMA_CONFIG, "add_bos_token": True}),
    ("none, LlamaTokenizer, add_bos_token true", "llama", None,
     {**LLAMA_CONFIG, "tokenizer_class": "LlamaTokenizer", "add_bos_token": True}),
    ("ByteLevel, add_bos_token true", "llama", BYTE_LEVEL, {**LLAMA_CONFIG, "add_bos_token": True}),
    ("Sequence of ByteLevel and template", "llama",
     {"type": "Sequence", "processors": [BYTE_LEVEL, TEMPLATE_BOS]}, LLAMA_CONFIG),
    ("EOS template", "llama", TEMPLATE_EOS, LLAMA_CONFIG),
    ("RobertaProcessing", "llama",
     {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 1], "trim_offsets": True,
      "add_prefix_space": False}, LLAMA_CONFIG),
    ("template, GPTNeoXTokenizer, add_bos_token true", "llama", TEMPLATE_BOS,
     {**LLAMA_CONFIG, "tokenizer_class": "GPTNeoXTokenizer", "add_bos_token": True}),
    ("template, GPTNeoXTokenizerFast", "llama", TEMPLATE_BOS,
     {**LLAMA_CONFIG, "tokenizer_class": "GPTNeoXTokenizerFast"}),
    ("Qwen2Tokenizer, template of <|endoftext|>", "qwen2", None, None),  # filled in below
    ("Qwen2Tokenizer, none, add_bos_token true", "qwen2", None,
     {"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|endoftext|>",
      "add_bos_token": True}),
]
RULE_TEXT = "experts route"


def rules(bases):
    out = []
    for name, base, processor, config in RULES:
        if config is None:
            eot = next(t["id"] for t in bases["qwen2"]["added_tokens"] if t["content"] == "<|endoftext|>")
            processor = {"type": "TemplateProcessing",
                         "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}},
                                    {"Sequence": {"id": "A", "type_id": 0}}],
                         "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
                         "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [eot],
                                                              "tokens": ["<|endoftext|>"]}}}
            config = {"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|endoftext|>"}
        tokenizer_json = copy.deepcopy(bases[base])
        tokenizer_json["post_processor"] = processor
        with tempfile.TemporaryDirectory() as tmp:
            write_json(os.path.join(tmp, "tokenizer.json"), tokenizer_json)
            write_json(os.path.join(tmp, "tokenizer_config.json"), config)
            hf = AutoTokenizer.from_pretrained(tmp)
            out.append({"name": name, "base": base, "post_processor": processor, "tokenizer_config": config,
                        "hf_class": type(hf).__name__, "prefix": prefix(hf, RULE_TEXT)})
    write_json(os.path.join(OUT, "bos_rules.json"), {
        "generator": f"scripts/hf_tokenizer_fixtures.py, transformers {transformers.__version__}, "
                     f"tokenizers {tokenizers.__version__}",
        "text": RULE_TEXT,
        "cases": out,
    })


def main():
    if not transformers.__version__.startswith("5."):
        sys.exit(f"hf_tokenizer_fixtures: needs transformers 5, found {transformers.__version__}")
    transformers.logging.set_verbosity_error()
    bases = {name: family(name) for name in FAMILIES}
    rules(bases)
    for name in FAMILIES:
        size = sum(os.path.getsize(os.path.join(OUT, name, f)) for f in os.listdir(os.path.join(OUT, name)))
        print(f"{name}: {size} bytes")


if __name__ == "__main__":
    main()
