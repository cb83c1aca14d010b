"""A llama-architecture transformer that computes exactly what llama.cpp's llama graph does.

RMSNorm (eps from the config), rotary embeddings in llama.cpp's "normal" layout (rope type
0: rotate adjacent pairs (x[2i], x[2i+1]) by pos * base^(-2i/head_dim)), so q/k export
without the permutation Hugging Face checkpoints need; multi-head causal attention scaled
by 1/sqrt(head_dim); SwiGLU feed-forward; no biases; separate output matrix.

`ggml_f16=True` reproduces llama.cpp's CPU arithmetic for an F16 GGUF: weights rounded to
F16, and the activations entering every F16 matrix product rounded to F16 as well (ggml
converts the F32 operand to the weight's dot-product type). It is used for the fixtures
that CI compares with node-llama-cpp.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class Config:
    vocab_size: int
    dim: int = 128
    layers: int = 4
    heads: int = 4
    ffn: int = 384
    context: int = 512
    norm_eps: float = 1e-5
    rope_base: float = 10000.0

    @property
    def head_dim(self) -> int:
        return self.dim // self.heads

    def to_dict(self) -> dict:
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(config: Config, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """cos/sin of the rotation angles, shape [length, head_dim/2].

    Computed like ggml's rope cache: theta starts at the position and is multiplied by
    base^(-2/head_dim) once per pair, in float32, so the angles carry the same rounding.
    """
    scale = np.float32(config.rope_base) ** np.float32(-2.0 / config.head_dim)
    angles = np.zeros((length, config.head_dim // 2), dtype=np.float32)
    theta = np.arange(length, dtype=np.float32)
    for i in range(config.head_dim // 2):
        angles[:, i] = theta
        theta = (theta * scale).astype(np.float32)
    a = torch.from_numpy(angles).double()
    return a.cos().float(), a.sin().float()


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x: [batch, heads, time, head_dim]; rotates adjacent pairs."""
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1)
    return out.flatten(-2)


class Block(nn.Module):
    def __init__(self, config: Config):
        super().__init__()
        d, f = config.dim, config.ffn
        self.config = config
        self.attn_norm = RMSNorm(d, config.norm_eps)
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, d, bias=False)
        self.wv = nn.Linear(d, d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)
        self.ffn_norm = RMSNorm(d, config.norm_eps)
        self.w_gate = nn.Linear(d, f, bias=False)
        self.w_up = nn.Linear(d, f, bias=False)
        self.w_down = nn.Linear(f, d, bias=False)


class Llama(nn.Module):
    def __init__(self, config: Config):
        super().__init__()
        self.config = config
        self.tok_embd = nn.Embedding(config.vocab_size, config.dim)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.layers))
        self.out_norm = RMSNorm(config.dim, config.norm_eps)
        self.output = nn.Linear(config.dim, config.vocab_size, bias=False)
        cos, sin = rope_tables(config, config.context)
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)
        causal = torch.full((config.context, config.context), float("-inf")).triu(1)
        self.register_buffer("causal", causal, persistent=False)
        self.apply(self._init)
        for block in self.blocks:
            # Scaled residual projections (GPT-2 style) keep early training stable.
            nn.init.normal_(block.wo.weight, std=0.02 / math.sqrt(2 * config.layers))
            nn.init.normal_(block.w_down.weight, std=0.02 / math.sqrt(2 * config.layers))

    @staticmethod
    def _init(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, std=0.02)

    def forward(self, tokens: torch.Tensor, ggml_f16: bool = False) -> torch.Tensor:
        """Logits [batch, time, vocab] for token ids [batch, time] (positions from 0)."""
        c = self.config
        b, t = tokens.shape
        mm = _f16_linear if ggml_f16 else _linear
        x = self.tok_embd.weight[tokens]
        if ggml_f16:
            x = x.half().float()
        cos, sin = self.rope_cos[:t], self.rope_sin[:t]
        mask = self.causal[:t, :t].expand(b * c.heads, t, t)
        for blk in self.blocks:
            h = blk.attn_norm(x)
            q = mm(h, blk.wq.weight).view(b, t, c.heads, c.head_dim).transpose(1, 2)
            k = mm(h, blk.wk.weight).view(b, t, c.heads, c.head_dim).transpose(1, 2)
            v = mm(h, blk.wv.weight).view(b, t, c.heads, c.head_dim).transpose(1, 2)
            q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
            q, k = q.reshape(b * c.heads, t, c.head_dim), k.reshape(b * c.heads, t, c.head_dim)
            att = torch.baddbmm(mask, q, k.transpose(-1, -2), alpha=1.0 / math.sqrt(c.head_dim)).softmax(-1)
            y = (att @ v.reshape(b * c.heads, t, c.head_dim)).view(b, c.heads, t, c.head_dim).transpose(1, 2).reshape(b, t, c.dim)
            x = x + mm(y, blk.wo.weight)
            h = blk.ffn_norm(x)
            x = x + mm(F.silu(mm(h, blk.w_gate.weight)) * mm(h, blk.w_up.weight), blk.w_down.weight)
        return mm(self.out_norm(x), self.output.weight)


def _linear(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    return F.linear(x, w)


def _f16_linear(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    # Products of F16 values are exact in F32; the sum is then in F32 (like ggml's F16 dot).
    return F.linear(x.half().float(), w.half().float())
