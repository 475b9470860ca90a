"""`gidsbot ingest --site` end to end: the fixture guide on 127.0.0.1 -> a published index -> answers.

Fast hashing embeddings; the crawler's own behaviour is covered in detail by tests/test_crawl.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import Bot
from gidsbot.settings import load_settings
from tests.crawlsite import Site, build_guide
from ui.cli import main


@pytest.fixture
def guide() -> Iterator[Site]:
    with Site() as external, Site() as site:
        build_guide(site, external.url("/"))
        site.external = external  # type: ignore[attr-defined]
        yield site


def ingest(site: Site, index: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    assert (
        main(["ingest", "--site", site.url("/"), "--index", str(index), "--embeddings", "hashing", "--json", *extra])
        == 0
    )
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.fixture(autouse=True)
def _no_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIDSBOT_CRAWL_DELAY", "0")
    monkeypatch.setenv("GIDSBOT_TIMEOUT", "5")


def test_crawl_of_the_guide_from_its_root(guide, tmp_path, capsys):
    index = tmp_path / "index"
    report = ingest(guide, index, capsys)
    parts = guide.parts  # type: ignore[attr-defined]
    bot = Bot.load(settings=load_settings(environ={}, index=index))
    sources = {d["source"] for d in bot.index.documents()}
    for role in ("papier_nl", "papier_fr", "schoonmaak", "labels", "wetgeving", "verlichting", "pdf", "docx"):
        assert guide.url(parts[role]) in sources, role
    assert any(f["url"] == guide.url(parts["missing"]) for f in report["failed"])
    reasons = {(s["url"], s["reason"]) for s in report["skipped"]}
    assert (guide.url(parts["search"]) + "?q=papier", "robots") in reasons or any(
        r == "robots" and parts["search"] in u for u, r in reasons
    )
    assert any(r == "out-of-scope" for _, r in reasons)
    assert guide.count(parts["search"]) == 0 and guide.count(parts["private"]) == 0
    assert not [p for p in guide.paths() if "utm_" in p or "fbclid" in p]
    assert guide.external.paths() == []  # type: ignore[attr-defined]
    text = "\n".join(c.text for c in bot.index.chunks)
    assert "cookies" not in text and "Deze website gebruikt" not in text
    assert "Gerecycleerde vezels: minstens 70 % · Technische specificatie · EU Ecolabel of FSC Recycled" in text


def test_answers_come_from_pages_and_pdfs(guide, tmp_path, capsys):
    index = tmp_path / "index"
    ingest(guide, index, capsys)
    bot = Bot.load(settings=load_settings(environ={}, index=index))
    parts = guide.parts  # type: ignore[attr-defined]
    answer = bot.ask("Hoeveel procent gerecycleerde vezels moet kopieerpapier bevatten?")
    assert answer.found and "70 %" in answer.answer
    assert answer.citations[0].url.startswith(guide.url("/"))
    pdf = bot.ask("Wat staat er in de omzendbrief van 16 mei 2014 over sociale criteria?")
    assert any(c.source == guide.url(parts["pdf"]) and c.page == 1 for c in pdf.citations)


def test_recrawl_is_incremental_and_sees_edits_and_deletions(guide, tmp_path, capsys):
    index = tmp_path / "index"
    first = ingest(guide, index, capsys)
    assert first["added"] >= 10 and first["embedded_chunks"] > 0

    unchanged = ingest(guide, index, capsys)
    assert (unchanged["added"], unchanged["changed"], unchanged["removed"], unchanged["embedded_chunks"]) == (
        0,
        0,
        0,
        0,
    )

    parts = guide.parts  # type: ignore[attr-defined]
    guide.edit(
        parts["schoonmaak"],
        "Kies producten met het EU Ecolabel.",
        "Kies producten met het EU Ecolabel. Sinds 2025 zijn microvezeldoeken verplicht.",
    )
    edited = ingest(guide, index, capsys)
    assert (edited["changed"], edited["added"], edited["removed"]) == (1, 0, 0)
    assert 1 <= edited["embedded_chunks"] <= 3
    bot = Bot.load(settings=load_settings(environ={}, index=index))
    assert "microvezeldoeken" in bot.ask("Sinds wanneer zijn microvezeldoeken verplicht?").answer

    del guide.routes[parts["verlichting"]]
    removed = ingest(guide, index, capsys)
    assert removed["removed"] == 1 and removed["changed"] == 0
    bot = Bot.load(settings=load_settings(environ={}, index=index))
    assert guide.url(parts["verlichting"]) not in {d["source"] for d in bot.index.documents()}


def test_max_pages_stops_and_says_why(guide, tmp_path, capsys):
    report = ingest(guide, tmp_path / "index", capsys, "--max-pages", "3")
    assert "max-pages" in report["stopped"]
    assert report["documents"] <= 3


def test_ingest_with_a_sources_file(guide, tmp_path, capsys):
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[[site]]\nname = "fixture-nl"\nstart_urls = ["{guide.url("/nl")}"]\n'
        f'scopes = [{{ host = "{guide.host}", prefixes = ["/nl"] }}]\nexclude = ["/labels"]\n',
        encoding="utf-8",
    )
    assert (
        main(
            ["ingest", "--config", str(config), "--index", str(tmp_path / "index"), "--embeddings", "hashing", "--json"]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    bot = Bot.load(settings=load_settings(environ={}, index=tmp_path / "index"))
    sources = {d["source"] for d in bot.index.documents()}
    assert report["documents"] == len(sources) >= 5
    assert not [s for s in sources if "/fr" in s or "/labels" in s]
    assert guide.url(guide.parts["pdf"]) in sources  # type: ignore[attr-defined]


def test_a_page_is_dated_by_itself_or_its_server_never_by_the_crawl(guide, tmp_path, capsys):
    """Defect: an undated page's card said "updated" with the day it was crawled. A page's date is its
    own (metadata, a date in it) or the server's Last-Modified; without either it has none, and its
    card says when it was indexed."""
    from tests.crawlsite import Route

    parts = guide.parts  # type: ignore[attr-defined]
    guide.routes["/undated.html"] = Route(
        b"<html lang='nl'><body><main><h1>Vergaderzalen</h1><p>Kies een vergaderzaal die je met de trein "
        b"bereikt en die groene stroom gebruikt.</p></main></body></html>",
        validators=False,
    )
    guide.routes["/"] = Route(guide.routes["/"].body.replace(b"</body>", b"<a href='/undated.html'>Zalen</a></body>"))
    index = tmp_path / "index"
    ingest(guide, index, capsys)
    bot = Bot.load(settings=load_settings(environ={}, index=index))
    modified = {c.source: c.modified for c in bot.index.chunks}
    assert modified[guide.url("/undated.html")] == ""
    assert modified[guide.url(parts["papier_nl"])][:4].isdigit()  # Last-Modified from the server
