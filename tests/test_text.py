from bot.text import content_words, detect_language, fold, sentences, terms


def test_fold_removes_accents_and_case():
    assert fold("Efficiëntie Économie") == "efficientie economie"


def test_terms_drop_stop_words_of_all_languages_and_stem():
    assert terms("Welke criteria gelden voor de duurzame aankopen?", "nl") == terms(
        "criteria gelden duurzaam aankoop", "nl"
    )
    assert "de" not in terms("le prix de la qualité", "fr")


def test_elisions_are_split_off():
    assert content_words("l'achat d'ordinateurs") == ["achat", "ordinateurs"]


def test_sentences_keep_abbreviations_and_list_items():
    text = "De FOD BOSA coördineert o.a. de opdracht. Het FIDO helpt.\n- eerste punt\n- tweede punt"
    assert sentences(text) == [
        "De FOD BOSA coördineert o.a. de opdracht.",
        "Het FIDO helpt.",
        "- eerste punt",
        "- tweede punt",
    ]


def test_detect_language_of_short_questions():
    cases = {
        "Wanneer was de tweede BMS?": "nl",
        "Wat is EMAS?": "nl",
        "Quand a eu lieu le deuxième Buyer Meets Supplier ?": "fr",
        "How many users consult the guide every year from Brussels, Antwerp, Ghent and Liège?": "en",
        "et pour le papier ?": "fr",
    }
    for question, language in cases.items():
        assert detect_language(question) == language, question


def test_detect_language_falls_back_without_letters():
    assert detect_language("2021 ?", default="fr") == "fr"
