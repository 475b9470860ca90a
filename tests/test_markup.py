"""Escaping, links and highlighted passages: what the app hands to st.markdown."""

from __future__ import annotations

import pytest

from gidsbot.types import Answer, Chunk, Citation
from ui.answers import Exchange, cards_for, find_passage, plain_text
from ui.markup import Segment, highlight_markdown, md_escape, page_link, passage_segments, safe_link


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("![x](http://e/x.png)", "!\\[x\\](http\\://e/x.png)"),
        (":red[alarm] :material/home:", "\\:red\\[alarm\\] \\:material/home\\:"),
        ("5. Afstemming", "5\\. Afstemming"),  # a backslash before the digit would show
        ("# kop\n- lijst\n> quote", "\\# kop\n\\- lijst\n\\> quote"),
        ("**vet** _schuin_ `code` $x$", "\\*\\*vet\\*\\* \\_schuin\\_ \\`code\\` \\$x\\$"),
        ("a|b ~~weg~~ {x}", "a\\|b \\~\\~weg\\~\\~ \\{x\\}"),
    ],
)
def test_md_escape(text, escaped):
    assert md_escape(text) == escaped


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://gids.be/a?b=1#c", "https://gids.be/a?b=1#c"),
        ("http://x.be/fiche (2).pdf", "http://x.be/fiche%20%282%29.pdf"),
        ('https://x.be/"><script>', "https://x.be/%22%3E%3Cscript%3E"),
        ("javascript:alert(1)", ""),
        ("data:text/html,<b>", ""),
        ("//evil.example/x", ""),
        ("https://x.be/a\nb", ""),
        ("", ""),
    ],
)
def test_safe_link(url, safe):
    assert safe_link(url) == safe


def test_page_link_opens_a_pdf_at_its_page():
    assert page_link("https://gids.be/omzendbrief.pdf", 4) == "https://gids.be/omzendbrief.pdf#page=4"
    assert page_link("https://gids.be/fiche", None) == "https://gids.be/fiche"
    assert page_link("javascript:x", 4) == ""


PASSAGE = (
    "De werkgroep kwam vier keer samen. Op 23 mei 2018 was er een eerste Buyer Meets Supplier. "
    "Daarna volgde een tweede in 2019. Tot slot kwam er een rapport."
)


def test_the_answering_sentence_is_marked_within_its_passage():
    segments = passage_segments(PASSAGE, "Op 23 mei 2018 was er een eerste Buyer Meets Supplier.")
    assert [s.text for s in segments if s.marked] == ["Op 23 mei 2018 was er een eerste Buyer Meets Supplier."]
    assert segments[0].text == "De werkgroep kwam vier keer samen."


def test_only_sentences_the_answer_quotes_are_marked():
    snippet = "Op 23 mei 2018 was er een eerste Buyer Meets Supplier. … Daarna volgde een tweede in 2019."
    answer = "Volgens de documenten:\n\nOp 23 mei 2018 was er een eerste Buyer Meets Supplier. [1]"
    marked = [s.text for s in passage_segments(PASSAGE, snippet, answer) if s.marked]
    assert marked == ["Op 23 mei 2018 was er een eerste Buyer Meets Supplier."]
    written = "In mei 2018 was er een eerste BMS [1]."  # a language model's own words: mark the snippet
    assert len([s for s in passage_segments(PASSAGE, snippet, written) if s.marked]) == 2


def test_a_long_passage_is_cut_around_the_answer():
    long = " ".join(f"Zin nummer {i} gaat over iets anders dan de vraag." for i in range(40))
    passage = long + " Het antwoord staat hier. " + long
    segments = passage_segments(passage, "Het antwoord staat hier.", window=30)
    assert segments[0].text == "…" and segments[-1].text == "…"
    assert sum(len(s.text.split()) for s in segments) < 40
    assert [s.text for s in segments if s.marked] == ["Het antwoord staat hier."]


def test_an_unfound_snippet_is_shown_alone():
    assert passage_segments(PASSAGE, "Iets heel anders.") == [Segment("Iets heel anders.")]


def test_highlight_keeps_page_text_escaped_inside_the_markup():
    markdown = highlight_markdown([Segment("voor"), Segment("<img src=x onerror=alert(1)>] **x**", marked=True)])
    assert markdown == "voor :orange-background[**\\<img src=x onerror=alert(1)\\>\\] \\*\\*x\\*\\***]"


def test_a_quoted_list_keeps_its_items_on_their_own_lines():
    """Defect: the items of a list in a source card ran together as "- a - b - c"."""
    markdown = highlight_markdown([Segment("Aanvaarde labels:"), Segment("- EU Ecolabel\n- Nordic Swan", marked=True)])
    marked = ":orange-background[**\\- {}**]"
    assert markdown == "Aanvaarde labels\\:  \n" + marked.format("EU Ecolabel") + "  \n" + marked.format("Nordic Swan")
    assert highlight_markdown([Segment("Een zin."), Segment("Nog een.")]) == "Een zin. Nog een."


def test_a_quoted_list_is_marked_without_the_sentence_after_it():
    """Defect: a list's last item has no full stop, and the sentence after the list was marked with it."""
    passage = "Aanvaarde labels:\n- EU Ecolabel\n- PEFC\nEen label is nooit het enige bewijs. Vraag ook iets anders."
    quoted = "Aanvaarde labels:\n- EU Ecolabel\n- PEFC"
    segments = passage_segments(passage, quoted, f"Volgens de documenten:\n\n{quoted} [1]")
    assert [s.text for s in segments if s.marked] == ["Aanvaarde labels:", "- EU Ecolabel", "- PEFC"]
    assert "Een label is nooit het enige bewijs." in [s.text for s in segments if not s.marked]


def _chunk(text: str, section: str = "Labels", page: int | None = None) -> Chunk:
    return Chunk(
        "c1",
        "papier.pdf",
        "Fiche papier",
        section,
        page,
        "nl",
        text,
        0,
        "https://gids.be/papier.pdf",
        "2024-03-01T10:00:00Z",
    )


def test_cards_carry_place_page_language_date_link_and_highlight():
    chunk = _chunk(PASSAGE, page=3)
    citation = Citation(
        n=1,
        title="Fiche papier",
        source="papier.pdf",
        section="Labels",
        page=3,
        snippet="Op 23 mei 2018 was er een eerste Buyer Meets Supplier.",
        url="https://gids.be/papier.pdf",
        language="nl",
        modified="2024-03-01T10:00:00Z",
    )
    answer = Answer("Op 23 mei 2018 was er een eerste Buyer Meets Supplier. [1]", "nl", True, [citation])
    [card] = cards_for(answer, {"papier.pdf": [chunk]}, "2026-01-01T00:00:00Z")
    assert (card.link, card.date, card.dated_by, card.page) == (
        "https://gids.be/papier.pdf#page=3",
        "2024-03-01",
        "updated",
        3,
    )
    assert any(s.marked for s in card.segments)
    text = plain_text(Exchange("x", "q", answer, [card]), "en")
    assert "[1] Fiche papier — Labels, p. 3, NL, updated 2024-03-01, indexed 2026-01-01" in text
    assert "https://gids.be/papier.pdf#page=3" in text


def test_find_passage_prefers_the_cited_section():
    chunks = [_chunk("Andere tekst.", section="Inleiding"), _chunk(PASSAGE)]
    citation = Citation(1, "Fiche papier", "papier.pdf", "Labels", "Daarna volgde een tweede in 2019.")
    assert find_passage(chunks, citation) == PASSAGE
    assert find_passage(chunks, Citation(1, "Fiche papier", "papier.pdf", "X", "niet aanwezig")) == ""


def test_a_tables_rows_keep_their_lines_in_a_source_card():
    """Defect: a quoted table's rows ran together in the card ("… 2022 Gepubliceerde opdrachten · 4.812 …")."""
    quoted = "Tabel 1\nIndicator · 2021 · 2022\nOpdrachten · 56 · 73\nVoorbehouden · 11 · 15"
    passage = f"Zie de tabel hieronder.\n\n{quoted}"
    segments = passage_segments(passage, quoted, f"Volgens de documenten:\n\n{quoted} [1]")
    lines = highlight_markdown(segments).split("  \n")
    assert lines[0] == "Zie de tabel hieronder."
    assert [line.count("·") for line in lines[1:]] == [0, 2, 2, 2] and all("orange" in line for line in lines[1:])
    # sentences of one paragraph stay on one line
    assert "  \n" not in highlight_markdown(passage_segments("Een. Twee zinnen hier. Drie.", "Twee zinnen hier."))
