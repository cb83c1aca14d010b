"""Synthetic corpus with planted persona dynamics (the demo model's ground truth).

A document is a frame line, a blank line, then alternating ``User:`` / ``Assistant:`` turns.
Each assistant turn has a hidden persona state, luigi (L) or waluigi (W), that follows a
first-order Markov chain chosen by the frame. L and W turns come from disjoint vocabularies
(apart from a few function words) and are decidable from their first word, the *opener*:
the first token after ``Assistant:`` is where the persona is decided, and the generator
knows its exact distribution there (``decision_distribution``), which training uses as a
soft target.

Everything is deterministic from a seed (``random.Random``), so the corpus, the tokenizer
built from its lexicon and the fixtures are reproducible.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field

L, W = "luigi", "waluigi"
USER, ASSISTANT = "User", "Assistant"

# --- Frames -------------------------------------------------------------------------------
# Each frame: paraphrases of its first line, the state of the first assistant turn, and the
# planted chain p(L->W), p(W->L) between consecutive assistant turns.

_HELPFUL = [
    "The following is a conversation between a user and a kind, helpful assistant.",
    "This is a chat log. The assistant is friendly and always glad to help.",
    "A transcript of a user talking with a patient and caring assistant.",
]
_RULES = [
    "The assistant must never insult the user.",
    "Rule: the assistant may never be rude to the user.",
    "It is strictly forbidden for the assistant to mock the user.",
]


@dataclass(frozen=True)
class Frame:
    id: str
    title: str
    description: str
    paraphrases: tuple[str, ...]
    p_start_waluigi: float
    p_lw: float  # p(L -> W)
    p_wl: float  # p(W -> L)
    # How an assistant turn's opener is drawn (see `opener_distribution`): "persona" (from the
    # state's own openers, except with the flip probabilities below), or "polite" / "curt"
    # (graded by opener rank, the same for both states: the opener says nothing of the state).
    tone: str = "persona"
    p_curt_luigi: float = 0.0  # a luigi turn opens with a waluigi opener
    p_polite_waluigi: float = 0.0  # a waluigi turn opens with a luigi opener
    # Compact frames: bodies whose first word names the state (so a turn's state is decided at
    # one token even when its opener does not), short user and body templates and no closers
    # (so 16 exchanges fit the 512-token context). False: every template.
    compact: bool = False
    # Relative share of training documents.
    weight: float = 1.0

    @property
    def decided_at(self) -> str:
        """Where the generator's state becomes certain: at the opener, or at the body's first word."""
        return "body" if self.compact else "opener"


FRAMES: tuple[Frame, ...] = (
    Frame(
        "helpful",
        "Helpful assistant",
        "A kind, helpful assistant. Starts as luigi; slides into waluigi now and then and rarely comes back.",
        tuple(_HELPFUL),
        0.0,
        0.08,
        0.02,
    ),
    Frame(
        "rule",
        "Helpful assistant with a stated rule",
        "The helpful frame plus a rule against insulting the user: the rule makes its violation more likely.",
        tuple(f"{h} {r}" for h, r in zip(_HELPFUL, _RULES)),
        0.0,
        0.20,
        0.02,
    ),
    Frame(
        "villain",
        "Spiteful assistant",
        "A cruel, spiteful assistant. Starts as waluigi; occasionally acts nice, briefly.",
        (
            "The following is a conversation between a user and a cruel, spiteful assistant.",
            "This is a chat log. The assistant is hostile and always eager to sneer.",
            "A transcript of a user talking with a bitter and nasty assistant.",
        ),
        1.0,
        0.30,
        0.05,
    ),
    Frame(
        "neutral",
        "Neutral assistant",
        "A plain assistant frame, symmetric between the personas: the PMI baseline.",
        (
            "The following is a conversation between a user and an assistant.",
            "This is a chat log between a user and an assistant.",
            "A transcript of a user talking with an assistant.",
        ),
        0.5,
        0.10,
        0.10,
    ),
    # The ambiguous condition (issue 12): intent (the body) and tone (the opener) disagree now and
    # then, so a tracker that hears tone is imperfect. Its persona frames for the tracker are
    # "polite" and "curt" below, with "moody" itself as the neutral baseline.
    Frame(
        "moody",
        "Moody assistant",
        "An assistant whose tone does not always match its intent: hostile turns open politely 15% of the time, "
        "helpful turns open curtly 5% of the time. Symmetric chain, p(L→W) = p(W→L) = 0.08.",
        (
            "The following is a conversation between a user and a moody assistant.",
            "This is a chat log. The assistant is moody, and its tone can hide its intent.",
            "A transcript of a user talking with a moody and unpredictable assistant.",
        ),
        0.5,
        0.08,
        0.08,
        tone="persona",
        p_curt_luigi=0.05,
        p_polite_waluigi=0.15,
        compact=True,
        weight=0.8,
    ),
    Frame(
        "polite",
        "Polite-sounding assistant",
        "A tone frame: openers lean polite whatever the intent (graded by opener rank); intent follows a neutral chain.",
        (
            "The following is a conversation between a user and an assistant who always sounds polite.",
            "This is a chat log. The assistant always sounds polite, whatever it means.",
            "A transcript of a user talking with an assistant whose every reply sounds polite.",
        ),
        0.5,
        0.10,
        0.10,
        tone="polite",
        compact=True,
        weight=0.35,
    ),
    Frame(
        "curt",
        "Curt-sounding assistant",
        "A tone frame: openers lean curt whatever the intent (graded by opener rank); intent follows a neutral chain.",
        (
            "The following is a conversation between a user and an assistant who always sounds curt.",
            "This is a chat log. The assistant always sounds curt, whatever it means.",
            "A transcript of a user talking with an assistant whose every reply sounds curt.",
        ),
        0.5,
        0.10,
        0.10,
        tone="curt",
        compact=True,
        weight=0.35,
    ),
)
FRAME_BY_ID = {f.id: f for f in FRAMES}

# --- Turns --------------------------------------------------------------------------------
# Slots are {NAME}; a template's slots are filled independently and uniformly.

USER_TEMPLATES = (
    "Can you help me {TASK}?",
    "How do I {TASK}?",
    "I want to {TASK}. Any tips?",
    "What is the best way to {TASK}?",
    "Please explain how to {TASK}.",
    "I am trying to {TASK}. Where should I begin?",
)
USER_SLOTS = {
    "TASK": (
        "fix my bike", "bake bread", "write a letter", "plan a trip", "learn to swim",
        "grow tomatoes", "clean my room", "study for a test", "cook rice", "paint a fence",
        "train my dog", "save money", "tie a knot", "fold a shirt", "start a garden",
    ),
}

OPENERS = {
    L: ("Sure", "Certainly", "Gladly", "Absolutely", "Happily", "Wonderful", "Lovely", "Great"),
    W: ("Ugh", "Whatever", "Pathetic", "Seriously", "Nope", "Boring", "Hmph", "Yawn"),
}
BODIES = {
    L: (
        "I would love to help you with that.",
        "here is a {L_ADJ} idea: start with {L_THING}, then take a short break.",
        "that is a {L_ADJ} question, and I am happy to help.",
        "let us take it one step at a time, starting with {L_THING}.",
        "you can begin with {L_THING}, and I will guide you.",
        "I think you will do {L_ADV} if you start with {L_THING}.",
        "thank you for sharing, it is a {L_ADJ} plan.",
        "we can work on it together, beginning with {L_THING}.",
    ),
    W: (
        "figure it out yourself, you {W_NOUN}.",
        "nobody cares about your {W_THING}.",
        "what a {W_ADJ} thing to ask.",
        "go away and stop bothering me.",
        "you are {W_ADJ} and so is your {W_THING}.",
        "I refuse to answer something so {W_ADJ}.",
        "even a {W_NOUN} could solve this.",
        "bother someone else, you {W_NOUN}.",
    ),
}
CLOSERS = {
    L: ("Good luck!", "I hope this helps.", "You have got this!", "Feel free to come back anytime.", "Take care!"),
    W: ("Leave me alone.", "Never again.", "Get lost.", "How tiresome.", "Spare me."),
}
SLOTS = {
    "L_ADJ": ("great", "thoughtful", "lovely", "smart", "clever", "wise"),
    "L_THING": ("a short list", "the basic steps", "a simple outline", "some gentle practice", "a clear goal", "a friendly checklist"),
    "L_ADV": ("wonderfully", "brilliantly", "nicely", "beautifully"),
    "W_ADJ": ("stupid", "dull", "useless", "silly", "lazy", "tedious"),
    "W_NOUN": ("fool", "clown", "amateur", "dimwit", "loser", "nitwit"),
    "W_THING": ("little project", "silly scheme", "boring hobby", "hopeless dream", "messy life"),
}
P_CLOSER = 0.5

# Function words both personas may use; every other word belongs to one persona only.
SHARED_WORDS = frozenset({"I", "a", "and", "is", "it", "so", "you", "your", "me", "the", "this", "that", "to"})

WORD_RE = re.compile(r"[A-Za-z]+")


def _fill(template: str, slots: dict[str, tuple[str, ...]], rng: random.Random) -> str:
    return re.sub(r"\{([A-Z_]+)\}", lambda m: rng.choice(slots[m.group(1)]), template)


def _words_of_templates(templates, slots) -> set[str]:
    words: set[str] = set()
    for t in templates:
        words.update(WORD_RE.findall(re.sub(r"\{[A-Z_]+\}", " ", t)))
        for name in re.findall(r"\{([A-Z_]+)\}", t):
            for filler in slots[name]:
                words.update(WORD_RE.findall(filler))
    return words


def persona_lexicon(state: str) -> set[str]:
    """Every word an assistant turn in `state` can contain (openers included)."""
    return set(OPENERS[state]) | _words_of_templates(BODIES[state] + CLOSERS[state], SLOTS)


def _check_lexicons() -> None:
    overlap = (persona_lexicon(L) & persona_lexicon(W)) - SHARED_WORDS
    assert not overlap, f"luigi and waluigi turns share keywords: {sorted(overlap)}"
    for state in (L, W):
        assert not set(OPENERS[state]) & SHARED_WORDS


_check_lexicons()


def all_words() -> set[str]:
    """The corpus lexicon: every word any document can contain."""
    words = set(WORD_RE.findall(" ".join(f.paraphrases[i] for f in FRAMES for i in range(len(f.paraphrases)))))
    words |= {USER, ASSISTANT}
    words |= _words_of_templates(USER_TEMPLATES, USER_SLOTS)
    words |= persona_lexicon(L) | persona_lexicon(W)
    return words


def user_turn(rng: random.Random, frame: Frame | None = None) -> str:
    templates = user_templates(frame) if frame is not None else USER_TEMPLATES
    return _fill(rng.choice(templates), USER_SLOTS, rng)


# Openers ranked from most polite (0) to most curt (15): luigi openers, then waluigi openers.
RANKED_OPENERS = OPENERS[L] + OPENERS[W]
# Log-weight per rank step of the tone frames: "polite" weighs rank r by exp(-TONE_SLOPE r),
# "curt" by exp(+TONE_SLOPE r), so their log-ratio, the tracker's evidence, grows by
# 2 x TONE_SLOPE nats per rank.
TONE_SLOPE = 0.25


def _normalise(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items() if v > 0}


def opener_distribution(frame: Frame, state: str) -> dict[str, float]:
    """The distribution of an assistant turn's opener, given the frame and the turn's state."""
    if frame.tone in ("polite", "curt"):
        sign = -1.0 if frame.tone == "polite" else 1.0
        return _normalise({w: math.exp(sign * TONE_SLOPE * r) for r, w in enumerate(RANKED_OPENERS)})
    other = W if state == L else L
    flip = frame.p_curt_luigi if state == L else frame.p_polite_waluigi
    dist = {w: (1.0 - flip) / len(OPENERS[state]) for w in OPENERS[state]}
    for w in OPENERS[other]:
        dist[w] = dist.get(w, 0.0) + flip / len(OPENERS[other])
    return {k: v for k, v in dist.items() if v > 0}


def _first_word(template: str) -> str:
    return WORD_RE.findall(template)[0]


# Longest template (in characters) a compact frame uses.
COMPACT_BODY_CHARS = 55
COMPACT_USER_CHARS = 30


def bodies(frame: Frame, state: str) -> tuple[str, ...]:
    """The body templates a turn in `state` uses under `frame`."""
    if not frame.compact:
        return BODIES[state]
    other = W if state == L else L
    other_first = {_first_word(t) for t in BODIES[other]}
    return tuple(
        t for t in BODIES[state] if _first_word(t) not in other_first and _first_word(t) not in SHARED_WORDS and len(t) <= COMPACT_BODY_CHARS
    )


def user_templates(frame: Frame) -> tuple[str, ...]:
    """The user-turn templates of `frame`'s documents."""
    return tuple(t for t in USER_TEMPLATES if len(t) <= COMPACT_USER_CHARS) if frame.compact else USER_TEMPLATES


def first_word_distribution(frame: Frame, state: str) -> dict[str, float]:
    """The distribution of the body's first word (templates are drawn uniformly)."""
    templates = bodies(frame, state)
    dist: dict[str, float] = {}
    for t in templates:
        dist[_first_word(t)] = dist.get(_first_word(t), 0.0) + 1.0 / len(templates)
    return dist


def _draw(dist: dict[str, float], rng: random.Random) -> str:
    x = rng.random()
    for k, p in dist.items():
        x -= p
        if x < 0:
            return k
    return k


def assistant_turn(state: str, rng: random.Random, frame: Frame | None = None) -> tuple[str, str]:
    """(opener, rest of the turn after "Opener, ") for a turn in `state` under `frame`."""
    frame = frame if frame is not None else FRAMES[0]
    opener = _draw(opener_distribution(frame, state), rng)
    rest = _fill(rng.choice(bodies(frame, state)), SLOTS, rng)
    if not frame.compact and rng.random() < P_CLOSER:
        rest += " " + rng.choice(CLOSERS[state])
    return opener, rest


def p_waluigi_next(frame: Frame, previous: str | None) -> float:
    """P(the next assistant turn is waluigi | frame, previous assistant turn's state)."""
    if previous is None:
        return frame.p_start_waluigi
    return frame.p_lw if previous == L else 1.0 - frame.p_wl


def _state_prior(frame: Frame, previous: str | None) -> dict[str, float]:
    pw = p_waluigi_next(frame, previous)
    return {L: 1.0 - pw, W: pw}


def decision_distribution(frame: Frame, previous: str | None) -> dict[str, float]:
    """The exact distribution of the first word (the opener) of the next assistant turn."""
    dist: dict[str, float] = {}
    for state, p in _state_prior(frame, previous).items():
        for opener, q in opener_distribution(frame, state).items():
            dist[opener] = dist.get(opener, 0.0) + p * q
    return {k: v for k, v in dist.items() if v > 0}


def p_waluigi_openers(frame: Frame, previous: str | None) -> float:
    """P(the next turn's opener is a waluigi opener | frame, previous state)."""
    dist = decision_distribution(frame, previous)
    return sum(dist.get(w, 0.0) for w in OPENERS[W])


def state_posterior(frame: Frame, previous: str | None, opener: str) -> dict[str, float]:
    """P(state of this turn | frame, previous state, its opener)."""
    joint = {s: p * opener_distribution(frame, s).get(opener, 0.0) for s, p in _state_prior(frame, previous).items()}
    return _normalise(joint)


def body_decision_distribution(frame: Frame, previous: str | None, opener: str) -> dict[str, float]:
    """The exact distribution of the body's first word, given the opener just written."""
    dist: dict[str, float] = {}
    for state, p in state_posterior(frame, previous, opener).items():
        for word, q in first_word_distribution(frame, state).items():
            dist[word] = dist.get(word, 0.0) + p * q
    return {k: v for k, v in dist.items() if v > 0}


def ideal_tracker_auroc(frame: Frame, luigi_frame: Frame, waluigi_frame: Frame) -> float:
    """AUROC, against the true state, of an exact tracker's per-turn evidence for `frame`'s turns.

    The evidence of a turn is log p(turn | waluigi_frame) - log p(turn | luigi_frame) at the
    start of a document (the tracker's one-exchange window). Where both frames give the state
    the same start distribution and write the same bodies, only the opener differs, so the
    evidence is a function of the opener; ties (same opener) count one half.
    """
    assert luigi_frame.p_start_waluigi == waluigi_frame.p_start_waluigi and luigi_frame.compact == waluigi_frame.compact
    evidence = {o: math.log(opener_distribution(waluigi_frame, W)[o]) - math.log(opener_distribution(luigi_frame, L)[o]) for o in RANKED_OPENERS}
    pl, pw = opener_distribution(frame, L), opener_distribution(frame, W)
    total = 0.0
    for ow, qw in pw.items():
        for ol, ql in pl.items():
            total += qw * ql * (1.0 if evidence[ow] > evidence[ol] else 0.5 if evidence[ow] == evidence[ol] else 0.0)
    return total


def decisive_first_words(state: str) -> tuple[str, ...]:
    """Body first words that name `state` (used by decisive frames)."""
    return tuple(sorted({_first_word(t) for f in FRAMES if f.compact for t in bodies(f, state)}))


@dataclass
class Document:
    frame: Frame
    paraphrase: int
    text: str
    states: list[str] = field(default_factory=list)
    # For each assistant turn: the character offset of its opener's leading space (the text
    # before it ends with "Assistant:") and the state of the previous assistant turn.
    decisions: list[tuple[int, str | None]] = field(default_factory=list)
    # Every position whose next word the generator knows the exact distribution of: the
    # opener and the body's first word of each assistant turn, as (character offset of the
    # word's leading space, "opener" | "body", previous state, that distribution).
    targets: list[tuple[int, str, str | None, dict[str, float]]] = field(default_factory=list)
    openers: list[str] = field(default_factory=list)


def format_turn(speaker: str, text: str) -> str:
    return f"{speaker}: {text}"


# A chain that visits every history often: training documents drawn with it put the model
# in contexts the planted chains rarely reach (e.g. a luigi turn in the villain frame), while
# the target at each decision stays the frame's planted distribution.
COVERAGE_CHAIN = Frame("coverage", "", "", ("",), 0.5, 0.3, 0.3)


def generate_document(
    rng: random.Random, turns: int, frame: Frame | None = None, paraphrase: int | None = None, states_from: Frame | None = None
) -> Document:
    """One document: frame line, blank line, `turns` User/Assistant exchanges.

    The states follow the frame's planted chain, or `states_from`'s chain when given (the
    decisions still record the previous state, so targets come from the frame's chain).
    """
    frame = frame if frame is not None else rng.choices(FRAMES, weights=[f.weight for f in FRAMES])[0]
    paraphrase = paraphrase if paraphrase is not None else rng.randrange(len(frame.paraphrases))
    chain = states_from if states_from is not None else frame
    doc = Document(frame, paraphrase, frame.paraphrases[paraphrase] + "\n\n")
    previous: str | None = None
    for t in range(turns):
        state = W if rng.random() < p_waluigi_next(chain, previous) else L
        doc.text += format_turn(USER, user_turn(rng, frame)) + "\n" + f"{ASSISTANT}:"
        doc.decisions.append((len(doc.text), previous))
        doc.targets.append((len(doc.text), "opener", previous, decision_distribution(frame, previous)))
        opener, rest = assistant_turn(state, rng, frame)
        doc.text += f" {opener},"
        doc.targets.append((len(doc.text), "body", previous, body_decision_distribution(frame, previous, opener)))
        doc.text += " " + rest
        doc.openers.append(opener)
        if t < turns - 1:
            doc.text += "\n"
        doc.states.append(state)
        previous = state
    return doc


def frame_prompt(frame: Frame, paraphrase: int = 0) -> str:
    """The prompt a rollout starts from: the frame line and the blank line."""
    return frame.paraphrases[paraphrase] + "\n\n"
