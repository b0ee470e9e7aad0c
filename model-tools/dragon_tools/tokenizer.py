"""Byte-level BPE tokenizer: training, encoding, decoding and the tokenizer.json of the bundle.

The encoding rule is the contract in docs/bundle-format.md, implemented identically by
dragon-core's BpeTokenizer: split with PATTERN, UTF-8 encode each piece, then repeatedly merge every
non-overlapping occurrence (left to right) of the adjacent pair with the lowest merge rank.
"""
from __future__ import annotations

import heapq
import json
import re
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Sequence, Tuple

_WS = r" \t\n\r\x0b\x0c"
# Same syntax in Python `re` and java.util.regex; every character lands in exactly one match.
PATTERN = (
    r"'(?:[sdmt]|ll|ve|re)"
    r"| ?[A-Za-z]+"
    r"| ?[0-9]"
    rf"| ?[^{_WS}A-Za-z0-9]+"
    rf"|[{_WS}]+(?![^{_WS}])"
    rf"|[{_WS}]+"
)

SPECIAL_TOKENS = ["<|bos|>", "<|eos|>", "<|pad|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]


class Tokenizer:
    """An immutable byte-level BPE: 256 byte tokens, then one token per merge, then specials."""

    def __init__(self, merges: Sequence[Tuple[int, int]], vocab_size: int):
        self.merges = [tuple(m) for m in merges]
        self.ranks: Dict[Tuple[int, int], int] = {m: i for i, m in enumerate(self.merges)}
        self.token_bytes: List[bytes] = [bytes([b]) for b in range(256)]
        for a, b in self.merges:
            self.token_bytes.append(self.token_bytes[a] + self.token_bytes[b])
        n_regular = len(self.token_bytes)
        if n_regular + len(SPECIAL_TOKENS) != vocab_size:
            raise ValueError(f"{n_regular} regular + {len(SPECIAL_TOKENS)} special != vocab {vocab_size}")
        self.vocab_size = vocab_size
        self.special = {name: n_regular + i for i, name in enumerate(SPECIAL_TOKENS)}
        self._regex = re.compile(PATTERN)
        self._cache: Dict[str, List[int]] = {}

    # --- ids of the chat special tokens -------------------------------------------------------
    @property
    def bos(self) -> int:
        return self.special["<|bos|>"]

    @property
    def eos(self) -> int:
        return self.special["<|eos|>"]

    @property
    def end(self) -> int:
        return self.special["<|end|>"]

    def role(self, role: str) -> int:
        return self.special[f"<|{role}|>"]

    # --- encoding -------------------------------------------------------------------------------
    def pieces(self, text: str) -> List[str]:
        return self._regex.findall(text)

    def _encode_piece(self, piece: str) -> List[int]:
        ids = self._cache.get(piece)
        if ids is not None:
            return ids
        ids = list(piece.encode("utf-8"))
        while len(ids) > 1:
            best = min((self.ranks.get(p, 1 << 30), p) for p in zip(ids, ids[1:]))
            if best[0] == 1 << 30:
                break
            ids = merge_pair(ids, best[1], 256 + best[0])
        if len(self._cache) < 200_000:
            self._cache[piece] = ids
        return ids

    def encode(self, text: str) -> List[int]:
        out: List[int] = []
        for piece in self._regex.findall(text):
            out.extend(self._encode_piece(piece))
        return out

    def decode(self, ids: Iterable[int]) -> str:
        data = b"".join(self.token_bytes[i] for i in ids if i < len(self.token_bytes))
        return data.decode("utf-8", errors="replace")

    def completion_prompt(self, prompt: str) -> List[int]:
        return [self.bos] + self.encode(prompt)

    def chat_prompt(self, messages: Sequence[Dict[str, str]], generation_prompt: bool = True) -> List[int]:
        ids = [self.bos]
        for m in messages:
            ids += [self.role(m["role"])] + self.encode(m["content"]) + [self.end]
        if generation_prompt:
            ids.append(self.role("assistant"))
        return ids

    # --- persistence ----------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "type": "byte-level-bpe",
            "version": 1,
            "pattern": PATTERN,
            "tokens": [b.hex() for b in self.token_bytes],
            "merges": [list(m) for m in self.merges],
            "special_tokens": dict(self.special),
            "chat_template": {
                "bos": "<|bos|>",
                "roles": {r: f"<|{r}|>" for r in ("system", "user", "assistant")},
                "end": "<|end|>",
                "generation_prompt": "<|assistant|>",
                "stop": ["<|end|>", "<|eos|>"],
            },
        }

    def save(self, path) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, separators=(",", ":"))

    @staticmethod
    def load(path) -> "Tokenizer":
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if data.get("pattern") != PATTERN:
            raise ValueError(f"{path}: pre-tokenizer pattern differs from this version of model-tools")
        return Tokenizer([tuple(m) for m in data["merges"]], len(data["tokens"]) + len(data["special_tokens"]))


def merge_pair(ids: List[int], pair: Tuple[int, int], new_id: int) -> List[int]:
    """Replaces every non-overlapping occurrence of `pair`, left to right, with `new_id`."""
    out, i, n = [], 0, len(ids)
    while i < n:
        if i + 1 < n and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def train_bpe(texts: Iterable[str], vocab_size: int, progress=None) -> Tokenizer:
    """Learns vocab_size - 256 - len(SPECIAL_TOKENS) merges from the texts.

    Incremental pair counts with a lazy max-heap keep this to seconds for a few MB of text.
    Ties go to the numerically smallest pair so training is deterministic.
    """
    regex = re.compile(PATTERN)
    piece_counts: Counter = Counter()
    for text in texts:
        piece_counts.update(regex.findall(text))
    words = [list(p.encode("utf-8")) for p in piece_counts]
    freqs = list(piece_counts.values())

    pair_counts: Dict[Tuple[int, int], int] = defaultdict(int)
    where: Dict[Tuple[int, int], set] = defaultdict(set)
    for wi, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_counts[p] += freqs[wi]
            where[p].add(wi)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)

    n_merges = vocab_size - 256 - len(SPECIAL_TOKENS)
    merges: List[Tuple[int, int]] = []
    while len(merges) < n_merges and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg or -neg <= 0:
            continue  # stale heap entry
        new_id = 256 + len(merges)
        merges.append(pair)
        changed: Dict[Tuple[int, int], int] = defaultdict(int)
        for wi in list(where[pair]):
            w, f = words[wi], freqs[wi]
            for p in zip(w, w[1:]):
                changed[p] -= f
            nw = merge_pair(w, pair, new_id)
            for p in zip(nw, nw[1:]):
                changed[p] += f
                where[p].add(wi)
            words[wi] = nw
        for p, delta in changed.items():
            if delta:
                pair_counts[p] += delta
                if pair_counts[p] > 0:
                    heapq.heappush(heap, (-pair_counts[p], p))
        pair_counts.pop(pair, None)
        where.pop(pair, None)
        if progress is not None:
            progress(len(merges), n_merges)
    if len(merges) < n_merges:
        raise ValueError(f"corpus too small: only {len(merges)} of {n_merges} merges possible")
    return Tokenizer(merges, vocab_size)
