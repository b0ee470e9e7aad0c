"""The serving seams of the model as small torch modules, each exported to one ONNX graph.

Every module reuses the trained weights under short, stable names (they become the ONNX initializer
names, which `weights.py` reads back for `eval` on a shipped bundle). Signatures are the contract in
docs/bundle-format.md.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import Block, DragonMoE, SwiGLU, rope, window_mask


def _param(t: torch.Tensor) -> nn.Parameter:
    return nn.Parameter(t.detach().clone(), requires_grad=False)


def _rms(x: torch.Tensor, w: torch.Tensor, eps: float) -> torch.Tensor:
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


class EmbedGraph(nn.Module):
    def __init__(self, model: DragonMoE):
        super().__init__()
        self.embedding = _param(model.embed.weight)                  # [V, d]

    def forward(self, input_ids):                                     # [B, T] -> [B, T, d]
        return F.embedding(input_ids, self.embedding)


class AttentionGraph(nn.Module):
    """One layer's attention block over a KV ring buffer (the caller writes k_new/v_new into it)."""

    def __init__(self, block: Block, model: DragonMoE):
        super().__init__()
        cfg = model.cfg
        self.cfg = cfg
        self.attn_norm = _param(block.attn_norm.weight)              # [d]
        self.wq = _param(block.attn.wq.weight.t())                   # [d, d]  (x · wq)
        self.wk = _param(block.attn.wk.weight.t())
        self.wv = _param(block.attn.wv.weight.t())
        self.wo = _param(block.attn.wo.weight.t())
        self.ffn_norm = _param(block.ffn_norm.weight)                # [d]

    def heads(self, x):                                               # [B, T, d] -> [B, H, T, Dh]
        b, t = x.shape[0], x.shape[1]
        return x.reshape(b, t, self.cfg.n_heads, self.cfg.head_dim).transpose(1, 2)

    def forward(self, hidden, positions, k_cache, v_cache, cache_positions):
        cfg = self.cfg
        x = _rms(hidden, self.attn_norm, cfg.norm_eps)                # [B, T, d]
        q = rope(self.heads(x @ self.wq), positions, cfg.rope_theta)  # [B, H, T, Dh]
        k = rope(self.heads(x @ self.wk), positions, cfg.rope_theta)  # [B, H, T, Dh]
        v = self.heads(x @ self.wv)                                   # [B, H, T, Dh]
        keys = torch.cat([k_cache, k], dim=2)                         # [B, H, W+T, Dh]
        values = torch.cat([v_cache, v], dim=2)                       # [B, H, W+T, Dh]
        key_pos = torch.cat([cache_positions, positions], dim=1)      # [B, W+T]
        allow = window_mask(positions, key_pos, cfg.window)           # [B, 1, T, W+T]
        scores = q @ keys.transpose(-1, -2) * (cfg.head_dim ** -0.5)  # [B, H, T, W+T]
        scores = scores.masked_fill(~allow, float("-inf"))
        a = torch.softmax(scores, dim=-1) @ values                    # [B, H, T, Dh]
        b, t = hidden.shape[0], hidden.shape[1]
        hidden_out = hidden + a.transpose(1, 2).reshape(b, t, cfg.d_model) @ self.wo
        moe_input = _rms(hidden_out, self.ffn_norm, cfg.norm_eps)
        return hidden_out, moe_input, k, v


class FfnGraph(nn.Module):
    """A routed or shared SwiGLU expert: y = (silu(x·w1) ⊙ (x·w3)) · w2."""

    def __init__(self, ffn: SwiGLU):
        super().__init__()
        self.w1 = _param(ffn.w1.weight.t())                           # [d, F]
        self.w3 = _param(ffn.w3.weight.t())                           # [d, F]
        self.w2 = _param(ffn.w2.weight.t())                           # [F, d]

    def forward(self, x):                                             # [N, d] -> [N, d]
        return (F.silu(x @ self.w1) * (x @ self.w3)) @ self.w2


class HeadGraph(nn.Module):
    """Final norm → PC layer (weights are inputs, so they swap without a new session) → LM head."""

    def __init__(self, model: DragonMoE):
        super().__init__()
        self.eps = model.cfg.norm_eps
        self.final_norm = _param(model.final_norm.weight)            # [d]
        self.embedding = _param(model.embed.weight)                   # [V, d]  (tied head)

    def forward(self, hidden, pc_w1, pc_w2):                          # [N, d], [P, d], [d, P]
        normed = _rms(hidden, self.final_norm, self.eps)              # [N, d]
        mu = normed + torch.tanh(normed @ pc_w1.t()) @ pc_w2.t()      # [N, d]
        return mu @ self.embedding.t(), normed                        # [N, V], [N, d]


class LmHeadGraph(nn.Module):
    """The LM head alone, with its NLL and dNLL/dmu, for learners that adapt what feeds the head."""

    def __init__(self, model: DragonMoE):
        super().__init__()
        self.embedding = _param(model.embed.weight)                   # [V, d]

    def forward(self, mu, targets):                                   # [N, d], [N]
        logits = mu @ self.embedding.t()                              # [N, V]
        logp = torch.log_softmax(logits, dim=-1)
        nll = -logp.gather(1, targets.unsqueeze(1)).squeeze(1)        # [N]
        err = torch.exp(logp) - F.one_hot(targets, logits.shape[1]).to(logits.dtype)  # [N, V]
        return logits, nll, err @ self.embedding                      # grad_mu [N, d]


SIGNATURES = {
    "embed": (["input_ids"], ["hidden"], {"input_ids": {0: "B", 1: "T"}, "hidden": {0: "B", 1: "T"}}),
    "attention": (["hidden", "positions", "k_cache", "v_cache", "cache_positions"],
                  ["hidden_out", "moe_input", "k_new", "v_new"],
                  {"hidden": {0: "B", 1: "T"}, "positions": {0: "B", 1: "T"}, "k_cache": {0: "B"},
                   "v_cache": {0: "B"}, "cache_positions": {0: "B"}, "hidden_out": {0: "B", 1: "T"},
                   "moe_input": {0: "B", 1: "T"}, "k_new": {0: "B", 2: "T"}, "v_new": {0: "B", 2: "T"}}),
    "ffn": (["x"], ["y"], {"x": {0: "N"}, "y": {0: "N"}}),
    "head": (["hidden", "pc_w1", "pc_w2"], ["logits", "normed"],
             {"hidden": {0: "N"}, "logits": {0: "N"}, "normed": {0: "N"}}),
    "lm_head": (["mu", "targets"], ["logits", "nll", "grad_mu"],
                {"mu": {0: "N"}, "targets": {0: "N"}, "logits": {0: "N"}, "nll": {0: "N"}, "grad_mu": {0: "N"}}),
}
