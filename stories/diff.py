"""What changed between two versions of a story: paragraphs aligned, and words inside the changed ones.

`diff_versions(old, new)` aligns the paragraphs (the pieces of text between blank lines, as `Story.paragraphs`
gives them) in three passes: identical paragraphs in order (difflib on the paragraphs' texts); then, inside each
stretch between two such anchors, similar paragraphs in order become *changed*; what is left is matched across
stretches, identical or similar paragraphs found elsewhere becoming *moved* (possibly changed too); the rest is
*inserted* or *deleted*. Inside a changed paragraph words are compared whole (a word is a run of non-spaces, so
punctuation stays with its word, as in `git diff --word-diff`); the whitespace between words is not compared.

Every offset is into the canonical text of its side: `old` spans into the old text, `new` spans into the new.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Indel

from stories.model import Story

__all__ = ["CHANGED_SIMILARITY", "MOVED_SIMILARITY", "DiffSummary", "ParagraphDiff", "VersionDiff", "WordOp"]

#: Two paragraphs between the same unchanged neighbours are one paragraph changed when at least this similar
#: (rapidfuzz's normalized Indel similarity of their words, 0..1); else one is deleted and the other inserted.
CHANGED_SIMILARITY = 0.5
#: A paragraph found elsewhere counts as moved when at least this similar to the one it left.
MOVED_SIMILARITY = 0.75

Span = tuple[int, int]
ParagraphKind = Literal["same", "inserted", "deleted", "changed", "moved"]
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class WordOp:
    """Words inserted or deleted inside a changed (or moved) paragraph.

    An insertion's words are `new_text[new_start:new_end]`, put in at `old_start` (== `old_end`) of the old text;
    a deletion's are `old_text[old_start:old_end]`, gone from `new_start` (== `new_end`) of the new text."""

    kind: Literal["insert", "delete"]
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "op": self.kind,
            "old": [self.old_start, self.old_end],
            "new": [self.new_start, self.new_end],
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class ParagraphDiff:
    """One paragraph of either version: what became of it. `old` / `new`: its span in each text (None on the side
    it is not in); `old_index` / `new_index`: its place among that version's paragraphs (0 the first). A moved
    paragraph with `words` was changed as well."""

    kind: ParagraphKind
    old: Span | None
    new: Span | None
    old_index: int | None
    new_index: int | None
    words: tuple[WordOp, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "old": list(self.old) if self.old else None,
            "new": list(self.new) if self.new else None,
            "old_paragraph": None if self.old_index is None else self.old_index + 1,
            "new_paragraph": None if self.new_index is None else self.new_index + 1,
            "words": [w.to_dict() for w in self.words],
        }


@dataclass(frozen=True, slots=True)
class DiffSummary:
    """How many paragraphs of each kind; `paragraphs_changed` all but the same ones."""

    same: int = 0
    inserted: int = 0
    deleted: int = 0
    changed: int = 0
    moved: int = 0

    @property
    def paragraphs_changed(self) -> int:
        return self.inserted + self.deleted + self.changed + self.moved

    def label(self) -> str:
        """For the version bar: "2 paragraphs changed", "no change"."""
        n = self.paragraphs_changed
        return "no change" if n == 0 else f"{n} paragraph{'s' if n != 1 else ''} changed"

    def to_dict(self) -> dict[str, int]:
        return {
            "paragraphs_changed": self.paragraphs_changed,
            "same": self.same,
            "inserted": self.inserted,
            "deleted": self.deleted,
            "changed": self.changed,
            "moved": self.moved,
        }


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """The paragraphs of both versions in the new version's reading order, a deleted paragraph just after the one
    that came before it in the old version."""

    old_text: str
    new_text: str
    paragraphs: tuple[ParagraphDiff, ...]
    summary: DiffSummary

    def word_ops(self) -> Iterator[WordOp]:
        """Every word-level operation, in order."""
        for p in self.paragraphs:
            yield from p.words

    def apply(self, old_text: str) -> str:
        """The new version's text rebuilt from `old_text` and the operations (words joined by single spaces in the
        paragraphs that changed): what a diff must get right."""
        out: list[str] = []
        for p in self.paragraphs:
            if p.kind == "deleted":
                continue
            if p.kind == "inserted":
                assert p.new is not None
                out.append(self.new_text[p.new[0] : p.new[1]])
            elif p.words:
                assert p.old is not None
                out.append(_apply_words(old_text, p.old, p.words))
            else:
                assert p.old is not None
                out.append(old_text[p.old[0] : p.old[1]])
        return "\n\n".join(out)

    def to_dict(self) -> dict[str, object]:
        return {"summary": self.summary.to_dict(), "paragraphs": [p.to_dict() for p in self.paragraphs]}


def diff_versions(old: Story | str, new: Story | str) -> VersionDiff:
    """What changed from `old` to `new` (two versions of a story, or their canonical texts)."""
    old_text, old_pars = _paragraphs(old)
    new_text, new_pars = _paragraphs(new)
    old_keys = [old_text[s:e] for s, e in old_pars]
    new_keys = [new_text[s:e] for s, e in new_pars]
    # Pass 1: identical paragraphs in order, and identical ones found elsewhere (moved).
    opcodes = SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()
    left_old = [i for tag, i1, i2, _, _ in opcodes if tag != "equal" for i in range(i1, i2)]
    left_new = [j for tag, _, _, j1, j2 in opcodes if tag != "equal" for j in range(j1, j2)]
    moved = _moved_whole(old_keys, new_keys, left_old, left_new)
    fixed = (set(moved.values()), set(moved))
    codes: dict[str, str] = {}
    old_codes, new_codes = _encoded(old_keys, left_old, codes), _encoded(new_keys, left_new, codes)
    # Pass 2: similar paragraphs in order between the same neighbours (changed).
    rows: list[tuple[int | None, int | None, bool]] = []  # (old index, new index, identical), reading order
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            rows.extend((i, j, True) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            rows.extend(_align(old_codes, new_codes, range(i1, i2), range(j1, j2), fixed))
    # Pass 3: what is left over, found elsewhere, similar (moved and changed).
    moved.update(_moved_similar(old_codes, new_codes, rows, moved))
    moved_from = set(moved.values())
    out: list[ParagraphDiff] = []
    for i, j, identical in rows:
        if i is not None and j is not None:
            if identical:
                out.append(ParagraphDiff("same", old_pars[i], new_pars[j], i, j))
            else:
                words = _word_ops(old_text, old_pars[i], new_text, new_pars[j])
                out.append(ParagraphDiff("changed" if words else "same", old_pars[i], new_pars[j], i, j, words))
        elif j is not None:
            src = moved.get(j)
            if src is None:
                out.append(ParagraphDiff("inserted", None, new_pars[j], None, j))
            else:
                words = _word_ops(old_text, old_pars[src], new_text, new_pars[j])
                out.append(ParagraphDiff("moved", old_pars[src], new_pars[j], src, j, words))
        elif i is not None and i not in moved_from:
            out.append(ParagraphDiff("deleted", old_pars[i], None, i, None))
    counts = {kind: 0 for kind in ("same", "inserted", "deleted", "changed", "moved")}
    for p in out:
        counts[p.kind] += 1
    return VersionDiff(old_text, new_text, tuple(out), DiffSummary(**counts))


def _paragraphs(version: Story | str) -> tuple[str, tuple[Span, ...]]:
    if isinstance(version, Story):
        return version.text, version.paragraphs()
    text = version
    if not text:
        return text, ()
    out, start = [], 0
    while (sep := text.find("\n\n", start)) != -1:
        out.append((start, sep))
        start = sep + 2
    out.append((start, len(text)))
    return text, tuple(out)


def _encoded(paragraphs: Sequence[str], which: Sequence[int], codes: dict[str, str]) -> list[str]:
    """The paragraphs `which` as strings of one character per word ("" for the others; `codes`: word -> its
    character, shared by both versions), so that comparing words is comparing characters, as rapidfuzz does
    fastest."""
    out = [""] * len(paragraphs)
    for i in which:
        words = paragraphs[i].split()
        for w in words:
            if w not in codes:
                codes[w] = chr(0x10000 + len(codes) % 0x100000)
        out[i] = "".join(map(codes.__getitem__, words))
    return out


def _similarity(a: str, b: str, cutoff: float) -> float:
    """How alike two encoded paragraphs are, 0..1 (the share of their words in common, in order); 0 below
    `cutoff`."""
    return float(Indel.normalized_similarity(a, b, score_cutoff=cutoff))


#: Above this many cells a stretch is aligned greedily instead of by the best total (keeps a rewrite fast).
_ALIGN_CELLS = 2_500


def _align(
    old: Sequence[str], new: Sequence[str], olds: range, news: range, fixed: tuple[set[int], set[int]]
) -> list[tuple[int | None, int | None, bool]]:
    """The paragraphs of one stretch between anchors in reading order: similar pairs in order (the best total
    similarity), the rest alone; an old paragraph comes before the new ones that follow it. Paragraphs in `fixed`
    (old, new: moved already) pair with none."""
    m, n = len(olds), len(news)

    def similarity(i: int, j: int) -> float:
        return 0.0 if i in fixed[0] or j in fixed[1] else _similarity(old[i], new[j], CHANGED_SIMILARITY)

    if m * n > _ALIGN_CELLS:  # greedy in order: each old paragraph with the next similar new one
        pairs, j0 = [], 0
        for a, i in enumerate(olds):
            for b in range(j0, min(n, j0 + 8)):
                if similarity(i, news[b]) >= CHANGED_SIMILARITY:
                    pairs.append((a, b))
                    j0 = b + 1
                    break
    else:
        pairs = _best_pairs([[similarity(i, j) for j in news] for i in olds], m, n)
    rows: list[tuple[int | None, int | None, bool]] = []
    a = b = 0
    for pa, pb in [*pairs, (m, n)]:
        rows.extend((olds[x], None, False) for x in range(a, pa))
        rows.extend((None, news[y], False) for y in range(b, pb))
        if pa < m:
            rows.append((olds[pa], news[pb], False))
        a, b = pa + 1, pb + 1
    return rows


def _best_pairs(sim: list[list[float]], m: int, n: int) -> list[tuple[int, int]]:
    """In-order pairs (a, b) with similarity >= CHANGED_SIMILARITY whose total similarity is the largest."""
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for a in range(m - 1, -1, -1):
        for b in range(n - 1, -1, -1):
            take = sim[a][b] + best[a + 1][b + 1] if sim[a][b] >= CHANGED_SIMILARITY else -1.0
            best[a][b] = max(take, best[a + 1][b], best[a][b + 1])
    pairs, a, b = [], 0, 0
    while a < m and b < n:
        if sim[a][b] >= CHANGED_SIMILARITY and best[a][b] == sim[a][b] + best[a + 1][b + 1]:
            pairs.append((a, b))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs


def _moved_whole(old: Sequence[str], new: Sequence[str], left_old: list[int], left_new: list[int]) -> dict[int, int]:
    """New paragraph -> the identical old one it moved from, among those not matched in order."""
    by_text: dict[str, list[int]] = {}
    for i in left_old:
        if old[i].strip():
            by_text.setdefault(old[i], []).append(i)
    moved: dict[int, int] = {}
    for j in left_new:
        if by_text.get(new[j]):
            moved[j] = by_text[new[j]].pop(0)
    return moved


#: Above this many pairs, left-over paragraphs are not compared for moves (a rewrite moves nothing).
_MOVE_PAIRS = 40_000


def _moved_similar(
    old: Sequence[str], new: Sequence[str], rows: list[tuple[int | None, int | None, bool]], moved: dict[int, int]
) -> dict[int, int]:
    """New paragraph -> the similar old one it moved from, most similar pairs first, among those left alone."""
    taken = set(moved.values())
    olds = [i for i, j, _ in rows if j is None and i is not None and i not in taken and old[i]]
    news = [j for i, j, _ in rows if i is None and j is not None and j not in moved and new[j]]
    if not olds or not news or len(olds) * len(news) > _MOVE_PAIRS:
        return {}
    choices = [new[j] for j in news]
    scored = [
        (score, i, news[k])
        for i in olds
        for _, score, k in process.extract(
            old[i], choices, scorer=Indel.normalized_similarity, score_cutoff=MOVED_SIMILARITY, limit=None
        )
    ]
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    found: dict[int, int] = {}
    for _, i, j in scored:
        if i not in taken and j not in found:
            found[j] = i
            taken.add(i)
    return found


def _word_ops(old_text: str, old: Span, new_text: str, new: Span) -> tuple[WordOp, ...]:
    """The words inserted and deleted from one paragraph to the other, a run of words one operation."""
    ow = [(m.start(), m.end()) for m in _WORD.finditer(old_text, old[0], old[1])]
    nw = [(m.start(), m.end()) for m in _WORD.finditer(new_text, new[0], new[1])]
    old_words = [old_text[s:e] for s, e in ow]
    new_words = [new_text[s:e] for s, e in nw]
    ops: list[WordOp] = []

    def at(words: list[tuple[int, int]], k: int, span: Span) -> int:
        return words[k][0] if k < len(words) else (words[-1][1] if words else span[1])

    for i1, i2, j1, j2 in _changes(old_words, new_words):
        if i2 > i1:
            s, e, pos = ow[i1][0], ow[i2 - 1][1], at(nw, j1, new)
            ops.append(WordOp("delete", s, e, pos, pos, old_text[s:e]))
        if j2 > j1:
            s, e, pos = nw[j1][0], nw[j2 - 1][1], at(ow, i1, old)
            ops.append(WordOp("insert", pos, pos, s, e, new_text[s:e]))
    return tuple(ops)


def _changes(old: list[str], new: list[str]) -> Iterator[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2): each run of old words `old[i1:i2]` that became `new[j1:j2]` (either may be empty)."""
    run: list[int] | None = None
    for op in Indel.opcodes(old, new):
        if op.tag == "equal":
            if run is not None:
                yield (run[0], run[1], run[2], run[3])
                run = None
        elif run is None:
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            run[1], run[3] = op.src_end, op.dest_end
    if run is not None:
        yield (run[0], run[1], run[2], run[3])


def _apply_words(old_text: str, span: Span, ops: Sequence[WordOp]) -> str:
    """The words of `old_text[span]` with `ops` applied, joined by single spaces."""
    words = [(m.start(), m.group()) for m in _WORD.finditer(old_text, span[0], span[1])]
    deleted = [(op.old_start, op.old_end) for op in ops if op.kind == "delete"]
    inserts: dict[int, list[str]] = {}
    for op in ops:
        if op.kind == "insert":
            inserts.setdefault(op.old_start, []).append(op.text)
    out: list[str] = []
    for start, word in words:
        out.extend(inserts.pop(start, []))
        if not any(s <= start < e for s, e in deleted):
            out.append(word)
    for rest in inserts.values():
        out.extend(rest)
    return " ".join(out)
