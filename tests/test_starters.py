"""Starter and follow-up questions come from the headings the index holds."""

from __future__ import annotations

from gidsbot.types import Answer, Chunk, Citation
from ui.starters import clean_topic, follow_up_questions, question_about, theme_of, themed_topics


def _chunk(source: str, title: str, section: str, position: int = 0) -> Chunk:
    return Chunk(f"{source}-{position}", source, title, section, None, "nl", "tekst", position)


CHUNKS = [
    _chunk("papier", "Kantoorpapier", "Criteria", 0),
    _chunk("papier", "Kantoorpapier", "Labels", 1),
    _chunk("papier", "Kantoorpapier", "Criteria › Gerecycleerd papier", 2),
    _chunk("wet", "Omzendbrief van 16 mei 2014", "3. Duurzaamheid in overheidsopdrachten", 0),
    _chunk("wet", "Omzendbrief van 16 mei 2014", "4. Sociale clausules", 1),
    _chunk("ecolabel", "L'écolabel européen", "Introduction", 0),
    _chunk("bms", "Buyer Meets Supplier", "Verslag", 0),
]


def test_headings_lose_numbering_and_boilerplate():
    assert clean_topic("5.1. Belgische Buyer Group") == "Belgische Buyer Group"
    assert clean_topic("Introduction") == ""
    assert clean_topic("x" * 200) == ""


def test_themes_in_three_languages():
    assert theme_of("Schoonmaakproducten") == "products"
    assert theme_of("Véhicules de service") == "products"
    assert theme_of("Omzendbrief van 16 mei 2014") == "legal"
    assert theme_of("L'écolabel européen") == "labels"  # accents folded
    assert theme_of("Buyer Meets Supplier") == "other"


def test_starters_are_grouped_by_theme_from_the_index():
    themes = themed_topics(CHUNKS)
    assert "Kantoorpapier" in themes["products"]
    assert "Kantoorpapier: Labels" in themes["labels"]  # a short heading says which document it is about
    assert themes["legal"] == ["Omzendbrief van 16 mei 2014", "Omzendbrief van 16 mei 2014: Sociale clausules"]
    assert themes["other"] == [
        "Duurzaamheid in overheidsopdrachten",
        "Buyer Meets Supplier: Verslag",
        "Buyer Meets Supplier",
    ]


def test_a_french_interface_opens_on_the_french_pages_headings():
    """Defect: starters were the index's raw Dutch headings, also in the French interface. Where the
    index holds French pages, a French interface now starts from their headings."""
    twins = [
        Chunk("nl-1", "nl/papier", "Kantoorpapier", "Labels", None, "nl", "tekst"),
        Chunk("fr-1", "fr/papier", "Papier de bureau", "Labels", None, "fr", "texte"),
    ]
    french = themed_topics(twins, language="fr")
    assert french == {"products": ["Papier de bureau"], "labels": ["Papier de bureau: Labels"]}
    assert themed_topics(twins, language="nl")["products"] == ["Kantoorpapier"]
    assert themed_topics(twins, language="en") == themed_topics(twins)  # no English pages: all of them


def test_starter_questions_speak_the_interface_language():
    assert question_about("FSC", "fr") == "Que dit le guide sur « FSC » ?"
    assert question_about("FSC", "nl") == "Wat zegt de gids over ‘FSC’?"


def test_follow_ups_come_from_neighbouring_headings_in_the_answer_language():
    chunks_of = {"papier": [c for c in CHUNKS if c.source == "papier"]}
    answer = Answer("…", "fr", True, [Citation(1, "Kantoorpapier", "papier", "Labels", "")], question="papier?")
    follow = follow_up_questions(answer, chunks_of, asked=["papier?"])
    assert follow == [
        "Que dit le guide sur « Kantoorpapier: Criteria » ?",
        "Que dit le guide sur « Kantoorpapier: Gerecycleerd papier » ?",
    ]


def test_follow_ups_skip_what_was_asked_and_start_with_the_bots_own():
    closest = [Citation(1, "Omzendbrief van 16 mei 2014", "wet", "", "")]
    answer = Answer("…", "nl", False, closest, suggestions=["Wat is een raamcontract?"])
    asked = ["Wat zegt de gids over ‘Omzendbrief van 16 mei 2014’?"]
    assert follow_up_questions(answer, {}, asked) == ["Wat is een raamcontract?"]
