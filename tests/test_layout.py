from ingest.layout import blocks, drop_furniture
from tests.conftest import CORPUS

ICDO = CORPUS / "icdo-werkgroep-duurzame-overheidsopdrachten-activiteiten-2021.txt"


def test_broken_lines_are_joined_across_blank_lines():
    text = "De werkgroep heeft verzorgd. In het \n\nbijzonder kan verwezen worden naar: \n"
    assert [b.text for b in blocks(text)] == ["De werkgroep heeft verzorgd. In het bijzonder kan verwezen worden naar:"]


def test_hyphenated_words_are_rejoined():
    assert blocks("de beleids-\nvoering van de overheid.")[0].text == "de beleidsvoering van de overheid."


def test_numbered_headings_get_levels():
    found = [(b.kind, b.level, b.text) for b in blocks(ICDO.read_text(encoding="utf-8")) if b.kind == "heading"]
    assert (
        "heading",
        1,
        "4. Afstemming ICDO werkgroep duurzame overheidsopdrachten en de werkgroep Farm to Fork",
    ) in found
    assert ("heading", 2, "5.1. Belgische Buyer Group") in found


def test_table_cells_become_rows():
    rows = [b.text for b in blocks(ICDO.read_text(encoding="utf-8")) if b.kind == "row"]
    assert "1/12/2020 – 1/12/2021 · 6272 30% 4208 3:46 5:20" in rows
    assert rows[0].startswith("Periode Aantal sessies vanuit België")


def test_repeated_headers_and_page_numbers_are_dropped():
    pages = [["Jaarverslag 2021", f"tekst van pagina {n}.", str(n)] for n in range(1, 5)]
    assert drop_furniture(pages) == [[f"tekst van pagina {n}."] for n in range(1, 5)]


def test_parts_in_capitals_and_roman_numbered_sections_are_headings():
    """Guards against a model specification read as one run of text: "DEEL III – GUNNING" and
    "III.2 Levertermijn" are headings, so the last list item before them does not swallow the next
    section, and a numbered award criterion with dot leaders stays text, not a heading."""
    text = "\n".join(
        [
            "DEEL III – GUNNING EN UITVOERING",
            "III.1 Gunningscriteria",
            "De offerte wordt beoordeeld op deze criteria:",
            "1. Prijs ................................ 60 punten",
            "- herbruikbare verpakking .............. 5 punten",
            "III.2 Levertermijn",
            "De stoelen worden binnen 45 kalenderdagen geleverd.",
        ]
    )
    found = [(b.kind, b.level, b.text) for b in blocks(text)]
    assert found[0] == ("heading", 1, "DEEL III – GUNNING EN UITVOERING")
    assert found[1] == ("heading", 2, "III.1 Gunningscriteria")
    assert found[3][0] == "paragraph" and found[3][2].startswith("1. Prijs")
    assert found[4] == ("item", 0, "- herbruikbare verpakking .............. 5 punten")
    assert found[5] == ("heading", 2, "III.2 Levertermijn")
    assert found[6][2] == "De stoelen worden binnen 45 kalenderdagen geleverd."


def test_a_list_ends_where_its_last_item_ends_and_the_next_paragraph_begins():
    """Defect: the last item of a list ("- moins la valeur résiduelle …." after items ending in ";")
    swallowed the paragraph under it, and was quoted as a fragment starting in lower case."""
    text = (
        "Le coût total comprend :\n- le prix d'achat ;\n- l'entretien et les réparations ;\n"
        "- moins la valeur résiduelle en fin de contrat.\nSauf mention contraire, le calcul porte sur\n"
        "huit ans.\n- Een item. Het gaat\nverder op de volgende lijn\n"
    )
    found = [(b.kind, b.text) for b in blocks(text)]
    assert ("item", "- moins la valeur résiduelle en fin de contrat.") in found
    assert ("paragraph", "Sauf mention contraire, le calcul porte sur huit ans.") in found
    # an item of a list whose items do not end in ";" goes on over its lines, full stop or not
    assert found[-1] == ("item", "- Een item. Het gaat verder op de volgende lijn")


def test_a_table_set_in_columns_by_spaces_becomes_rows_with_its_wrapped_header():
    """Defect: a PDF table laid out in space-aligned columns ran into one long paragraph ("Indicator 2020
    2021 2022 Gepubliceerde …"), so no cell could be quoted with its row and column."""
    text = (
        "Tableau 2 – Plafonds (g/km)\n"
        "Catégorie              jusqu'au       à partir du\n"
        "                       30 juin 2024   1er janvier 2026\n"
        "---------------------  -------------  ----------------\n"
        "Citadine               50             0\n"
        "Familiale              50             0\n"
        "Intervention           120            50\n"
        "Une camionnette frigorifique garde son plafond.\n"
    )
    found = [(b.kind, b.text) for b in blocks(text)]
    assert found == [
        ("paragraph", "Tableau 2 – Plafonds (g/km)"),
        ("row", "Catégorie · jusqu'au 30 juin 2024 · à partir du 1er janvier 2026"),
        ("row", "Citadine · 50 · 0"),
        ("row", "Familiale · 50 · 0"),
        ("row", "Intervention · 120 · 50"),
        ("paragraph", "Une camionnette frigorifique garde son plafond."),
    ]
    # two spaces inside ordinary prose are no columns
    prose = "Een zin  met twee spaties.\nNog een  zin  hier.\nEn een derde zin.\n"
    assert {b.kind for b in blocks(prose)} == {"paragraph"}
