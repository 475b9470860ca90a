"""Reading a question once (bot/query.py): the kind of answer it wants, its key words, a follow-up's context."""

import pytest

from bot.query import answer_kinds, read_query


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Wanneer werd de omzendbrief goedgekeurd?", "date"),
        ("Depuis quand le label existe-t-il ?", "date"),
        ("Hoeveel punten krijgt een laptop met een lange garantie?", "number"),
        ("Quel pourcentage de fibres recyclées faut-il ?", "number"),
        ("Which labels are accepted for cleaning products?", "list"),
        ("Quels labels sont acceptés pour le papier ?", "list"),
        ("Wat is een sociale clausule?", "definition"),
        ("Mag ik een label eisen in de technische specificaties?", "yes-no"),
        ("Peut-on exiger un label ?", "yes-no"),
        ("Wie beheert de helpdesk?", "who"),
        ("Where can I find the model specification?", "where"),
        ("Hoe vaak kwam de werkgroep in 2022 samen?", "number"),
        ("Welk aandeel van de producten moet een ecolabel dragen?", "number"),
        ("Quelle efficacité lumineuse minimale faut-il exiger ?", "number"),
        ("Binnen welke termijn legt de inschrijver de bewijsstukken voor?", "number"),
        ("Hoelang blijven de wisselstukken van een bureaustoel verkrijgbaar?", "number"),  # one word, as often written
        ("Met welke elektriciteitsprijs rekent de TCO-berekening?", "money"),  # a price named by a compound
        ("Quel prix maximum le guide fixe-t-il pour une rame ?", "money"),
        ("What diesel price does the calculation assume?", "money"),
        ("Peut-on exiger un label qui prouve la durabilité ?", "yes-no"),
        ("Par qui la circulaire a-t-elle été signée ?", "who"),
        ("Which standard must printers meet for recycled paper?", "code"),
        ("Quel est le numéro du règlement européen sur le bois ?", "code"),
        ("Welk artikel van de wet regelt de marktconsultatie?", "code"),
        ("Wat is het telefoonnummer van de helpdesk?", "contact"),
        ("Quelle est l'adresse e-mail du helpdesk ?", "contact"),
        ("In welk Belgisch Staatsblad verscheen het besluit?", "date"),  # an issue is named by its date
        ("Dans quel Moniteur belge la loi a-t-elle paru ?", "date"),
        ("Which Canadian organisation also signed the pact?", "who"),  # an adjective before the noun
        ("Welke Vlaamse organisatie zette de Green Deal op?", "who"),
        ("Quelles années couvraient les avis examinés ?", "date"),  # several years are dates too
        ("Depuis combien de temps l'institut pilote-t-il cette politique ?", "date"),  # since when
    ],
)
def test_the_kind_of_answer_wanted(question, kind):
    assert kind in answer_kinds(question)


def test_one_thing_asked_is_no_list():
    assert "list" not in answer_kinds("Welk label geldt voor kantoorpapier?")
    assert "list" not in answer_kinds("In welk jaar werd de gids gelanceerd?")
    assert "list" not in answer_kinds("Welke oudere omzendbrief werd vervangen?")  # a singular verb
    assert "list" not in answer_kinds("Which regulation is the legal basis of the label?")
    assert "list" in answer_kinds("Welke labels zijn er voor papier?")
    assert "list" not in answer_kinds("Which standard must printers meet?")  # an identifier is one thing


def test_a_relative_qui_or_who_is_no_who_question_and_an_inverted_wh_question_is_no_yes_no():
    assert "who" not in answer_kinds("Peut-on exiger un label qui prouve la durabilité ?")
    assert "who" not in answer_kinds("Can buyers who use the guide ask questions?")
    assert "yes-no" not in answer_kinds("Dans quel Moniteur belge la loi a-t-elle été publiée ?")


def test_what_a_how_many_question_counts():
    from bot.query import counted_noun
    from bot.select import _counts

    assert _counts("Samen bereikten ze 212 aankopers van federale diensten.", counted_noun("Hoeveel aankopers?"))
    assert not _counts("Op 23 mei 2018 kwamen aankopers samen.", counted_noun("Hoeveel aankopers?"))
    often = counted_noun("Hoe vaak kwam de werkgroep samen?")
    assert _counts("De werkgroep kwam vijf keer samen.", often) and _counts("Il s'est réuni cinq fois.", often)


def test_a_frequency_in_words_answers_how_often():
    """Defect: "Hoe vaak moet de leverancier rapporteren?" quoted "Er zijn drie manieren om …" (a number)
    over the criterion "jaarlijks rapport"; "À quelle fréquence …" was not read as how often at all."""
    from bot.retrieve import Sentence
    from bot.select import _fit

    def fit(text: str, question: str, lang: str = "nl") -> dict[str, float]:
        return _fit(Sentence(text, None, frozenset()), read_query(question, lang))

    often = "Hoe vaak moet de leverancier het afdrukvolume rapporteren?"
    yearly = fit("De leverancier bezorgt jaarlijks een rapport met het afdrukvolume per toestel.", often)
    three = fit("Er zijn drie manieren om printcapaciteit aan te kopen.", often)
    assert yearly["number"] > 0 and yearly["counted"] > three["counted"]
    french = "À quelle fréquence l'adjudicataire transmet-il le relevé ?"
    assert fit("L'adjudicataire transmet un relevé trimestriel des produits.", french, "fr")["counted"] > 0
    assert fit("Le relevé mentionne chaque produit.", french, "fr")["counted"] == 0
    assert fit("Every two years the buyer checks the list.", "How often is the list checked?", "en")["counted"] > 0


def test_a_follow_up_carries_the_context_and_its_own_key_words():
    query = read_query("En voor schoonmaakproducten?", "nl", context="Welke labels gelden voor kantoorpapier?")
    assert query.search.startswith("Welke labels gelden voor kantoorpapier?")
    assert query.words == ("schoonmaakproducten",)
    assert any("kantoorpapier" in variants for variants in query.context_variants)


def test_a_unit_fits_an_identifier_a_contact_or_a_name_asked_for():
    from bot.retrieve import Sentence
    from bot.select import _fit

    def fit(text: str, question: str) -> dict[str, float]:
        return _fit(Sentence(text, None, frozenset()), read_query(question, "en"))

    standard = "Which standard must printers meet for recycled paper?"
    assert fit("Printers must meet EN 12281 for recycled paper.", standard)["code"] > 0
    assert fit("Printers should handle recycled paper well.", standard)["code"] < 0
    phone = "What is the phone number of the helpdesk?"
    assert fit("Call the helpdesk on 02 501 62 30 on weekdays.", phone)["contact"] > 0
    assert fit("The helpdesk answers on weekdays.", phone)["contact"] < 0
    who = "Who carried out the 2016 study on certified timber?"
    assert fit("The study was carried out by Probos and IDEA Consult.", who)["names"] > 0
    assert fit("The 2016 study on certified timber covered the whole market.", who)["names"] == 0


def test_the_name_of_a_linked_file_is_no_answer_unless_asked_where():
    from bot.retrieve import Sentence
    from bot.select import _fit

    link = Sentence("Modelbestek levering van laptops (PDF, 3 blz.)", None, frozenset())
    assert _fit(link, read_query("Hoeveel punten krijgt de prijs in het modelbestek?", "nl"))["link"] < 0
    assert _fit(link, read_query("Waar vind ik het modelbestek voor laptops?", "nl"))["link"] == 0


def test_a_fuller_date_than_the_question_names_is_an_answer_the_question_own_date_is_not():
    from bot.retrieve import Sentence
    from bot.select import _fit

    def date(text: str, question: str) -> float:
        return _fit(Sentence(text, None, frozenset()), read_query(question, "nl"))["date"]

    published = "In welk Staatsblad verscheen de omzendbrief van 2014?"
    assert date("De tekst verscheen in het Staatsblad van 21 mei 2014.", published) > 0
    assert date("De omzendbrief werd in 2014 goedgekeurd.", published) < 0
    since = "Sinds wanneer geldt de wet van 17 juni 2016?"
    assert date("De wet van 17 juni 2016 regelt de plaatsing.", since) < 0
    assert date("De wet van 17 juni 2016 geldt sinds 30 juni 2017.", since) > 0


def test_a_date_is_no_answer_to_how_many():
    from bot.retrieve import Sentence
    from bot.select import _fit

    def number(text: str, question: str) -> float:
        return _fit(Sentence(text, None, frozenset()), read_query(question, "fr"))["number"]

    score = "Quel écoscore minimal la circulaire imposait-elle pour les camionnettes ?"
    assert number("Elle remplace la circulaire du 21 avril 2017.", score) < 0
    assert number("Les camionnettes doivent atteindre un écoscore de 62 au moins.", score) > 0


def test_a_list_of_the_documents_own_headings_is_its_table_of_contents():
    from bot.retrieve import heading_key
    from bot.select import _contents

    headings = frozenset(heading_key(h) for h in ("1. Inleiding", "2. Het wettelijk kader", "3. Labels en bewijs"))
    contents = "- Inleiding (zie verder punt 3)\n- Het wettelijk kader\n- Labels en bewijs"
    assert _contents(contents, headings)
    assert not _contents("Aanvaarde labels:\n- EU Ecolabel\n- Blauer Engel\n- FSC Recycled", headings)


def test_a_table_is_not_quoted_beside_one_of_its_own_rows():
    """Defect: a row ("Criterium: Herstelling binnen 48 uur · Fase: …") was quoted, then the whole table
    holding it, so the answer said the same thing twice."""
    from bot.select import Picked, _distinct

    row = Picked("Criterium: Herstelling binnen 48 uur · Fase: uitvoering", 0, 3, 1.0, kind="row", part=1)
    table = Picked(
        "Minimumeisen\nCriterium · Fase\nHerstelling binnen 48 uur · uitvoering", 0, 5, 0.9, kind="table", part=1
    )
    other = Picked("Criterium: Slim laden · Fase: specificatie", 0, 4, 0.8, kind="row", part=1)
    elsewhere = Picked("Tabel 2\nLabel · Bewijs\nFSC · CoC-code", 1, 0, 0.7, kind="table")
    assert _distinct([row, table, other, elsewhere]) == [row, other, elsewhere]


def test_an_english_question_gets_one_language_of_a_fact_its_two_twin_pages_both_state():
    """Defect: "In how many cities … more than 10 users?" was answered with the Dutch sentence and then its
    French translation from the twin page, two cards for one fact. The unit vectors are the sentence
    model's (USE), as ingest stores them."""
    from bot.select import Picked, _distinct
    from gidsbot.embeddings import USEEmbeddings
    from gidsbot.types import Chunk, Hit

    texts = [
        "In 88 steden en gemeenten raadplegen jaarlijks meer dan 10 aankopers de gids.",
        "Dans 88 villes et communes, plus de 10 acheteurs consultent le guide chaque année.",
        "De gids wordt elk jaar herzien door de federale werkgroep.",
        "Les critères de la fiche Papier datent de 2022.",
    ]
    vectors = USEEmbeddings().embed_array(texts)
    nl = Chunk("a", "https://gids.test/nl/over", "Over de gids", "", None, "nl", " ".join(texts[0::2]))
    fr = Chunk("b", "https://gids.test/fr/a-propos", "À propos du guide", "", None, "fr", " ".join(texts[1::2]))
    hits = [Hit(nl, 1.0), Hit(fr, 0.9)]
    twins = {nl.source: {"fr": fr.source}, fr.source: {"nl": nl.source}}
    units = [
        Picked(t, i % 2, i // 2, 1.0 - 0.1 * i, vector=v) for i, (t, v) in enumerate(zip(texts, vectors, strict=True))
    ]
    kept = [p.text for p in _distinct(units, hits, twins)]
    assert kept == [texts[0], texts[2], texts[3]]  # the translation goes, other sentences of the twin stay
    assert [p.text for p in _distinct(units)] == texts  # with no passages to tell languages, nothing is judged


def test_two_quoted_tables_may_share_a_header_but_no_row_is_said_twice():
    from bot.evaluate import repeated_sentences
    from gidsbot.types import Answer

    header = "Critère · Phase · Vérification"
    row = "Garantie de dix ans sur le luminaire · clause d'exécution · certificat de garantie"
    two_tables = f"Selon les documents :\n\nIntérieur\n{header}\nDétection de présence · spécification · plan [1]\n\n"
    two_tables += f"Éclairage public\n{header}\n{row} [2]"
    assert repeated_sentences(Answer(two_tables, "fr", True, [])) == 0
    assert repeated_sentences(Answer(f"{two_tables}\n\nAutre\n{header}\n{row} [3]", "fr", True, [])) == 1


def test_one_long_page_cannot_fill_every_passage_quoted_from():
    """Defect: a Dutch fiche's eight sections crowded out the French criteria PDF that held the figure."""
    from bot.chat import PER_DOCUMENT, _varied
    from gidsbot.types import Chunk, Hit

    def hit(source: str, n: int) -> Hit:
        return Hit(Chunk(f"{source}-{n}", source, source, "", None, "nl", "tekst", n, source, ""), 1.0 / (n + 1))

    hits = [hit("fiche.html", n) for n in range(8)] + [hit("criteria.pdf", 0), hit("andere.html", 0)]
    top = _varied(hits, 8)
    assert [h.chunk.source for h in top[:PER_DOCUMENT]] == ["fiche.html"] * PER_DOCUMENT
    # the other documents come next; the page's further sections fill what is left
    assert [h.chunk.id for h in top[PER_DOCUMENT:]] == ["criteria.pdf-0", "andere.html-0", "fiche.html-5"]


def test_when_joining_two_clauses_asks_no_date():
    """Defect: "… to earn extra points when buying printers?" was read as a date question, so its answer
    (a standard) was refused for holding no date; so was "… raadplegen wanneer hij een bestek opstelt?"."""
    assert "date" not in answer_kinds("Which standard gives extra points when buying printers?")
    assert "date" not in answer_kinds("Wat moet een aankoper raadplegen wanneer hij een bestek opstelt?")
    for asked in (
        "Wanneer verscheen de fiche?",
        "Bij de ICDO, wanneer vergadert de werkgroep?",
        "En wanneer vergadert de werkgroep?",
        "Et quand a-t-elle commencé ?",
        "Since when is the label required?",
    ):
        assert "date" in answer_kinds(asked), asked


def test_a_yes_no_question_that_compares_with_a_figure_or_a_year_wants_it():
    """Defect: "Did the working group meet more often than four times in 2022?" quoted its members, not
    "vijf keer"; a yes/no question comparing with a figure or a year is answered by the figure or date."""
    from bot.query import compared_years

    assert {"yes-no", "number"} <= answer_kinds("Did the group meet more often than four times in 2022?")
    assert {"yes-no", "number"} <= answer_kinds("Moet de printer meer dan 20 pagina's per minuut halen?")
    assert {"yes-no", "date"} <= answer_kinds("Le pacte a-t-il été signé avant la fin de l'année 2020 ?")
    assert compared_years("Was the pact signed before 2020?") == {"2020"}
    assert compared_years("Hoeveel aankopers waren er in 2020?") == frozenset()  # no yes/no question
    # a decade asked about is answered by the year, whatever it is ("non, il date de 2000")
    assert compared_years("Le premier plan date-t-il des années 2010 ?") == {"2010"}
    assert compared_years("Was the first plan adopted in the 2010s?") == {"2010"}
    # a Dutch question opened by a verb in the past or the future asks yes or no too
    assert compared_years("Werd het eerste plan in de jaren 2010 goedgekeurd?") == {"2010"}
    assert answer_kinds("Zou een aankoopcentrale dat ook mogen doen?") == {"yes-no"}
    assert answer_kinds("Werden er in 2022 meer opdrachten gegund dan in 2021?") == {"yes-no"}
    assert answer_kinds("Mag ik een label eisen?") == {"yes-no"}
    # which of two is older is settled by both dates ("created in 1989" against "1992")
    assert {"yes-no", "date"} <= answer_kinds("Is the Nordic Swan label older than the EU Ecolabel?")
    assert {"yes-no", "date"} <= answer_kinds("Le Cygne nordique est-il plus ancien que l'Ecolabel européen ?")
    assert {"yes-no", "date"} <= answer_kinds("Is het FSC-label ouder dan PEFC?")
    assert "date" not in answer_kinds("Is the EU Ecolabel stricter than the Nordic Swan?")


def test_a_follow_up_s_date_is_not_the_one_its_context_names():
    """Defect: "And from what date did that decree apply?" after a question about the decree of 13 July 2014
    quoted a line naming the decree by that date, not the date it came into force."""
    from bot.retrieve import Sentence
    from bot.select import _fit

    query = read_query(
        "And from what date did that decree apply?", "en", context="What does the decree of 13 July 2014 demand?"
    )
    title = _fit(Sentence("Koninklijk besluit van 13 juli 2014 (energie-efficiëntie)", None, frozenset()), query)
    force = _fit(Sentence("Dit besluit treedt in werking op 1 augustus 2014.", None, frozenset()), query)
    assert force["date"] > title["date"]


def test_what_a_how_many_question_counts_is_counted_in_the_glossary_s_other_languages():
    """Defect: "Combien de membres comptait le groupe de travail fin 2022 ?" quoted a French sentence with
    "deux premiers Plans" over the report's "38 leden": the counted "membres" was only sought in French."""
    from bot.query import counted_noun
    from bot.select import _counts
    from gidsbot.glossary import translations

    assert _counts("Eind 2022 telde de werkgroep 38 leden.", counted_noun("Combien de membres comptait-il ?"))
    assert "led" not in translations("leden")  # members, not LED lamps


def test_an_address_is_a_contact_and_a_question_is_its_last_sentence():
    """Defect: "Waar is het secretariaat gevestigd? Ik zoek het adres." was refused over "adres" although
    the quote named "Hertogsstraat 4, 1000 Brussel"; a period "2019-2024" counted as a telephone number."""
    from bot.retrieve import Sentence
    from bot.select import _CONTACT, _fit

    assert "contact" in answer_kinds("Quelle est l'adresse du secrétariat ?")
    assert "contact" in answer_kinds("Waar is het secretariaat gevestigd? Ik zoek het adres.")
    for text in ("FIDO, Hertogsstraat 4, 1000 Brussel", "rue Ducale 4", "Bel 02 501 62 30", "+32 2 501 62 30"):
        assert _CONTACT.search(text), text
    for text in ("L'accord couvrait la période 2019-2024.", "In 2022 Gepubliceerde opdrachten", "1.250.000 euro"):
        assert not _CONTACT.search(text), text
    where = read_query("Waar is het secretariaat gevestigd?", "nl")
    street = Sentence("Het secretariaat zit in de Hertogsstraat 4, 1000 Brussel.", None, frozenset())
    assert _fit(street, where)["where"] > 0
    # a statement, then the yes/no question
    assert "yes-no" in answer_kinds("We renoveren een gebouw. Zijn we verplicht een clausule te onderzoeken?")


def test_a_table_s_number_or_both_is_no_figure():
    """Defect: "Welke minimale actieradius …?" quoted "le tableau 2 donne la consommation … toutes deux selon
    la procédure WLTP" as if "2" and "deux" were figures, over the table's row "autonomie minimale: 350 km"."""
    from bot.retrieve import Sentence
    from bot.select import _fit

    query = read_query("Welke minimale actieradius geldt voor een compacte wagen?", "nl")
    lead = "Le tableau 2 donne la consommation et l'autonomie, toutes deux selon la procédure WLTP."
    row = "Segment: Compacte (C) · autonomie minimale: 350 km"
    assert _fit(Sentence(lead, None, frozenset()), query)["number"] < 0
    assert _fit(Sentence(row, None, frozenset()), query)["number"] > 0
    assert _fit(Sentence("Volgens artikel 15 mag het in 2 gevallen.", None, frozenset()), query)["number"] > 0


def test_an_elliptic_follow_up_asks_what_its_context_asked_and_a_pointer_is_no_answer():
    """Defect: "En voor printers?" after "Hoe lang moeten reserveonderdelen beschikbaar blijven?" quoted
    "Printers … hebben een eigen fiche: zie Printers …", a sentence that only sends the reader elsewhere."""
    from bot.retrieve import Sentence
    from bot.select import _fit

    query = read_query("En voor printers?", "nl", context="Hoe lang moeten reserveonderdelen beschikbaar blijven?")
    assert "number" in query.kinds
    assert "number" not in read_query("En voor printers?", "nl").kinds
    pointer = "Printers en multifunctionele toestellen hebben een eigen fiche: zie Printers."
    assert _fit(Sentence(pointer, None, frozenset()), query)["link"] < 0
    for text in ("Raadpleeg ook de fiche Printers.", "Voir aussi la fiche Papier.", "See the sheet on paper."):
        assert _fit(Sentence(text, None, frozenset()), query)["link"] < 0, text
    assert _fit(Sentence("Reserveonderdelen blijven 7 jaar beschikbaar.", None, frozenset()), query)["link"] == 0


def test_a_follow_up_s_new_word_takes_the_place_of_the_one_it_replaces():
    """Defect: "En voor printers?" after "Hoe lang moeten reserveonderdelen van laptops beschikbaar blijven?"
    searched laptops again and quoted the laptop fiche."""
    import numpy as np

    from bot.query import swap_in

    axes = {"printers": [1, 0, 0], "laptops": [0.8, 0.6, 0], "reserveonderdelen": [0.3, 0, 0.95]}

    def vectors(words):
        return {w: np.array(axes.get(w, [0, 0, 1.0])) / np.linalg.norm(axes.get(w, [0, 0, 1.0])) for w in words}

    context = "Hoe lang moeten reserveonderdelen van laptops beschikbaar blijven?"
    assert swap_in(context, "En voor printers?", vectors) == context.replace("laptops", "printers")
    assert swap_in(context, "En waarom?", vectors) == context  # no new content word
    assert swap_in(context, "En voor koffie en thee?", vectors) == context  # two new words: nothing is clear
    far = {"printers": [0, 1.0, 0]}  # close to none of the context's words

    def unrelated(words):
        return {w: np.array(far.get(w, [1.0, 0, 0])) for w in words}

    assert swap_in(context, "En voor printers?", unrelated) == context
