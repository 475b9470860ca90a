"""Check a language model's answer against the passages it was given, and make its text safe to show.

A model cites numbers it was never given, cites nothing at all, or writes Markdown that a browser
would act on (an image loads from any host the moment it is shown, which leaks the conversation).
Here the citations are parsed, the invalid ones dropped, the rest renumbered 1..k in order of first
appearance; the sources shown are exactly those cited; images, raw HTML and links other than to the
cited sources are neutralised. An answer left without a valid citation is not an answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.compose import citation_for, closest_pages
from bot.facts import cite_uncited, figures, substantive, unsupported_sentences
from bot.prompts import LANGUAGE_NAMES, phrase
from gidsbot.errors import ModelError
from gidsbot.language import detect_language
from gidsbot.text import sentences, terms
from gidsbot.types import Answer, Chunk, Citation, Hit

__all__ = ["PreviewCleaner", "cited_numbers", "clean_markup", "renumber", "verify_answer", "written_in"]

_NUMBER = r"\d{1,3}(?:\s*[-–]\s*\d{1,3})?"
# [1], [1, 2], [1;2], [1-3]; three digits at most so that "[2019]" is never taken for a citation
_GROUP = re.compile(rf"\[\s*({_NUMBER}(?:\s*[,;]\s*{_NUMBER})*)\s*\]")
# adjacent groups, "[9][1]" or "[1] [2]", are dropped or kept together with the space before them
_RUN = re.compile(rf"([ \t]*)({_GROUP.pattern}(?:[ \t]*{_GROUP.pattern})*)")
_IMAGE = re.compile(r"!\[[^\]]*\]\s*(?:\([^)]*\)|\[[^\]]*\])")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]*)>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?:[a-z][a-z0-9+.-]*:|www\.|/)\S*.*$", re.IGNORECASE | re.MULTILINE)
_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_BARE_URL = re.compile(
    r"(?<!\]\()(?:\b(?:(?:https?|ftp)://|www\.)|(?<![\w:/])//(?=[\w-]+\.))[^\s<>()\[\]]+", re.IGNORECASE
)  # with protocol-relative "//host/…", which a browser opens on the page's own scheme
_TRAILING = ".,;:!?'\""
_SAFE_URL = re.compile(r"https?://", re.IGNORECASE)
# private-use characters that hold a kept link's place while the rest of the text is neutralised
_HOLD, _RELEASE = "\ue000", "\ue001"
_HELD = re.compile(f"{_HOLD}(\\d+){_RELEASE}")
_SNIPPET_WORDS = 60
_LANGUAGE_WORDS = 8  # below this, names and figures outweigh the few words that tell a language


def _numbers(group: str) -> list[int]:
    found: list[int] = []
    for part in re.split(r"\s*[,;]\s*", group.strip()):
        low, _, high = re.sub(r"\s*[-–]\s*", "-", part).partition("-")
        first, last = int(low), int(high or low)
        # a reversed or huge range is noise, not a citation of dozens of passages
        found.extend(range(first, last + 1) if first <= last <= first + 10 else [first])
    return found


def cited_numbers(text: str) -> list[int]:
    """Every citation number in ``text``, in order of first appearance."""
    seen: dict[int, None] = {}
    for match in _GROUP.finditer(text):
        seen.update(dict.fromkeys(_numbers(match.group(1))))
    return list(seen)


def renumber(text: str, given: int) -> tuple[str, list[int]]:
    """Drop numbers outside 1..given, renumber the rest 1..k by first appearance.

    Returns the new text and the original numbers in their new order (new n = position + 1).
    """
    order: dict[int, int] = {}

    def replace(match: re.Match[str]) -> str:
        numbers = [n for group in _GROUP.finditer(match.group(2)) for n in _numbers(group.group(1))]
        kept = [n for n in dict.fromkeys(numbers) if 1 <= n <= given]
        if not kept:
            return ""  # with the space before it: "claim [9]." reads "claim."
        return match.group(1) + "".join(f"[{order.setdefault(n, len(order) + 1)}]" for n in kept)

    return _RUN.sub(replace, text), list(order)


def _same_url(url: str, allowed: Iterable[str]) -> bool:
    def key(u: str) -> str:
        return u.split("#", 1)[0].rstrip("/").lower()

    return bool(url) and key(url) in {key(a) for a in allowed if a}


# The model's own verdict on the passages (the system prompt's rule 3): they do not answer, or only in part.
NO_ANSWER = "NO_ANSWER"
PARTIAL = "PARTIAL"
_VERDICT = re.compile(rf"\b(?:{NO_ANSWER}|{PARTIAL})\b\.?")


def verdict(text: str) -> tuple[str, str]:
    """The answer without the model's verdict words, and the verdict: "none", "partial" or "" (complete).
    A reply that is nothing but NO_ANSWER says the passages do not answer; PARTIAL anywhere, that they
    answer in part."""
    kept = _VERDICT.sub(" ", text)
    if NO_ANSWER in text and not substantive(kept):
        return "", "none"
    return re.sub(r"[ \t]{2,}", " ", kept).strip(), "partial" if PARTIAL in text else ""


def clean_markup(text: str, allowed_urls: Iterable[str], language: str) -> str:
    """Text without images, raw HTML or links other than to ``allowed_urls``.

    An allow-list, not a list of patterns to remove: after the known forms are taken out, no ``<`` or
    ``>`` is left (so no tag can form, however nested: "<scr<script>ipt>"), no ``![`` (no image, whatever
    brackets its text holds) and no ``](`` except in the links to cited sources kept aside first (so no
    "[x](javascript:…)" and no "[x]( //evil.example )" survives as a link).
    """
    allowed = set(allowed_urls)
    removed = phrase("link_removed", language)
    text = text.replace(_HOLD, "").replace(_RELEASE, "")
    text = _IMAGE.sub("", text)
    text = _COMMENT.sub("", text)
    text = _AUTOLINK.sub(lambda m: m.group(1) if _same_url(m.group(1), allowed) else removed, text)
    text = _TAG.sub("", text)
    text = text.replace("<", "‹").replace(">", "›")
    text = _REFERENCE.sub("", text)
    kept: list[str] = []

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        if _GROUP.fullmatch(f"[{label}]"):
            return f"[{label}]"  # "[2](https://…)": the citation list carries the link; keep the number
        if _same_url(url, allowed) and _SAFE_URL.match(url):
            kept.append(match.group(0))
            return f"{_HOLD}{len(kept) - 1}{_RELEASE}"
        return label

    text = _LINK.sub(link, text)
    text = text.replace("![", "[").replace("](", "] (")
    text = _BARE_URL.sub(lambda m: _bare(m, allowed, removed), text)
    return _HELD.sub(lambda m: kept[int(m.group(1))], text)


def _bare(match: re.Match[str], allowed: set[str], removed: str) -> str:
    url = match.group(0).rstrip(_TRAILING)
    tail = match.group(0)[len(url) :]
    return (url if _same_url(url, allowed) else removed) + tail


def written_in(text: str, language: str) -> bool:
    """Is the model's text in ``language``? Too short a text to tell counts as yes."""
    plain = _GROUP.sub(" ", text)
    if len(plain.split()) < _LANGUAGE_WORDS:
        return True
    return detect_language(plain, default=language) == language


def _claims(text: str, n: int) -> str:
    """The sentences of the answer that cite [n]: what the passage must support."""
    return " ".join(s for s in sentences(text) if f"[{n}]" in s)


FIGURE_WEIGHT = 3  # a date or figure shared with the claim counts as this many shared words


def best_snippet(chunk: Chunk, claim: str) -> str:
    """The passage's sentence(s) sharing most words and figures with the claim, trimmed; its opening when
    none do. A figure counts for more: it is shared across languages ("4 février 2019" / "4 februari 2019")."""
    parts = sentences(chunk.text)
    if not parts:
        return ""
    wanted = set(terms(claim, chunk.language))
    claimed = set().union(*figures(claim))

    def shared(sentence: str) -> int:
        return len(wanted & set(terms(sentence, chunk.language))) + FIGURE_WEIGHT * len(
            claimed & set().union(*figures(sentence))
        )

    scores = [shared(s) for s in parts]
    best = max(scores)
    if best == 0:
        chosen = parts[:2]
    else:
        ranked = sorted(range(len(parts)), key=lambda i: (-scores[i], i))
        keep = [i for i in ranked[:2] if scores[i] >= max(1, best // 2)]
        chosen = [parts[i] for i in sorted(keep)]
    words = " … ".join(chosen).split()
    return " ".join(words) if len(words) <= _SNIPPET_WORDS else " ".join(words[:_SNIPPET_WORDS]) + " …"


def _other_language(language: str, citations: Sequence[Citation]) -> str:
    """The one short phrase saying the sources are in another language, when all of them are."""
    languages = {c.language for c in citations}
    if not citations or "" in languages or language in languages:
        return ""
    names = LANGUAGE_NAMES.get(language, LANGUAGE_NAMES["en"])
    return phrase("other_language", language, name=" / ".join(names.get(o, o) for o in sorted(languages)))


def verify_answer(text: str, question: str, language: str, given: Sequence[Hit], hits: Sequence[Hit]) -> Answer:
    """The model's ``text`` about passages ``given`` (numbered 1..len), checked; ``hits`` for the closest pages."""
    # links may point at any passage given until the citations are known, then only at the cited ones
    text, judged = verdict(text)
    if judged == "none":  # the model read the passages and says they do not answer
        return closest_pages(question, language, hits)
    text = clean_markup(text, [h.chunk.url for h in given], language)
    text = cite_uncited(text, {n: h.chunk.text for n, h in enumerate(given, 1)})
    text, dropped = _without_unsupported(text, given, question)
    if not substantive(text):
        raise ModelError("the language model's answer says nothing besides its citations")
    if all(s.rstrip().endswith("?") for s in sentences(_GROUP.sub(" ", text)) if s.strip()):
        raise ModelError("the language model asked a question instead of answering")  # a small model's echo
    text, order = renumber(text, len(given))
    if not order:
        return closest_pages(question, language, hits)
    cited = [given[n - 1].chunk for n in order]
    text = clean_markup(text, [c.url for c in cited], language)
    text = re.sub(r"[ \t]{2,}", " ", text)  # dropped citations and images leave double spaces
    snippets = [best_snippet(chunk, _claims(text, n)) for n, chunk in enumerate(cited, 1)]
    citations = [
        citation_for(n, chunk, snippet, chunk.part_of(snippet))
        for n, (chunk, snippet) in enumerate(zip(cited, snippets, strict=True), 1)
    ]
    note = _other_language(language, citations)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text).strip()
    return Answer(
        answer=f"{text}\n\n{note}" if note else text,
        language=language,
        found=True,
        citations=citations,
        question=question,
        notice=" ".join(
            phrase(key, language)
            for key, shown in (("partial", judged == "partial"), ("figures_dropped", dropped))
            if shown
        ),
    )


def _without_unsupported(text: str, given: Sequence[Hit], question: str) -> tuple[str, int]:
    """``text`` without its sentences whose dates, figures or acronyms no passage they cite holds
    (bot/facts.py), and how many went. ModelError when such a sentence cannot be taken out cleanly."""
    wrong = unsupported_sentences(text, {n: h.chunk.text for n, h in enumerate(given, 1)}, question)
    for item in wrong:
        if item.sentence not in text:
            raise ModelError(f"the language model stated figures its passages do not hold: {', '.join(item.missing)}")
        text = text.replace(item.sentence, " ")
    return re.sub(r"[ \t]{2,}", " ", text).strip(), len(wrong)


class PreviewCleaner:
    """Safe text of an answer still being written, piece by piece, for streaming to the screen.

    Only text that can no longer change meaning is released: the last, possibly unfinished word and
    any unclosed bracket, image or tag wait for the next piece. The released text is cleaned and
    renumbered like the final answer; if cleaning ever rewrites what was already shown, the preview
    stops there and the final answer replaces it.
    """

    _OPEN = re.compile(r"(?:!?\[[^\]]*(?:\](?:\([^)]*)?)?|<[^>]*|!)$")

    def __init__(self, given: int, allowed_urls: Iterable[str], language: str) -> None:
        self.given = given
        self.allowed = list(allowed_urls)
        self.language = language
        self.raw = ""
        self.shown = ""

    def feed(self, piece: str) -> str:
        self.raw += piece
        ready = self.raw
        opened = self._OPEN.search(ready)
        if opened:
            ready = ready[: opened.start()]
        cut = max(ready.rfind(" "), ready.rfind("\n"))
        return self._release(ready[:cut] if cut >= 0 else "")

    def flush(self) -> str:
        return self._release(self.raw)

    def _release(self, ready: str) -> str:
        ready = _VERDICT.sub("", ready)  # the model's verdict is read at the end, never shown as text
        cleaned = renumber(clean_markup(ready, self.allowed, self.language), self.given)[0]
        if not cleaned.startswith(self.shown):
            return ""
        new, self.shown = cleaned[len(self.shown) :], cleaned
        return new
