"""`train`: tokenizer + MoE model from a fixed seed, in two phases, written as checkpoint files.

Phase 1 (pre-training): the full mixture, batch 16 × 256 tokens, AdamW with warmup and cosine decay.
Phase 2 (annealing): a task-heavier mixture, batch 8, a fresh AdamW with a short cosine schedule,
and the loss masked on user turns (SFT-style: the random operands of a task are not something to
learn; the answers are). Between the phases the weights are rounded to fp16 and saved, so phase 2
can be re-run from `phase1.pt` (`--resume-phase1`) with exactly the result of a full run.
"""
from __future__ import annotations

import math
import os
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Dict, List

import torch
import torch.nn.functional as F

from . import data
from .model import DragonMoE, ModelConfig
from .progress import Progress
from .tokenizer import Tokenizer, train_bpe

CORPUS = ("Debian packages fortunes + fortunes-min (BSD licence), "
          "plus synthetic two-digit addition and letter reversal")


@dataclass
class Phase:
    steps: int
    batch: int
    lr: float
    min_lr: float
    warmup: int
    mixture: data.Mixture
    masked: bool          # loss weight 0 on user/system turns
    data_seed_offset: int


@dataclass
class TrainConfig:
    seed: int = 1234
    seq_len: int = 256
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    bias_gamma: float = 0.01
    threads: int = 2
    pretrain: Phase = field(default_factory=lambda: Phase(
        steps=850, batch=16, lr=2e-3, min_lr=2e-4, warmup=40, mixture=data.Mixture(), masked=False,
        data_seed_offset=0))
    anneal: Phase = field(default_factory=lambda: Phase(
        steps=400, batch=8, lr=6e-4, min_lr=0.0, warmup=0,
        mixture=data.Mixture(prose=0.35, fortune_chat=0.05, addition=0.50, reverse=0.10), masked=True,
        data_seed_offset=1))


def lr_at(step: int, p: Phase) -> float:
    if step < p.warmup:
        return p.lr * (step + 1) / p.warmup
    frac = (step - p.warmup) / max(1, p.steps - p.warmup)
    return p.min_lr + 0.5 * (p.lr - p.min_lr) * (1 + math.cos(math.pi * frac))


def make_optimizer(model: DragonMoE, tc: TrainConfig, lr: float) -> torch.optim.Optimizer:
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (decay if p.dim() == 2 and not name.endswith("gate") else no_decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": tc.weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.95))


def imbalance(model: DragonMoE) -> float:
    """Worst layer's max/mean expert load in the last step."""
    return max((l.max() / l.float().mean()).item() for l in model.loads())


def run_phase(name: str, model: DragonMoE, tok: Tokenizer, p: Phase, tc: TrainConfig,
              train_prose: List[str], add_train) -> Dict[str, float]:
    """One training phase over its own packed stream; returns tokens seen and the final loss."""
    cfg = model.cfg
    seed = tc.seed + p.data_seed_offset
    stream, weights = data.build_stream(tok, train_prose, add_train, p.steps * p.batch * tc.seq_len + 1, seed,
                                        p.mixture, with_weights=True)
    stream = torch.tensor(stream, dtype=torch.long)
    weights = torch.tensor(weights) if p.masked else torch.ones(len(stream))
    n_seq = (len(stream) - 1) // tc.seq_len
    order = torch.randperm(n_seq, generator=torch.Generator().manual_seed(seed))
    print(f"{name}: {len(stream)} tokens, {n_seq} sequences of {tc.seq_len}, batch {p.batch}, {p.steps} steps")
    opt = make_optimizer(model, tc, p.lr)
    bar = Progress(p.steps, name)
    t0, tokens, ema = time.time(), 0, None
    model.train()
    for step in range(p.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, p)
        rows = [i * tc.seq_len for i in order[(torch.arange(p.batch) + step * p.batch) % n_seq].tolist()]
        x = torch.stack([stream[r: r + tc.seq_len + 1] for r in rows])               # [B, T+1]
        w = torch.stack([weights[r + 1: r + tc.seq_len + 1] for r in rows]).reshape(-1)  # [B*T]
        logits = model(x[:, :-1])                                                    # [B, T, V]
        ce = F.cross_entropy(logits.reshape(-1, cfg.vocab_size), x[:, 1:].reshape(-1), reduction="none")
        loss = (ce * w).sum() / w.sum().clamp(min=1.0)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([q for q in model.parameters() if q.requires_grad], tc.grad_clip)
        opt.step()
        model.update_bias(tc.bias_gamma)
        tokens += x[:, :-1].numel()
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        bar.update(step + 1, loss=ema, tok_s=int(tokens / (time.time() - t0)), lr=lr_at(step, p),
                   imbalance=imbalance(model))
    bar.close()
    model.round_to_fp16()
    return {"tokens": tokens, "final_loss": round(ema, 4), "seconds": round(time.time() - t0, 1)}


def _save(path: str, model: DragonMoE, tok: Tokenizer, tc: TrainConfig, training: Dict) -> None:
    torch.save({"model_config": model.cfg.to_dict(), "train_config": asdict(tc), "state_dict": model.state_dict(),
                "tokenizer": tok.to_json(), "training": training}, path)


def train(out_dir: str, tc: TrainConfig, cfg: ModelConfig, resume_phase1: str = None) -> str:
    started = time.time()
    torch.manual_seed(tc.seed)
    random.seed(tc.seed)
    torch.set_num_threads(tc.threads)
    os.makedirs(out_dir, exist_ok=True)

    prose = data.read_fortunes()
    train_prose, _ = data.split_prose(prose)
    print(f"corpus: {len(prose)} fortunes from {data.FORTUNE_DIR} ({len(train_prose)} for training)")
    add_train, _ = data.addition_pairs(tc.seed)

    if resume_phase1:
        ck = torch.load(resume_phase1, map_location="cpu")
        model = DragonMoE(ModelConfig.from_dict(ck["model_config"]))
        model.load_state_dict(ck["state_dict"])
        tj = ck["tokenizer"]
        tok = Tokenizer([tuple(m) for m in tj["merges"]], len(tj["tokens"]) + len(tj["special_tokens"]))
        phase1 = ck["training"]["phases"]["pretrain"]
        print(f"phase 1 from {resume_phase1} ({phase1['seconds'] / 60:.1f} min when it ran)")
    else:
        bar = Progress(cfg.vocab_size - 256 - 7, "tokenizer")
        tok = train_bpe(train_prose, cfg.vocab_size, progress=lambda d, n: bar.update(d))
        bar.close()
        model = DragonMoE(cfg)
        counts = model.parameter_counts()
        print(f"model: {counts['total']:,} parameters, {counts['active_per_token']:,} active per token")
        phase1 = run_phase("pretrain", model, tok, tc.pretrain, tc, train_prose, add_train)
        phase1["seconds"] = round(time.time() - started, 1)   # tokenizer and data included
        _save(os.path.join(out_dir, "phase1.pt"), model, tok, tc,
              {"seed": tc.seed, "phases": {"pretrain": phase1}, "corpus": CORPUS})

    t2 = time.time()
    phase2 = run_phase("anneal", model, tok, tc.anneal, tc, train_prose, add_train)
    phase2["seconds"] = round(time.time() - t2, 1)
    seconds = phase1["seconds"] + phase2["seconds"]
    path = os.path.join(out_dir, "checkpoint.pt")
    _save(path, model, tok, tc, {
        "seed": tc.seed, "steps": tc.pretrain.steps + tc.anneal.steps,
        "tokens": phase1["tokens"] + phase2["tokens"], "seconds": round(seconds, 1),
        "final_loss": phase2["final_loss"], "phases": {"pretrain": phase1, "anneal": phase2}, "corpus": CORPUS})
    print(f"checkpoint: {path} after {seconds / 60:.1f} min of training")
    return path
