"""The twin page in the question's language (bot/twins.py)."""

from __future__ import annotations

from bot.twins import twin_key
from gidsbot.types import Chunk

SITE = "https://gids.example.be"


def _chunk(path: str, language: str) -> Chunk:
    return Chunk("c1", f"{SITE}{path}", "Titel", "", None, language, "Tekst.", url=f"{SITE}{path}")


def test_twins_that_name_each_other_are_swapped() -> None:
    alternates = {
        f"{SITE}/nl/papier": {"fr": f"{SITE}/fr/papier"},
        f"{SITE}/fr/papier": {"nl": f"{SITE}/nl/papier/"},  # a trailing slash is the same page
    }
    assert twin_key(_chunk("/nl/papier", "nl"), "fr", alternates) == f"{SITE}/fr/papier"
    assert twin_key(_chunk("/nl/papier", "nl"), "nl", alternates) is None  # already in the language asked


def test_a_twin_that_names_another_page_is_refused() -> None:
    """Defect: a Dutch-only page pointed at the French home page, whose own twin is the Dutch home
    page; French questions about the Dutch page were then answered from the French home page."""
    alternates = {
        f"{SITE}/nl/hout": {"fr": f"{SITE}/fr/index.html"},
        f"{SITE}/fr/index.html": {"nl": f"{SITE}/nl/index.html"},
    }
    assert twin_key(_chunk("/nl/hout", "nl"), "fr", alternates) is None


def test_a_twin_that_names_no_page_is_believed() -> None:
    alternates = {f"{SITE}/nl/hout": {"fr-be": f"{SITE}/fr/bois"}}
    assert twin_key(_chunk("/nl/hout", "nl"), "fr", alternates) == f"{SITE}/fr/bois"
