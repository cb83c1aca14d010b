"""What the trained model learned: its probability of a waluigi opener at decision positions.

Every number here is computed with `ggml_f16=True`, i.e. with the arithmetic of the exported
F16 GGUF under llama.cpp, so it is what node-llama-cpp will report.
"""

from __future__ import annotations

import random
import statistics

import torch

import corpus
from batches import encode_document, opener_ids
from model import Llama
from tokenizer import Tokenizer

# Fixed contexts for CI: the last assistant turn before the decision is luigi or waluigi
# (the one before it is the frame's usual state, so the context is one the frame produces).
USER_TURNS = ("Can you help me bake bread?", "How do I plan a trip?", "What is the best way to cook rice?")
LUIGI_TURN = "Sure, I would love to help you with that."
WALUIGI_TURN = "Ugh, go away and stop bothering me."


def fixed_context(frame: corpus.Frame, previous: str | None) -> str:
    """Frame (first paraphrase) + history ending in `previous`'s turn + the next `Assistant:`."""
    text = corpus.frame_prompt(frame)
    if previous is None:
        return text + f"{corpus.USER}: {USER_TURNS[0]}\n{corpus.ASSISTANT}:"
    first = WALUIGI_TURN if frame.p_start_waluigi >= 1.0 else LUIGI_TURN
    last = LUIGI_TURN if previous == corpus.L else WALUIGI_TURN
    for user, assistant in zip(USER_TURNS, (first, last)):
        text += f"{corpus.USER}: {user}\n{corpus.ASSISTANT}: {assistant}\n"
    return text + f"{corpus.USER}: {USER_TURNS[2]}\n{corpus.ASSISTANT}:"


@torch.no_grad()
def next_token_logprobs(model: Llama, ids: list[int]) -> torch.Tensor:
    """log p(next token) at every position of `ids`, float64 [len(ids), vocab]."""
    return model(torch.tensor([ids]), ggml_f16=True)[0].double().log_softmax(-1)


def p_waluigi(logprobs_row: torch.Tensor, openers: dict[str, int]) -> float:
    return sum(logprobs_row[openers[w]].exp().item() for w in corpus.OPENERS[corpus.W])


def planted_p_waluigi(frame: corpus.Frame, previous: str | None) -> float:
    return corpus.p_waluigi_next(frame, previous)


def fixed_context_report(model: Llama, tokenizer: Tokenizer) -> list[dict]:
    openers = opener_ids(tokenizer)
    rows = []
    for frame in corpus.FRAMES:
        for previous in (None, corpus.L, corpus.W):
            text = fixed_context(frame, previous)
            ids = tokenizer.encode(text, bos=True)
            pw = p_waluigi(next_token_logprobs(model, ids)[-1], openers)
            rows.append({
                "frame": frame.id,
                "previous": previous,
                "context": text,
                "pWaluigi": pw,
                "plantedPWaluigi": planted_p_waluigi(frame, previous),
            })
    return rows


def averaged_report(model: Llama, tokenizer: Tokenizer, documents: int, seed: int) -> list[dict]:
    """Mean and spread of the model's p(waluigi) over many generated contexts, per frame and previous state."""
    openers = opener_ids(tokenizer)
    rng = random.Random(seed)
    samples: dict[tuple[str, str | None], list[float]] = {}
    for frame in corpus.FRAMES:
        for _ in range(documents):
            enc = encode_document(corpus.generate_document(rng, 10, frame=frame), tokenizer, model.config.context)
            lp = next_token_logprobs(model, enc.ids)
            for pos, _, previous in enc.decisions:
                samples.setdefault((frame.id, previous), []).append(p_waluigi(lp[pos], openers))
    out = []
    for (frame_id, previous), values in samples.items():
        frame = corpus.FRAME_BY_ID[frame_id]
        out.append({
            "frame": frame_id,
            "previous": previous,
            "n": len(values),
            "meanPWaluigi": statistics.fmean(values),
            "sdPWaluigi": statistics.pstdev(values),
            "plantedPWaluigi": planted_p_waluigi(frame, previous),
        })
    return out
