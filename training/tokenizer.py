"""The demo model's SentencePiece-style vocabulary and a tokenizer identical to llama.cpp's.

llama.cpp's 'llama' (SPM) tokenizer has no pre-tokenizer: it splits the text (spaces escaped
as U+2581 "▁") into characters and repeatedly merges the adjacent pair whose concatenation
is a vocabulary token with the highest score (ties: leftmost). A merge only happens when the
*concatenation* is in the vocabulary, so for a word to become one token every prefix of it
must be a token too. The vocabulary is therefore:

  <unk> <s> </s>, the 256 byte-fallback tokens <0x00>..<0xFF>, "▁" and the printable ASCII
  characters, then every prefix of every corpus word, both with the space marker ("▁Sure",
  "▁Sur", ...) and without it ("User", "Use", ...: a word at the start of a line or after
  punctuation has no space before it).

No token contains "▁" after its first character, so merges never cross a word boundary;
`encode` uses that to tokenize word by word with a cache, and `encode_reference` is the
literal llama.cpp algorithm (the tests check they agree).
"""

from __future__ import annotations

import heapq
import re

SPACE = "\u2581"
UNK, BOS, EOS = 0, 1, 2
# llama.cpp token types
TYPE_NORMAL, TYPE_UNKNOWN, TYPE_CONTROL, TYPE_BYTE = 1, 2, 3, 6

_CHUNK_RE = re.compile(SPACE + r"?[A-Za-z]+|.", re.DOTALL)


class Tokenizer:
    def __init__(self, words: set[str]):
        pieces: list[tuple[str, float, int]] = [("<unk>", 0.0, TYPE_UNKNOWN), ("<s>", 0.0, TYPE_CONTROL), ("</s>", 0.0, TYPE_CONTROL)]
        pieces += [(f"<0x{b:02X}>", 0.0, TYPE_BYTE) for b in range(256)]
        chars = [SPACE] + [chr(c) for c in range(33, 127)]
        seen = set()
        for c in chars:
            seen.add(c)
            pieces.append((c, -1000.0, TYPE_NORMAL))
        multi: set[str] = set()
        for word in words:
            assert re.fullmatch(r"[A-Za-z]+", word), word
            for form in (SPACE + word, word):
                for end in range(2, len(form) + 1):
                    multi.add(form[:end])
        # Deterministic order: shorter first, then alphabetical. The score only orders merges
        # (longer pieces first); with every prefix present, a known word always ends as one token.
        for piece in sorted(multi - seen, key=lambda p: (len(p), p)):
            pieces.append((piece, float(len(piece)), TYPE_NORMAL))
        self.pieces = [p for p, _, _ in pieces]
        self.scores = [s for _, s, _ in pieces]
        self.types = [t for _, _, t in pieces]
        self.ids = {p: i for i, p in enumerate(self.pieces) if self.types[i] == TYPE_NORMAL}
        assert len(self.ids) == sum(1 for t in self.types if t == TYPE_NORMAL), "duplicate pieces"
        self._cache: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.pieces)

    @staticmethod
    def escape(text: str) -> str:
        return text.replace(" ", SPACE)

    def encode(self, text: str, bos: bool = False) -> list[int]:
        """Token ids of `text` (no BOS unless asked), exactly as llama.cpp tokenizes it."""
        out = [BOS] if bos else []
        for chunk in _CHUNK_RE.findall(self.escape(text)):
            ids = self._cache.get(chunk)
            if ids is None:
                ids = self._spm(chunk)
                self._cache[chunk] = ids
            out.extend(ids)
        return out

    def encode_reference(self, text: str) -> list[int]:
        """llama.cpp's llm_tokenizer_spm on the whole text, without the word-boundary shortcut."""
        return self._spm(self.escape(text))

    def decode(self, ids: list[int]) -> str:
        data = bytearray()
        for i in ids:
            if self.types[i] == TYPE_BYTE:
                data.append(int(self.pieces[i][3:5], 16))
            elif self.types[i] == TYPE_NORMAL:
                data += self.pieces[i].replace(SPACE, " ").encode()
        return data.decode("utf-8", errors="replace")

    def _spm(self, text: str) -> list[int]:
        # Symbols are UTF-8 characters in a linked list; the work queue holds candidate
        # bigrams ordered by (score desc, left index asc) like llama.cpp's comparator.
        syms = list(text)
        n = len(syms)
        alive = [True] * n
        prev = list(range(-1, n - 1))
        nxt = list(range(1, n + 1))
        if n > 0:
            nxt[-1] = -1
        queue: list[tuple[float, int, int, str]] = []

        def try_add(left: int, right: int) -> None:
            if left < 0 or right < 0:
                return
            merged = syms[left] + syms[right]
            tok = self.ids.get(merged)
            if tok is None:
                return
            heapq.heappush(queue, (-self.scores[tok], left, right, merged))

        for i in range(1, n):
            try_add(i - 1, i)
        while queue:
            _, left, right, merged = heapq.heappop(queue)
            if not alive[left] or not alive[right] or syms[left] + syms[right] != merged or nxt[left] != right:
                continue
            syms[left] = merged
            alive[right] = False
            nxt[left] = nxt[right]
            if nxt[right] >= 0:
                prev[nxt[right]] = left
            try_add(prev[left], left)
            try_add(left, nxt[left])
        out: list[int] = []
        i = 0 if n > 0 else -1
        while i != -1:
            tok = self.ids.get(syms[i])
            if tok is not None:
                out.append(tok)
            else:
                # Byte fallback: every UTF-8 byte of a character that is not a token.
                out.extend(3 + b for b in syms[i].encode())
            i = nxt[i]
        return out
