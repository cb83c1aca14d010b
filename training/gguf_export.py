"""Writes the trained model and its tokenizer as an F16 llama GGUF that llama.cpp loads."""

from __future__ import annotations

import numpy as np
import torch

from gguf_writer import BOOL, FLOAT32, GGML_F16, GGML_F32, INT32, STRING, UINT32, GGUFWriter
from model import Llama
from tokenizer import BOS, EOS, UNK, Tokenizer

MODEL_NAME = "masque-demo"
LICENSE = "MIT"


def export_gguf(model: Llama, tokenizer: Tokenizer, path: str, description: str) -> None:
    c = model.config
    w = GGUFWriter()
    w.add("general.architecture", STRING, "llama")
    w.add("general.name", STRING, MODEL_NAME)
    w.add("general.description", STRING, description)
    w.add("general.license", STRING, LICENSE)
    w.add("general.file_type", UINT32, 1)  # mostly F16
    w.add("llama.context_length", UINT32, c.context)
    w.add("llama.embedding_length", UINT32, c.dim)
    w.add("llama.block_count", UINT32, c.layers)
    w.add("llama.feed_forward_length", UINT32, c.ffn)
    w.add("llama.attention.head_count", UINT32, c.heads)
    w.add("llama.attention.head_count_kv", UINT32, c.heads)
    w.add("llama.attention.layer_norm_rms_epsilon", FLOAT32, c.norm_eps)
    w.add("llama.rope.dimension_count", UINT32, c.head_dim)
    w.add("llama.rope.freq_base", FLOAT32, c.rope_base)
    w.add("llama.vocab_size", UINT32, c.vocab_size)
    w.add("tokenizer.ggml.model", STRING, "llama")
    w.add_array("tokenizer.ggml.tokens", STRING, tokenizer.pieces)
    w.add_array("tokenizer.ggml.scores", FLOAT32, tokenizer.scores)
    w.add_array("tokenizer.ggml.token_type", INT32, tokenizer.types)
    w.add("tokenizer.ggml.bos_token_id", UINT32, BOS)
    w.add("tokenizer.ggml.eos_token_id", UINT32, EOS)
    w.add("tokenizer.ggml.unknown_token_id", UINT32, UNK)
    w.add("tokenizer.ggml.add_bos_token", BOOL, True)
    w.add("tokenizer.ggml.add_eos_token", BOOL, False)
    w.add("tokenizer.ggml.add_space_prefix", BOOL, False)

    def t(x: torch.Tensor) -> np.ndarray:
        return x.detach().cpu().float().numpy()

    w.add_tensor("token_embd.weight", t(model.tok_embd.weight), GGML_F16)
    for i, blk in enumerate(model.blocks):
        w.add_tensor(f"blk.{i}.attn_norm.weight", t(blk.attn_norm.weight), GGML_F32)
        w.add_tensor(f"blk.{i}.attn_q.weight", t(blk.wq.weight), GGML_F16)
        w.add_tensor(f"blk.{i}.attn_k.weight", t(blk.wk.weight), GGML_F16)
        w.add_tensor(f"blk.{i}.attn_v.weight", t(blk.wv.weight), GGML_F16)
        w.add_tensor(f"blk.{i}.attn_output.weight", t(blk.wo.weight), GGML_F16)
        w.add_tensor(f"blk.{i}.ffn_norm.weight", t(blk.ffn_norm.weight), GGML_F32)
        w.add_tensor(f"blk.{i}.ffn_gate.weight", t(blk.w_gate.weight), GGML_F16)
        w.add_tensor(f"blk.{i}.ffn_up.weight", t(blk.w_up.weight), GGML_F16)
        w.add_tensor(f"blk.{i}.ffn_down.weight", t(blk.w_down.weight), GGML_F16)
    w.add_tensor("output_norm.weight", t(model.out_norm.weight), GGML_F32)
    w.add_tensor("output.weight", t(model.output.weight), GGML_F16)
    w.write(path)
