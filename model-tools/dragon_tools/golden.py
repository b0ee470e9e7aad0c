"""golden.json: PyTorch-eager reference outputs that every serving path must reproduce."""
from __future__ import annotations

import json
from typing import Dict, List

import torch

from .model import DragonMoE
from .tokenizer import Tokenizer

STEPS = 16
TOP = 5
MAX_NEW = 48

LONG_PROMPT = (
    "The old lighthouse keeper climbed the stairs every evening, counting each step as he went. "
    "There were one hundred and twelve of them, and he knew the sound of every one: the third "
    "creaked, the fortieth rang like a bell, and the last groaned as if it were tired of being "
    "climbed. At the top he lit the lamp, wiped the salt from the glass, and sat down to watch the "
    "ships. Some nights there were none at all, and he talked to the gulls instead. They never "
    "answered, which he considered the mark of a good listener. When the fog came in thick and grey, "
    "he rang the bell by hand, slowly, so the sailors would know where the rocks were. In the "
    "morning he wrote everything down in a book: the wind, the weather, the ships, and the gulls. "
    "Nobody ever read the book, but he said that a thing written down is a thing remembered, and"
)

CASES: List[Dict] = [
    {"name": "once", "kind": "completion", "prompt": "Once upon a time"},
    {"name": "meaning", "kind": "completion", "prompt": "The meaning of life is"},
    {"name": "programmer", "kind": "completion", "prompt": "A programmer"},
    {"name": "question", "kind": "completion", "prompt": "Q: What is the difference between"},
    {"name": "addition", "kind": "chat", "messages": [{"role": "user", "content": "What is 23+45?"}]},
    {"name": "reverse", "kind": "chat", "messages": [{"role": "user", "content": "Reverse: d r a g o n"}]},
    {"name": "fortune", "kind": "chat", "messages": [{"role": "user", "content": "Tell me a fortune."}]},
    {"name": "system", "kind": "chat", "messages": [
        {"role": "system", "content": "You are Dragon, a helpful assistant."},
        {"role": "user", "content": "Add 57 and 38."}]},
    {"name": "multi_turn", "kind": "chat", "messages": [
        {"role": "user", "content": "What is 12+30?"}, {"role": "assistant", "content": "42"},
        {"role": "user", "content": "What is 61+27?"}]},
    {"name": "long_context", "kind": "completion", "prompt": LONG_PROMPT},
]

TOKENIZER_CASES = [
    "Hello, world!", "Don't   panic!\n\tI'm fine.", "Café ünïcode 😀 中文", "12+34=46", "   leading spaces",
    "trailing   ", "", "a'b's 'll 've 're", "line\r\nbreak", "<|user|> is not a special token here",
]


def prompt_ids(tok: Tokenizer, case: Dict) -> List[int]:
    if case["kind"] == "completion":
        return tok.completion_prompt(case["prompt"])
    return tok.chat_prompt(case["messages"])


def stop_ids(tok: Tokenizer, case: Dict) -> set:
    return {tok.eos} if case["kind"] == "completion" else {tok.end, tok.eos}


@torch.no_grad()
def greedy(model: DragonMoE, tok: Tokenizer, case: Dict) -> Dict:
    ids = prompt_ids(tok, case)
    out: List[int] = []
    steps = []
    stops = stop_ids(tok, case)
    for t in range(MAX_NEW):
        logits = model(torch.tensor([ids + out]))[0, -1]                   # [V]
        if t < STEPS:
            top = torch.topk(logits, TOP)
            steps.append({"top": [[int(i), float(v)] for v, i in zip(top.values, top.indices)],
                          "experts": [[int(e) for e in b.moe.last_selection[-1]] for b in model.blocks]})
        nxt = int(torch.argmax(logits))
        out.append(nxt)
        if nxt in stops:
            break
    return {**case, "prompt_ids": ids, "greedy_ids": out, "greedy_text": tok.decode(out), "steps": steps}


def write(model: DragonMoE, tok: Tokenizer, path: str, name: str, version: str) -> None:
    model.eval()
    doc = {"model": name, "version": version, "steps": STEPS, "top_logits": TOP,
           "cases": [greedy(model, tok, c) for c in CASES],
           "tokenizer_cases": [{"text": s, "ids": tok.encode(s)} for s in TOKENIZER_CASES]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
