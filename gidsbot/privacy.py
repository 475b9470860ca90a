"""Personal data in what buyers type: found, kept from a language model, and redacted before it is stored.

A buyer may paste an e-mail with a colleague's address, a phone number, a national register number
or a bank account into the chat. Such a question is answered from the documents without sending it
to a language model (which may be a remote service), and the feedback and unanswered-question logs
keep it with the personal data replaced by what it was ("[e-mail]").
"""

from __future__ import annotations

import re

__all__ = ["has_personal_data", "redact", "without_personal_data"]

# most specific first: an IBAN or a national register number also looks like a phone number
_PATTERNS = (
    ("[e-mail]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("[IBAN]", re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b")),
    # Belgian national register number: YY.MM.DD-XXX.CC, also written without separators (11 digits)
    ("[national number]", re.compile(r"\b\d{2}[.]?\d{2}[.]?\d{2}[-. ]?\d{3}[.]?\d{2}\b")),
    # a phone number starts with 0 (Belgian) or + / 00 (international): a CPV code or an amount does not
    ("[phone]", re.compile(r"(?<![\w+])(?:(?:\+|00)\d{2,3}|0)[ ./-]?\d{1,4}(?:[ ./-]?\d{2,4}){2,4}\b")),
)


def _phone(match: re.Match[str]) -> str:
    """A phone number has 9 to 13 digits; a shorter run of figures ("0,5 tot 2,5") is left alone."""
    return "[phone]" if 9 <= len(re.sub(r"\D", "", match.group())) <= 13 else match.group()


def redact(text: str) -> str:
    """``text`` with e-mail addresses, IBANs, national register numbers and phone numbers replaced."""
    for label, pattern in _PATTERNS:
        text = pattern.sub(_phone if label == "[phone]" else label, text)
    return text


def without_personal_data(text: str) -> str:
    """``text`` with the personal data left out: an address or a number is never what a question is about."""
    redacted = redact(text)
    if redacted == text:
        return text
    for label, _ in _PATTERNS:
        redacted = redacted.replace(label, " ")
    return " ".join(redacted.split())


def has_personal_data(text: str) -> bool:
    return redact(text) != text
