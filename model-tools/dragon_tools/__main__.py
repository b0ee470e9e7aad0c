"""Command line: python3 -m dragon_tools {train,export,eval,serve-eager} ..."""
from __future__ import annotations

import argparse
import json
import sys


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="dragon_tools", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train the tokenizer and the model from a fixed seed")
    t.add_argument("--out", default=".cache/run", help="directory for checkpoint.pt")
    t.add_argument("--seed", type=int, default=1234)
    t.add_argument("--steps", type=int, default=None, help="pre-training steps (default 850)")
    t.add_argument("--anneal-steps", type=int, default=None, help="annealing steps (default 400)")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--resume-phase1", default=None, help="phase1.pt of an earlier run: re-run only phase 2")

    e = sub.add_parser("export", help="write the ONNX bundle, manifest and golden.json")
    e.add_argument("--checkpoint", default=".cache/run/checkpoint.pt")
    e.add_argument("--out", default="../models/dragon-moe-mini")
    e.add_argument("--version", default="1.0.0")

    v = sub.add_parser("eval", help="evaluate a bundle; prints one JSON object")
    v.add_argument("--bundle", default="../models/dragon-moe-mini")
    v.add_argument("--threads", type=int, default=2)

    s = sub.add_parser("serve-eager", help="greedy generation in PyTorch eager over stdin/stdout (bench baseline)")
    s.add_argument("--bundle", default="../models/dragon-moe-mini")
    s.add_argument("--threads", type=int, default=2)

    args = p.parse_args(argv)
    if args.command == "train":
        from .model import ModelConfig
        from .train import TrainConfig, train
        tc = TrainConfig(seed=args.seed, threads=args.threads)
        if args.steps is not None:
            tc.pretrain.steps = args.steps
        if args.anneal_steps is not None:
            tc.anneal.steps = args.anneal_steps
        train(args.out, tc, ModelConfig(), resume_phase1=args.resume_phase1)
    elif args.command == "export":
        from .export import export
        export(args.checkpoint, args.out, args.version)
    elif args.command == "eval":
        from .evaluate import evaluate
        print(json.dumps(evaluate(args.bundle, threads=args.threads), indent=2))
    elif args.command == "serve-eager":
        from .serve_eager import serve
        serve(args.bundle, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
