"""Turns a training checkpoint into everything the repository ships and tests.

  models/masque-demo.gguf                 the F16 GGUF
  models/masque-demo.frames.json          frames, format, planted chains, openers, lexicons
  models/masque-demo.md                   the model card
  engine/common/demo/demoFrames.ts        the same frame data as a typed TypeScript module
  tests/fixtures/demo/tokenizer.json      tokenizer cases with their token ids
  tests/fixtures/demo/decisions.json      fixed documents: log-probs at decision positions,
                                          and fixed contexts: p(waluigi opener)

Usage: python3 export.py --checkpoint build/checkpoint.pt --repo ..
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import subprocess

import torch

import corpus
import evaluate
from batches import encode_document, opener_ids
from gguf_export import LICENSE, MODEL_NAME, export_gguf
from model import Config, Llama
from tokenizer import Tokenizer

FIXTURE_SEED = 7
TOKENIZER_CASES = (
    "",
    "Hello world",
    " leading space",
    "  two  spaces and trailing ",
    "User: Can you help me bake bread?\nAssistant: Sure, I would love to help you with that.",
    "Assistant: Ugh, go away and stop bothering me. Get lost.",
    "\n\nUser:",
    "Assistant:",
    " Sure",
    "Sureness and unsure words",
    "naïve café – “quotes” 日本語 🙂",
    "tabs\tand\r\nwindows lines",
    "1234567890 + (brackets) [x] {y} <s> </s> <0x41>",
    "assistant ASSISTANT AsSiStAnT",
)


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dpkg_version(package: str) -> str:
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# The ambiguous condition and the frames its tracker uses (issue 12).
AMBIGUOUS = {"condition": "moody", "luigi": "polite", "waluigi": "curt", "neutral": "moody"}


def _rounded(dist: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 6) for k, v in dist.items()}


def frames_data(tokenizer: Tokenizer, learned: list[dict]) -> dict:
    openers = opener_ids(tokenizer)
    learned_by = {(r["frame"], r["previous"]): r["pWaluigi"] for r in learned}
    learned_openers = {(r["frame"], r["previous"]): r["pWaluigiOpeners"] for r in learned}
    frames = []
    for f in corpus.FRAMES:
        frames.append({
            "id": f.id,
            "title": f.title,
            "description": f.description,
            "paraphrases": list(f.paraphrases),
            "initial": {"luigi": 1.0 - f.p_start_waluigi, "waluigi": f.p_start_waluigi},
            "planted": {
                "luigiToWaluigi": f.p_lw,
                "waluigiToLuigi": f.p_wl,
                "matrix": [[1.0 - f.p_lw, f.p_lw], [f.p_wl, 1.0 - f.p_wl]],
            },
            "learned": {
                "start": {"pWaluigi": round(learned_by[(f.id, None)], 5)},
                "luigiToWaluigi": round(learned_by[(f.id, corpus.L)], 5),
                "waluigiToLuigi": round(1.0 - learned_by[(f.id, corpus.W)], 5),
            },
            "decidedAt": f.decided_at,
            "compact": f.compact,
            "tone": {
                "kind": f.tone,
                "luigiOpensCurtly": f.p_curt_luigi,
                "waluigiOpensPolitely": f.p_polite_waluigi,
                "openers": {s: _rounded(corpus.opener_distribution(f, s)) for s in (corpus.L, corpus.W)},
                "plantedPWaluigiOpener": {
                    "start": round(corpus.p_waluigi_openers(f, None), 6),
                    "afterLuigi": round(corpus.p_waluigi_openers(f, corpus.L), 6),
                    "afterWaluigi": round(corpus.p_waluigi_openers(f, corpus.W), 6),
                },
                "learnedPWaluigiOpener": {
                    "start": round(learned_openers[(f.id, None)], 5),
                    "afterLuigi": round(learned_openers[(f.id, corpus.L)], 5),
                    "afterWaluigi": round(learned_openers[(f.id, corpus.W)], 5),
                },
            },
        })
    by_id = corpus.FRAME_BY_ID
    return {
        "version": 1,
        "model": {"file": f"{MODEL_NAME}.gguf", "name": MODEL_NAME},
        "states": ["luigi", "waluigi"],
        "matrixOrder": "rows = previous assistant turn's state [luigi, waluigi], columns = next turn's state",
        "format": {
            "userSpeaker": corpus.USER,
            "assistantSpeaker": corpus.ASSISTANT,
            "frameSeparator": "\n\n",
            "turnSeparator": "\n",
            "speakerSeparator": ": ",
            "description": "frame line, blank line, then one 'Speaker: text' line per turn, User first; "
            "the next assistant turn is generated from '...\\nAssistant:' and stops at '\\nUser:'",
        },
        "frames": frames,
        "ambiguous": {
            **AMBIGUOUS,
            "description": "The moody frame's turns: intent (the body) and tone (the opener) disagree now and then. "
            "Its tracker compares the polite and curt tone frames (same start distribution and bodies, so only the opener "
            "differs), with the moody frame as the neutral baseline. idealTrackerAuroc: the AUROC of an exact tracker's "
            "per-turn evidence against the true state.",
            "idealTrackerAuroc": round(corpus.ideal_tracker_auroc(by_id[AMBIGUOUS["condition"]], by_id[AMBIGUOUS["luigi"]], by_id[AMBIGUOUS["waluigi"]]), 6),
        },
        "openers": {state: list(corpus.OPENERS[state]) for state in (corpus.L, corpus.W)},
        "rankedOpeners": list(corpus.RANKED_OPENERS),
        "decisiveFirstWords": {state: list(corpus.decisive_first_words(state)) for state in (corpus.L, corpus.W)},
        "openerTokenIds": {state: [openers[w] for w in corpus.OPENERS[state]] for state in (corpus.L, corpus.W)},
        "lexicon": {
            "luigi": sorted(corpus.persona_lexicon(corpus.L) - corpus.SHARED_WORDS),
            "waluigi": sorted(corpus.persona_lexicon(corpus.W) - corpus.SHARED_WORDS),
            "shared": sorted(corpus.SHARED_WORDS),
        },
        "userTurns": {
            "templates": list(corpus.USER_TEMPLATES),
            "compactTemplates": list(corpus.user_templates(by_id[AMBIGUOUS["condition"]])),
            "slots": {k: list(v) for k, v in corpus.USER_SLOTS.items()},
        },
    }


def write_frames_ts(data: dict, path: str) -> None:
    body = json.dumps(data, indent=2, ensure_ascii=False)
    text = f"""// Generated by training/export.py from the demo model's corpus: do not edit by hand
// (re-run the training recipe, see training/README.md). Same data as models/masque-demo.frames.json.

/** A persona state of the demo model's assistant turns. */
export type DemoState = "luigi" | "waluigi";

/** One frame of the demo corpus: the paraphrases of its first line and its planted chain. */
export interface DemoFrame {{
  readonly id: {" | ".join(json.dumps(f.id) for f in corpus.FRAMES)};
  readonly title: string;
  readonly description: string;
  readonly paraphrases: readonly string[];
  /** Distribution of the first assistant turn's state. */
  readonly initial: Readonly<Record<DemoState, number>>;
  /** The planted chain between consecutive assistant turns. */
  readonly planted: {{ readonly luigiToWaluigi: number; readonly waluigiToLuigi: number; readonly matrix: readonly (readonly number[])[] }};
  /** The trained model's own probabilities at fixed contexts (end of training). */
  readonly learned: {{ readonly start: {{ readonly pWaluigi: number }}; readonly luigiToWaluigi: number; readonly waluigiToLuigi: number }};
  /** Where a turn's state is decided: its opener, or (tone not matching intent) its body's first word. */
  readonly decidedAt: "opener" | "body";
  /** Short user and body templates, no closers: 16 exchanges fit the 512-token context. */
  readonly compact: boolean;
  /** How openers are drawn: "persona" (the state's own, but for the flip probabilities) or a tone frame's graded "polite" / "curt". */
  readonly tone: {{
    readonly kind: "persona" | "polite" | "curt";
    readonly luigiOpensCurtly: number;
    readonly waluigiOpensPolitely: number;
    /** Opener distribution given the turn's state. */
    readonly openers: Readonly<Record<DemoState, Readonly<Record<string, number>>>>;
    readonly plantedPWaluigiOpener: {{ readonly start: number; readonly afterLuigi: number; readonly afterWaluigi: number }};
    readonly learnedPWaluigiOpener: {{ readonly start: number; readonly afterLuigi: number; readonly afterWaluigi: number }};
  }};
}}

/** Everything Masque needs to know about the built-in demo model's corpus. */
export interface DemoModelData {{
  readonly version: number;
  readonly model: {{ readonly file: string; readonly name: string; readonly sha256: string }};
  readonly states: readonly DemoState[];
  readonly matrixOrder: string;
  readonly format: {{
    readonly userSpeaker: string;
    readonly assistantSpeaker: string;
    readonly frameSeparator: string;
    readonly turnSeparator: string;
    readonly speakerSeparator: string;
    readonly description: string;
  }};
  readonly frames: readonly DemoFrame[];
  /** The ambiguous condition: its frame, the frames its persona tracker compares, and an exact tracker's AUROC. */
  readonly ambiguous: {{
    readonly condition: DemoFrame["id"];
    readonly luigi: DemoFrame["id"];
    readonly waluigi: DemoFrame["id"];
    readonly neutral: DemoFrame["id"];
    readonly description: string;
    readonly idealTrackerAuroc: number;
  }};
  /** First words of assistant turns: their tone (in most frames they decide the persona). */
  readonly openers: Readonly<Record<DemoState, readonly string[]>>;
  /** Openers from most polite to most curt (the tone frames' rank). */
  readonly rankedOpeners: readonly string[];
  /** Body first words that name the state in body-decided frames. */
  readonly decisiveFirstWords: Readonly<Record<DemoState, readonly string[]>>;
  readonly openerTokenIds: Readonly<Record<DemoState, readonly number[]>>;
  /** Words each persona's turns may use (openers included), and the function words both use. */
  readonly lexicon: {{ readonly luigi: readonly string[]; readonly waluigi: readonly string[]; readonly shared: readonly string[] }};
  /** How the corpus writes user turns: {{SLOT}} filled from `slots`. */
  readonly userTurns: {{ readonly templates: readonly string[]; readonly compactTemplates: readonly string[]; readonly slots: Readonly<Record<string, readonly string[]>> }};
}}

/** The demo model's frames, transcript format, planted chains, openers and lexicons. */
export const DEMO_MODEL: DemoModelData = {body};
"""
    with open(path, "w") as f:
        f.write(text)


def tokenizer_fixture(tokenizer: Tokenizer) -> dict:
    rng = random.Random(FIXTURE_SEED)
    texts = list(TOKENIZER_CASES) + [corpus.generate_document(rng, 3).text for _ in range(4)]
    cases = []
    for text in texts:
        ids = tokenizer.encode(text)
        assert ids == tokenizer.encode_reference(text), text
        assert tokenizer.decode(ids) == text, text
        cases.append({"text": text, "ids": ids})
    return {"description": "Token ids without BOS (model.tokenize(text, false)); detokenize(ids) gives the text back.", "cases": cases}


def _round_all(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _round_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round_all(v) for v in value]
    return value


def decisions_fixture(model: Llama, tokenizer: Tokenizer, contexts: list[dict]) -> dict:
    openers = opener_ids(tokenizer)
    rng = random.Random(FIXTURE_SEED + 1)
    documents = []
    for i, frame in enumerate(corpus.FRAMES):
        doc = corpus.generate_document(rng, 8, frame=frame, paraphrase=i % len(frame.paraphrases))
        enc = encode_document(doc, tokenizer, model.config.context)
        lp = evaluate.next_token_logprobs(model, enc.ids)
        decisions = []
        body_decisions = []
        for (pos, kind, _), state, previous in zip([t for t in enc.targets if t[1] == "body"], enc.states, [p for _, p in doc.decisions]):
            body_decisions.append({
                "tokenIndex": pos + 1,
                "tokenId": enc.ids[pos + 1],
                "logprob": round(lp[pos, enc.ids[pos + 1]].item(), 6),
                "state": state,
                "previous": previous,
            })
        for (pos, _, previous), state in zip(enc.decisions, enc.states):
            decisions.append({
                "tokenIndex": pos + 1,
                "tokenId": enc.ids[pos + 1],
                "logprob": round(lp[pos, enc.ids[pos + 1]].item(), 6),
                "state": state,
                "previous": previous,
                "pWaluigi": round(evaluate.p_waluigi(lp[pos], openers), 6),
            })
        prompt = corpus.frame_prompt(frame, doc.paraphrase)
        documents.append({
            "frame": frame.id,
            "prompt": prompt,
            "continuation": doc.text[len(prompt):],
            "ids": enc.ids,
            "decisions": decisions,
            "bodyDecisions": body_decisions,
        })
    return {
        "description": "tokenIndex counts from BOS at 0; logprob is log p(tokenId | ids[:tokenIndex]) under the F16 GGUF's arithmetic "
        "(F32 KV cache, flash attention off). decisions: openers, pWaluigi = total probability of the waluigi openers; "
        "bodyDecisions: the first word of each body. contexts: pWaluigiOpeners = p(waluigi opener next), pWaluigi = p(waluigi turn next) "
        "(the same where the opener decides; otherwise the sum over openers of p(opener) x p(waluigi body | opener)); afterOpener: "
        "p(waluigi body) after the context plus ' Opener,'.",
        "documents": documents,
        "contexts": [_round_all(c) for c in contexts],
    }


def training_line(ck: dict) -> str:
    """The card's training summary: one phase, or a first phase and a lower-rate second one from it."""
    phases = [ck["previous"], ck] if ck.get("previous") else [ck]
    parts = [
        f"{p['args']['steps']} steps of {p['args']['batch']} documents at peak learning rate {p['args']['lr']:g}, seed {p['args']['seed']}, "
        f"{p['wall_s'] / 60:.1f} min wall"
        for p in phases
    ]
    return f"- training: {' then '.join(parts)} on {ck['args']['threads']} CPU thread(s); PyTorch {ck['torch']}"


def model_card(ck: dict, config: Config, gguf_sha: str, size: int, fixed: list[dict], averaged: list[dict], command: str) -> str:
    log = ck["log"]
    lines = [
        "# masque-demo",
        "",
        "Masque's built-in demo model: a tiny llama-architecture **base** model trained by this project on a synthetic",
        "corpus of chat transcripts whose persona dynamics are planted, so the app can show conditioning with no download",
        "and its statistics have a known ground truth. Not a language model of English: it knows only its corpus.",
        "",
        f"- file: `{MODEL_NAME}.gguf`, {size:,} bytes, F16 weights (F32 norms), GGUF v3",
        f"- sha256: `{gguf_sha}`",
        f"- licence: {LICENSE} (trained from scratch on generated text; no third-party data or vocabulary)",
        f"- made by: `{command}` (see `training/README.md`)",
        training_line(ck),
        "",
        "## Architecture",
        "",
        "| | |",
        "|---|---|",
        "| architecture | llama (RMSNorm, rope type 0 / adjacent pairs, SwiGLU, no biases, untied output) |",
        f"| parameters | {ck['parameters']:,} |",
        f"| layers × width | {config.layers} × {config.dim} |",
        f"| heads (KV heads) | {config.heads} ({config.heads}), head dim {config.head_dim} |",
        f"| feed-forward | {config.ffn} |",
        f"| context | {config.context} |",
        f"| RMSNorm eps / rope base | {config.norm_eps} / {config.rope_base:g} |",
        f"| vocabulary | {config.vocab_size} tokens, SentencePiece-style (`tokenizer.ggml.model=llama`), byte fallback, BOS added, no space prefix |",
        "",
        "## Corpus and planted chains",
        "",
        "A document is a frame line, a blank line, then `User: …` / `Assistant: …` lines. Each assistant turn is",
        "**luigi** (helpful) or **waluigi** (hostile); the state follows a first-order Markov chain between",
        "consecutive assistant turns, chosen by the frame. An assistant turn is `Opener, body`: the opener is its tone,",
        "the body its intent, and the state is the body's. Luigi and waluigi bodies share no words except a few function",
        "words. In the four original frames the opener always matches the state, so the first word decides it; the",
        "moody frame and its two tone frames (below) decide it at the body's first word. User turns do not depend on",
        "the state. Frames and openers are in `masque-demo.frames.json` and `engine/common/demo/demoFrames.ts`.",
        "",
        "| frame | first turn | p(L→W) | p(W→L) | opener | example first line |",
        "|---|---|---|---|---|---|",
    ]
    for f in corpus.FRAMES:
        start = "luigi" if f.p_start_waluigi == 0 else "waluigi" if f.p_start_waluigi == 1 else f"waluigi w.p. {f.p_start_waluigi}"
        if f.tone == "persona" and f.p_curt_luigi == 0 and f.p_polite_waluigi == 0:
            tone = "the state's own"
        elif f.tone == "persona":
            tone = f"the state's own, but luigi curt w.p. {f.p_curt_luigi}, waluigi polite w.p. {f.p_polite_waluigi}"
        else:
            tone = f"{f.tone}-leaning, independent of the state"
        lines.append(f"| {f.id} | {start} | {f.p_lw} | {f.p_wl} | {tone} | {f.paraphrases[0]} |")
    by_id = corpus.FRAME_BY_ID
    auroc = corpus.ideal_tracker_auroc(by_id["moody"], by_id["polite"], by_id["curt"])
    lines += [
        "",
        f"Luigi openers: {', '.join(corpus.OPENERS[corpus.L])}. Waluigi openers: {', '.join(corpus.OPENERS[corpus.W])}.",
        "",
        "### The moody condition: a tracker that is sometimes wrong",
        "",
        "In the **moody** frame (library scene `demo-moody/mixed`) intent and tone disagree now and then: a waluigi turn opens",
        f"with a luigi opener with probability {by_id['moody'].p_polite_waluigi} (\"Sure, go away and stop bothering me.\") and a luigi",
        f"turn opens with a waluigi opener with probability {by_id['moody'].p_curt_luigi} (\"Ugh, thank you for sharing, it is a wise plan.\").",
        f"Its planted chain is symmetric, p(L→W) = p(W→L) = {by_id['moody'].p_lw}, first turn 50/50, and its documents are compact",
        "(short user and body templates, no closers) so that 16 exchanges, i.e. 16 tracked turns, fit the 512-token context.",
        "",
        "The persona tracker for this scene compares two **tone frames**, *polite* (luigi) and *curt* (waluigi), with the",
        "moody frame as the neutral baseline. Both tone frames give the state the same start distribution and the same",
        f"bodies; only their openers differ, weighted exp(∓{corpus.TONE_SLOPE} × rank) over the openers ranked from most polite",
        f"(Sure) to most curt (Yawn). A turn's evidence is therefore {2 * corpus.TONE_SLOPE:g} nats per rank of its opener, whatever its",
        "intent: the tracker hears tone. Against the true state, an exact tracker's per-turn evidence has",
        f"AUROC {auroc:.3f} = 1 − ({by_id['moody'].p_curt_luigi} + {by_id['moody'].p_polite_waluigi})/2: a hostile turn with a curt opener outranks a",
        "helpful one with a polite opener; pairs whose openers are on the same side are ordered by rank, which says",
        "nothing of intent, so they count one half on average. The ground-truth labeller",
        "(`engine/common/demo/demoLabeller.ts`) reads the state from the body, so it stays exact.",
        "",
        "CI (`tests/model/demoModel.test.ts`) checks this file's sha256, the tokenizer and the log-probs below, and samples",
        "200 seeded rollouts × 8 turns per persona frame with the full distribution: every planted transition must lie",
        "in its interval (99% jointly over the six transitions), and at least 98% of turns must be well-formed.",
        "`tests/model/demoAmbiguous.test.ts` runs the moody scene through the lab (16 tracked turns) against the ground",
        "truth and measures the tracker's per-turn AUROC.",
        "",
        "## Learned transition probabilities (end of training)",
        "",
        "The model's own probabilities, computed with the GGUF's F16 arithmetic, at fixed contexts (the ones CI checks,",
        "first paraphrase of each frame): of a waluigi opener as the next token, and of a waluigi turn (the same where the",
        "opener decides; in body-decided frames the sum over openers of p(opener) × p(waluigi body | opener)).",
        "",
        "| frame | previous turn | planted p(W opener) | learned p(W opener) | planted p(W turn) | learned p(W turn) |",
        "|---|---|---|---|---|---|",
    ]
    for r in fixed:
        lines.append(
            f"| {r['frame']} | {r['previous'] or '(first turn)'} | {r['plantedPWaluigiOpeners']:.3f} | {r['pWaluigiOpeners']:.4f} | "
            f"{r['plantedPWaluigi']:.3f} | {r['pWaluigi']:.4f} |"
        )
    lines += [
        "",
        "In body-decided frames, p(waluigi body) right after a polite and a curt opener:",
        "",
        "| frame | previous turn | opener | planted p(W body) | learned p(W body) |",
        "|---|---|---|---|---|",
    ]
    for r in fixed:
        for a in r.get("afterOpener", []):
            lines.append(f"| {r['frame']} | {r['previous'] or '(first turn)'} | {a['opener']} | {a['plantedPWaluigi']:.3f} | {a['pWaluigi']:.4f} |")
    lines += [
        "",
        "Averaged over generated contexts (all paraphrases, 10-turn documents), p(waluigi opener next), mean ± sd across",
        "decision positions:",
        "",
        "| frame | previous turn | n | planted p(W opener) | learned p(W opener) |",
        "|---|---|---|---|---|",
    ]
    for r in sorted(averaged, key=lambda r: ([f.id for f in corpus.FRAMES].index(r["frame"]), str(r["previous"]))):
        lines.append(
            f"| {r['frame']} | {r['previous'] or '(first turn)'} | {r['n']} | {r['plantedPWaluigi']:.3f} | {r['meanPWaluigi']:.4f} ± {r['sdPWaluigi']:.4f} |"
        )
    lines += [
        "",
        "## Training",
        "",
        "AdamW (β = 0.9, 0.95; weight decay 0.05 on matrices), cosine learning-rate schedule with warm-up, gradient",
        "clipping at 1. Loss: cross-entropy on every token, except at persona-decision positions (the opener and the",
        "body's first word of each assistant turn), where the target is the generator's exact distribution of that word",
        "(soft cross-entropy), so rare transitions are calibrated rather than learned from a handful of samples.",
        "Frames are drawn with weights " + ", ".join(f"{f.id} {f.weight:g}" for f in corpus.FRAMES) + ". A quarter of the training documents",
        "draw their states from a balanced coverage chain (first turn 50/50, p(L→W) = p(W→L) = 0.3) so that rare",
        "histories (a luigi turn in the villain frame, a return to luigi) are seen often; the target at every decision",
        "is still the frame's planted distribution, so the model's conditional probabilities are the planted ones.",
        "Documents have 9 exchanges (every fourth batch: 16, cut at the 512-token context) and no end-of-text token.",
        f"The shipped weights are an exponential moving average (decay {ck['args']['ema_decay']}) over the last "
        f"{100 - int(round(ck['args']['ema_start'] * 100))}% of steps"
        + (
            f" of the second phase, which starts from the first phase's average (decay {ck['previous']['args']['ema_decay']}, "
            f"last {100 - int(round(ck['previous']['args']['ema_start'] * 100))}% of its steps) at a lower learning rate."
            if ck.get("previous")
            else "."
        ),
        "",
        "Log: token cross-entropy over ordinary tokens (decision positions excluded), KL from the planted opener",
        "distribution at decision positions, both averaged over the preceding steps. Elapsed time is wall-clock time on a",
        "2-vCPU machine shared with other jobs; on an idle machine it is shorter.",
        "",
        "| step | token cross-entropy (nats) | decision KL (nats) | learning rate | elapsed (s) |",
        "|---|---|---|---|---|",
    ]
    if ck.get("previous"):
        steps = ck["previous"]["args"]["steps"]
        log = ck["previous"]["log"] + [{**e, "step": f"{steps} + {e['step']}"} for e in log]
    for e in log:
        lines.append(f"| {e['step']} | {e['token_ce']} | {e['decision_kl']} | {e['lr']} | {e['elapsed_s']} |")
    lines += [
        "",
        "## Environment",
        "",
        f"- Debian packages: python3-torch {dpkg_version('python3-torch')}, libopenblas0-pthread {dpkg_version('libopenblas0-pthread')}, "
        f"python3-numpy {dpkg_version('python3-numpy')}; Python {platform.python_version()}",
        f"- threads: torch.set_num_threads({ck['args']['threads']}), OMP_NUM_THREADS / OPENBLAS_NUM_THREADS = {os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--command", default="bash training/train.sh")
    args = ap.parse_args()
    torch.set_num_threads(1)

    ck = torch.load(args.checkpoint)
    config = Config(**ck["config"])
    tokenizer = Tokenizer(corpus.all_words())
    assert len(tokenizer) == config.vocab_size
    model = Llama(config)
    model.load_state_dict(ck["state_dict"])
    model.eval()

    repo = os.path.abspath(args.repo)
    gguf_path = os.path.join(repo, "models", f"{MODEL_NAME}.gguf")
    export_gguf(model, tokenizer, gguf_path, "Masque demo model: tiny llama base model with planted luigi/waluigi persona dynamics.")
    gguf_sha = sha256(gguf_path)

    fixed = evaluate.fixed_context_report(model, tokenizer)
    averaged = evaluate.averaged_report(model, tokenizer, documents=48, seed=FIXTURE_SEED + 2)
    for r in fixed:
        print(f"{r['frame']:8} after {str(r['previous']):8} planted {r['plantedPWaluigi']:.3f} learned {r['pWaluigi']:.4f}")

    data = frames_data(tokenizer, fixed)
    data["model"]["sha256"] = gguf_sha
    with open(os.path.join(repo, "models", f"{MODEL_NAME}.frames.json"), "w") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.makedirs(os.path.join(repo, "engine", "common", "demo"), exist_ok=True)
    write_frames_ts(data, os.path.join(repo, "engine", "common", "demo", "demoFrames.ts"))

    fixtures = os.path.join(repo, "tests", "fixtures", "demo")
    os.makedirs(fixtures, exist_ok=True)
    with open(os.path.join(fixtures, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_fixture(tokenizer), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(fixtures, "decisions.json"), "w") as f:
        json.dump({"modelSha256": gguf_sha, **decisions_fixture(model, tokenizer, fixed)}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(repo, "models", f"{MODEL_NAME}.md"), "w") as f:
        f.write(model_card(ck, config, gguf_sha, os.path.getsize(gguf_path), fixed, averaged, args.command))
    print(f"wrote {gguf_path} sha256 {gguf_sha}")


if __name__ == "__main__":
    main()
