"""stories.diff: paragraphs aligned as same / inserted / deleted / changed / moved, words inside the changed ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stories.diff import DiffSummary, VersionDiff, diff_versions
from stories.model import Block, Story, StoryMeta

P1 = "PORT WORKERS STRIKE"
P2 = "ROTTERDAM, March 4 (Reuters) - Dock workers walked out on Monday over pay, the union said."
P3 = '"We will not go back until the offer is fair," said union leader Jan de Vries.'
P4 = "The port handles about 440 million tonnes of cargo a year."
P5 = "Shipping lines said they would divert vessels to Antwerp and Hamburg if the strike lasted."


def text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def kinds(diff: VersionDiff) -> list[str]:
    return [p.kind for p in diff.paragraphs]


def test_the_same_text_has_no_change() -> None:
    diff = diff_versions(text(P1, P2, P3), text(P1, P2, P3))
    assert kinds(diff) == ["same"] * 3
    assert diff.summary == DiffSummary(same=3)
    assert diff.summary.label() == "no change"


def test_an_inserted_paragraph() -> None:
    new = text(P1, "A new lede says the strike spread to Antwerp.", P2, P3)
    diff = diff_versions(text(P1, P2, P3), new)
    assert kinds(diff) == ["same", "inserted", "same", "same"]
    inserted = diff.paragraphs[1]
    assert inserted.new is not None and new[inserted.new[0] : inserted.new[1]].startswith("A new lede")
    assert (inserted.old, inserted.new_index) == (None, 1)
    assert diff.summary.label() == "1 paragraph changed"


def test_a_deleted_paragraph_stays_where_it_was() -> None:
    old = text(P1, P2, P3, P4)
    diff = diff_versions(old, text(P1, P2, P4))
    assert kinds(diff) == ["same", "same", "deleted", "same"]
    deleted = diff.paragraphs[2]
    assert deleted.old is not None and old[deleted.old[0] : deleted.old[1]] == P3 and deleted.new is None


def test_a_changed_paragraph_has_its_words() -> None:
    new_p3 = '"We will not go back," said union leader Jan de Vries on Tuesday.'
    old, new = text(P1, P2, P3), text(P1, P2, new_p3)
    diff = diff_versions(old, new)
    assert kinds(diff) == ["same", "same", "changed"]
    ops = diff.paragraphs[2].words
    deleted = [old[o.old_start : o.old_end] for o in ops if o.kind == "delete"]
    inserted = [new[o.new_start : o.new_end] for o in ops if o.kind == "insert"]
    assert deleted == ['back until the offer is fair,"', "Vries."]  # whole words, their punctuation with them
    assert inserted == ['back,"', "Vries on Tuesday."]
    assert all(o.text in (deleted + inserted) for o in ops)
    for op in ops:  # a deletion's place in the new text, an insertion's in the old: at a word's edge
        assert op.new_start == op.new_end if op.kind == "delete" else op.old_start == op.old_end
    assert diff.summary == DiffSummary(same=2, changed=1)


def test_a_corrected_figure_is_one_word_replaced() -> None:
    old, new = text(P1, P4), text(P1, P4.replace("440", "470"))
    ops = diff_versions(old, new).paragraphs[1].words
    assert [(o.kind, o.text) for o in ops] == [("delete", "440"), ("insert", "470")]
    assert new[ops[0].new_start :].startswith("470")


def test_a_moved_paragraph_is_not_deleted_and_inserted() -> None:
    diff = diff_versions(text(P1, P2, P3, P4, P5), text(P1, P2, P5, P3, P4))
    assert kinds(diff).count("moved") == 1 and "deleted" not in kinds(diff) and "inserted" not in kinds(diff)
    moved = next(p for p in diff.paragraphs if p.kind == "moved")
    assert (moved.old_index, moved.new_index, moved.words) == (4, 2, ())
    assert diff.summary.moved == 1 and diff.summary.paragraphs_changed == 1


def test_a_paragraph_moved_and_changed() -> None:
    new_p5 = P5.replace("Hamburg", "Bremerhaven")
    diff = diff_versions(text(P1, P2, P3, P4, P5), text(P1, new_p5, P2, P3, P4))
    moved = next(p for p in diff.paragraphs if p.kind == "moved")
    assert moved.old_index == 4 and moved.new_index == 1
    assert [(o.kind, o.text) for o in moved.words] == [("delete", "Hamburg"), ("insert", "Bremerhaven")]


def test_a_different_paragraph_in_place_is_deleted_and_inserted_not_changed() -> None:
    diff = diff_versions(text(P1, P2, P4), text(P1, P2, "Talks resume on Friday, officials said."))
    assert kinds(diff) == ["same", "same", "deleted", "inserted"]
    assert diff.summary.paragraphs_changed == 2


def test_a_rewritten_story_is_all_deleted_and_inserted() -> None:
    diff = diff_versions(text(P1, P2), text("Completely other words here.", "Nothing alike at all, truly."))
    assert sorted(kinds(diff)) == ["deleted", "deleted", "inserted", "inserted"]


def test_empty_versions() -> None:
    assert diff_versions("", "").paragraphs == ()
    assert kinds(diff_versions("", text(P1, P2))) == ["inserted", "inserted"]
    assert kinds(diff_versions(text(P1, P2), "")) == ["deleted", "deleted"]
    assert diff_versions(text(P1, P2), "").apply(text(P1, P2)) == ""


def test_stories_are_compared_by_their_paragraphs() -> None:
    def story(body: str) -> Story:
        head = "Harbour fire"
        t = f"{head}\n\nLONDON - {body}"
        n = len(head)
        blocks = (Block("headline", 0, n), Block("dateline", n + 2, n + 8), Block("paragraph", n + 11, len(t)))
        return Story.create(t, blocks, StoryMeta(headline=head))

    old, new = story("A fire broke out."), story("A big fire broke out.")
    diff = diff_versions(old, new)
    assert kinds(diff) == ["same", "changed"]  # the inline dateline shares its paragraph
    assert diff.paragraphs[1].words[0].text == "big" and diff.old_text == old.text


def test_json_form() -> None:
    new = text(P1, P4.replace("440", "470"))
    data = diff_versions(text(P1, P4), new).to_dict()
    at = new.index("470")
    counts = {"paragraphs_changed": 1, "same": 1, "inserted": 0, "deleted": 0, "changed": 1, "moved": 0}
    assert data["summary"] == counts
    para = data["paragraphs"][1]  # type: ignore[index]
    assert para["kind"] == "changed" and para["old_paragraph"] == para["new_paragraph"] == 2
    assert para["words"][1] == {"op": "insert", "old": [at, at], "new": [at, at + 3], "text": "470"}


WORDS = st.sampled_from(["the", "port", "strike", "said,", "union", "440", "tonnes.", '"We', "Antwerp", "—", "é"])
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
VERSION = st.lists(PARAGRAPH, max_size=8).map("\n\n".join)


@settings(max_examples=300)
@given(VERSION, VERSION)
def test_applying_the_operations_to_the_old_text_gives_the_new(old: str, new: str) -> None:
    diff = diff_versions(old, new)
    assert diff.apply(old) == new
    s = diff.summary
    new_count = len(new.split("\n\n")) if new else 0
    old_count = len(old.split("\n\n")) if old else 0
    assert s.same + s.inserted + s.changed + s.moved == new_count
    assert s.same + s.deleted + s.changed + s.moved == old_count
    for op in diff.word_ops():
        assert (old[op.old_start : op.old_end] if op.kind == "delete" else new[op.new_start : op.new_end]) == op.text


@settings(max_examples=100)
@given(st.lists(PARAGRAPH, min_size=2, max_size=8, unique=True), st.data())
def test_a_shuffled_story_only_moves(paragraphs: list[str], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(paragraphs))
    diff = diff_versions("\n\n".join(paragraphs), "\n\n".join(shuffled))
    assert set(kinds(diff)) <= {"same", "moved"}
    assert all(not p.words for p in diff.paragraphs)
