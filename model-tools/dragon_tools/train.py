"""`train`: tokenizer + MoE model from a fixed seed, written as one checkpoint file."""
from __future__ import annotations

import math
import os
import random
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from . import data
from .model import DragonMoE, ModelConfig
from .progress import Progress
from .tokenizer import train_bpe


@dataclass
class TrainConfig:
    seed: int = 1234
    steps: int = 850
    batch: int = 16
    seq_len: int = 256
    lr: float = 2e-3
    min_lr: float = 2e-4
    warmup: int = 40
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    bias_gamma: float = 0.01
    threads: int = 2


def lr_at(step: int, tc: TrainConfig) -> float:
    if step < tc.warmup:
        return tc.lr * (step + 1) / tc.warmup
    frac = (step - tc.warmup) / max(1, tc.steps - tc.warmup)
    return tc.min_lr + 0.5 * (tc.lr - tc.min_lr) * (1 + math.cos(math.pi * frac))


def make_optimizer(model: DragonMoE, tc: TrainConfig) -> torch.optim.Optimizer:
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (decay if p.dim() == 2 and not name.endswith("gate") else no_decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": tc.weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}],
                             lr=tc.lr, betas=(0.9, 0.95))


def imbalance(model: DragonMoE) -> float:
    """Worst layer's max/mean expert load in the last step."""
    return max((l.max() / l.float().mean()).item() for l in model.loads())


def train(out_dir: str, tc: TrainConfig, cfg: ModelConfig) -> str:
    started = time.time()
    torch.manual_seed(tc.seed)
    random.seed(tc.seed)
    torch.set_num_threads(tc.threads)
    os.makedirs(out_dir, exist_ok=True)

    prose = data.read_fortunes()
    train_prose, _ = data.split_prose(prose)
    print(f"corpus: {len(prose)} fortunes from {data.FORTUNE_DIR} ({len(train_prose)} for training)")
    bar = Progress(cfg.vocab_size - 256 - 7, "tokenizer")
    tok = train_bpe(train_prose, cfg.vocab_size, progress=lambda d, n: bar.update(d))
    bar.close()
    add_train, _ = data.addition_pairs(tc.seed)
    need = tc.steps * tc.batch * tc.seq_len + 1
    stream = torch.tensor(data.build_stream(tok, train_prose, add_train, need, tc.seed), dtype=torch.long)
    n_seq = (len(stream) - 1) // tc.seq_len
    gen = torch.Generator().manual_seed(tc.seed)
    order = torch.randperm(n_seq, generator=gen)
    print(f"stream: {len(stream)} tokens, {n_seq} sequences of {tc.seq_len}")

    model = DragonMoE(cfg)
    counts = model.parameter_counts()
    print(f"model: {counts['total']:,} parameters, {counts['active_per_token']:,} active per token")
    opt = make_optimizer(model, tc)
    bar = Progress(tc.steps, "train")
    t0, tokens, ema = time.time(), 0, None
    for step in range(tc.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, tc)
        idx = order[(torch.arange(tc.batch) + step * tc.batch) % n_seq]
        x = torch.stack([stream[i * tc.seq_len: i * tc.seq_len + tc.seq_len + 1] for i in idx.tolist()])
        logits = model(x[:, :-1])                                              # [B, T, V]
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab_size), x[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], tc.grad_clip)
        opt.step()
        model.update_bias(tc.bias_gamma)
        tokens += x[:, :-1].numel()
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        bar.update(step + 1, loss=ema, tok_s=int(tokens / (time.time() - t0)), lr=lr_at(step, tc),
                   imbalance=imbalance(model))
    bar.close()

    model.round_to_fp16()
    seconds = time.time() - started
    path = os.path.join(out_dir, "checkpoint.pt")
    torch.save({"model_config": cfg.to_dict(), "train_config": tc.__dict__, "state_dict": model.state_dict(),
                "tokenizer": tok.to_json(),
                "training": {"seed": tc.seed, "steps": tc.steps, "tokens": tokens, "seconds": round(seconds, 1),
                             "final_loss": round(ema, 4),
                             "corpus": "Debian packages fortunes + fortunes-min (BSD licence), "
                                       "plus synthetic two-digit addition and letter reversal"}}, path)
    print(f"checkpoint: {path} after {seconds / 60:.1f} min, final loss {ema:.3f}")
    return path
