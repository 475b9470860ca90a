"""Criteria ready for a tender: read from fiches at ingest (HTML tables, PDF and Word phase headings),
asked for on the command line and in a question, and exported as Word and Markdown."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import Bot
from gidsbot.settings import load_settings
from ingest.criteria import extract_criteria
from ingest.extract import read_bytes
from tests.crawlsite import Site, guide_page
from tests.docs import make_pdf
from ui.cli import main

NL = "/nl/productgroepen/schoonmaakproducten"
FR = "/fr/groupes-de-produits/produits-de-nettoyage"
PDF = "/files/fiche-koffie.pdf"
DOCX = "/files/fiche-meubilair.docx"

ROWS_NL = [
    (
        "Milieubeheer bij de inschrijver volgens een erkend systeem",
        "Selectie",
        "ISO 14001, EMAS of een gelijkwaardig certificaat",
    ),
    (
        "Allesreinigers voldoen aan de criteria van een type I-milieulabel",
        "Technische specificatie",
        "EU Ecolabel of Nordic Swan",
    ),
    ("Geen parfum in sanitaire reinigers", "Technische specificatie", "Productfiche"),
    ("Geconcentreerde producten met een doseersysteem", "Gunning", "Technisch dossier"),
    ("Opleiding van het schoonmaakpersoneel in correct doseren", "Uitvoeringsvoorwaarde", "Opleidingsplan"),
]
ROWS_FR = [
    (
        "Gestion environnementale chez le soumissionnaire selon un système reconnu",
        "Sélection",
        "ISO 14001, EMAS ou certificat équivalent",
    ),
    (
        "Les nettoyants tout usage respectent les critères d'un label écologique de type I",
        "Spécification technique",
        "EU Ecolabel ou Nordic Swan",
    ),
    ("Pas de parfum dans les nettoyants sanitaires", "Spécification technique", "Fiche produit"),
    ("Produits concentrés avec un système de dosage", "Attribution", "Dossier technique"),
    ("Formation du personnel de nettoyage au dosage correct", "Clause d'exécution", "Plan de formation"),
]


def _table(heading: str, header: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> str:
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<h2>{heading}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


TABLE_NL = _table("Criteria per fase", ("Criterium", "Fase", "Verificatie"), ROWS_NL) + (
    "<h2>Meer weten</h2><ul><li>Een lijst met goede voorbeelden van andere overheden is op aanvraag te krijgen.</li>"
    "</ul>"
)
TABLE_FR = _table("Critères par phase", ("Critère", "Phase", "Vérification"), ROWS_FR)
PDF_LINES = [
    "Fiche koffie en thee",
    "1. Inleiding",
    "Deze fiche gaat over koffie en thee voor vergaderingen en automaten.",
    "2. Technische specificaties",
    "- Minstens de helft van de koffie draagt een keurmerk voor eerlijke handel."
    " Verificatie: Fairtrade of gelijkwaardig",
    "- Alle thee is biologisch geteeld. Verificatie: Europees biolabel",
    "3. Gunningscriteria",
    "- Een hoger aandeel biologische koffie dan de minimumeis. Verificatie: facturen van de leverancier",
]


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Mobilier de bureau"
    document.add_heading("Introduction", level=1)
    document.add_paragraph("Cette fiche traite des chaises et des bureaux pour les services publics.")
    document.add_heading("Spécifications techniques", level=1)
    document.add_paragraph(
        "Le bois provient de forêts gérées durablement. Vérification : FSC, PEFC ou preuve équivalente",
        style="List Bullet",
    )
    document.add_paragraph(
        "Les pièces de rechange restent disponibles pendant cinq ans. Vérification : déclaration du fabricant",
        style="List Bullet",
    )
    document.add_heading("Clauses d'exécution", level=1)
    document.add_paragraph("Le fournisseur reprend les emballages à la livraison.", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_criteria_tables_become_records_with_phase_verification_and_labels():
    html = guide_page("nl", "Schoonmaakproducten", TABLE_NL)
    document = read_bytes(
        html.encode(), "https://gids.example/nl/schoonmaak", "text/html", url="https://gids.example/nl/schoonmaak"
    )
    assert document is not None
    criteria = extract_criteria(document)
    assert [c.phase for c in criteria] == ["selection", "specification", "specification", "award", "contract"]
    assert criteria[1].text == "Allesreinigers voldoen aan de criteria van een type I-milieulabel"
    assert criteria[1].verification == "EU Ecolabel of Nordic Swan"
    assert criteria[1].labels == ("EU Ecolabel", "Nordic Swan")
    assert criteria[0].labels == ("EMAS", "ISO 14001")
    assert all("goede voorbeelden" not in c.text for c in criteria)  # nothing from outside the table
    assert {c.product_group for c in criteria} == {"Schoonmaakproducten"}


def test_pdf_and_word_fiches_give_the_lists_under_their_phase_headings():
    pdf = read_bytes(make_pdf([PDF_LINES]), "fiche-koffie.pdf", "application/pdf")
    assert pdf is not None
    koffie = extract_criteria(pdf)
    assert [(c.phase, c.verification) for c in koffie] == [
        ("specification", "Fairtrade of gelijkwaardig"),
        ("specification", "Europees biolabel"),
        ("award", "facturen van de leverancier"),
    ]
    assert koffie[0].text.startswith("Minstens de helft van de koffie") and koffie[0].labels == ("Fairtrade",)
    assert koffie[0].page == 1
    word = read_bytes(_docx(), "fiche-meubilair.docx", "")
    assert word is not None
    meubilair = extract_criteria(word)
    assert [c.phase for c in meubilair] == ["specification", "specification", "contract"]
    assert meubilair[0].verification == "FSC, PEFC ou preuve équivalente" and meubilair[0].labels == ("FSC", "PEFC")
    assert meubilair[2].text == "Le fournisseur reprend les emballages à la livraison."


@pytest.fixture(scope="module")
def fiches_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Site]]:
    with Site() as site:
        site.page(
            "/",
            f'<html><body><a href="{NL}">NL</a> <a href="{FR}">FR</a> <a href="{PDF}">koffie</a> '
            f'<a href="{DOCX}">meubles</a></body></html>',
        )
        site.page(NL, guide_page("nl", "Schoonmaakproducten", TABLE_NL, nl=NL, fr=FR))
        site.page(FR, guide_page("fr", "Produits de nettoyage", TABLE_FR, nl=NL, fr=FR))
        site.file(PDF, make_pdf([PDF_LINES]), "application/pdf")
        site.file(DOCX, _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        index = tmp_path_factory.mktemp("criteria") / "index"
        settings = load_settings(environ={}, index=index, embeddings="hashing", crawl_delay=0.0)
        from ingest.pipeline import run_ingest

        run_ingest(settings, sites=[site.url("/")], show_progress=False)
        yield index, site


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    status = main(list(args))
    out = capsys.readouterr().out.strip().splitlines()
    return status, json.loads(out[-1])


def test_gidsbot_criteria_returns_the_fiche_by_phase_in_the_language_asked(fiches_index, capsys, tmp_path):
    index, site = fiches_index
    status, data = _run(capsys, "criteria", "schoonmaakproducten", "--index", str(index), "--json")
    assert status == 0
    assert data["product_group"] == "Schoonmaakproducten" and data["fiche"]["source"] == site.url(NL)
    assert [c["phase"] for c in data["criteria"]] == [
        "selection",
        "specification",
        "specification",
        "award",
        "contract",
    ]
    assert {"n", "phase", "text", "verification", "labels", "source", "section", "page", "language"} <= set(
        data["criteria"][0]
    )
    status, data = _run(
        capsys, "criteria", "schoonmaakproducten", "--lang", "fr", "--phase", "award", "--index", str(index), "--json"
    )
    assert status == 0 and data["fiche"]["language"] == "fr"  # the French twin of the Dutch fiche
    assert [c["text"] for c in data["criteria"]] == ["Produits concentrés avec un système de dosage"]
    status, data = _run(capsys, "criteria", "koffie", "--index", str(index), "--json")
    assert status == 0 and data["fiche"]["source"] == site.url(PDF) and len(data["criteria"]) == 3
    status, data = _run(capsys, "criteria", "tuinonderhoud", "--index", str(index), "--json")
    assert status == 1 and "No product group matches 'tuinonderhoud'; the closest are" in data["error"]


def test_the_word_export_holds_every_criterion_with_its_source_and_date(fiches_index, capsys, tmp_path):
    import docx

    index, site = fiches_index
    target = tmp_path / "criteria.docx"
    status, data = _run(capsys, "criteria", "mobilier", "--index", str(index), "--json", "--docx", str(target))
    assert status == 0
    document = docx.Document(str(target))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Phase", "Critère", "Vérification"]
    assert [r[1] for r in rows[1:]] == [c["text"] for c in data["criteria"]]
    assert rows[1][0] == "Spécifications techniques" and rows[-1][0] == "Clauses d'exécution"
    assert "FSC, PEFC ou preuve équivalente" in rows[1][2]
    sources = " ".join(p.text for p in document.paragraphs)
    assert site.url(DOCX) in sources
    assert data["fiche"]["modified"][:10] and f"(Version du {data['fiche']['modified'][:10]})" in sources


def test_a_criteria_question_is_answered_with_the_fiches_records(fiches_index):
    index, site = fiches_index
    bot = Bot.load(settings=load_settings(environ={}, index=index))
    answer = bot.ask("Welke gunningscriteria gelden voor schoonmaakproducten?")
    assert answer.found and [c.phase for c in answer.criteria] == ["award"]
    assert "Geconcentreerde producten met een doseersysteem — verificatie: Technisch dossier [1]" in answer.answer
    assert answer.citations[0].source == site.url(NL)
    french = bot.ask("Quelles sont les clauses d'exécution pour les produits de nettoyage ?")
    assert french.citations[0].source == site.url(FR) and french.criteria[0].phase == "contract"
    assert "Formation du personnel de nettoyage au dosage correct" in french.answer
    narrowed = bot.ask(
        "En de technische specificaties?",
        history=[
            {"role": "user", "content": "Welke gunningscriteria gelden voor schoonmaakproducten?"},
            {"role": "assistant", "content": answer.answer},
        ],
    )
    assert {c.phase for c in narrowed.criteria} == {"specification"} and len(narrowed.criteria) == 2
    assert "(of gelijkwaardig)" in narrowed.answer  # a label named as proof: "or equivalent"
    data = answer.to_json()
    assert data["criteria"][0]["n"] == 1 and data["criteria"][0]["phase"] == "award"
    english = bot.ask("What are the award criteria for cleaning products?")
    assert [c.text for c in english.criteria] in (
        ["Geconcentreerde producten met een doseersysteem"],
        ["Produits concentrés avec un système de dosage"],
    )
    assert english.answer.startswith("Criteria from the fiche")
    # a product group without a fiche is no criteria question, whatever word it shares with one
    assert bot.ask("Welke criteria gelden voor elektrische dienstfietsen?").criteria == []
    # a fact asked about a criterion is answered as a fact, not with the whole list
    assert bot.ask("Wanneer verscheen de fiche schoonmaakproducten?").criteria == []
    # a product the fiche's title half names ("mobilier" of "Mobilier de bureau") with words neither the title
    # nor the passages hold is another product group: refused, not answered with the office furniture
    garden = bot.ask("Quelles exigences pour le mobilier de jardin de nos parcs communaux ?")
    assert garden.criteria == [] and not garden.found
    assert bot.ask("Quelles exigences pour le mobilier de bureau ?").criteria


def test_a_refused_question_gets_criteria_only_when_the_fiche_names_what_it_lacks(fiches_index):
    from bot.criteria import answer_for

    index, site = fiches_index
    every = Bot.load(settings=load_settings(environ={}, index=index)).index.criteria
    found = {site.url(DOCX)}
    asked = "Quels critères pour le gardiennage de nos bâtiments de bureau ?"
    assert answer_for(asked, "", "fr", every, found=found, key_words=["gardiennage"]) is None
    listed = answer_for(
        "Quels critères pour le mobilier de bureau ?", "", "fr", every, found=found, key_words=["bureau"]
    )
    assert listed is not None and listed.criteria


def test_the_app_shows_the_criteria_to_tick_and_export_and_status_lists_the_fiches(fiches_index, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    index, _ = fiches_index
    monkeypatch.setenv("GIDSBOT_INDEX", str(index))
    monkeypatch.setenv("GIDSBOT_FEEDBACK_DB", str(tmp_path / "feedback.sqlite"))
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "ui" / "app.py"), default_timeout=60)
    app.run()
    app.chat_input[0].set_value("Welke criteria gelden voor schoonmaakproducten?").run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "Criterion" in d.value.columns)  # English interface
    assert list(table["Phase"]) == [  # the fiche's own language
        "Selectiecriteria",
        "Technische specificaties",
        "Technische specificaties",
        "Gunningscriteria",
        "Uitvoeringsvoorwaarden",
    ]
    labels = {b.label for b in app.get("download_button")}
    assert {"Word (5)", "Markdown (5)"} <= labels
    # on a projector the criteria are a plain table that grows with the workshop's type (no canvas grid)
    app.sidebar.toggle(key="workshop").set_value(True).run()
    assert not app.exception and not [d for d in app.dataframe if "Criterion" in d.value.columns]
    projected = next(t.value for t in app.table if "Criterion" in t.value.columns)
    assert list(projected["Phase"]) == list(table["Phase"])
    assert {"Word (5)", "Markdown (5)"} <= {b.label for b in app.get("download_button")}
    app.sidebar.toggle(key="workshop").set_value(False).run()
    app.switch_page("views/status.py").run()
    assert not app.exception
    groups = next(t.value for t in app.table if "Product group" in t.value.columns)
    assert set(groups["Product group"]) == {
        "Schoonmaakproducten",
        "Produits de nettoyage",
        "Fiche koffie en thee",
        "Mobilier de bureau",
    }


def test_criteria_of_unchanged_fiches_are_carried_over_not_read_again(fiches_index, monkeypatch):
    from bot.retrieve import load_index
    from ingest import pipeline
    from ingest.pipeline import run_ingest

    index, site = fiches_index
    before = load_index(index).criteria
    read: list[str] = []
    original = pipeline.extract_criteria
    monkeypatch.setattr(
        pipeline, "extract_criteria", lambda document: read.append(document.source) or original(document)
    )
    settings = load_settings(environ={}, index=index, embeddings="hashing", crawl_delay=0.0)
    report = run_ingest(settings, sites=[site.url("/")], show_progress=False)
    assert report.changed == 0 and read == []  # nothing changed: no fiche read again
    assert load_index(index).criteria == before


def test_the_markdown_export_gives_the_fiches_address_as_a_readable_link():
    """Defect: the source line read "http\\://gids.be\\:8080/…" in a terminal and in the exported file."""
    from gidsbot.types import Criterion
    from ui.tender import to_markdown

    url = "https://gids.example.be/docs/fiche-koffie.pdf"
    criterion = Criterion("Fiche koffie", "award", "Meer koffie met een label.", url=url, modified="2024-09-01")
    text = to_markdown([criterion], "nl")
    assert f"<{url}> (Versie van 2024-09-01)" in text and "\\:" not in text.splitlines()[-1]
    local = to_markdown([Criterion("Fiche thee", "award", "Meer thee met een label.", source="thee_[1].pdf")], "nl")
    assert "thee\\_\\[1\\].pdf" in local  # a file name stays escaped


def test_the_fiche_a_question_names_wins_over_one_it_only_shares_a_word_or_a_stem_with():
    """Defects: "de fiche werkkleding" found a fiche titled "Fiche koffie" (the word "fiche"), and
    "printers" found "Drukwerk" (both hold the stem "print") over "Printers en multifunctionele toestellen"."""
    from bot.criteria import fiches, find_fiche
    from gidsbot.types import Criterion

    every = fiches(
        [
            Criterion(title, "award", "Een criterium.", source=f"https://gids.example.be/{n}", language="nl")
            for n, title in enumerate(
                [
                    "Gids voor duurzame aankopen - Fiche koffie",
                    "Werkkleding en textiel",
                    "Drukwerk",
                    "Printers en multifunctionele toestellen",
                ]
            )
        ]
    )
    werkkleding = find_fiche("Welke selectiecriteria stelt de fiche werkkleding voor?", every, "nl")
    assert werkkleding is not None and werkkleding.title == "Werkkleding en textiel"
    printers = find_fiche("Welke technische specificaties voor printers?", every, "nl")
    assert printers is not None and printers.title.startswith("Printers")
    assert find_fiche("Welke criteria stelt de gids voor?", every, "nl") is None  # names no product group
