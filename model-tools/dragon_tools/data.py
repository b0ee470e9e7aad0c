"""Training data: English prose from Debian's `fortunes` packages plus synthetic tasks.

The prose is read at training time from /usr/share/games/fortunes (packages `fortunes` and
`fortunes-min`, BSD licence: see /usr/share/doc/fortunes/copyright) and is never committed.
The synthetic tasks (two-digit addition, letter reversal) are generated from a seed, with a fixed
held-out split, so that quality can be measured exactly.
"""
from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

FORTUNE_DIR = "/usr/share/games/fortunes"
# ASCII drawings and the not-yet-translated file are not prose.
EXCLUDED = {"art", "ascii-art", "translate-me"}

ADDITION_TEMPLATES = ["What is {a}+{b}?", "{a}+{b}=", "What is {a} plus {b}?", "Add {a} and {b}."]
REVERSE_TEMPLATE = "Reverse: {letters}"
FORTUNE_REQUESTS = ["Tell me a fortune.", "Say something wise.", "Tell me something funny.", "Give me a quote."]


class CorpusMissing(RuntimeError):
    pass


def read_fortunes(directory: str = FORTUNE_DIR) -> List[str]:
    if not os.path.isdir(directory):
        raise CorpusMissing(
            f"{directory} not found: install the corpus with `apt-get install -y fortunes fortunes-min`")
    texts: List[str] = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if "." in name or name in EXCLUDED or os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for chunk in f.read().split("\n%\n"):
                text = "\n".join(line.rstrip() for line in chunk.strip("\n%").splitlines()).strip()
                if len(text) >= 20:
                    texts.append(text)
    if not texts:
        raise CorpusMissing(f"no fortunes found under {directory}")
    return texts


def is_holdout(text: str, percent: int = 5) -> bool:
    """A stable split by content hash, independent of file order and seeds."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 100 < percent


def split_prose(texts: Sequence[str]) -> Tuple[List[str], List[str]]:
    train = [t for t in texts if not is_holdout(t)]
    held = [t for t in texts if is_holdout(t)]
    return train, held


def addition_pairs(seed: int) -> Tuple[List[Tuple[int, int]], List[Tuple[int, int]]]:
    """All two-digit pairs, 10% held out (never trained on)."""
    pairs = [(a, b) for a in range(10, 100) for b in range(10, 100)]
    rng = random.Random(seed)
    rng.shuffle(pairs)
    cut = len(pairs) // 10
    return pairs[cut:], pairs[:cut]


def addition_example(a: int, b: int, template: str) -> List[Dict[str, str]]:
    return [{"role": "user", "content": template.format(a=a, b=b)},
            {"role": "assistant", "content": str(a + b)}]


def reverse_example(letters: Sequence[str]) -> List[Dict[str, str]]:
    return [{"role": "user", "content": REVERSE_TEMPLATE.format(letters=" ".join(letters))},
            {"role": "assistant", "content": " ".join(reversed(letters))}]


def random_letters(rng: random.Random) -> List[str]:
    return [rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 6))]


@dataclass
class Mixture:
    """Share of training tokens per source."""
    prose: float = 0.50
    fortune_chat: float = 0.05
    addition: float = 0.30
    reverse: float = 0.15


def target_weights(tok, doc: Sequence[int]) -> List[float]:
    """Loss weight of predicting each token of a document: 0 inside user and system turns (their
    content is the task's random input, not something to learn), 1 elsewhere (prose, answers)."""
    prompt_roles = {tok.role("user"), tok.role("system")}
    weights, in_prompt = [], False
    for t in doc:
        if t in prompt_roles:
            in_prompt = True
        weights.append(0.0 if in_prompt or t == tok.role("assistant") else 1.0)
        if t == tok.end:
            in_prompt = False
    return weights


def build_stream(tok, prose: Sequence[str], add_pairs: Sequence[Tuple[int, int]], n_tokens: int,
                 seed: int, mixture: Mixture = Mixture(), with_weights: bool = False):
    """Packs documents into one token stream of at least n_tokens, sources mixed by token share.

    With `with_weights`, also returns the per-token loss weights of `target_weights`."""
    rng = random.Random(seed)
    budgets = {"prose": mixture.prose, "fortune_chat": mixture.fortune_chat,
               "addition": mixture.addition, "reverse": mixture.reverse}
    budgets = {k: int(v * n_tokens) + 1 for k, v in budgets.items()}
    docs: List[List[int]] = []
    prose_order: List[str] = []

    def next_prose() -> str:
        if not prose_order:
            prose_order.extend(prose)
            rng.shuffle(prose_order)
        return prose_order.pop()

    makers = {
        "prose": lambda: tok.completion_prompt(next_prose()) + [tok.eos],
        "fortune_chat": lambda: tok.chat_prompt(
            [{"role": "user", "content": rng.choice(FORTUNE_REQUESTS)},
             {"role": "assistant", "content": next_prose()}], generation_prompt=False) + [tok.eos],
        "addition": lambda: tok.chat_prompt(
            addition_example(*rng.choice(add_pairs), rng.choice(ADDITION_TEMPLATES)),
            generation_prompt=False) + [tok.eos],
        "reverse": lambda: tok.chat_prompt(reverse_example(random_letters(rng)),
                                           generation_prompt=False) + [tok.eos],
    }
    for source, budget in budgets.items():
        used = 0
        while used < budget:
            doc = makers[source]()
            docs.append(doc)
            used += len(doc)
    rng.shuffle(docs)
    stream = [t for d in docs for t in d]
    if with_weights:
        return stream, [w for d in docs for w in target_weights(tok, d)]
    return stream
