"""The format registry (issue 12 §4): every format module satisfies `StoryFormat`, names are unique, every
module is registered, and the detection order is the one the README documents."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

from stories import formats
from stories.loader import FORMATS, detect_format
from stories.model import StoryError
from tests.conftest import ROOT


@pytest.mark.parametrize("name", formats.NAMES)
def test_each_module_satisfies_the_protocol_under_its_name(name: str) -> None:
    module = formats.get(name)
    assert isinstance(module, formats.StoryFormat)
    assert name == module.NAME and module.LABEL
    assert not hasattr(module, "FORMAT")  # one attribute name for the format's name, as exporters have
    assert callable(module.detect) and callable(module.parse)


def test_names_and_labels_are_unique_and_the_loader_uses_the_registry() -> None:
    modules = [formats.get(name) for name in formats.NAMES]
    assert len({m.NAME for m in modules}) == len(modules) == len(set(formats.MODULES.values()))
    assert len({m.LABEL for m in modules}) == len(modules)
    assert FORMATS == formats.NAMES


def test_every_format_module_is_registered() -> None:
    files = {p.stem for p in (ROOT / "stories" / "formats").glob("*.py") if p.stem != "__init__"}
    assert {path.rsplit(".", 1)[1] for path in formats.MODULES.values()} == files


def test_a_module_without_the_contract_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(formats.MODULES, "broken", "stories.text")  # a module that is no format
    with pytest.raises(TypeError, match="does not provide the StoryFormat 'broken'"):
        formats.get("broken")


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(StoryError, match=r"unknown format 'nitf' \(known: anpa, iptc7901, newsml, feed, ninjs"):
        formats.get("nitf")


def test_the_readme_documents_the_detection_order() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    formats_section = readme.split("## Formats", 1)[1].split("\n## ", 1)[0]
    m = re.search(r"in this order: ((?:`\w+`(?:, | and )?)+)", formats_section)
    assert m, "the README's Formats section names the detection order"
    assert tuple(re.findall(r"`(\w+)`", m[1])) == formats.NAMES


def test_plain_text_is_last_and_takes_what_no_other_format_claims() -> None:
    assert formats.NAMES[-1] == "text"
    assert detect_format(b"Ferry fares rise\n\nFares rise by a tenth.\n") == "text"
    assert detect_format(b'<rss version="2.0"><channel></channel></rss>') == "feed"


def test_recognising_a_format_loads_no_parsing_library() -> None:
    """`detect` is cheap: modules import feedparser, trafilatura, charset-normalizer only inside `parse`."""
    code = (
        "import sys; from stories import formats\n"
        "for name in formats.NAMES: formats.get(name).detect(b'<rss><channel/></rss>')\n"
        "print(sorted(m for m in ('feedparser', 'trafilatura', 'charset_normalizer') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_importlib_finds_each_module_where_the_registry_says() -> None:
    for name, path in formats.MODULES.items():
        assert importlib.import_module(path) is formats.get(name)
