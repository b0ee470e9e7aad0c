"""`serve-eager`: the bundle's model in PyTorch eager, answering greedy generations one at a time.

The baseline `./dragon bench` compares Dragon against. Protocol on stdin/stdout, one JSON object per line:
request `{"ids": [prompt token ids], "max_tokens": 64}`, answer `{"ttft_ms": .., "total_ms": .., "tokens": n}`.
Each step runs the whole sequence again (no KV cache: plain eager PyTorch, as a model author would
sample); EOS is ignored so every request decodes `max_tokens` tokens, like the Java side's workload.
"""
from __future__ import annotations

import json
import sys
import time

import torch

from .evaluate import load_bundle


@torch.no_grad()
def generate(model, ids, max_tokens: int):
    t0 = time.perf_counter()
    first = None
    seq = list(ids)
    for _ in range(max_tokens):
        logits = model(torch.tensor([seq]))[0, -1]                       # [V]
        seq.append(int(torch.argmax(logits)))
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    return {"ttft_ms": (first - t0) * 1e3, "total_ms": (end - t0) * 1e3, "tokens": max_tokens}


def serve(bundle: str, threads: int) -> None:
    torch.set_num_threads(threads)
    model, _tok = load_bundle(bundle)[:2]
    model.eval()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        print(json.dumps(generate(model, req["ids"], int(req.get("max_tokens", 64)))), flush=True)
