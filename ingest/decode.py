"""Bytes to text, once for every reader: HTML pages, Markdown and plain text files.

The order: a byte-order mark; else the bytes as UTF-8 when they are valid UTF-8; else the charset the
HTTP ``Content-Type`` names; else the one the document declares (``<meta charset>``, an XML
declaration); else Windows-1252. Valid UTF-8 goes before a declared single-byte charset because
pages that say iso-8859-1 but are UTF-8 are common, while Windows-1252 text with accents is
practically never valid UTF-8 by accident. Labels are read as browsers read them (WHATWG Encoding):
latin-1 and ascii mean Windows-1252, and a UTF-16 label without a byte-order mark is ignored.

BeautifulSoup's ``EncodingDetector`` finds the byte-order mark and the declared charset, and its
``UnicodeDammit`` tries the candidates in order.
"""

from __future__ import annotations

import codecs
from email.message import Message

from bs4.dammit import EncodingDetector, UnicodeDammit

__all__ = ["decode", "http_charset"]

_HEAD = 4096  # where a declaration may be looked for


def http_charset(content_type: str) -> str:
    """The ``charset`` parameter of a ``Content-Type`` header ("" when there is none)."""
    if "charset" not in content_type.lower():
        return ""
    message = Message()
    message["content-type"] = content_type
    return str(message.get_param("charset") or "")


def _browser_label(label: str | None) -> str:
    """The codec a browser would use for ``label``; "" for one to ignore."""
    if not label:
        return ""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return ""
    if name in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return ""  # no byte-order mark: the label is wrong (a BOM was handled first)
    return name


def decode(data: bytes, charset: str = "", markup: bool = True) -> str:
    """``data`` as text; ``charset`` is the HTTP header's, ``markup`` says a declaration may be in it."""
    stripped, bom = EncodingDetector.strip_byte_order_mark(data)
    if bom:
        return stripped.decode(bom, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = EncodingDetector.find_declared_encoding(data[:_HEAD], is_html=markup) if markup else None
    candidates = [c for c in (_browser_label(charset), _browser_label(declared)) if c]
    dammit = UnicodeDammit(data, known_definite_encodings=candidates + ["cp1252"], is_html=markup)
    if dammit.unicode_markup is not None and dammit.original_encoding in {*candidates, "cp1252", "windows-1252"}:
        return dammit.unicode_markup
    return data.decode("cp1252", errors="replace")
