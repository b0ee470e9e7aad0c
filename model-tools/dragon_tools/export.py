"""`export`: checkpoint -> models/<name>/ (ONNX graphs, tensors, tokenizer, golden.json, manifest)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from typing import Dict, List, Sequence

import numpy as np
import torch

from . import data, golden, replay
from .model import DragonMoE, ModelConfig
from .onnx_graphs import SIGNATURES, AttentionGraph, EmbedGraph, FfnGraph, HeadGraph, LmHeadGraph
from .progress import Progress
from .tokenizer import Tokenizer
from .weights import set_output_dims, store_large_initializers_as_fp16, write_safetensors

OPSET = 17
NAME = "dragon-moe-mini"


def load_checkpoint(path: str):
    ck = torch.load(path, map_location="cpu")
    cfg = ModelConfig.from_dict(ck["model_config"])
    model = DragonMoE(cfg)
    model.load_state_dict(ck["state_dict"])
    model.eval()
    tj = ck["tokenizer"]
    tok = Tokenizer([tuple(m) for m in tj["merges"]], len(tj["tokens"]) + len(tj["special_tokens"]))
    return model, tok, ck


def _export(module: torch.nn.Module, args: Sequence[torch.Tensor], path: str, signature: str,
            output_dims: Dict[str, list] = None) -> None:
    inputs, outputs, axes = SIGNATURES[signature]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(module, tuple(args), path, input_names=inputs, output_names=outputs,
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=False)
    store_large_initializers_as_fp16(path)
    if output_dims:
        set_output_dims(path, output_dims)


def export_graphs(model: DragonMoE, out: str) -> Dict[str, object]:
    cfg = model.cfg
    d, h, w, dh = cfg.d_model, cfg.n_heads, cfg.window, cfg.head_dim
    graphs: Dict[str, object] = {"embed": "embed.onnx", "attention": [], "shared": [], "experts": [],
                                 "head": "head.onnx", "lm_head": "lm_head.onnx"}
    total = 3 + cfg.n_layers * (2 + cfg.routed_experts)
    bar = Progress(total, "export")
    done = 0

    def step():
        nonlocal done
        done += 1
        bar.update(done)

    _export(EmbedGraph(model), [torch.zeros(1, 3, dtype=torch.long)], os.path.join(out, "embed.onnx"), "embed")
    step()
    x = torch.randn(5, d)
    for l, block in enumerate(model.blocks):
        attn = f"layers/attn_{l}.onnx"
        b, t = 2, 3
        _export(AttentionGraph(block, model),
                [torch.randn(b, t, d), torch.arange(t).repeat(b, 1), torch.zeros(b, h, w, dh),
                 torch.zeros(b, h, w, dh), torch.full((b, w), -1, dtype=torch.long)],
                os.path.join(out, attn), "attention",
                {"k_new": ["B", h, "T", dh], "v_new": ["B", h, "T", dh]})
        graphs["attention"].append(attn)
        step()
        shared = f"layers/shared_{l}.onnx"
        _export(FfnGraph(block.moe.shared[0]), [x], os.path.join(out, shared), "ffn")
        graphs["shared"].append(shared)
        step()
        row = []
        for e, expert in enumerate(block.moe.experts):
            path = f"experts/l{l}_e{e}.onnx"
            _export(FfnGraph(expert), [x], os.path.join(out, path), "ffn")
            row.append(path)
            step()
        graphs["experts"].append(row)
    _export(HeadGraph(model), [x, torch.zeros(cfg.pc_hidden, d), torch.zeros(d, cfg.pc_hidden)],
            os.path.join(out, "head.onnx"), "head")
    step()
    _export(LmHeadGraph(model), [x, torch.zeros(5, dtype=torch.long)], os.path.join(out, "lm_head.onnx"), "lm_head")
    step()
    bar.close()
    return graphs


def balanced_partition(loads: List[np.ndarray], groups: int = 2) -> List[Dict[str, object]]:
    """Per layer, deals experts in descending load in snake order so groups carry similar load."""
    out = [{"name": f"g{g}", "experts": []} for g in range(groups)]
    for load in loads:
        members: List[List[int]] = [[] for _ in range(groups)]
        for rank, e in enumerate(np.argsort(-load, kind="stable")):
            r = rank % (2 * groups)
            members[r if r < groups else 2 * groups - 1 - r].append(int(e))
        for g in range(groups):
            out[g]["experts"].append(sorted(members[g]))
    return out


@torch.no_grad()
def expert_loads(model: DragonMoE, stream: List[int], seq: int = 256) -> List[np.ndarray]:
    loads = [np.zeros(model.cfg.routed_experts) for _ in model.blocks]
    ids = torch.tensor(stream[: (len(stream) // seq) * seq]).view(-1, seq)
    for i in range(0, ids.shape[0], 8):
        model(ids[i:i + 8])
        for l, block in enumerate(model.blocks):
            loads[l] += block.moe.last_load.numpy()
    return loads


def heldout_stream(tok: Tokenizer, seed: int, n_tokens: int = 65536) -> List[int]:
    _, held = data.split_prose(data.read_fortunes())
    _, add_held = data.addition_pairs(seed)
    return data.build_stream(tok, held, add_held, n_tokens, seed + 1)


def file_index(out: str) -> Dict[str, Dict[str, object]]:
    files = {}
    for root, _, names in os.walk(out):
        for n in sorted(names):
            rel = os.path.relpath(os.path.join(root, n), out)
            if rel in ("manifest.json", "MODEL_CARD.md"):
                continue
            with open(os.path.join(root, n), "rb") as f:
                blob = f.read()
            files[rel] = {"sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob)}
    return dict(sorted(files.items()))


def export(checkpoint: str, out: str, version: str) -> None:
    model, tok, ck = load_checkpoint(checkpoint)
    torch.set_num_threads(2)
    loads = expert_loads(model, heldout_stream(tok, ck["training"]["seed"]))
    write_bundle(model, tok, ck["training"], out, version, loads)


def write_bundle(model: DragonMoE, tok: Tokenizer, training: Dict, out: str, version: str,
                 loads: List[np.ndarray]) -> Dict:
    cfg = model.cfg
    card = os.path.join(out, "MODEL_CARD.md")
    kept_card = open(card, encoding="utf-8").read() if os.path.exists(card) else None
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    if kept_card is not None:
        with open(card, "w", encoding="utf-8") as f:
            f.write(kept_card)

    graphs = export_graphs(model, out)
    tok.save(os.path.join(out, "tokenizer.json"))
    write_safetensors(os.path.join(out, "gates.safetensors"),
                      {f"layers.{l}.gate": b.moe.gate.detach().numpy().astype(np.float32)
                       for l, b in enumerate(model.blocks)})
    write_safetensors(os.path.join(out, "pc_layer.safetensors"),
                      {"w1": model.pc.w1.detach().numpy(), "w2": model.pc.w2.detach().numpy()},
                      {"version": "0", "parent": "", "format": "dragon-pc/1"})
    golden.write(model, tok, os.path.join(out, "golden.json"), NAME, version)
    replay.write(model, tok, os.path.join(out, "replay.json"), int(training.get("seed", 1234)))

    manifest = {
        "format": "dragon-bundle/1",
        "name": NAME,
        "version": version,
        "architecture": {**cfg.to_dict(), "max_positions": 1 << 20,
                         "gating": {"affinity": "sigmoid", "selection": "topk(s+bias)", "normalize": True}},
        "gating_bias": [[float(x) for x in b.moe.bias.tolist()] for b in model.blocks],
        "partition": {"groups": balanced_partition(loads)},
        "graphs": graphs,
        "tensors": {"gates": "gates.safetensors", "pc_layer": "pc_layer.safetensors"},
        "tokenizer": "tokenizer.json",
        "golden": "golden.json",
        "replay": "replay.json",
        "parameters": model.parameter_counts(),
        "training": training,
        "files": file_index(out),
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    size = sum(v["bytes"] for v in manifest["files"].values())
    print(f"bundle: {out} ({len(manifest['files'])} files, {size / 1e6:.1f} MB)")
    return manifest
