"""Personal data in questions (gidsbot/privacy.py)."""

import pytest

from gidsbot.privacy import has_personal_data, redact


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Mail jan.peeters@example.be", "Mail [e-mail]"),
        ("Bel 02 501 62 30 of +32 475 12 34 56", "Bel [phone] of [phone]"),
        ("Rekening BE68 5390 0754 7034", "Rekening [IBAN]"),
        ("Rijksregister 85.07.30-033.61 of 85073003361", "Rijksregister [national number] of [national number]"),
    ],
)
def test_personal_data_is_replaced_by_what_it_was(text, redacted):
    assert redact(text) == redacted and has_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "Welke drempel van 143.000 euro geldt sinds 2016?",
        "De wet van 17 juni 2016 en het KB van 18/04/2017",
        "Van 2014-2016 tot 2021-2023 daalde het met 1.200.000 euro",
        "Richtlijn 2012/27/EU, verordening 995/2010, CPV-code 30213100-6",
        "Ondernemingsnummer BE0123456789 van de leverancier",
    ],
)
def test_figures_of_procurement_are_no_personal_data(text):
    assert redact(text) == text and not has_personal_data(text)
