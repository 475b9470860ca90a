"""The answered/refused decision: a logistic model over signals measured against probe questions."""

import dataclasses

import pytest

from bot.decide import ANSWER_BAR, COEFFICIENTS, PROBE_QUESTIONS, Reference, Signals, probability
from bot.query import read_query


def _signals(**changes: float) -> Signals:
    plain = dict.fromkeys(COEFFICIENTS, 0.0) | {"weakest": 1.0}
    return Signals(**(plain | changes))


def test_probability_follows_the_fitted_signs():
    """Guards against a refit that turns the decision upside down: concept coverage, the passage's and
    the unit's closeness and the retrievers' agreement raise the probability; a key word the passages do
    not hold lowers it."""
    base = probability(_signals())
    assert probability(_signals(concepts=0.2)) > base
    assert probability(_signals(passage=0.2)) > base and probability(_signals(unit=0.3)) > base
    assert probability(_signals(deficit=0.3, second=0.3)) < base
    # the retrievers agreeing on the quoted passage, and the retrieval model finding it closer than the probes
    assert probability(_signals(first=1.0)) > base and probability(_signals(retrieval=0.05)) > base
    assert 0.0 < ANSWER_BAR < 1.0 and set(COEFFICIENTS) == {f.name for f in dataclasses.fields(Signals)}


@pytest.mark.slow
def test_probes_set_the_off_topic_level_of_the_index(real_bot):
    """Guards against a decision that reads raw similarities: what an off-topic question reaches
    depends on the index's size and the model, so passage and unit are measured against the probes."""
    judge = real_bot.judge
    assert judge.reference != Reference() and len(PROBE_QUESTIONS) >= 6
    off = real_bot.find(read_query("Hoe kweek ik tomaten op een balkon?", "nl")).decision
    on = real_bot.find(read_query("Wanneer werd de eerste Buyer Meets Supplier gehouden?", "nl")).decision
    assert off.signals is not None and on.signals is not None
    assert on.signals.passage > off.signals.passage and on.signals.unit > off.signals.unit
    assert on.signals.retrieval > off.signals.retrieval and judge.reference.retrieval != Reference().retrieval
    assert on.answered and on.probability >= judge.answer_bar > off.probability and not off.answered


@pytest.mark.slow
def test_a_missing_key_concept_refuses_despite_matching_names(real_bot):
    """Guards against averaging over the question's words: the Green Deal is well covered, a VAT
    rate for it is not, and the refusal names what is missing."""
    answer = real_bot.ask("Welk btw-tarief geldt voor de Green Deal Circulair Aankopen?")
    assert not answer.found


def test_a_refusal_names_what_the_documents_cover_and_what_they_do_not():
    """Guards against a bare "not in the documents" when the guide does speak of the subject: the
    buyer should read that it covers «Vlaamse» procurement but not «btw», in the words they typed."""
    from bot.compose import closest_pages

    answer = closest_pages(
        "Welk btw-tarief geldt voor Vlaamse aankopen?", "nl", [], covered=["vlaamse"], missing=["btw"]
    )
    assert "«Vlaamse»" in answer.answer and "«btw»" in answer.answer and not answer.found
    french = closest_pages("Quel taux pour la réunion ?", "fr", [], covered=["reunion"])
    assert "«réunion»" in french.answer and "ne peux donc pas" in french.answer


def test_a_refusal_lists_a_page_and_its_twin_of_the_same_title_once():
    """Guards against "[1] Circular & Fair ICT Pact" and "[2] Circular & Fair ICT Pact" (the Dutch page and
    its French twin) in one list of closest pages: the same line twice."""
    from bot.compose import closest_pages
    from gidsbot.types import Chunk, Hit

    def hit(source: str, title: str, language: str) -> Hit:
        return Hit(Chunk(source, source, title, "", None, language, "Het pact bundelt aankopers."), 0.1)

    pages = [hit("/nl/cfit", "Circular & Fair ICT Pact", "nl"), hit("/fr/cfit", "Circular & Fair ICT Pact", "fr")]
    pages.append(hit("/nl/ict", "ICT", "nl"))
    answer = closest_pages("CFIT membership fee?", "en", pages, covered=["cfit"])
    assert [c.title for c in answer.citations] == ["Circular & Fair ICT Pact", "ICT"]
    assert answer.answer.count("Circular & Fair ICT Pact") == 1


def test_a_question_whose_kind_of_answer_no_quoted_unit_holds_is_unmet():
    """Guards against answering "Hoeveel kost een licentie?" with a sentence about licences that names
    no amount: the kind of answer asked for must be in what is quoted."""
    from bot.decide import _unmet
    from bot.select import Picked

    cost = read_query("Hoeveel kost een licentie voor het EU Ecolabel?", "nl")
    no_amount = Picked("Een licentie geldt per productgroep.", 0, 0, 1.0, features={"number": -0.15, "money": -0.15})
    amount = Picked("Een licentie kost 350 euro per jaar.", 0, 1, 1.0, features={"number": 0.2, "money": 0.2})
    assert _unmet(cost, [no_amount]) and not _unmet(cost, [no_amount, amount])
    assert not _unmet(read_query("Wat is een licentie?", "nl"), [no_amount])  # no kind of figure asked for
    assert probability(_signals(unmet=1.0)) < probability(_signals())


def test_a_figure_in_another_unit_than_the_one_asked_is_unmet():
    """Guards against answering "how loud may a printer be" with "one device for 15 to 20 colleagues": the
    question names a quantity (a sound level, a temperature, a share, a span of time, a fine), and a figure
    that is not in its unit does not answer it."""
    from bot.decide import _unmet
    from bot.select import Picked

    figure = {"number": 0.2}
    loud = read_query("What is the maximum noise level for a printer in an open-plan office?", "en")
    assert loud.measures == {"sound"}
    staff = Picked("Count one printer for 15 to 20 colleagues on a floor.", 0, 0, 1.0, features=figure)
    decibels = Picked("The printer makes at most 65 dB(A) while printing.", 0, 1, 1.0, features=figure)
    assert _unmet(loud, [staff]) and not _unmet(loud, [staff, decibels])
    hot = read_query("Quelle température maximale de lavage le cahier des charges fixe-t-il ?", "fr")
    assert _unmet(hot, [Picked("Le linge est lavé au maximum 3 fois par semaine.", 0, 0, 1.0, features=figure)])
    assert not _unmet(hot, [Picked("Lavage à 40 °C au maximum.", 0, 0, 1.0, features=figure)])
    long = read_query("Hoe lang blijft het certificaat geldig?", "nl")
    assert long.measures == {"duration"}
    assert not _unmet(long, [Picked("Het certificaat blijft drie jaar geldig.", 0, 0, 1.0, features=figure)])
    assert _unmet(long, [Picked("Het certificaat wordt per jaar gecontroleerd.", 0, 0, 1.0, features=figure)])
    share = read_query("Welk aandeel gerecycleerd papier vraagt de fiche minstens?", "nl")
    assert not _unmet(share, [Picked("Minstens de helft van de vezels is gerecycleerd.", 0, 0, 1.0, features=figure)])
    # a quantity asked for by name, or opening a question written as a heading, asks for a figure in its unit
    assert read_query("Quel taux faut-il appliquer aux offres ?", "fr").measures == {"percent"}
    assert read_query("Boete bij laattijdige levering van meubilair?", "nl").measures == {"money"}
    assert read_query("Prix d'une borne de recharge ?", "fr").measures == {"money"}
    # a quantity only talked about asks for none; nor does a cost named among others ("which costs …")
    assert read_query("Wat zegt de fiche over geluid?", "nl").measures == frozenset()
    assert read_query("Quels coûts couvre le coût du cycle de vie ?", "fr").measures == frozenset()


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        ("Le 1er août 2017, la loi est entrée en vigueur.", True),
        ("De omzendbrief van 16 mei 2014 geldt nog.", True),
        ("Sinds maart 2020 gebeurt dat digitaal.", True),
        ("Signé le 1 sept. 2019.", True),
        ("Het attest komt vóór 31 maart van het volgende jaar.", True),  # a yearly deadline has no year
        ("Send it by March 31 at the latest.", True),
        ("Het contract loopt 12 maanden.", False),
        ("Les marchés 2021 de la centrale ont été prolongés.", False),  # "mar..." is no month
        ("Mais 2020 fut une année calme pour les achats.", False),
        ("De maatregelen 2019 bleven van kracht.", False),
    ],
)
def test_a_date_is_a_whole_month_name_with_its_year(text, dated):
    """What a date question looks for in a unit (bot/select.py DATE): month names in full or abbreviated,
    never a word that merely starts like one."""
    from bot.select import DATE

    assert bool(DATE.search(text)) is dated


@pytest.mark.slow
def test_a_word_the_documents_use_in_translation_counts_as_used(real_bot):
    """Guards against English and French questions judged far from Dutch documents: "acheteurs" and
    "circulaire" are words the documents use (as "aankopers" and "omzendbrief"), not concepts they lack."""
    vocabulary, _ = real_bot.index.vocabulary
    assert "acheteurs" not in vocabulary and "aankopers" in vocabulary
    assert real_bot.judge.concepts(read_query("acheteurs circulaire", "fr")) == pytest.approx(1.0)
    assert real_bot.judge.concepts(read_query("appeltaart", "nl")) < 0.9


def test_a_compound_that_ends_in_the_word_holds_it():
    """Guards against "temperature" unheld by a Dutch page that says "kleurtemperatuur"."""
    from bot.wordforms import ends_like as _ends_like

    assert _ends_like("temperature", "kleurtemperatuur") and _ends_like("reference", "prijsreferentie")
    assert not _ends_like("temperature", "temperatuur") and not _ends_like("label", "tafellabel")


@pytest.mark.slow
def test_a_glossary_word_is_held_by_its_translation_and_never_by_a_neighbour(real_bot):
    """Guards against a French key word judged by vector closeness alone: "acheteurs" is held by a Dutch
    section saying "aankopers", and "TVA" (btw), which the section never writes in any language, stays
    unheld however close its vector comes to some word of the section."""
    from bot.decide import UNWRITTEN, WORD_BAR

    row, chunk = next((r, c) for r, c in enumerate(real_bot.index.chunks) if " aankopers " in f" {c.text} ")
    part = max(0, chunk.part_of(chunk.text[chunk.text.index(" aankopers ") :]))
    held = real_bot.judge.held(read_query("Quel taux de TVA pour les acheteurs ?", "fr"), [(row, part)])
    assert held["acheteurs"] == 1.0 and held["tva"] <= UNWRITTEN < WORD_BAR


def test_a_price_asked_for_is_answered_only_with_an_amount():
    """Guards against "Hoeveel kost een garantie van oorsprong?" answered with "Eén garantie staat voor
    1 MWh": a cost question is refused unless a quoted unit names an amount, or says it costs nothing."""
    from bot.decide import _priced
    from bot.measures import MONEY
    from bot.select import Picked

    cost = read_query("Hoeveel kost een garantie van oorsprong?", "nl")
    figure = Picked("Eén garantie staat voor 1 MWh.", 0, 0, 1.0, features={"number": 0.2, "money": -0.15})
    amount = Picked("Eén garantie kost 0,05 euro.", 0, 1, 1.0, features={"number": 0.2, "money": 0.2})
    assert not _priced(cost, [figure]) and _priced(cost, [figure, amount])
    assert _priced(read_query("Hoeveel garanties zijn er?", "nl"), [figure])  # a count, not a price
    assert MONEY.search("Het label is gratis voor kleine producenten.") and not MONEY.search(figure.text)


@pytest.mark.slow
def test_a_year_the_question_names_must_be_in_what_is_quoted(real_bot):
    """Guards against "Hoeveel ton papier verbruikten de diensten in 2020?" answered with a sentence about
    today: a year is a key word of its own, held only when the quoted section writes it, and weighs fully."""
    row, chunk = next((r, c) for r, c in enumerate(real_bot.index.chunks) if "2021" in c.text and "1987" not in c.text)
    part = max(0, chunk.part_of(chunk.text[chunk.text.index("2021") - 40 :]))
    held = real_bot.judge.held(read_query("Hoeveel aankopers waren er in 2021 en in 1987?", "nl"), [(row, part)])
    assert held["2021"] == 1.0 and held["1987"] == 0.0
    decision = real_bot.find(read_query("Hoeveel aankopers namen in 1987 deel aan een sessie?", "nl")).decision
    assert decision.weight.get("1987") == 1.0 and "1987" in decision.missing and not decision.answered
    # a year is written alike in every language: quoted across languages, its deficit is not discounted
    english = real_bot.find(read_query("How many buyers took part in a session in 1987?", "en")).decision
    assert english.signals is not None and english.signals.across == 1.0
    assert english.signals.deficit >= 0.6 and not english.answered


def test_an_acronym_is_held_by_the_words_it_stands_for():
    """Defect: "Mag een federale dienst van een kmo een omzet eisen …?" was refused although the quoted list
    is about "kleine en middelgrote ondernemingen": the question's "kmo" was not held."""
    from bot.wordforms import initials as _initials

    assert _initials("kmo", "Om kleine en middelgrote ondernemingen meer kansen te geven:")
    assert _initials("pme", "l'accès des petites et moyennes entreprises aux marchés")
    assert not _initials("kmo", "kleine ondernemingen en grote middelen")
    assert not _initials("ab", "De aankoper bepaalt")  # two letters begin too many pairs of words
    # articles are passed over like joining words: CIDD
    assert _initials("cidd", "à la Commission interdépartementale pour le Développement durable un rapport")


def test_a_word_weighs_as_the_question_spells_it_and_a_guide_s_advice_is_frame():
    """Defect: "… quel grammage le guide considère-t-il comme suffisant ?" was refused over "considere": folded
    without its accent wordfreq does not know it, so it weighed as a rare key concept the quote lacked."""
    from bot.decide import FRAME_WORDS
    from bot.wordforms import spellings as _spellings

    spelled = _spellings("Le guide considère-t-il l'éclairage LED ?")
    assert spelled == {"considere": "considère", "eclairage": "éclairage"}
    assert {"aanraadt", "recommande", "recommended", "considere"} <= FRAME_WORDS


def test_a_name_written_with_a_capital_is_a_key_word_in_every_language(real_bot):
    """Guards against "How long is a Cradle to Cradle certificate valid?" answered across languages from a
    sentence about another certificate: a name is written alike in every language, so its deficit counts
    in full, and a place name ("Gent") is no everyday word for the question asking about it."""
    from bot.wordforms import names as _names

    assert _names("How long is a Cradle to Cradle certificate valid? En in Gent?") == {"cradle", "gent"}
    assert _names("Welke labels gelden voor papier?") == set()  # a sentence's first word is no name
    query = read_query("Heeft de stad Gent de omzendbrief ondertekend?", "nl")
    decision = real_bot.find(query).decision
    assert decision.weight.get("gent", 0.0) >= 0.5


def test_a_yes_no_question_compared_with_a_year_asks_for_the_date_not_that_year(real_bot):
    """Defect: "Le pacte a-t-il été signé avant la fin de l'année 2020 ?" was refused because no quote wrote
    2020; the answer is the date it was signed ("14 juin 2021")."""
    query = read_query("Le pacte a-t-il été signé avant la fin de l'année 2020 ?", "fr")
    assert {"date", "yes-no"} <= query.kinds
    row = next(r for r, c in enumerate(real_bot.index.chunks) if c.text.strip())
    assert "2020" not in real_bot.judge.held(query, [(row, 0)])
    plain = read_query("Hoeveel aankopers namen in 2020 deel?", "nl")  # no comparison: the year stays a key word
    assert "2020" in real_bot.judge.held(plain, [(row, 0)])


def test_words_of_a_sentence_that_sets_the_scene_weigh_less():
    """Defect: "We renoveren als federale dienst een gebouw … Zijn we volgens de omzendbrief verplicht …?" was
    refused over "renoveren" and "gebouw", which only the sentence before the question names."""
    from bot.wordforms import scene_words

    setting = scene_words("We bestellen nieuwe bureaus en stoelen. Hoelang moet de leverancier onderdelen leveren?")
    assert {"bureaus", "stoelen"} <= setting and "leverancier" not in setting
    assert scene_words("Welke labels gelden voor papier?") == set()
    assert scene_words("Welke labels gelden? En voor papier?") == set()  # two questions: no scene


def test_the_word_naming_a_contact_asked_for_is_frame_and_a_how_long_already_asks_since_when(real_bot):
    """Defects found on real guide pages: "Naar welk mailadres kan ik een voorbeeld doorsturen?" was refused
    beside the sentence ending in the address ("mailadres" weighed as a concept the quote lacked), and "Hoelang
    stuurt het instituut al het beleid?" was refused beside "Depuis 2005 …" (no span of time was quoted)."""
    query = read_query("Naar welk mailadres kan ik een geslaagd voorbeeld doorsturen?", "nl")
    assert "contact" in query.kinds
    row = next(r for r, c in enumerate(real_bot.index.chunks) if c.text.strip())
    held = real_bot.judge.held(query, [(row, 0)])
    assert "mailadres" not in held and "voorbeeld" in held
    for question in ("Hoelang stuurt het instituut al het beleid?", "How long has the label existed?"):
        since = read_query(question, "nl")
        assert "date" in since.kinds and "number" not in since.kinds and not since.measures
    lasting = read_query("Hoelang blijven de wisselstukken beschikbaar?", "nl")  # a span of time, not a date
    assert "number" in lasting.kinds and lasting.measures == {"duration"}


def test_an_inflected_verb_weighs_as_its_dictionary_form(real_bot):
    """Defect: "Les seuils européens sont-ils revus chaque année ?" was refused beside "La Commission revoit ces
    montants tous les deux ans": "revus", rare as written, weighed as a key concept; its dictionary form is
    common. Names and rare nouns keep their weight."""
    judge = real_bot.judge
    for word, written, language in (
        ("couvraient", "couvraient", "fr"),
        ("examines", "examinés", "fr"),
        ("proves", "proves", "en"),
    ):
        assert judge.importance(word, written, language) < judge.importance(word, written) - 0.2
    assert judge.importance("confectieateliers", "confectieateliers", "nl") == pytest.approx(
        judge.importance("confectieateliers", "confectieateliers")
    )
    query = read_query("Les seuils européens de publicité sont-ils revus chaque année par la Commission ?", "fr")
    decision = real_bot.find(query).decision
    assert decision.weight.get("revus", 0.0) < 0.8


def test_a_conjugated_verb_weighs_half_and_a_plural_noun_does_not():
    """A question's verb ("toelicht", "couvraient", "delivered") is how it asks, seldom what it asks about; a
    page that answers uses its own verb. Nouns in the plural ("wagens", "dossiers", "printers") are no verbs."""
    from simplemma import lemmatize

    from bot.wordforms import conjugated

    def _conjugated(word: str, language: str) -> bool:
        return conjugated(word, lemmatize(word, lang=language), language)

    verbs = (("toelicht", "nl"), ("aanvaard", "nl"), ("couvraient", "fr"), ("examinés", "fr"), ("delivered", "en"))
    nouns = (("wagens", "nl"), ("gebouwen", "nl"), ("dossiers", "fr"), ("printers", "en"), ("papier", "fr"))
    assert all(_conjugated(word, language) for word, language in verbs)
    assert not any(_conjugated(word, language) for word, language in nouns)
