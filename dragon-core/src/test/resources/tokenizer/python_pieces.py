"""Regenerates python-pieces.json: how Python's re splits random Unicode text with a few patterns.

Run with the interpreter model-tools uses (python3 >= 3.11); PythonRegexTest checks that the Java
tokenizer splits the same texts identically.
"""
import json
import random
import re

PATTERNS = [
    r"'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d+| ?[^\s\w]+| ?_+|\s+(?!\S)|\s+",
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\w]?[^\W\d_]+|\d{1,3}| ?[^\s\w]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    r"\b\w+\b|\B\W+\B|[\[\]&]+|.",
    r"[^\S\n]+|\n+|[\w&&]+|\S+?\Z|\S",
]
RANGES = [(0x20, 0x7e), (0x20, 0x7e), (0xa0, 0x2ff), (0x300, 0x36f), (0x370, 0x52f), (0x600, 0x6ff),
          (0x900, 0x97f), (0x1c, 0x1f), (0x09, 0x0d), (0x2000, 0x206f), (0x2150, 0x218f), (0x3000, 0x30ff),
          (0x4e00, 0x4e50), (0xff00, 0xffef), (0x1f300, 0x1f64f), (0x1d400, 0x1d4ff), (0x85, 0x85),
          (0xb2, 0xbd), (0x660, 0x669), (0x5b, 0x5f)]


def main():
    rng = random.Random(20240601)
    texts = ["Hello world", "It's 2024; naïve café — déjà vu!", "  two  spaces\n\nnewlines\r\n",
             "日本語のテキスト", "x\u2028y\u0085z", "a_b__c", "[&&]", "e\u0301 combining"]
    while len(texts) < 400:
        texts.append("".join(chr(rng.randint(*rng.choice(RANGES))) for _ in range(rng.randint(0, 16))))
    cases = [{"pattern": p, "splits": [[t, re.findall(p, t)] for t in texts]} for p in PATTERNS]
    with open("python-pieces.json", "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=True)


if __name__ == "__main__":
    main()
