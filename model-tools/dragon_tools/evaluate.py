"""`eval`: quality numbers of a shipped bundle, computed from the bundle's own files."""
from __future__ import annotations

import json
import math
import os
import random
from collections import Counter
from typing import Dict, List, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from . import data
from .model import DragonMoE, ModelConfig
from .progress import Progress
from .tokenizer import Tokenizer
from .weights import onnx_initializers, read_safetensors


def load_bundle(bundle: str):
    """Rebuilds the PyTorch model from a bundle's ONNX initializers and tensors (no checkpoint)."""
    with open(os.path.join(bundle, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    cfg = ModelConfig.from_dict(manifest["architecture"])
    model = DragonMoE(cfg)
    g = manifest["graphs"]
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a))
    with torch.no_grad():
        model.embed.weight.copy_(t(onnx_initializers(os.path.join(bundle, g["embed"]))["embedding"]))
        model.final_norm.weight.copy_(t(onnx_initializers(os.path.join(bundle, g["head"]))["final_norm"]))
        gates, _ = read_safetensors(os.path.join(bundle, manifest["tensors"]["gates"]))
        for l, block in enumerate(model.blocks):
            a = onnx_initializers(os.path.join(bundle, g["attention"][l]))
            block.attn_norm.weight.copy_(t(a["attn_norm"]))
            block.ffn_norm.weight.copy_(t(a["ffn_norm"]))
            for name in ("wq", "wk", "wv", "wo"):
                getattr(block.attn, name).weight.copy_(t(a[name].T))
            ffns = [(block.moe.shared[0], g["shared"][l])] + list(zip(block.moe.experts, g["experts"][l]))
            for ffn, path in ffns:
                w = onnx_initializers(os.path.join(bundle, path))
                for name in ("w1", "w2", "w3"):
                    getattr(ffn, name).weight.copy_(t(w[name].T))
            block.moe.gate.copy_(t(gates[f"layers.{l}.gate"]))
            block.moe.bias.copy_(torch.tensor(manifest["gating_bias"][l]))
        pc, _ = read_safetensors(os.path.join(bundle, manifest["tensors"]["pc_layer"]))
        model.pc.w1.copy_(t(pc["w1"]))
        model.pc.w2.copy_(t(pc["w2"]))
    model.eval()
    tok = Tokenizer.load(os.path.join(bundle, manifest["tokenizer"]))
    return model, tok, manifest


@torch.no_grad()
def perplexity(model: DragonMoE, docs: Sequence[List[int]], batch_tokens: int = 8192) -> float:
    """Per-token perplexity of each document after its first token (documents scored separately)."""
    nll, n = 0.0, 0
    for doc in docs:
        for s in range(0, len(doc) - 1, 512):
            ids = torch.tensor([doc[max(0, s - 128): s + 513]])  # overlap keeps full window context
            logits = model(ids[:, :-1])[0]
            off = s - max(0, s - 128)
            tgt = ids[0, 1:]
            lp = F.cross_entropy(logits[off:], tgt[off:], reduction="sum")
            nll += lp.item()
            n += tgt[off:].numel()
    return math.exp(nll / n)


def unigram_perplexity(train_docs: Sequence[List[int]], test_docs: Sequence[List[int]], vocab: int) -> float:
    counts = Counter(t for d in train_docs for t in d[1:])
    total = sum(counts.values()) + vocab  # add-one smoothing
    nll, n = 0.0, 0
    for d in test_docs:
        for t in d[1:]:
            nll -= math.log((counts[t] + 1) / total)
            n += 1
    return math.exp(nll / n)


@torch.no_grad()
def greedy_answers(model: DragonMoE, tok: Tokenizer, prompts: Sequence[List[int]], max_new: int = 8,
                   label: str = "generate") -> List[str]:
    """Greedy decoding until <|end|>, batching prompts of equal length (no padding, exact)."""
    out: Dict[int, str] = {}
    by_len: Dict[int, List[int]] = {}
    for i, p in enumerate(prompts):
        by_len.setdefault(len(p), []).append(i)
    batches = [idx[j:j + 64] for idx in by_len.values() for j in range(0, len(idx), 64)]
    bar = Progress(len(prompts), label)
    for idx in batches:
        seqs = torch.tensor([prompts[i] for i in idx])                    # [B, T]
        gen: List[List[int]] = [[] for _ in idx]
        done = [False] * len(idx)
        for _ in range(max_new):
            nxt = model(seqs)[:, -1].argmax(-1)                             # [B]
            for r, t in enumerate(nxt.tolist()):
                if not done[r]:
                    done[r] = t in (tok.end, tok.eos)
                    if not done[r]:
                        gen[r].append(t)
            if all(done):
                break
            seqs = torch.cat([seqs, nxt.unsqueeze(1)], dim=1)
        for i, g in zip(idx, gen):
            out[i] = tok.decode(g)
        bar.update(len(out))
    bar.close()
    return [out[i] for i in range(len(prompts))]


def evaluate(bundle: str, threads: int = 2) -> Dict[str, object]:
    torch.set_num_threads(threads)
    model, tok, manifest = load_bundle(bundle)
    seed = manifest["training"]["seed"]
    train_prose, held_prose = data.split_prose(data.read_fortunes())
    held_docs = [tok.completion_prompt(t) + [tok.eos] for t in held_prose]
    train_docs = [tok.completion_prompt(t) + [tok.eos] for t in train_prose]
    ppl = perplexity(model, held_docs)
    uni = unigram_perplexity(train_docs, held_docs, tok.vocab_size)

    _, add_held = data.addition_pairs(seed)
    add_prompts = [tok.chat_prompt(data.addition_example(a, b, data.ADDITION_TEMPLATES[i % 4])[:1])
                   for i, (a, b) in enumerate(add_held)]
    add_out = greedy_answers(model, tok, add_prompts, label="addition")
    add_em = sum(o.strip() == str(a + b) for o, (a, b) in zip(add_out, add_held)) / len(add_held)

    rng = random.Random(seed + 7)
    rev = [data.random_letters(rng) for _ in range(500)]
    rev_prompts = [tok.chat_prompt(data.reverse_example(r)[:1]) for r in rev]
    rev_out = greedy_answers(model, tok, rev_prompts, max_new=14, label="reverse")
    rev_em = sum(o.strip() == " ".join(reversed(r)) for o, r in zip(rev_out, rev)) / len(rev)

    from .export import expert_loads, heldout_stream
    loads = expert_loads(model, heldout_stream(tok, seed))
    prose_loads = expert_loads(model, [t for d in held_docs for t in d])
    return {
        "bundle": manifest["name"], "version": manifest["version"],
        "heldout_prose_tokens": sum(len(d) - 1 for d in held_docs),
        "perplexity": round(ppl, 3),
        "unigram_perplexity": round(uni, 3),
        "perplexity_ratio": round(ppl / uni, 4),
        "addition_exact_match": round(add_em, 4), "addition_cases": len(add_held),
        "reverse_exact_match": round(rev_em, 4), "reverse_cases": len(rev),
        "expert_load_max_over_mean": [round(float(l.max() / l.mean()), 3) for l in loads],
        "expert_load_max_over_mean_prose_only": [round(float(l.max() / l.mean()), 3) for l in prose_loads],
        "avg_routed_experts_per_token": float(model.cfg.top_k),
        "parameters": model.parameter_counts(),
    }
