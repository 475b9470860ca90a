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
    ],
)
def test_the_kind_of_answer_wanted(question, kind):
    assert kind in answer_kinds(question)


def test_one_thing_asked_is_no_list():
    assert "list" not in answer_kinds("Welk label geldt voor kantoorpapier?")
    assert "list" not in answer_kinds("In welk jaar werd de gids gelanceerd?")


def test_a_follow_up_carries_the_context_and_its_own_key_words():
    query = read_query("En voor schoonmaakproducten?", "nl", context="Welke labels gelden voor kantoorpapier?")
    assert query.search.startswith("Welke labels gelden voor kantoorpapier?")
    assert query.words == ("schoonmaakproducten",)
    assert any("kantoorpapier" in variants for variants in query.context_variants)
