import pytest

from ingest.extract import ExtractError, media_type, read_bytes
from tests.conftest import CORPUS
from tests.docs import make_docx, make_pdf

VP = CORPUS / "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"
ICDO = CORPUS / "icdo-werkgroep-duurzame-overheidsopdrachten-activiteiten-2021.txt"


def test_bundled_texts_get_titles_sections_and_language():
    icdo = read_bytes(ICDO.read_bytes(), ICDO.name)
    assert icdo is not None
    assert icdo.title == "De WG “Duurzame Overheidsopdrachten” van de ICDO — Activiteiten 2021"
    assert icdo.language == "nl"
    paths = {s.path for s in icdo.sections}
    assert (
        "5. Afstemming tussen gewestvertegenwoordigers in het kader van de werkzaamheden van het Circulair "
        "and Fair ICT Pact",
        "5.1. Belgische Buyer Group",
    ) in paths
    vp = read_bytes(VP.read_bytes(), VP.name)
    assert vp is not None and vp.title == "Vlaams Actieplan Duurzame Overheidsopdrachten - Stand van zaken"
    assert "Op 4 februari 2019 werd samen met BBL en Catapa een tweede BMS opgezet" in vp.text


def test_markdown_headings_become_the_section_path():
    text = "# Kantoorpapier\n\n## Criteria\n\n### Gerecycleerd\n\nMinstens 70% gerecycleerde vezels.\n"
    document = read_bytes(text.encode(), "fiches/papier.md")
    assert document is not None
    assert document.title == "Kantoorpapier"
    assert document.sections[0].path == ("Criteria", "Gerecycleerd")


def test_pdf_keeps_page_numbers_and_drops_running_headers():
    pages = [
        ["Omzendbrief duurzame aankopen", f"Pagina {n} bevat het {n}e deel van de tekst over papier.", f"{n}"]
        for n in range(1, 5)
    ]
    document = read_bytes(make_pdf(pages, title="Omzendbrief 2014"), "omzendbrief.pdf")
    assert document is not None
    assert document.title == "Omzendbrief 2014"
    assert [s.page for s in document.sections] == [1, 2, 3, 4]
    assert "Omzendbrief duurzame aankopen" not in document.text
    assert "Pagina 3 bevat het 3e deel" in document.text


def test_a_two_page_fiche_loses_its_running_header_and_keeps_its_numbered_headings():
    """Defects: on a two-page PDF the running header was glued to the last item of page 1 (furniture
    was only looked for from three pages on), and a numbered heading followed by its paragraph on the
    next line ("1. Objet du document" / "Ce document …") was read as one paragraph, so the fiche had no
    sections and the criteria under "4. Gunningscriteria" ran into "5. Meer weten"."""
    header = "Gids voor duurzame aankopen - Fiche thee"
    pages = [
        [
            header,
            "1. Waarom deze fiche",
            "Thee groeit in landen waar telers weinig verdienen.",
            "2. Technische specificaties",
            "- Alle thee komt uit biologische teelt. Verificatie: biolabel",
            "Pagina 1",
        ],
        [
            header,
            "3. Gunningscriteria",
            "- Meer thee met een label voor eerlijke handel. Verificatie: facturen",
            "4. Meer weten",
            "De helpdesk van de gids helpt u verder.",
            "Pagina 2",
        ],
    ]
    document = read_bytes(make_pdf(pages), "fiche-thee.pdf")
    assert document is not None and header not in document.text
    paths = [s.path[-1] for s in document.sections if s.path]
    assert paths[:4] == ["1. Waarom deze fiche", "2. Technische specificaties", "3. Gunningscriteria", "4. Meer weten"]
    award = next(s for s in document.sections if s.path and s.path[-1] == "3. Gunningscriteria")
    assert award.page == 2 and "helpdesk" not in award.text


def test_docx_headings_and_table_rows():
    data = make_docx(
        "Fiche schoonmaakproducten",
        [("Criteria", "Producten met het EU Ecolabel voldoen."), ("Verificatie", "Een certificaat volstaat.")],
        table=[["Criterium", "Type", "Verificatie"], ["Biologisch afbreekbaar", "technische specificatie", "Ecolabel"]],
    )
    document = read_bytes(data, "schoonmaak.docx")
    assert document is not None
    assert document.title == "Fiche schoonmaakproducten"
    assert ("Criteria",) in {s.path for s in document.sections}
    assert "Biologisch afbreekbaar · technische specificatie · Ecolabel" in document.text


def test_damaged_documents_raise_a_clear_error():
    with pytest.raises(ExtractError, match="unreadable PDF"):
        read_bytes(b"%PDF-1.4 this is not really a pdf", "kapot.pdf")
    with pytest.raises(ExtractError, match="unreadable Word"):
        read_bytes(b"PK not a zip", "kapot.docx")


def test_media_types_by_name():
    assert media_type("a/B.PDF") == "application/pdf"
    assert media_type("logo.png") is None


def test_the_http_charset_is_honoured_and_one_decoder_serves_every_reader():
    """Guards against the HTTP charset dropped on the way: a page in ISO-8859-15 that says so only in
    its Content-Type header (the euro sign is 0xA4 there, a currency sign in Latin-1)."""
    from ingest.decode import decode, http_charset

    page = "<html lang='nl'><body><main><p>De prijs bedraagt 25 € per stuk.</p></main></body></html>"
    data = page.encode("iso-8859-15")
    document = read_bytes(data, "https://example.org/p", "text/html; charset=ISO-8859-15", url="https://example.org/p")
    assert document is not None and "25 € per stuk" in document.text
    text = read_bytes("Prijs: 25 €".encode("iso-8859-15"), "prijs.txt", "text/plain; charset=iso-8859-15")
    assert text is not None and "25 €" in text.text
    assert http_charset('text/html; charset="utf-8"') == "utf-8" and http_charset("text/html") == ""
    assert decode("café".encode("cp1252")) == "café"  # no charset anywhere: Windows-1252
    assert decode("café".encode()) == "café"  # valid UTF-8 wins over a declared single-byte charset
    assert decode(b'<meta charset="iso-8859-1">caf\xc3\xa9') == '<meta charset="iso-8859-1">café'


def test_a_pdf_tables_rows_and_lists_items_stay_together_in_their_section():
    """Defect: a PDF's rows and items were written a blank line apart in their section, so a table's
    rows lost their header (a row was quoted as "Indicator · 2020 · 2021 · 2022") and a list its lead."""
    from gidsbot.units import answer_units

    lines = [
        "1. Cijfers",
        "Tabel 1 – Opdrachten per jaar",
        "Indicator                       2021      2022",
        "Opdrachten met een clausule       56        73",
        "Voorbehouden opdrachten           11        15",
        "De opleidingen gingen over drie onderwerpen:",
        "- de levenscycluskost;",
        "- de sociale clausules;",
        "- de labels als bewijs.",
    ]
    document = read_bytes(make_pdf([lines]), "verslag.pdf")
    assert document is not None
    text = document.sections[0].text
    assert "Indicator · 2021 · 2022\nOpdrachten met een clausule · 56 · 73\n" in text
    assert "onderwerpen:\n- de levenscycluskost;\n- de sociale clausules;" in text
    units = {(u.kind, u.text) for u in answer_units(text)}
    assert ("row", "Indicator: Opdrachten met een clausule · 2021: 56 · 2022: 73") in units
    assert any(kind == "list" and text.startswith("De opleidingen") and "labels" in text for kind, text in units)
