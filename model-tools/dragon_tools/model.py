"""The DeepSeek-Dragon style MoE transformer (training-time PyTorch reference).

One block:  h = h + Attn(RMSNorm(h))                      sliding-window causal MHA with RoPE
            u = RMSNorm(h)
            s = sigmoid(u · e_i)                          gate affinities            [N, E]
            sel = topk(s + b, k)                          bias b selects, never weighs
            g = s[sel] / Σ s[sel]
            h = h + Shared(u) + Σ_{i∈sel} g_i · E_i(u)
Head:       n = RMSNorm(h);  μ = n + W2·tanh(W1·n)  (PC layer, W2 = 0 at init);  logits = μ · Wembᵀ
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 4096
    d_model: int = 256
    n_layers: int = 4
    n_heads: int = 4
    window: int = 128
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    routed_experts: int = 8
    shared_experts: int = 1
    top_k: int = 2
    expert_hidden: int = 128
    shared_hidden: int = 256
    pc_hidden: int = 256

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    def to_dict(self) -> dict:
        d = asdict(self)
        d["head_dim"] = self.head_dim
        return d

    @staticmethod
    def from_dict(d: dict) -> "ModelConfig":
        fields = ModelConfig.__dataclass_fields__
        return ModelConfig(**{k: v for k, v in d.items() if k in fields})


class RMSNorm(nn.Module):
    def __init__(self, d: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def inv_frequencies(head_dim: int, theta: float) -> torch.Tensor:
    """RoPE frequencies computed in float64, then rounded once to float32 (a constant in every graph)."""
    return torch.tensor([1.0 / theta ** (i / head_dim) for i in range(0, head_dim, 2)], dtype=torch.float32)


def rope(x: torch.Tensor, positions: torch.Tensor, theta: float) -> torch.Tensor:
    """Rotate-half RoPE on absolute positions.  x: [B, H, T, Dh], positions: [B, T] int64."""
    half = x.shape[-1] // 2
    ang = positions.to(torch.float32).unsqueeze(-1) * inv_frequencies(x.shape[-1], theta)  # [B, T, Dh/2]
    cos = torch.cat([ang.cos(), ang.cos()], dim=-1).unsqueeze(1)                          # [B, 1, T, Dh]
    sin = torch.cat([ang.sin(), ang.sin()], dim=-1).unsqueeze(1)
    x1, x2 = x[..., :half], x[..., half:]
    return x * cos + torch.cat([-x2, x1], dim=-1) * sin


def window_mask(q_pos: torch.Tensor, k_pos: torch.Tensor, window: int) -> torch.Tensor:
    """Allowed (query, key) pairs: key not empty, not in the future, within the window.

    q_pos: [B, Tq], k_pos: [B, Tk] -> [B, 1, Tq, Tk] bool."""
    q = q_pos.unsqueeze(-1)
    k = k_pos.unsqueeze(-2)
    return ((k >= 0) & (k <= q) & (q - k < window)).unsqueeze(1)


class KVCache:
    """One layer's keys and values so far, for incremental decoding; holds at most `window` positions
    (older keys are outside every later query's window)."""

    def __init__(self, window: int):
        self.window = window
        self.k: Optional[torch.Tensor] = None    # [B, H, S, Dh]
        self.v: Optional[torch.Tensor] = None    # [B, H, S, Dh]
        self.pos: Optional[torch.Tensor] = None  # [B, S]

    def extend(self, k: torch.Tensor, v: torch.Tensor, pos: torch.Tensor):
        """Appends the new positions; returns all cached (k, v, positions) including them."""
        if self.k is not None:
            k, v, pos = torch.cat([self.k, k], 2), torch.cat([self.v, v], 2), torch.cat([self.pos, pos], 1)
        self.k, self.v, self.pos = k[:, :, -self.window:], v[:, :, -self.window:], pos[:, -self.window:]
        return k, v, pos


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.d_model
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, d, bias=False)
        self.wv = nn.Linear(d, d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)

    def heads(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.cfg.n_heads, self.cfg.head_dim).transpose(1, 2)  # [B, H, T, Dh]

    def qkv(self, x: torch.Tensor, positions: torch.Tensor):
        q = rope(self.heads(self.wq(x)), positions, self.cfg.rope_theta)
        k = rope(self.heads(self.wk(x)), positions, self.cfg.rope_theta)
        v = self.heads(self.wv(x))
        return q, k, v

    def attend(self, q, k, v, allow) -> torch.Tensor:
        """q: [B,H,Tq,Dh], k/v: [B,H,Tk,Dh], allow: [B,1,Tq,Tk] -> [B,Tq,d]."""
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.cfg.head_dim)  # [B, H, Tq, Tk]
        scores = scores.masked_fill(~allow, float("-inf"))
        a = torch.softmax(scores, dim=-1) @ v                             # [B, H, Tq, Dh]
        b, _, t, _ = a.shape
        return self.wo(a.transpose(1, 2).reshape(b, t, self.cfg.d_model))

    def forward(self, x: torch.Tensor, positions: torch.Tensor, cache: Optional[KVCache] = None) -> torch.Tensor:
        q, k, v = self.qkv(x, positions)
        k_pos = positions
        if cache is not None:
            k, v, k_pos = cache.extend(k, v, positions)
        return self.attend(q, k, v, window_mask(positions, k_pos, self.cfg.window))


class SwiGLU(nn.Module):
    def __init__(self, d: int, hidden: int):
        super().__init__()
        self.w1 = nn.Linear(d, hidden, bias=False)
        self.w3 = nn.Linear(d, hidden, bias=False)
        self.w2 = nn.Linear(hidden, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class MoE(nn.Module):
    """Sigmoid-gated routed experts with a selection-only bias, plus always-on shared experts."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.gate = nn.Parameter(torch.randn(cfg.routed_experts, cfg.d_model) * 0.02)  # [E, d]
        self.register_buffer("bias", torch.zeros(cfg.routed_experts))                   # [E]
        self.experts = nn.ModuleList(SwiGLU(cfg.d_model, cfg.expert_hidden) for _ in range(cfg.routed_experts))
        self.shared = nn.ModuleList(SwiGLU(cfg.d_model, cfg.shared_hidden) for _ in range(cfg.shared_experts))
        self.last_load: Optional[torch.Tensor] = None       # tokens per expert in the last forward  [E]
        self.last_selection: Optional[torch.Tensor] = None  # experts chosen per row in the last forward  [N, k]

    def route(self, u: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """u: [N, d] -> (selected expert ids [N, k] by descending s + b, weights [N, k])."""
        s = torch.sigmoid(u @ self.gate.t())                        # [N, E]
        sel = torch.topk(s + self.bias, self.cfg.top_k, dim=-1).indices
        w = s.gather(-1, sel)
        return sel, w / w.sum(-1, keepdim=True)

    def forward(self, u: torch.Tensor) -> torch.Tensor:
        shape = u.shape
        u = u.reshape(-1, shape[-1])                                  # [N, d]
        sel, w = self.route(u)
        self.last_selection = sel.detach()
        out = torch.zeros_like(u)
        for sh in self.shared:
            out = out + sh(u)
        flat_sel = sel.reshape(-1)                                    # [N*k]
        flat_w = w.reshape(-1, 1)
        rows = torch.arange(u.shape[0]).repeat_interleave(self.cfg.top_k)
        order = torch.argsort(flat_sel, stable=True)                  # rows grouped by expert
        counts = torch.bincount(flat_sel, minlength=self.cfg.routed_experts)
        self.last_load = counts.detach()
        start = 0
        for e, n in enumerate(counts.tolist()):
            if n:
                idx = order[start:start + n]
                r = rows[idx]
                out.index_add_(0, r, self.experts[e](u[r]) * flat_w[idx])
            start += n
        return out.reshape(shape)


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.attn_norm = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.attn = Attention(cfg)
        self.ffn_norm = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.moe = MoE(cfg)

    def forward(self, h: torch.Tensor, positions: torch.Tensor, cache: Optional[KVCache] = None) -> torch.Tensor:
        h = h + self.attn(self.attn_norm(h), positions, cache)
        return h + self.moe(self.ffn_norm(h))


class PCLayer(nn.Module):
    """μ = h + W2·tanh(W1·h); W2 = 0 makes it the identity. Frozen during base training."""

    def __init__(self, d: int, p: int, generator: Optional[torch.Generator] = None):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(p, d, generator=generator) / math.sqrt(d), requires_grad=False)  # [P, d]
        self.w2 = nn.Parameter(torch.zeros(d, p), requires_grad=False)                                      # [d, P]

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + torch.tanh(h @ self.w1.t()) @ self.w2.t()


class DragonMoE(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        nn.init.normal_(self.embed.weight, std=0.02)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.final_norm = RMSNorm(cfg.d_model, cfg.norm_eps)
        self.pc = PCLayer(cfg.d_model, cfg.pc_hidden)
        for name, p in self.named_parameters():
            if p.dim() == 2 and "embed" not in name and "gate" not in name and not name.startswith("pc."):
                nn.init.normal_(p, std=0.02)
            if name.endswith("wo.weight") or name.endswith("w2.weight"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * cfg.n_layers))

    def head_weight(self) -> torch.Tensor:
        return self.embed.weight  # tied input/output embedding  [V, d]

    def hidden_states(self, ids: torch.Tensor, positions: Optional[torch.Tensor] = None,
                      caches: Optional[List[KVCache]] = None) -> torch.Tensor:
        """ids: [B, T] -> final hidden before the final norm [B, T, d]. With `caches` (one per block, from
        `new_caches`), attention also sees the positions given in earlier calls: incremental decoding."""
        if positions is None:
            positions = torch.arange(ids.shape[1]).unsqueeze(0).expand_as(ids)
        h = self.embed(ids)
        for l, block in enumerate(self.blocks):
            h = block(h, positions, None if caches is None else caches[l])
        return h

    def forward(self, ids: torch.Tensor, positions: Optional[torch.Tensor] = None,
                caches: Optional[List[KVCache]] = None) -> torch.Tensor:
        mu = self.pc(self.final_norm(self.hidden_states(ids, positions, caches)))
        return mu @ self.head_weight().t()  # [B, T, V]

    def new_caches(self) -> List[KVCache]:
        return [KVCache(self.cfg.window) for _ in self.blocks]

    def loads(self) -> List[torch.Tensor]:
        return [b.moe.last_load for b in self.blocks]

    @torch.no_grad()
    def update_bias(self, gamma: float) -> None:
        """Auxiliary-loss-free balancing (DeepSeek-V3): b_i -= γ if overloaded, += γ if underloaded."""
        for block in self.blocks:
            load = block.moe.last_load.float()
            block.moe.bias += gamma * torch.sign(load.mean() - load)

    def parameter_counts(self) -> dict:
        cfg = self.cfg
        total = sum(p.numel() for p in self.parameters())
        expert = sum(p.numel() for p in self.blocks[0].moe.experts[0].parameters())
        inactive = cfg.n_layers * (cfg.routed_experts - cfg.top_k) * expert
        return {"total": total, "active_per_token": total - inactive, "per_routed_expert": expert}

    @torch.no_grad()
    def round_to_fp16(self) -> None:
        """The shipped bundle stores weights in fp16; make this model exactly that model."""
        for p in self.parameters():
            p.copy_(p.half().float())
