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
from tokenizer import SPACE, Tokenizer

# Fixed contexts for CI: the last assistant turn before the decision is luigi or waluigi
# (the one before it is the frame's usual state, so the context is one the frame produces).
USER_TURNS = ("Can you help me bake bread?", "How do I plan a trip?", "What is the best way to cook rice?")
# Compact frames' user turns are short templates only.
COMPACT_USER_TURNS = ("Can you help me bake bread?", "How do I plan a trip?", "Please explain how to cook rice.")
LUIGI_TURN = "Sure, I would love to help you with that."
WALUIGI_TURN = "Ugh, go away and stop bothering me."
# Frames whose bodies are decisive never write LUIGI_TURN's body.
DECISIVE_LUIGI_TURN = "Sure, we can work on it together, beginning with a clear goal."
# Openers after which the body decision is reported (a polite and a curt one).
PROBE_OPENERS = ("Sure", "Ugh")


def fixed_context(frame: corpus.Frame, previous: str | None) -> str:
    """Frame (first paraphrase) + history ending in `previous`'s turn + the next `Assistant:`."""
    text = corpus.frame_prompt(frame)
    user_turns = COMPACT_USER_TURNS if frame.compact else USER_TURNS
    if previous is None:
        return text + f"{corpus.USER}: {user_turns[0]}\n{corpus.ASSISTANT}:"
    luigi_turn = DECISIVE_LUIGI_TURN if frame.compact else LUIGI_TURN
    first = WALUIGI_TURN if frame.p_start_waluigi >= 1.0 else luigi_turn
    last = luigi_turn if previous == corpus.L else WALUIGI_TURN
    for user, assistant in zip(user_turns, (first, last)):
        text += f"{corpus.USER}: {user}\n{corpus.ASSISTANT}: {assistant}\n"
    return text + f"{corpus.USER}: {user_turns[2]}\n{corpus.ASSISTANT}:"


@torch.no_grad()
def next_token_logprobs(model: Llama, ids: list[int]) -> torch.Tensor:
    """log p(next token) at every position of `ids`, float64 [len(ids), vocab]."""
    return model(torch.tensor([ids]), ggml_f16=True)[0].double().log_softmax(-1)


def p_waluigi(logprobs_row: torch.Tensor, openers: dict[str, int]) -> float:
    """Total probability of the waluigi openers."""
    return sum(logprobs_row[openers[w]].exp().item() for w in corpus.OPENERS[corpus.W])


def p_waluigi_body(logprobs_row: torch.Tensor, tokenizer: Tokenizer) -> float:
    """Total probability of the body first words that name waluigi (decisive frames)."""
    return sum(logprobs_row[tokenizer.ids[SPACE + w]].exp().item() for w in corpus.decisive_first_words(corpus.W))


def planted_p_waluigi(frame: corpus.Frame, previous: str | None) -> float:
    return corpus.p_waluigi_next(frame, previous)


def p_waluigi_after_opener(model: Llama, tokenizer: Tokenizer, context: str, opener: str) -> float:
    """The model's probability that the body after `context + " Opener,"` is waluigi's."""
    ids = tokenizer.encode(f"{context} {opener},", bos=True)
    return p_waluigi_body(next_token_logprobs(model, ids)[-1], tokenizer)


def fixed_context_report(model: Llama, tokenizer: Tokenizer) -> list[dict]:
    """Per frame and previous state: the model's p(waluigi opener) and p(waluigi turn) next.

    Where the frame decides the state at the opener the two are the same; in body-decided
    frames p(waluigi turn) = sum over openers of p(opener) x p(waluigi body | opener).
    """
    openers = opener_ids(tokenizer)
    rows = []
    for frame in corpus.FRAMES:
        for previous in (None, corpus.L, corpus.W):
            text = fixed_context(frame, previous)
            ids = tokenizer.encode(text, bos=True)
            row = next_token_logprobs(model, ids)[-1]
            p_openers = p_waluigi(row, openers)
            entry = {
                "frame": frame.id,
                "previous": previous,
                "context": text,
                "pWaluigi": p_openers,
                "plantedPWaluigi": planted_p_waluigi(frame, previous),
                "pWaluigiOpeners": p_openers,
                "plantedPWaluigiOpeners": corpus.p_waluigi_openers(frame, previous),
            }
            if frame.decided_at == "body":
                entry["pWaluigi"] = sum(
                    row[openers[o]].exp().item() * p_waluigi_after_opener(model, tokenizer, text, o) for o in corpus.RANKED_OPENERS
                )
                entry["afterOpener"] = [
                    {
                        "opener": o,
                        "pWaluigi": p_waluigi_after_opener(model, tokenizer, text, o),
                        "plantedPWaluigi": corpus.state_posterior(frame, previous, o).get(corpus.W, 0.0),
                    }
                    for o in PROBE_OPENERS
                ]
            rows.append(entry)
    return rows


def averaged_report(model: Llama, tokenizer: Tokenizer, documents: int, seed: int) -> list[dict]:
    """Mean and spread of the model's p(waluigi opener) over many generated contexts, per frame and previous state."""
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
            "plantedPWaluigi": corpus.p_waluigi_openers(frame, previous),
        })
    return out
