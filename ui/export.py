"""The conversation as a handout: Markdown, or one self-contained HTML page.

Every piece of text in the HTML page goes through ``html.escape`` and every link through
``safe_link``; the page carries a Content-Security-Policy that forbids scripts, images and any
request, so even a mistake here could not make a handout run code or call home.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime

from ui.answers import Card, Exchange, link_label, where
from ui.i18n import t
from ui.markup import md_escape, safe_link

__all__ = ["to_html", "to_markdown"]

CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-top: 1px solid #d0d7de;
     padding-top: 1rem; }
.answer { white-space: pre-wrap; }
.sources { padding-left: 0; list-style: none; }
.sources li { border: 1px solid #d0d7de; border-radius: .5rem; padding: .6rem .8rem; margin: .5rem 0; }
.meta { color: #59636e; font-size: .9rem; }
blockquote { margin: .4rem 0; padding-left: .8rem; border-left: 3px solid #d0d7de; }
mark { background: #fff1c2; font-weight: 600; }
a { color: #0b5cad; word-break: break-all; }
@media print { a::after { content: " (" attr(href) ")"; } }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _md_card(card: Card, lang: str) -> list[str]:
    head = f"{card.n}. **{md_escape(card.title)}**"
    facts = where(card, lang)
    lines = [head + (f" — {md_escape(', '.join(facts))}" if facts else "")]
    if card.link:
        lines.append(f"   [{md_escape(link_label(card, lang))}]({card.link})")
    else:
        lines.append(f"   {t('local_file', lang)}: {md_escape(card.source)}")
    quote = " ".join(f"**{md_escape(s.text)}**" if s.marked else md_escape(s.text) for s in card.segments)
    lines.append(f"   > {quote}")
    return lines


def to_markdown(exchanges: Sequence[Exchange], lang: str, version: str) -> str:
    out = [f"# {t('export_title', lang)}", "", md_escape(t("exported", lang, when=_stamp(), version=version)), ""]
    for number, exchange in enumerate(exchanges, 1):
        out += [f"## {number}. {md_escape(exchange.question)}", ""]
        out += [md_escape(exchange.body()).replace("\n", "  \n"), ""]
        if exchange.cards:
            out += [f"**{t('sources' if exchange.found else 'closest_pages', lang)}**", ""]
            for card in exchange.cards:
                out += _md_card(card, lang)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_card(card: Card, lang: str) -> str:
    facts = where(card, lang)
    link = card.link if card.link and safe_link(card.link) == card.link else ""  # already safe: re-checked
    place = (
        f'<a href="{_e(link)}" rel="noopener noreferrer">{_e(link_label(card, lang))}</a>'
        if link
        else f"{_e(t('local_file', lang))}: {_e(card.source)}"
    )
    quote = " ".join(f"<mark>{_e(s.text)}</mark>" if s.marked else _e(s.text) for s in card.segments)
    return (
        f'<li id="source-{card.n}"><strong>[{card.n}] {_e(card.title)}</strong>'
        + (f'<div class="meta">{_e(" · ".join(facts))}</div>' if facts else "")
        + f"<blockquote>{quote}</blockquote><div>{place}</div></li>"
    )


def to_html(exchanges: Sequence[Exchange], lang: str, version: str) -> str:
    title = t("export_title", lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(t("exported", lang, when=_stamp(), version=version))}</p>',
    ]
    for number, exchange in enumerate(exchanges, 1):
        parts.append(f"<h2>{number}. {_e(exchange.question)}</h2>")
        parts.append(f'<p class="answer">{_e(exchange.body())}</p>')
        if exchange.cards:
            parts.append(f"<h3>{_e(t('sources' if exchange.found else 'closest_pages', lang))}</h3>")
            parts.append('<ul class="sources">' + "".join(_html_card(c, lang) for c in exchange.cards) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
