from gidsbot.glossary import translations
from gidsbot.language import detect_language
from gidsbot.text import abbreviations, content_words, fold, sentences, term_variants, terms, words


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
        # "à" folds to "a": an English word with its accent gone, not in this French question
        "À quoi ressemble un numéro de licence EU Ecolabel ?": "fr",
        "Is FSC a label?": "en",
        # no function word to go on: French accents tell, Dutch "één" does not
        "Délai de standstill ?": "fr",
        "Eén label voor laptops?": "nl",
        "VAT on catering?": "en",
    }
    for question, language in cases.items():
        assert detect_language(question) == language, question


def test_detect_language_falls_back_without_letters():
    assert detect_language("2021 ?", default="fr") == "fr"


def test_abbreviations_defined_in_a_text():
    text = (
        "een eerste Buyer Meets Supplier (BMS) gehouden; het Federaal Instituut voor Duurzame "
        "Ontwikkeling (FIDO) en de werkgroep Farm to Fork (F2F) (zie verder punt 4)"
    )
    assert abbreviations(text) == {
        "BMS": "Buyer Meets Supplier",
        "FIDO": "Federaal Instituut voor Duurzame Ontwikkeling",
        "F2F": "Farm to Fork",
    }


def test_ordinals_match_across_languages():
    """Guards against the French "deuxième" question being answered with the Dutch "eerste" sentence."""
    assert "ord2" in terms("le deuxième Buyer Meets Supplier", "fr")
    assert "ord2" in terms("een tweede BMS", "nl") and "ord2" in terms("the second one", "en")


def test_term_variants_match_across_stemmers():
    """Guards against English names stemmed by the French stemmer ("bui") missing Dutch pages ("buyer")."""
    variants = term_variants("le deuxième Buyer Meets Supplier")
    assert any({"bui", "buyer"} <= v for v in variants) and frozenset({"ord2"}) in variants


def test_term_variants_carry_the_glossarys_translations():
    """Guards against a French or English question missing the Dutch page's word for the same thing:
    word vectors pair "flamand" with "Vlaamse" poorly, and no stemmer makes "leverancier" of "fournisseur"."""
    fournisseurs, flamands = term_variants("fournisseurs flamands")
    assert set(terms("leveranciers", "nl")) <= fournisseurs and set(terms("supplier", "en")) <= fournisseurs
    assert set(terms("Vlaamse", "nl")) <= flamands
    assert term_variants("appeltaart") == [
        frozenset(terms("appeltaart", "nl"))
        | frozenset(terms("appeltaart", "fr"))
        | frozenset(terms("appeltaart", "en"))
    ]


def test_every_glossary_form_is_one_word_as_pages_are_split():
    """Guards against a dead glossary entry: pages are split at hyphens ("energie-efficiëntie" is two
    words), so a hyphenated or spaced form could never be found on a page."""
    from gidsbot.glossary import lines
    from gidsbot.text import fold

    forms = [fold(form) for line in lines() for column in line.split("|") for form in column.split()]
    assert len(forms) > 1000 and all(words(form) == [form] for form in forms), [f for f in forms if words(f) != [f]]
    assert all(line.count("|") == 2 for line in lines())


def test_month_names_and_inflected_english_words_find_their_translations():
    """Guards against "13 juillet 2014" missing the Dutch page of "13 juli 2014", and "awarded" or
    "washing" missing the glossary's "award" and "wash"."""
    assert "juli" in translations("juillet") and "july" in translations("juli")
    assert "gunning" in translations("awarded") and "lavage" in translations("washing")
    assert "mai" not in translations("may")  # the English modal verb is no month
