"""Answer units: what an answer may quote whole (gidsbot/units.py)."""

from gidsbot.units import QUOTABLE, answer_units


def kinds(text: str) -> list[tuple[str, str]]:
    return [(u.kind, u.text) for u in answer_units(text)]


def test_a_lead_sentence_keeps_its_list():
    """Guards against quoting "Drie labels tonen dit aan:" without the labels it announces."""
    text = "De fiche is kort.\n\nDrie labels tonen dit aan:\n\n- EU Ecolabel\n- Blauer Engel\n- Nordic Swan"
    units = kinds(text)
    assert ("sentence", "De fiche is kort.") in units
    assert ("list", "Drie labels tonen dit aan:\n- EU Ecolabel\n- Blauer Engel\n- Nordic Swan") in units
    assert not any(text == "Drie labels tonen dit aan:" for _, text in units)


def test_a_table_row_is_named_by_its_header():
    text = (
        "Eisen voor tonercassettes\n"
        "Criterium · Fase · Bewijs\n"
        "Hergebruikte onderdelen · gunning · verklaring van de fabrikant\n"
        "Terugname van lege cassettes · uitvoering · contract"
    )
    units = kinds(text)
    assert ("row", "Criterium: Hergebruikte onderdelen · Fase: gunning · Bewijs: verklaring van de fabrikant") in units
    table = next(text for kind, text in units if kind == "table")
    assert table.startswith("Eisen voor tonercassettes\nCriterium · Fase · Bewijs")


def test_table_of_contents_and_link_lists_are_never_quotable():
    """Guards against a table-of-contents line or a related-pages link being quoted as the answer."""
    text = (
        "Inhoud:\n- Twee soorten opdrachten (zie verder punt 1)\n- Labels (zie verder punt 5)\n\n"
        "Gerelateerde pagina's\n\n- Omzendbrief van 16 mei 2014\n- Wet van 17 juni 2016 inzake overheidsopdrachten"
    )
    units = answer_units(text)
    by_text = {u.text: u.kind for u in units}
    assert by_text["Twee soorten opdrachten (zie verder punt 1)"] == "toc"
    assert by_text["Omzendbrief van 16 mei 2014"] not in QUOTABLE
    assert next(u for u in units if u.text.startswith("Inhoud:")).kind == "toc"


def test_a_long_list_is_cut_with_a_mark():
    items = "\n".join(f"- punt {n} van een lange opsomming met heel wat woorden erin;" for n in range(40))
    unit = next(u for u in answer_units("Dit zijn de punten:\n" + items) if u.kind == "list")
    assert unit.text.endswith("- …") and len(unit.text.split()) < 160


def test_a_caption_above_a_table_is_its_lead_and_a_header_may_hold_years_and_brackets():
    """Guards against quoting a table's title alone ("Part minimale de véhicules propres …") and against a
    header row with years or "(sur 10 ans)" taken for a row of data."""
    text = (
        "Part minimale de véhicules propres dans les marchés publics belges\n"
        "Catégorie · 2025 · 2030\n"
        "Voitures et camionnettes · 38,5 % · 38,5 %\n"
        "Bus · 41 % · 59 %\n"
        "\n"
        "Poste de coût (sur 10 ans) · Lave-vaisselle A · Lave-vaisselle B\n"
        "Coût total · 11 850 € · 10 650 €"
    )
    units = answer_units(text)
    rows = [u.text for u in units if u.kind == "row"]
    assert "Catégorie: Voitures et camionnettes · 2025: 38,5 % · 2030: 38,5 %" in rows
    assert "Poste de coût (sur 10 ans): Coût total · Lave-vaisselle A: 11 850 € · Lave-vaisselle B: 10 650 €" in rows
    tables = [u.text for u in units if u.kind == "table"]
    assert tables[0].startswith("Part minimale de véhicules propres") and "Bus · 41 %" in tables[0]
    assert not any(u.text.startswith("Part minimale") for u in units if u.kind != "table")
    assert "Coût total" not in tables[0]  # a blank line ends the first table
    # a date in a header cell names the column's period: "jusqu'au 30 juin 2024" is no figure of a row
    dated = answer_units("Catégorie · jusqu'au 30 juin 2024 · à partir du 1er janvier 2026\nCitadine · 50 · 0")
    named = "Catégorie: Citadine · jusqu'au 30 juin 2024: 50 · à partir du 1er janvier 2026: 0"
    assert named in [u.text for u in dated]


def test_a_see_also_list_is_where_to_read_on_never_an_answer():
    """Defect: "And from what date did that decree apply?" quoted the "Gerelateerde pagina's" list of a law's
    page, whose link names the decree by its date, instead of the date it came into force."""
    from bot.select import _SEE_ALSO, _part_heading
    from gidsbot.types import Chunk, Part

    text = "De wet geldt sinds 2017.\n\n- Koninklijk besluit van 13 juli 2014"
    parts = (Part(0, "Wet › Toepassing", None), Part(text.index("- K"), "Wet › Gerelateerde pagina's", None))
    chunk = Chunk("c", "s", "Wet", "Wet", None, "nl", text, parts=parts)
    assert _part_heading(chunk, 1) == "Gerelateerde pagina's" and _SEE_ALSO.match(_part_heading(chunk, 1))
    assert not _SEE_ALSO.match(_part_heading(chunk, 0))
    for heading in ("Voir aussi", "Related pages", "Zie ook:", "Liens utiles"):
        assert _SEE_ALSO.match(heading)
    assert not _SEE_ALSO.match("Labels als bewijsmiddel")


def test_a_row_is_quoted_beside_its_table_only_when_the_table_is_cut_before_it():
    """Defect: "Which norm should refilled toner cartridges meet?" quoted a criteria table cut after seven
    rows ("…"); its row with "DIN 33870" was dropped as a part of the table."""
    from bot.select import Picked, _cut_before, _distinct

    table = "Criteria\nCriterium · Type\nDubbelzijdig afdrukken · Technische specificatie\n…"
    shown = "Criterium: Dubbelzijdig afdrukken · Type: Technische specificatie"
    hidden = "Criterium: Herwerkte tonercartridges volgens DIN 33870 · Type: Gunning"
    assert _cut_before(hidden, table) and not _cut_before(shown, table)
    assert not _cut_before(hidden, table.replace("\n…", ""))  # a whole table holds all its rows
    units = [Picked(table, 0, 0, 0.9, "table"), Picked(shown, 0, 1, 0.8, "row"), Picked(hidden, 0, 2, 0.7, "row")]
    assert [p.text for p in _distinct(units)] == [table, hidden]


def test_a_numbered_table_title_is_its_lead_whatever_it_ends_with():
    """Defect: "Tableau 2 – Véhicules électriques : consommation et autonomie (WLTP)" ends in ")", so it was
    read as a sentence of its own and quoted alone, while its table went without a title."""
    text = "Tabel 2 geeft de eisen.\nTableau 2 – Véhicules électriques (WLTP)\nSegment · autonomie\nCompacte · 350 km"
    units = answer_units(text)
    assert [u.kind for u in units] == ["sentence", "row", "table"]
    assert units[-1].text.startswith("Tableau 2 – Véhicules électriques (WLTP)\nSegment")
    prose = answer_units("Zo rijden de wagens verder (ook in de winter)\nSegment · autonomie\nCompacte · 350 km")
    assert prose[0].kind == "sentence"  # a sentence ending in a bracket is no title


def test_a_sentence_that_only_points_below_is_never_quoted_without_what_it_announces():
    """Guards against quoting "Hieronder leest u wat …" as the answer when the passage ends before the list."""
    text = (
        "Sinds 2014 geldt één omzendbrief voor alle federale diensten. Hieronder leest u wat die tekst van aankopers "
        "verwacht.\n\nDe labels zijn de volgende:"
    )
    by_text = {u.text: u.kind for u in answer_units(text)}
    assert by_text["Hieronder leest u wat die tekst van aankopers verwacht."] not in QUOTABLE
    assert by_text["De labels zijn de volgende:"] not in QUOTABLE
    assert by_text["Sinds 2014 geldt één omzendbrief voor alle federale diensten."] == "sentence"


def test_a_sentence_that_names_a_threshold_below_or_the_following_year_still_states_a_fact():
    text = (
        "Opdrachten onder de Europese drempels volgen lichtere regels. Contracts below the thresholds need "
        "fewer steps. Le contrat prend fin l'année suivante. Voor opdrachten boven 30.000 euro gelden de "
        "criteria hieronder."
    )
    assert all(kind == "sentence" for kind, _ in kinds(text))


def test_an_item_that_names_a_linked_document_is_where_to_read_not_an_answer():
    """Defect: "Modelbestek levering van laptops (PDF in het Nederlands, 3 blz.)" was quoted as the answer to
    how long the model specification's framework agreement runs."""
    from bot.select import _links_list

    text = (
        "Het modelbestek bestaat alleen in het Nederlands:\n"
        "- Modelbestek levering van draagbare computers (PDF in het Nederlands, 3 blz.)\n"
        "- Veelgestelde vragen over de aankoop van ICT-materiaal (Word, 12 blz.)"
    )
    units = answer_units(text)
    by_text = {u.text: u.kind for u in units}
    assert by_text["Modelbestek levering van draagbare computers (PDF in het Nederlands, 3 blz.)"] not in QUOTABLE
    listed = next(u for u in units if u.kind == "list")
    assert _links_list(listed)
    assert not _links_list(
        next(u for u in answer_units("Twee labels:\n- EU Ecolabel\n- Blauer Engel") if u.kind == "list")
    )


def test_a_unit_names_an_organisation_by_an_acronym_in_capitals_or_an_organisation_word():
    """Defect: the "who" shape matched every word of two letters or more (an acronym pattern compiled to ignore
    case), so for "Wie …?" a sentence naming nobody looked as fit as one naming the FOD BOSA."""
    from bot.select import _ORGANISATION

    assert _ORGANISATION.search("De FOD BOSA coördineert de raamcontracten.")
    assert _ORGANISATION.search("La Commission européenne publie les critères.")
    assert not _ORGANISATION.search("De leverancier levert het meubilair binnen zes weken.")


def test_a_yes_no_question_quotes_the_sentences_that_may_settle_it(monkeypatch):
    """Measured in stop 31: "Does Belgian law set a minimum number of quotes?" was answered with the one sentence
    that matched it best (the thresholds), while the next one, scored a little lower, says that it does not.
    A question asking for one date still quotes one thing and what completes it."""
    from types import SimpleNamespace

    import bot.select as select
    from bot.query import read_query

    units = [
        select.Picked("Onder de Europese drempels zijn lichtere procedures mogelijk.", 0, 0, 1.0),
        select.Picked("De wet legt geen minimumaantal offertes op voor zulke opdrachten.", 0, 4, 0.9),
        select.Picked("Een opdracht van beperkte waarde blijft onder 30.000 euro.", 0, 7, 0.86),
    ]
    monkeypatch.setattr(select, "score_units", lambda *args: units)
    index = SimpleNamespace(alternates={})
    yes_no = read_query("Moet ik een minimumaantal offertes vragen?", "nl")
    assert "yes-no" in yes_no.kinds
    assert [p.text for p in select.pick_units(yes_no, [], index, None, [])] == [u.text for u in units]
    when = read_query("Wanneer werden de drempels voor het laatst aangepast?", "nl")
    assert len(select.pick_units(when, [], index, None, [])) == 2


def test_about_so_many_is_a_figure_but_a_word_ending_in_tal_is_not():
    """Defect: "Hoeveel ondertekenaars …?" was not seen answered by "een veertigtal ondertekenaars"."""
    from bot.select import NUMBER

    for text in ("een veertigtal ondertekenaars", "une quarantaine de signataires", "dozens of buyers", "zeventig"):
        assert NUMBER.search(text), text
    for text in ("het aantal stijgt", "het totaal blijft gelijk", "un total élevé"):
        assert not NUMBER.search(text), text


def test_the_date_asked_for_a_few_units_on_in_the_section_is_quoted_with_the_best_one():
    """Defect found on a real news page: "Van wanneer tot wanneer kon het publiek reageren op het voorontwerp?"
    quoted the two sentences naming the plan; the dates of the consultation stood three sentences on."""
    from bot.select import Picked, _complete

    sentences = [
        "De ministerraad keurde het derde plan goed.",
        "De commissie stelde eerst een voorontwerp op.",
        "De minister legde het voorontwerp daarna aan het publiek voor.",
        "Burgers konden reageren tussen 9 april en 8 juni 2021.",
        "De commissie herzag het voorontwerp.",
        "De regering keurde het plan op 1 oktober 2021 goed.",
    ]
    units = [Picked(t, 0, i, 0.8 - 0.1 * i, after=(sentences + [""])[i + 1]) for i, t in enumerate(sentences)]
    chosen = units[:2]
    assert [p.text for p in _complete(chosen, units, {"date"})] == [*sentences[:2], sentences[3]]
    assert _complete(chosen, units, {"who"}) == chosen  # no date asked for: nothing added
    assert _complete(chosen, units[:3] + units[5:], {"date"}) == chosen  # five units on is too far
    other = [*units[:3], Picked(sentences[3], 0, 3, 0.5, part=1)]  # in another section of the passage
    assert _complete(chosen, other, {"date"}) == chosen
