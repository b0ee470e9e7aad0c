"""replay.json: base-distribution examples for the online learner, made without the corpus.

`replay` (to mix into adapter updates) and `holdout` (for the learner's base-regression gate) hold
token-id documents of two kinds: synthetic task dialogues (generated from seeds, like training data)
and samples drawn from the base model itself at temperature 1 (the base distribution by definition).
No corpus text is stored.
"""
from __future__ import annotations

import json
import random
from typing import Dict, List

import torch

from . import data
from .model import DragonMoE
from .tokenizer import Tokenizer

SAMPLE_PROMPTS = ["The", "A", "I", "When", "It", "There is", "You", "In the", "What", "If"]


@torch.no_grad()
def sample_documents(model: DragonMoE, tok: Tokenizer, n: int, seed: int, max_new: int = 64) -> List[List[int]]:
    """n samples; document i continues SAMPLE_PROMPTS[i % 10] until EOS or max_new tokens.

    Documents with the same prompt are sampled together as one batch (same length at every step, so no
    padding), one new token per forward over a KV cache: re-running whole sequences took most of
    `export`'s time."""
    gen = torch.Generator().manual_seed(seed)
    docs: List[List[int]] = [[] for _ in range(n)]
    for p, prompt in enumerate(SAMPLE_PROMPTS):
        members = list(range(p, n, len(SAMPLE_PROMPTS)))
        if not members:
            continue
        start = tok.completion_prompt(prompt)
        ids = torch.tensor([start] * len(members))                                 # [m, T]
        ended = torch.zeros(len(members), dtype=torch.bool)                        # [m]
        caches, new = model.new_caches(), ids
        for _ in range(max_new):
            positions = torch.arange(ids.shape[1] - new.shape[1], ids.shape[1]).expand(len(members), -1)
            logits = model(new, positions, caches)[:, -1]                         # [m, V]
            nxt = torch.multinomial(torch.softmax(logits, -1), 1, generator=gen)  # [m, 1]
            ids, new = torch.cat([ids, nxt], dim=1), nxt
            ended |= nxt[:, 0] == tok.eos
            if bool(ended.all()):
                break
        for row, i in enumerate(members):
            sampled = ids[row, len(start):].tolist()
            if tok.eos in sampled:
                sampled = sampled[: sampled.index(tok.eos) + 1]
            docs[i] = start + sampled
    return docs


def task_documents(tok: Tokenizer, n: int, seed: int) -> List[List[int]]:
    rng = random.Random(seed)
    train_pairs, _ = data.addition_pairs(1234)
    docs = []
    for i in range(n):
        if i % 2 == 0:
            a, b = rng.choice(train_pairs)
            msgs = data.addition_example(a, b, rng.choice(data.ADDITION_TEMPLATES))
        else:
            msgs = data.reverse_example(data.random_letters(rng))
        docs.append(tok.chat_prompt(msgs, generation_prompt=False))
    return docs


def write(model: DragonMoE, tok: Tokenizer, path: str, seed: int) -> Dict[str, int]:
    model.eval()
    doc = {
        "format": "dragon-replay/1",
        "description": "base-distribution token documents: synthetic tasks and base-model samples",
        "replay": task_documents(tok, 128, seed + 11) + sample_documents(model, tok, 96, seed + 12),
        "holdout": task_documents(tok, 64, seed + 21) + sample_documents(model, tok, 64, seed + 22),
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
    return {k: len(v) for k, v in doc.items() if isinstance(v, list)}
