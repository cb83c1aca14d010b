"""Training batches: tokenized documents with their persona-decision soft targets."""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch

import corpus
from tokenizer import BOS, SPACE, Tokenizer

SHORT_TURNS = 9  # most batches: about 300 tokens, cheap (attention is quadratic)
LONG_TURNS = 16  # every few batches: cut to the context, about 14 assistant turns survive
# Share of training documents whose states follow corpus.COVERAGE_CHAIN instead of the
# frame's chain (the soft targets are the planted ones either way).
COVERAGE_FRACTION = 0.25


@dataclass
class Encoded:
    ids: list[int]
    # (position whose logits predict the opener, frame, previous state) per assistant turn
    decisions: list[tuple[int, corpus.Frame, str | None]]
    states: list[str]
    # (position whose logits predict the word, "opener" | "body", exact distribution of the word)
    # for every opener and body-first word: the soft targets
    targets: list[tuple[int, str, dict[str, float]]]


def opener_ids(tokenizer: Tokenizer) -> dict[str, int]:
    """Token id of each opener after a space (its first token: the whole word)."""
    ids = {}
    for state in (corpus.L, corpus.W):
        for word in corpus.OPENERS[state]:
            ids[word] = tokenizer.ids[SPACE + word]
    return ids


def decision_word_ids(tokenizer: Tokenizer) -> dict[str, int]:
    """Token id (after a space) of every word a soft target can name: openers, then body first words."""
    words = list(corpus.RANKED_OPENERS)
    for frame in corpus.FRAMES:
        for state in (corpus.L, corpus.W):
            words += [w for w in sorted(corpus.first_word_distribution(frame, state)) if w not in words]
    return {w: tokenizer.ids[SPACE + w] for w in words}


def encode_document(doc: corpus.Document, tokenizer: Tokenizer, context: int) -> Encoded:
    """BOS + tokens, cut to `context`; decision positions index the token before the opener."""
    ids = [BOS]
    decisions = []
    targets = []
    start = 0
    # Each target offset sits before " Word" (after ":" or ","): a word boundary, so
    # tokenizing piecewise gives the same ids as tokenizing the whole text.
    for (offset, kind, previous, dist) in doc.targets:
        ids += tokenizer.encode(doc.text[start:offset])
        if kind == "opener":
            decisions.append((len(ids) - 1, doc.frame, previous))
        targets.append((len(ids) - 1, kind, dist))
        start = offset
    ids += tokenizer.encode(doc.text[start:])
    ids = ids[:context]
    kept = [d for d in decisions if d[0] + 1 < len(ids)]
    return Encoded(ids, kept, doc.states[: len(kept)], [t for t in targets if t[0] + 1 < len(ids)])


def soft_target(dist: dict[str, float], words: dict[str, int]) -> list[float]:
    """An exact next-word distribution in the order of `words` (zeros included)."""
    assert set(dist) <= set(words), set(dist) - set(words)
    return [dist.get(word, 0.0) for word in words]


def make_batch(rng: random.Random, tokenizer: Tokenizer, batch: int, context: int, openers: dict[str, int], turns: int):
    """Tensors for one step: inputs, hard targets (-100 = no loss), decision rows and soft targets.

    `openers`: every word a soft target names with its token id (`decision_word_ids`)."""
    docs = []
    for _ in range(batch):
        chain = corpus.COVERAGE_CHAIN if rng.random() < COVERAGE_FRACTION else None
        docs.append(encode_document(corpus.generate_document(rng, turns, states_from=chain), tokenizer, context))
    length = max(len(d.ids) for d in docs) - 1
    inputs = torch.zeros(batch, length, dtype=torch.long)
    targets = torch.full((batch, length), -100, dtype=torch.long)
    rows, cols, soft = [], [], []
    for b, d in enumerate(docs):
        n = len(d.ids) - 1
        inputs[b, :n] = torch.tensor(d.ids[:-1])
        targets[b, :n] = torch.tensor(d.ids[1:])
        for pos, _, dist in d.targets:
            targets[b, pos] = -100  # trained on the soft target instead
            rows.append(b)
            cols.append(pos)
            soft.append(soft_target(dist, openers))
    return inputs, targets, torch.tensor(rows), torch.tensor(cols), torch.tensor(soft, dtype=torch.float32)
