"""annotations.carry.place: each method, each kind of edit, orphans, and never a guess between two places."""

from __future__ import annotations

from dataclasses import replace

from annotations.carry import Placement, load_thresholds, place
from annotations.model import Annotation
from stories.model import StoryBuilder, StoryMeta
from tests.annotations.carry.support import BASE, P1, P2, P3, P4, P5, Span, paragraphs, span

LEDE = "A new lede paragraph about the ruling, added at the top of the story after the court rose."


def one(old: str, new: str, sp: Span, **changes: float) -> Placement:
    th = replace(load_thresholds(), **changes) if changes else None
    return place(old, new, [sp], th)[0]


def text_of(new: str, p: Placement) -> str:
    assert p.start is not None and p.end is not None
    return new[p.start : p.end]


def test_one_placement_per_span_in_the_same_order_and_an_annotation_is_a_span() -> None:
    builder = StoryBuilder()
    for part in (P1, P2, P3):
        builder.add("paragraph", part)
    story = builder.build(StoryMeta(headline="h"))
    at = story.text.index("Petra Lind")
    quote = Annotation.new(story, "quote", story.text.index("We will"), story.text.index(',"'))
    actor = Annotation.new(story, "actor", at, at + len("Petra Lind"))
    new = paragraphs(LEDE, story.text)
    placed = place(story.text, new, [actor, quote])
    assert [p.id for p in placed] == [actor.id, quote.id]
    assert [text_of(new, p) for p in placed] == ["Petra Lind", quote.exact]
    assert place(story.text, new, []) == []


def test_unchanged_text_is_carried_exactly_with_full_score() -> None:
    p = one(BASE, BASE, span(BASE, "Petra Lind"))
    assert (p.state, p.method, p.score, p.start, p.candidates) == ("carried", "exact", 1.0, BASE.index("Petra"), ())


def test_a_paragraph_inserted_above_moves_the_span_with_it() -> None:
    new = paragraphs(LEDE, BASE)
    p = one(BASE, new, span(BASE, "Petra Lind"))
    assert p.state == "carried" and p.method == "exact" and p.start == new.index("Petra Lind")


def test_a_moved_paragraph_takes_its_spans_along() -> None:
    new = paragraphs(P1, P3, P4, P5, P2)
    for exact in ("Petra Lind", "We will appeal, and we expect to win"):
        p = one(BASE, new, span(BASE, exact))
        assert p.state == "carried" and p.start == new.index(exact)


def test_a_deleted_paragraph_leaves_an_orphan_even_when_its_name_appears_elsewhere() -> None:
    old = paragraphs(P1, P2, P3 + " Petra Lind declined to comment on the share price.")
    new = paragraphs(P1, old.split("\n\n")[2])
    p = one(old, new, span(old, "Petra Lind"))
    assert p.state == "orphan" and p.start is None and p.method == ""
    assert new.index("Petra Lind") in [c.start for c in p.candidates]  # offered, never placed


def test_a_deleted_sentence_is_not_matched_to_a_similar_one_elsewhere() -> None:
    old = paragraphs(P1, P2, P3, P4, P5)
    similar = "The operator said it would study the judgment before deciding its next step, a lawyer told reporters."
    new = paragraphs(P1, P2, P3, P5, similar)
    p = one(old, new, span(old, "The authority said it would study the judgment before deciding its next step"))
    assert p.state == "orphan"
    assert p.candidates and p.candidates[0].start == new.index("operator said") - 4  # the look-alike, for review


def test_a_reworded_sentence_is_changed_over_its_new_words() -> None:
    new = BASE.replace("ruled on Monday that", "found on Monday that")
    p = one(BASE, new, span(BASE, P1[:-1]))
    assert (p.state, p.method) == ("changed", "diff") and text_of(new, p) == new.split("\n\n")[0][:-1]
    assert 0.75 < p.score < 1


def test_a_trimmed_quote_is_changed_to_what_is_left() -> None:
    new = BASE.replace("we expect to win", "we expect")
    p = one(BASE, new, span(BASE, "We will appeal, and we expect to win"))
    assert p.state == "changed" and text_of(new, p) == "We will appeal, and we expect"


def test_a_corrected_figure_is_changed() -> None:
    new = BASE.replace("fell 12%", "fell 21%")
    p = one(BASE, new, span(BASE, "Shares in the operator fell 12% after the ruling"))
    assert p.state == "changed" and text_of(new, p) == "Shares in the operator fell 21% after the ruling"


def test_a_fixed_typo_is_changed() -> None:
    old = BASE.replace("steepest", "steepset")
    p = one(old, BASE, span(old, "their steepset drop since the company listed in 2019"))
    assert p.state == "changed" and text_of(BASE, p) == "their steepest drop since the company listed in 2019"


def test_a_rewritten_lede_orphans_its_spans_and_keeps_the_others() -> None:
    new = paragraphs("Dockworkers vowed to fight on after a court ruling against the sale of the quay.", P2, P3, P4, P5)
    spans = [span(BASE, "the port authority had broken the law", ident="lede"), span(BASE, "Petra Lind", ident="b")]
    lede, name = place(BASE, new, spans)
    assert lede.state == "orphan" and name.state == "carried" and text_of(new, name) == "Petra Lind"


def test_two_equally_good_places_make_an_orphan_with_both_as_candidates() -> None:
    line = "Petra Lind spoke for the union."
    old = paragraphs(P1, line, P3)
    new = paragraphs("Fresh text one.", line, "Fresh text two.", line, "Fresh three.")
    p = one(old, new, span(old, "Petra Lind"))
    first = new.index("Petra")
    assert p.state == "orphan" and {c.start for c in p.candidates} == {first, new.index("Petra", first + 1)}


def test_when_several_copies_share_the_context_the_diff_decides() -> None:
    line = "The union said it would strike again if the ruling stood, and the operator said nothing."
    old = paragraphs(P1, line, line, line, P3)  # the first and second copies have the same 32 characters around
    new = paragraphs(LEDE, old)
    p = one(old, new, span(old, "the operator", nth=2))
    second = new.index("the operator", new.index("the operator") + 1)
    assert (p.state, p.method, p.start) == ("carried", "diff", second)


def test_context_places_a_moved_span_when_the_diff_cannot() -> None:
    new = paragraphs(P1, P3, P4, P5, P2)
    p = one(BASE, new, span(BASE, "Petra Lind"), min_move=10_000)  # no moved runs: only the context is left
    assert (p.state, p.method, p.start) == ("carried", "context", new.index("Petra Lind"))
    assert 0.55 <= p.score < 1


def test_fuzzy_matching_narrows_the_diffs_region_to_the_passage() -> None:
    new = BASE.replace("expect to win", "expect to secure a complete and total victory in the higher court")
    new = new.replace("who leads", "who now leads")  # an edit beside the span's end: its suffix is not whole there
    sp = span(BASE, "We will appeal, and we expect to win")
    p = one(BASE, new, sp, changed_context=0.0)
    assert (p.state, p.method) == ("changed", "fuzzy") and text_of(new, p) == "We will appeal, and we expect to"


def test_fuzzy_matching_never_moves_an_edge_where_the_stored_context_is_whole() -> None:
    new = BASE.replace("expect to win", "expect to secure a complete and total victory in the higher court")
    p = one(BASE, new, span(BASE, "We will appeal, and we expect to win"), changed_context=0.0)
    assert p.method != "fuzzy"  # the words replaced at the span's end are its own: not cut away


def test_spans_are_whole_words_and_in_range() -> None:
    new = BASE.replace("fell 12%", "fell sharply, by 21%,").replace("Petra Lind", "Petra Lindqvist")
    spans = [span(BASE, w, ident=w) for w in ("Petra Lind", "fell 12% after", "Shares", "reporters.")]
    for p in place(BASE, new, spans):
        if p.start is not None and p.end is not None:
            assert 0 <= p.start < p.end <= len(new)
            assert not (p.start and new[p.start - 1].isalnum() and new[p.start].isalnum())
            assert not (p.end < len(new) and new[p.end - 1].isalnum() and new[p.end].isalnum())
    name = place(BASE, new, spans)[0]  # not "Petra Lind" inside "Petra Lindqvist": the name was corrected
    assert name.state == "changed" and text_of(new, name) == "Petra Lindqvist"


def test_a_reworded_span_whose_neighbouring_paragraph_was_deleted_is_changed() -> None:
    offer, talks = "The operators said their offer of a 4 percent raise was final.", P5
    old = paragraphs(P1, offer, talks, P4)
    new = paragraphs(P1, offer.replace("4 percent", "5 percent"), P4)  # the suffix is another paragraph now
    p = one(old, new, span(old, "their offer of a 4 percent raise was final"))
    assert (p.state, text_of(new, p)) == ("changed", "their offer of a 5 percent raise was final")


def test_a_passage_rewritten_on_both_sides_of_a_span_is_no_changed_span() -> None:
    line = 'Wei Heller of the opposition party said the decision showed "{}" and called for talks on Wednesday.'
    quote = "the numbers simply do not add up, and the regional court knows it"
    old = paragraphs(P1, line.format(quote), P3)
    other = 'Li Ibarra of the rail operator said the decision showed "{}" and called for talks at the weekend.'
    new = paragraphs(P1, other.format(quote.replace("regional court", "port authority")), P3)  # a look-alike
    p = one(old, new, span(old, quote))
    assert p.state == "orphan" and p.candidates  # the look-alike is offered, not taken


def test_a_misspelt_one_word_span_is_changed_not_an_orphan() -> None:
    new = BASE.replace("Petra Lind,", "Petra Lnid,")
    p = one(BASE, new, span(BASE, "Lind"))
    assert (p.state, text_of(new, p)) == ("changed", "Lnid")
    renamed = one(BASE, BASE.replace("Petra Lind,", "Petra Holm,"), span(BASE, "Lind"))
    assert renamed.state == "orphan"  # another name is no edit of this one


def test_a_paragraph_moved_into_a_span_makes_no_changed_span() -> None:
    sp = span(BASE, P2[-40:] + "\n\n" + P3[:40])  # a span across a paragraph break
    p = one(BASE, paragraphs(P1, P2, P5, P3, P4), sp, changed_min=0.0, kept_min=0.0)
    assert p.state == "orphan"  # an edit inside a passage adds no paragraph
