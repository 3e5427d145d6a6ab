"""Fuzz every input format: byte-level and structure-aware mutations of sample files, each parsed as an import
parses it, in a child process stopped at the time budget.

    python bench/fuzz.py [--count 2400] [--seed 1] [--budget 10] [--formats text,feed] [--record]

Samples are the project's own fixtures (tests/fixtures) and files from make_wire_files.py's generators, never
the shared corpus. Each input is mutated from one sample by a few byte-level steps (insert, delete, replace,
cut, repeat or splice bytes, insert escape sequences, bidi controls, BOMs, NULs, framing codes) or by one
structure-aware step for its format: elements repeated thousands of times, nested deep or given thousands of
attributes, entities, comments and CDATA for the XML formats; JSON values swapped for other types, huge
numbers, deep nesting, duplicated or dropped keys for ninjs; lines repeated, shuffled, joined into one long
line, datelines, bylines and framing codes inserted for plain text, ANPA-1312 and IPTC 7901.

The format is recognised here as the loader does; the parse runs in `stories.sandbox.Sandbox`'s child, which
stops it at the budget (an input no format claims goes through the loader's own refusals, here). Counted:
inputs tried; stories and one-line refusals; **tracebacks** (any exception but a one-line StoryError: must be
0); **hangs** (parses stopped at the budget: must be 0); invalid stories (control or invisible characters,
broken blocks, an empty or over-long headline, no round trip: must be 0); the slowest parse; the child's peak
memory. Each failing input is saved in bench/.data/fuzz/ with its reason. `--record`
appends the table to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from common import BENCH_DIR, REPO_DIR, machine, markdown
from make_wire_files import FORMATS, wire_files_bytes

from stories.loader import detect_format, parse_bytes
from stories.model import HEADLINE_CHARS, Story, StoryError
from stories.sandbox import Sandbox
from stories.text import clean_line, clean_text

__all__ = ["Report", "fuzz", "mutate", "samples"]

FIXTURES = REPO_DIR / "tests" / "fixtures"
#: Fixture folders and the format of their files; loose files in tests/fixtures are plain text.
FIXTURE_FORMATS = {
    "plain": "text",
    "anpa": "anpa",
    "iptc7901": "iptc7901",
    "newsml": "newsml",
    "ninjs": "ninjs",
    "feeds": "feed",
    "html": "html",
}
MAX_INPUT = 2_000_000  # bytes: a mutation that grows an input further is cut back
OUT = BENCH_DIR / ".data" / "fuzz"


# --- samples ------------------------------------------------------------------------------------------------


def samples(generated: int = 3, seed: int = 1) -> dict[str, list[bytes]]:
    """Seed files per format: every fixture of the format and `generated` files from make_wire_files.py."""
    out: dict[str, list[bytes]] = {fmt: [] for fmt in FORMATS}
    for folder, fmt in FIXTURE_FORMATS.items():
        out[fmt] += [p.read_bytes() for p in sorted((FIXTURES / folder).rglob("*")) if p.is_file()]
    out["text"] += [p.read_bytes() for p in sorted(FIXTURES.glob("*.txt"))]
    for fmt in FORMATS:
        out[fmt] += wire_files_bytes(fmt, generated * (10 if fmt == "feed" else 1), seed)[:generated]
    return out


# --- byte-level mutations -----------------------------------------------------------------------------------

#: Bytes and sequences that matter to some parser or to a terminal.
TOKENS = [
    b"\x00",
    b"\x01",
    b"\x02",
    b"\x03",
    b"\x04",
    b"\x16",
    b"\x1f",
    b"\r",
    b"\r\n",
    b"\t",
    b"\x1b[2J",
    b"\x1b]52;c;b3duZWQ=\x07",
    b"\x9b31m",
    "\u202e".encode(),
    "\u2066".encode(),
    "\u200b".encode(),
    "\u200d".encode(),
    "\U000e0041".encode(),
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x93",
    b"\x94",
    b"\xe9",
    b"\x81",
    b"&amp;",
    b"&#27;",
    b"&#x0;",
    b"&nbsp;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml ",
    b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
    b'"',
    b"'",
    b"\\u0000",
    b"\\ud800",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"^",
    b"<",
    b"=",
    b"_",
    b"(AP) \xe2\x80\x94 ",
    b"MOSCOW, November 12. /TASS/. ",
    b"BEIJING, Oct. 9 (Xinhua) -- ",
    b"By ",
    b"UPDATE 3-",
    b"\xe2\x80\xa2 ",
    b"Enditem",
    b"NNNN",
    b"ZCZC",
]


def _byte_step(data: bytearray, rng: random.Random, others: list[bytes]) -> None:
    pos = rng.randint(0, len(data))
    op = rng.choice(("insert", "delete", "replace", "cut", "repeat", "splice", "token", "run"))
    if op == "insert":
        data[pos:pos] = bytes([rng.randrange(256)])
    elif op == "delete":
        del data[pos : pos + rng.randint(1, 64)]
    elif op == "replace" and pos < len(data):
        data[pos] = rng.randrange(256)
    elif op == "cut":
        del data[pos:]
    elif op == "repeat":
        end = min(len(data), pos + rng.randint(1, 200))
        data[pos:pos] = data[pos:end] * rng.choice((2, 10, 100, 1000))
    elif op == "splice" and others:
        other = rng.choice(others)
        start = rng.randint(0, len(other))
        data[pos:pos] = other[start : start + rng.randint(1, 2000)]
    elif op == "token":
        data[pos:pos] = rng.choice(TOKENS)
    elif op == "run":
        data[pos:pos] = bytes([rng.randrange(256)]) * rng.choice((100, 10_000, 100_000))


# --- structure-aware mutations ------------------------------------------------------------------------------

_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)\b[^<>]*>(?:[^<]{0,2000})</\1>", re.S)
_START_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)\b([^<>]*)>")


def _xml_step(data: bytes, rng: random.Random) -> bytes:
    elements = list(_ELEMENT.finditer(data))
    tags = list(_START_TAG.finditer(data))
    op = rng.choice(("repeat", "nest", "attributes", "entity", "comment", "unclose", "rename", "doctype"))
    if op in ("repeat", "nest", "unclose") and elements:
        m = rng.choice(elements)
        whole, name = m.group(), m.group(1)
        if op == "repeat":
            grown = whole * rng.choice((10, 1000, 20_000))
        elif op == "nest":
            depth = rng.choice((50, 500, 5000))
            grown = b"<" + name + b">" * 1 + (b"<" + name + b">") * depth + whole + (b"</" + name + b">") * (depth + 1)
        else:
            grown = whole[: -len(name) - 3]
        return data[: m.start()] + grown + data[m.end() :]
    if op == "attributes" and tags:
        m = rng.choice(tags)
        attrs = b"".join(b' a%d="v"' % i for i in range(rng.choice((10, 1000, 5000))))
        return data[: m.end(1)] + attrs + data[m.end(1) :]
    if op == "rename" and tags:
        m = rng.choice(tags)
        return data[: m.start(1)] + rng.choice((b"html", b"rss", b"newsItem", b"feed", b"x:y")) + data[m.end(1) :]
    pos = rng.randint(0, len(data))
    insert = {
        "entity": rng.choice((b"&amp;", b"&lt;", b"&#27;[2J", b"&#x202e;", b"&#0;", b"&undefined;", b"&#99999999;")),
        "comment": rng.choice((b"<!-- x -->", b"<![CDATA[\x1b[2J]]>", b"<?pi x?>", b"<!-- unclosed")),
        "doctype": b'<!DOCTYPE x [<!ENTITY e "e">]>',
    }.get(op, b"<")
    return data[:pos] + insert + data[pos:]


_JSON_VALUES: list[Callable[[random.Random], object]] = [
    lambda r: None,
    lambda r: True,
    lambda r: r.randint(-(10**30), 10**30),
    lambda r: 10**4000,
    lambda r: 1e308 * 10,
    lambda r: "",
    lambda r: "\x1b]0;owned\x07 \u202eevil",
    lambda r: "x" * r.choice((10, 10_000, 400_000)),
    lambda r: [],
    lambda r: {},
    lambda r: [{"role": "main", "value": "<p>v</p>", "contenttype": "text/html"}] * r.choice((1, 1000)),
    lambda r: {"nested": {"deeper": [1, "two", None]}},
]


def _json_step(data: bytes, rng: random.Random) -> bytes:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return data
    op = rng.choice(("value", "delete", "wrap", "deep", "duplicate"))
    if op == "deep":
        depth = rng.choice((100, 1000, 100_000))
        return b'{"uri": "urn:x", "headline": "H", "body_text": ' + b"[" * depth + b"]" * depth + b"}"
    if op == "duplicate":
        return data.rstrip().rstrip(b"}") + b', "headline": "again", "headline": "and again"}'
    if op == "wrap":
        return json.dumps([doc] * rng.choice((1, 2, 100))).encode()
    containers: list[dict[str, object] | list[object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict | list):
            containers.append(node)
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(doc)
    target = rng.choice(containers) if containers else None
    if isinstance(target, dict) and target:
        key = rng.choice(list(target))
        if op == "delete":
            del target[key]
        else:
            target[key] = rng.choice(_JSON_VALUES)(rng)
    elif isinstance(target, list) and target:
        target[rng.randrange(len(target))] = rng.choice(_JSON_VALUES)(rng)
    try:
        return json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode()
    except (ValueError, OverflowError):
        return data


_LINES = [
    b"MOSCOW, November 12. /TASS/. Grain exports rose.",
    b"BEIJING, Oct. 9 (Xinhua) -- A terminal opened.",
    b"PARIS (AFP) - Talks ended.",
    b"By Ana Lu and Ben Oto",
    b"Ela Tan | 31.12.2025 - Update : 01.01.2026",
    b"(Reporting by Ana Lu; Editing by Cy Dee)",
    b"ab/cd",
    b"___",
    b"\x01\x16\x16",
    b"\x02",
    b"\x03\x04",
    b"^Headline<",
    b"\tIndented paragraph of wire copy.",
    b"Headline line =",
    b"NOTEBOOK -- not for publication",
    b"UPDATE 2-Mill workers vote to strike",
    "\u2022 - A highlight".encode(),
]


def _lines_step(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    op = rng.choice(("repeat", "delete", "shuffle", "join", "insert", "long"))
    if op == "repeat":
        lines[i:i] = [lines[i]] * rng.choice((10, 1000, 30_000))
    elif op == "delete":
        del lines[i : i + rng.randint(1, 5)]
    elif op == "shuffle":
        window = lines[i : i + 20]
        rng.shuffle(window)
        lines[i : i + 20] = window
    elif op == "join":
        return b" ".join(lines)
    elif op == "insert":
        lines.insert(i, rng.choice(_LINES))
    else:
        lines.insert(i, b" ".join([rng.choice(_LINES)] * rng.choice((100, 10_000))))
    return b"\n".join(lines)


_STRUCTURE = {
    "newsml": _xml_step,
    "feed": _xml_step,
    "html": _xml_step,
    "ninjs": _json_step,
    "text": _lines_step,
    "anpa": _lines_step,
    "iptc7901": _lines_step,
}


def mutate(sample: bytes, fmt: str, rng: random.Random, others: list[bytes]) -> bytes:
    """One input: `sample` changed by one structure-aware step for `fmt`, or by 1–8 byte-level steps."""
    if rng.random() < 0.4:
        out = _STRUCTURE[fmt](sample, rng)
    else:
        data = bytearray(sample)
        for _ in range(rng.randint(1, 8)):
            _byte_step(data, rng, others)
        out = bytes(data)
    return out[:MAX_INPUT]


# --- checking what came out ---------------------------------------------------------------------------------


def problems(story: Story) -> list[str]:
    """What is wrong with a parsed story ([] if nothing): terminal safety, structure, headline, round trip."""
    found = []
    text = story.text
    if clean_text(text) != text:
        found.append("text not clean")
    if not story.blocks or story.blocks[0].start != 0 or story.blocks[-1].end != len(text):
        found.append("blocks do not cover the text")
    for block, nxt in zip(story.blocks, story.blocks[1:], strict=False):
        gap = text[block.end : nxt.start]
        if gap != "\n\n" and not (block.kind == "dateline" and gap == " "):
            found.append(f"bad gap {gap!r} after a {block.kind}")
            break
    headline = story.meta.headline
    if not headline or clean_line(headline) != headline or len(headline) > HEADLINE_CHARS:
        found.append(f"bad headline ({len(headline)} characters)")
    for key, value in story.meta.to_dict().items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and clean_line(item) != item:
                found.append(f"metadata {key} not clean")
    if Story.from_dict(story.to_dict()) != story:
        found.append("no round trip")
    return found


# --- the run ------------------------------------------------------------------------------------------------


@dataclass
class Report:
    """Counts of one fuzz run, per format the inputs were made from."""

    budget: float
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    slowest: dict[str, float] = field(default_factory=dict)
    failures: list[tuple[str, str, bytes]] = field(default_factory=list)  # (format, reason, input)
    seconds: float = 0.0
    peak_mb: float = 0.0

    def total(self, key: str) -> int:
        return sum(c[key] for c in self.counts.values())

    def rows(self) -> list[tuple[str, ...]]:
        rows = []
        for fmt, c in self.counts.items():
            rows.append(
                (
                    fmt,
                    f"{c['inputs']:,}",
                    f"{c['stories']:,}",
                    f"{c['refused']:,}",
                    f"{c['traceback']}",
                    f"{c['hang']}",
                    f"{c['invalid']}",
                    f"{self.slowest.get(fmt, 0) * 1000:,.0f}",
                )
            )
        return rows


HEADER = ("format", "inputs", "parsed", "refused (one line)", "tracebacks", "hangs", "invalid", "slowest ms")


def fuzz(count: int, seed: int = 1, budget: float = 10.0, formats: tuple[str, ...] = FORMATS, log=print) -> Report:
    """Mutate `count` inputs per format and parse each as an import would, within `budget` seconds."""
    seeds = samples(seed=seed)
    report = Report(budget)
    started = time.perf_counter()
    with Sandbox() as sandbox:
        for fmt in formats:
            rng = random.Random(f"{seed}:{fmt}")
            counts = report.counts.setdefault(fmt, Counter())
            others = [s for f in formats for s in seeds[f]]
            for _ in range(count):
                data = mutate(rng.choice(seeds[fmt]), fmt, rng, others)
                _one(data, fmt, sandbox, report, counts)
            log(f"  {fmt:9} {dict(counts)}")
    report.seconds = time.perf_counter() - started
    report.peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the child, waited for
    return report


def _one(data: bytes, fmt: str, sandbox: Sandbox, report: Report, counts: Counter[str]) -> None:
    counts["inputs"] += 1
    hangs = counts["hang"]
    began = time.perf_counter()
    try:
        found = detect_format(data)
        # no format claims it: the loader's own refusals (empty, binary, JSON, XML...), here
        stories = parse_bytes(data, "fuzz") if found is None else sandbox.parse(data, "fuzz", found, report.budget)
    except StoryError as exc:
        message = str(exc)
        if message.startswith(f"gave up after {report.budget:g} s"):
            counts["hang"] += 1
            report.failures.append((fmt, f"hang: over {report.budget:g} s", data))
        elif "\n" in message or clean_line(message) != message or not message:
            counts["invalid"] += 1
            report.failures.append((fmt, f"bad refusal {message!r}", data))
        else:
            counts["refused"] += 1
        return
    except Exception as exc:  # anything else is a traceback in wiredesk import
        counts["traceback"] += 1
        report.failures.append((fmt, f"traceback: {type(exc).__name__}: {exc}"[:500], data))
        return
    finally:
        if counts["hang"] == hangs:
            report.slowest[fmt] = max(report.slowest.get(fmt, 0.0), time.perf_counter() - began)
    wrong = [p for story in stories for p in problems(story)]
    if wrong:
        counts["invalid"] += 1
        report.failures.append((fmt, "invalid story: " + "; ".join(sorted(set(wrong))), data))
    elif not stories:
        counts["invalid"] += 1
        report.failures.append((fmt, "no story and no refusal", data))
    else:
        counts["stories"] += 1


def save_failures(report: Report, folder: Path = OUT) -> list[Path]:
    """Each failing input as a file, with its reason in a .reason file beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for n, (fmt, reason, data) in enumerate(report.failures):
        path = folder / f"{fmt}-{n:04d}.bin"
        path.write_bytes(data)
        path.with_suffix(".reason").write_text(reason + "\n")
        saved.append(path)
    return saved


def record(report: Report, seed: int, count: int) -> str:
    """The run as a RESULTS.md section (appended by --record)."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    facts = machine(BENCH_DIR)
    lines = [
        f"## Fuzz run {when} (bench/fuzz.py: hostile input, issue 11)",
        "",
        f"- command: `python bench/fuzz.py --count {count} --seed {seed} --budget {report.budget:g}`",
        f"- cpu: {facts.get('cpu', '?')}; python: {facts.get('python', '?')}; commit: {facts.get('commit', '?')}",
        f"- inputs tried: {report.total('inputs'):,} in {report.seconds:.0f} s; tracebacks: "
        f"{report.total('traceback')}; hangs over the {report.budget:g} s budget: {report.total('hang')}; invalid "
        f"stories or refusals: {report.total('invalid')}; peak memory of the parsing process: {report.peak_mb:.0f} MB",
        "",
        "Each input is one sample (the project's fixtures and make_wire_files.py output, never the corpus) after "
        "byte-level steps or one structure-aware step, recognised as the loader does and parsed in the sandbox's "
        "child; `hangs` are parses stopped at the budget, `slowest` the longest parse that finished.",
        "",
        markdown(report.rows(), HEADER),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2400, help="inputs per format (default 2400)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds one parse may take")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, of: " + ", ".join(FORMATS))
    parser.add_argument("--record", action="store_true", help="append the result to bench/RESULTS.md")
    args = parser.parse_args(argv)
    formats = tuple(f for f in args.formats.split(",") if f)
    if unknown := set(formats) - set(FORMATS):
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    report = fuzz(args.count, args.seed, args.budget, formats)
    section = record(report, args.seed, args.count)
    print("\n" + section)
    for path in save_failures(report):
        print(f"failing input: {path} ({path.with_suffix('.reason').read_text().strip()})")
    if args.record:
        with (BENCH_DIR / "RESULTS.md").open("a", encoding="utf-8") as fh:
            fh.write("\n" + section)
    if report.total("traceback") or report.total("hang") or report.total("invalid"):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
