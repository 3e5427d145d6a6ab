"""Check the hand-annotated gold stories (bench/suggest/gold/stories/) and count what they hold.

Every story is parsed as wiredesk imports it; every annotation's `text` + `occurrence` must be found in the
canonical text as whole words (case-sensitive; `occurrence` counts whole-word matches from the start of the
text); kinds, forms, actor types and statuses must be valid. Prints per-story and total counts, and how often
each tricky case of the guidelines (bench/suggest/GOLD.md) occurs, found from the text around each quote.

    python bench/suggest/check_gold.py [STORY.txt ...]      # exit status 1 if anything is wrong
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from annotations.actors import ACTOR_TYPES
from annotations.model import FORMS, STATUSES
from stories.loader import load_path
from stories.model import Story, StoryError

GOLD = Path(__file__).parent / "gold" / "stories"
KINDS = ("quote", "actor", "claim")
_CLOSERS = ",.;:!?…"
_MARKS = "\"'“”‘’«»„‚"
_PRONOUN = re.compile(
    r"^[,.]?[”\"’»“]?\s*,?\s*(?:he|she|they|it)\s+\w+ed\b|^\W*\s*(?:he|she|they)\s+(?:said|says|told)\b", re.I
)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she|they)\s+(?:\w+ed|said|told \w+|replied|added|warned)\s*:\s*\W?$", re.I)
_ROLE = re.compile(
    r"\bthe\s+(?:[a-z-]+\s+){0,2}(?:spokes(?:wo)?man|spokesperson|minister|diplomat|ambassador|official|"
    r"president|chairman|chairwoman|director|governor|mayor|premier|prosecutor|judge|senator|chief|head|"
    r"secretary|envoy|lawmaker|deputy minister|deputy)\s+(?:said|says|added|noted|stressed|told|warned|"
    r"emphasized|emphasised|explained|insisted|continued|replied|recalled|pointed out|underlined)\b",
    re.I,
)
_AFTER_NAMED = re.compile(r"^[,.!?…]?[”\"’»“]\s*,?\s*(?:said|says|added|told|asked|stressed|noted|warned)\s+[A-Z]")
_DOCUMENT = re.compile(
    r"\b(?:statement|communiqu[eé]|ruling|verdict|decision|letter|report|resolution|decree|document|"
    r"declaration|memo|notice|filing|indictment|press release|post on)\b",
    re.I,
)


@dataclass
class Problem:
    story: str
    message: str

    def __str__(self) -> str:
        return f"{self.story}: {self.message}"


def whole_word_starts(text: str, needle: str) -> list[int]:
    """Where `needle` occurs in `text` as whole words (no letter or digit touching either end)."""
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text)]


def load_story(path: Path) -> Story:
    stories = load_path(path)
    if len(stories) != 1:
        raise StoryError(f"{len(stories)} stories in the file, expected one")
    return stories[0]


def check_story(txt: Path, totals: Counter[str], tricky: Counter[str], problems: list[Problem]) -> None:
    name = txt.name
    gold_path = txt.with_name(txt.name.removesuffix(".txt") + ".gold.json")
    try:
        story = load_story(txt)
    except (StoryError, OSError) as exc:
        problems.append(Problem(name, f"does not import: {exc}"))
        return
    meta = story.meta
    if not meta.agency or not meta.dateline:
        problems.append(Problem(name, f"layout: agency={meta.agency!r} dateline={meta.dateline!r}"))
    try:
        records = json.loads(gold_path.read_text(encoding="utf-8"))["annotations"]
    except (OSError, ValueError, KeyError) as exc:
        problems.append(Problem(name, f"gold file unreadable: {exc}"))
        return
    text = story.text
    headline_end = next((b.end for b in story.blocks if b.kind == "headline"), 0)
    seen: set[tuple[str, int, int]] = set()
    quotes: list[tuple[int, int, dict[str, object]]] = []
    counts: Counter[str] = Counter()
    for i, rec in enumerate(records):
        where = f"annotation {i + 1} ({rec.get('kind')} {str(rec.get('text'))[:40]!r})"
        kind, span, occ = rec.get("kind"), rec.get("text"), rec.get("occurrence")
        if kind not in KINDS or not isinstance(span, str) or not span or not isinstance(occ, int) or occ < 1:
            problems.append(Problem(name, f"{where}: needs kind, text and occurrence ≥ 1"))
            continue
        starts = whole_word_starts(text, span)
        if len(starts) < occ:
            problems.append(Problem(name, f"{where}: occurrence {occ} of {len(starts)} whole-word matches"))
            continue
        start = starts[occ - 1]
        end = start + len(span)
        if (kind, start, end) in seen:
            problems.append(Problem(name, f"{where}: the same span twice"))
        seen.add((kind, start, end))
        counts[kind] += 1
        if kind == "quote":
            form = rec.get("form")
            if form not in FORMS:
                problems.append(Problem(name, f"{where}: form {form!r} not in {FORMS}"))
            if span[0] in _MARKS or re.search(rf"[{re.escape(_CLOSERS)}][{_MARKS}]*$", span):
                problems.append(Problem(name, f"{where}: span opens with a mark or ends with punctuation"))
            if form in ("direct", "partial") and not _in_marks(text, start, end):
                problems.append(Problem(name, f"{where}: a {form} quote must stand right inside quotation marks"))
            _check_link(rec, "speaker", name, where, problems)
            counts[f"quote:{form}"] += 1
            quotes.append((start, end, rec))
        elif kind == "actor":
            if not rec.get("actor") or rec.get("actor_type") not in ACTOR_TYPES:
                problems.append(Problem(name, f"{where}: needs actor and actor_type in {ACTOR_TYPES}"))
        else:
            _check_link(rec, "claimant", name, where, problems)
            if rec.get("status") not in STATUSES:
                problems.append(Problem(name, f"{where}: status {rec.get('status')!r} not in {STATUSES}"))
    _overlaps(quotes, name, problems)
    _count_tricky(text, headline_end, quotes, tricky)
    totals.update(counts)
    totals["stories"] += 1
    totals["words"] += len(text.split())
    print(
        f"{name:50} {meta.agency or '?':16} {len(text.split()):4}w  q={counts['quote']:3} "
        f"(d{counts['quote:direct']} p{counts['quote:partial']} i{counts['quote:indirect']})  "
        f"a={counts['actor']:3}  c={counts['claim']:2}"
    )


def _in_marks(text: str, start: int, end: int) -> bool:
    """True if text[start:end] opens right after a quotation mark and closes, after any closing punctuation,
    right before one (an inner quote's closing mark may end the span)."""
    closing = re.match(rf"[{re.escape(_CLOSERS)}]*[{_MARKS}]", text[end:])
    return start > 0 and text[start - 1] in _MARKS and (closing is not None or text[end - 1] in _MARKS)


def _check_link(rec: dict[str, object], role: str, name: str, where: str, problems: list[Problem]) -> None:
    who, kind = rec.get(role), rec.get(f"{role}_type")
    if who is None and kind is None:
        return
    if not isinstance(who, str) or not who or kind not in ACTOR_TYPES:
        problems.append(Problem(name, f"{where}: {role} needs a name and a {role}_type in {ACTOR_TYPES}"))


def _overlaps(quotes: list[tuple[int, int, dict[str, object]]], name: str, problems: list[Problem]) -> None:
    ordered = sorted(quotes, key=lambda q: q[0])
    for (_s1, e1, r1), (s2, e2, r2) in itertools.pairwise(ordered):
        if s2 < e1 and not (r1.get("form") == "indirect" and e2 <= e1):  # a reported clause may hold a partial
            problems.append(Problem(name, f"quotes overlap: {str(r1['text'])[:30]!r} / {str(r2['text'])[:30]!r}"))


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    return text.rfind("\n\n", 0, start) + 1, (text.find("\n\n", end) if "\n\n" in text[end:] else len(text))


def _count_tricky(
    text: str, headline_end: int, quotes: list[tuple[int, int, dict[str, object]]], tricky: Counter[str]
) -> None:
    """Tricky cases, found from the text around each quote (a rough count: it reads the context, not minds)."""
    speakers_by_para: dict[int, set[str]] = {}
    for start, end, rec in quotes:
        before, after = text[max(0, start - 80) : start], text[end : end + 60]
        p_start, p_end = _paragraph(text, start, end)
        para = text[p_start:p_end]
        speaker = rec.get("speaker")
        direct = rec.get("form") in ("direct", "partial")
        if speaker is not None:
            speakers_by_para.setdefault(p_start, set()).add(str(speaker))
        if _PRONOUN.match(after) or _PRONOUN_BEFORE.search(before):
            tricky["pronoun speaker"] += 1
        if _ROLE.search(after[:40]) or _ROLE.search(before[-50:]):
            tricky["role speaker"] += 1
        if direct and _AFTER_NAMED.match(after):
            tricky["speaker named after the quote"] += 1
        if speaker and " " in str(speaker):
            surname = str(speaker).split()[-1]
            earlier = text[:p_start]
            if str(speaker) in earlier and str(speaker) not in para and re.search(rf"\b{re.escape(surname)}\b", para):
                tricky["surname only, introduced earlier"] += 1
        inner = re.sub(r"\n\n\W", " ", text[start:end])  # a paragraph's opening mark is not a nested quote
        if direct and (any(m in inner for m in '"“”«»„') or re.search(r"(?<!\w)['‘][^'‘’]+['’](?!\w)", inner)):
            tricky["nested quote"] += 1
        if (
            speaker
            and rec.get("speaker_type") in ("government", "organisation")
            and _DOCUMENT.search(before[-60:] + after)
        ):
            tricky["document quoted"] += 1
        if "anonymity" in para:
            tricky["on condition of anonymity"] += 1
        if start > 0 and text[start - 1] in "«„":
            tricky["«» or „“ marks"] += 1
        if start < headline_end:
            tricky["quote in the headline"] += 1
        if direct and "\n" in text[start:end]:
            tricky["multi-paragraph quote"] += 1
        if direct and text[end : end + 1] == "?":
            tricky["question quoted"] += 1
        if direct and re.search(r":\s*[\"“«„‘']$", before):
            tricky["quote after a colon"] += 1
        if "according to" in (before[-40:] + text[start:end] + after[:40]).lower():
            tricky["according to"] += 1
        if speaker is None:
            tricky["no speaker (unattributed)"] += 1
    tricky["paragraphs with two or more speakers"] += sum(len(s) >= 2 for s in speakers_by_para.values())


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(GOLD.glob("*.txt"))
    totals: Counter[str] = Counter()
    tricky: Counter[str] = Counter()
    problems: list[Problem] = []
    for txt in files:
        check_story(txt, totals, tricky, problems)
    print(
        f"\n{totals['stories']} stories, {totals['words']} words; quotes {totals['quote']} (direct "
        f"{totals['quote:direct']}, partial {totals['quote:partial']}, indirect {totals['quote:indirect']}); "
        f"actor mentions {totals['actor']}; claims {totals['claim']}"
    )
    print("tricky cases (counted from the context of each quote):")
    for case, n in sorted(tricky.items()):
        print(f"  {case:40} {n}")
    for problem in problems:
        print("PROBLEM", problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
