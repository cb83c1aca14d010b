"""Trains the demo model on the synthetic corpus (CPU, deterministic from --seed).

Loss = mean cross-entropy over ordinary tokens + DECISION_WEIGHT x mean cross-entropy against
the generator's exact opener distribution at persona-decision positions (the first token of
each assistant turn). Plain cross-entropy on sampled openers would only see each rare
transition a few times per batch and mis-calibrate it; the soft target gives the exact
gradient at every decision. The weights saved are an exponential moving average taken over
the last part of training.

Usage: python3 train.py --out build/checkpoint.pt  (see README.md for the full recipe)
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import random
import time

import torch
import torch.nn.functional as F

import corpus
import evaluate
from batches import LONG_TURNS, SHORT_TURNS, decision_word_ids, make_batch
from model import Config, Llama
from tokenizer import Tokenizer

DECISION_WEIGHT = 1.0


def decision_kl(logits_rows: torch.Tensor, opener_tensor: torch.Tensor, soft: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(soft cross-entropy, KL(target || model)) at decision positions, both means."""
    logp = logits_rows.log_softmax(-1)[:, opener_tensor]
    ce = -(soft * logp).sum(-1)
    entropy = -(soft * soft.clamp_min(1e-30).log()).sum(-1)
    return ce.mean(), (ce - entropy).mean()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20240917)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ema-start", type=float, default=0.6, help="fraction of steps after which the EMA starts")
    ap.add_argument("--ema-decay", type=float, default=0.998)
    ap.add_argument("--long-every", type=int, default=4, help="every Nth batch holds full-context documents")
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--eval-every", type=int, default=200, help="log the fixed-context probabilities and save a checkpoint")
    ap.add_argument("--init", default=None, help="start from this checkpoint's weights (a second, lower-rate phase)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tokenizer = Tokenizer(corpus.all_words())
    config = Config(vocab_size=len(tokenizer))
    model = Llama(config)
    previous = None
    if args.init is not None:
        previous = torch.load(args.init)
        assert previous["config"] == config.to_dict(), "--init checkpoint has another architecture"
        model.load_state_dict(previous["state_dict"])
        previous = {k: previous[k] for k in ("args", "log", "wall_s")}
    openers = decision_word_ids(tokenizer)
    opener_tensor = torch.tensor(list(openers.values()))
    params = sum(p.numel() for p in model.parameters())
    print(f"vocab {len(tokenizer)}, parameters {params:,}, config {config.to_dict()}", flush=True)

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95))
    warmup = max(1, args.steps // 30)

    def lr_at(step: int) -> float:
        if step < warmup:
            return args.lr * (step + 1) / warmup
        progress = (step - warmup) / max(1, args.steps - warmup)
        return args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))

    ema: Llama | None = None
    ema_start = int(args.steps * args.ema_start)
    log: list[dict] = []
    started = time.time()
    window = {"ce": 0.0, "kl": 0.0, "n": 0}
    for step in range(args.steps):
        turns = LONG_TURNS if step % args.long_every == args.long_every - 1 else SHORT_TURNS
        inputs, targets, rows, cols, soft = make_batch(rng, tokenizer, args.batch, config.context, openers, turns)
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        logits = model(inputs)
        ce = F.cross_entropy(logits.view(-1, config.vocab_size), targets.view(-1), ignore_index=-100)
        soft_ce, kl = decision_kl(logits[rows, cols], opener_tensor, soft)
        loss = ce + DECISION_WEIGHT * soft_ce
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step == ema_start:
            ema = copy.deepcopy(model)
        elif ema is not None:
            with torch.no_grad():
                for pe, pm in zip(ema.parameters(), model.parameters()):
                    pe.mul_(args.ema_decay).add_(pm, alpha=1 - args.ema_decay)
        window["ce"] += ce.item()
        window["kl"] += kl.item()
        window["n"] += 1
        if (step + 1) % args.log_every == 0 or step + 1 == args.steps:
            entry = {
                "step": step + 1,
                "token_ce": round(window["ce"] / window["n"], 4),
                "decision_kl": round(window["kl"] / window["n"], 5),
                "lr": round(lr_at(step), 6),
                "elapsed_s": round(time.time() - started, 1),
            }
            if (step + 1) % args.eval_every == 0 or step + 1 == args.steps:
                current = ema if ema is not None else model
                fixed = evaluate.fixed_context_report(current, tokenizer)
                entry["max_fixed_error"] = round(max(abs(r["pWaluigi"] - r["plantedPWaluigi"]) for r in fixed), 4)
                save(args.out, current, config, args, log + [entry], params, started, previous)
            log.append(entry)
            window = {"ce": 0.0, "kl": 0.0, "n": 0}
            print(json.dumps(entry), flush=True)

    save(args.out, ema if ema is not None else model, config, args, log, params, started, previous)
    print(f"saved {args.out} after {time.time() - started:.0f} s", flush=True)


def save(path: str, model: Llama, config: Config, args: argparse.Namespace, log: list[dict], params: int, started: float, previous: dict | None = None) -> None:
    checkpoint = {
        "previous": previous,
        "config": config.to_dict(),
        "state_dict": model.state_dict(),
        "args": vars(args),
        "log": log,
        "parameters": params,
        "wall_s": round(time.time() - started, 1),
        "torch": torch.__version__,
    }
    torch.save(checkpoint, path)


if __name__ == "__main__":
    main()
