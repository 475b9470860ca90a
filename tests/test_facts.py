"""Figures a language model writes, held against its passages (bot/facts.py)."""

import pytest

from bot.facts import cite_uncited, figures, substantive, unsupported_sentences


@pytest.mark.parametrize(
    "text",
    ["op 14 juni 2021", "le 14 juin 2021", "on 14 June 2021", "op 14/06/2021", "le 14.06.2021"],
)
def test_one_date_in_every_language_and_notation(text):
    assert figures(text)[0] == {"2021-06-14"}


def test_one_number_in_every_notation():
    for text in ("1,2 miljoen euro", "1,2 million d'euros", "1.200.000 euro", "1 200 000 EUR"):
        assert "1200000" in figures(text)[1], text
    assert "70" in figures("70 % gerecycleerd")[1] and "8500" in figures("8.500 euros")[1]
    assert {"2012", "27"} <= figures("richtlijn 2012/27/EU")[1]


def test_a_sentence_whose_date_or_figure_its_passage_lacks_is_unsupported():
    """Defect: "…signé le 27 juin 2021 [1]" passed the citation check; passage 1 says 14 juni 2021."""
    passages = {
        1: "De minister ondertekende het pact op 14 juni 2021. Het budget bedraagt 1.200.000 euro.",
        2: "Geen cijfers.",
    }
    answer = "Le pacte a été signé le 27 juin 2021 [1]. Le budget est de 1,2 million d'euros [1]. Il vise 2 buts [2]."
    wrong = unsupported_sentences(answer, passages)
    assert [w.sentence for w in wrong] == ["Le pacte a été signé le 27 juin 2021 [1]."]
    assert wrong[0].missing == ["2021-06-27"]
    assert not unsupported_sentences("Signé en juin 2021 [1], la même année [1].", passages)  # the date's month
    assert unsupported_sentences("Le budget est de 1,2 million d'euros [2].", passages)  # the wrong passage cited


def test_an_answer_of_citations_only_says_nothing():
    assert not substantive("[1][2]") and not substantive(" [1] . ")
    assert substantive("Ja [1].") and substantive("Op 14 juni 2021 [1].")


def test_a_figure_stated_without_a_citation_is_cited_to_the_passage_that_holds_it():
    """The real small model (bench/llm.py) answered "Le deuxième Buyer Meets Supplier a eu lieu le
    4 février 2019." and cited nothing; it was shown as "not in the documents"."""
    passages = {1: "De eerste BMS was op 23 mei 2018.", 2: "Op 4 februari 2019 volgde een tweede BMS."}
    text = "Le deuxième Buyer Meets Supplier a eu lieu le 4 février 2019."
    assert cite_uncited(text, passages) == "Le deuxième Buyer Meets Supplier a eu lieu le 4 février 2019 [2]."
    assert cite_uncited("Il a eu lieu le 5 mars 2019.", passages) == "Il a eu lieu le 5 mars 2019."  # held nowhere
    assert cite_uncited("Les passages n'en disent rien.", passages) == "Les passages n'en disent rien."
    cited = "Le 4 février 2019 [1]. La première en 2018."
    assert cite_uncited(cited, passages) == cited  # a model that cites keeps its own choice


def test_an_acronym_no_cited_passage_names_is_unsupported_in_any_language():
    """Names of organisations and labels, where they can be checked: an acronym is written the same in
    every language, or is one of a few known pairs (FIDO / IFDD)."""
    passages = {1: "De gids wordt beheerd door het FIDO. Vis draagt het MSC-label."}
    assert not unsupported_sentences("Le guide est géré par l'IFDD [1].", passages)
    assert not unsupported_sentences("The fish carries the MSC label [1].", passages)
    [wrong] = unsupported_sentences("Het label wordt toegekend door de FOD Economie [1].", passages)
    assert wrong.missing == ["FOD"]
    assert not unsupported_sentences("Volgens de EU is dat zo, zegt de FOD [1].", passages, question="Wat zegt de FOD?")
