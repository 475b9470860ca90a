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
