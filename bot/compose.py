"""Put an answer into words: quoted units with their citation numbers, or a refusal that says why.

Nothing is invented: an extractive answer is the chosen units (bot/select.py) quoted whole, each
followed by its citation number, framed in the question's language. A refusal names the key words
the documents do not hold, when it knows them, and offers the closest pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.prompts import LANGUAGE_NAMES, phrase
from bot.select import Picked
from gidsbot.text import fold
from gidsbot.types import Answer, Chunk, Citation, Hit

__all__ = ["citation_for", "closest_pages", "extractive_answer"]


def _order(picked: Sequence[Picked]) -> list[Picked]:
    """The passage of the best unit first; within a passage, the document's own order reads best."""
    best: dict[int, float] = {}
    for p in picked:
        best[p.hit_index] = max(best.get(p.hit_index, p.score), p.score)
    return sorted(picked, key=lambda p: (-best[p.hit_index], p.hit_index, p.position))


def _snippet(chosen: Sequence[str], limit: int = 90) -> str:
    text = " … ".join(" ".join(c.split()) for c in chosen)
    words = text.split()
    return text if len(words) <= limit else " ".join(words[:limit]) + " …"


def citation_for(n: int, chunk: Chunk, snippet: str, part: int = -1) -> Citation:
    """The citation of a passage; with ``part``, of the section of it a quoted unit stands in."""
    where = chunk.part(part)
    return Citation(
        n=n,
        title=chunk.title,
        source=chunk.source,
        section=where.section,
        snippet=snippet,
        page=where.page,
        url=chunk.url,
        language=chunk.language,
        modified=chunk.modified,
    )


def _numbers(ordered: Sequence[Picked], hits: Sequence[Hit]) -> dict[tuple[int, int], int]:
    """Citation number per quoted unit's place (hit and part): units of one page and section share a
    number, also from two overlapping passages."""
    numbers: dict[tuple[int, int], int] = {}
    by_place: dict[tuple[str, str], int] = {}
    for p in ordered:
        chunk = hits[p.hit_index].chunk
        place = (chunk.source, chunk.part(p.part).section)
        numbers.setdefault((p.hit_index, p.part), by_place.setdefault(place, len(by_place) + 1))
    return numbers


# A number in brackets in a document ("De looptijd bedraagt [48] maanden", a model specification's
# blank to fill in) would read as a citation to a source that is not there.
_BRACKETED_NUMBER = re.compile(r"\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
WORD_JOINER = "\u2060"  # invisible: "[48]" still reads as written, but is no citation mark


def _quote(p: Picked, n: int) -> str:
    text = _BRACKETED_NUMBER.sub(lambda m: f"[{m.group(1)}{WORD_JOINER}]", p.text)
    if "\n" in text:  # a list or table: its lines stay lines
        return f"{text.rstrip()} [{n}]"
    return f"{text} [{n}]"


def extractive_answer(question: str, language: str, hits: Sequence[Hit], picked: Sequence[Picked]) -> Answer:
    ordered = _order(picked)
    numbers = _numbers(ordered, hits)
    quoted: dict[int, list[str]] = {}
    first: dict[int, Picked] = {}
    for p in ordered:
        n = numbers[p.hit_index, p.part]
        first.setdefault(n, p)
        quoted.setdefault(n, []).append(p.text)
    for p in reversed(ordered):  # the quoted passage goes on one unit past the last one used
        texts = quoted[numbers[p.hit_index, p.part]]
        if p.after and p.after not in texts and p.text == texts[-1]:
            texts.append(p.after)
    citations = [
        citation_for(n, hits[first[n].hit_index].chunk, _snippet(texts), first[n].part) for n, texts in quoted.items()
    ]
    pieces = [_quote(p, numbers[p.hit_index, p.part]) for p in ordered]
    body = "".join(
        piece if i == 0 else ("\n\n" if "\n" in piece or "\n" in pieces[i - 1] else " ") + piece
        for i, piece in enumerate(pieces)
    )
    head = phrase("found", language)
    other = {c.language for c in citations if c.language and c.language != language}
    if other:
        names = LANGUAGE_NAMES.get(language, LANGUAGE_NAMES["en"])
        head += " " + phrase("other_language", language, name=" / ".join(names.get(o, o) for o in sorted(other)))
    return Answer(answer=f"{head}\n\n{body}", language=language, found=True, citations=citations, question=question)


def _as_asked(words: Sequence[str], question: str) -> str:
    """Key words (folded) as the question writes them, quoted: «réunion», «Vlaamse»."""
    written = {fold(w): w for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", question)}
    return ", ".join(f"«{written.get(w, w)}»" for w in words[:3])


def closest_pages(
    question: str,
    language: str,
    hits: Sequence[Hit],
    limit: int = 3,
    missing: Sequence[str] = (),
    covered: Sequence[str] = (),
) -> Answer:
    """A refusal that says why, in the question's language, and offers the closest pages: what the
    documents do cover of the question (``covered``), and the key words they do not (``missing``)."""
    seen: dict[str, Hit] = {}
    shown: set[tuple[str, str]] = set()
    for hit in hits:
        # a page and its twin under the same title ("Circular & Fair ICT Pact" in nl and fr) are one line
        line = (hit.chunk.title, hit.chunk.section)
        if hit.chunk.source in seen or line in shown:
            continue
        seen[hit.chunk.source] = hit
        shown.add(line)
        if len(seen) == limit:
            break
    citations = [
        citation_for(n, hit.chunk, _snippet([hit.chunk.text], limit=40)) for n, hit in enumerate(seen.values(), 1)
    ]
    held, lacking = _as_asked(covered, question), _as_asked(missing, question)
    if covered and missing:
        lines = [phrase("covered_not_this", language, covered=held, words=lacking)]
    elif covered:
        lines = [phrase("covered_no_answer", language, covered=held)]
    elif missing:
        lines = [phrase("not_covered", language, words=lacking)]
    else:
        lines = [phrase("not_found", language)]
    if citations:
        lines.append(phrase("closest", language))
        lines.extend(f"- [{c.n}] {c.title}" + (f" — {c.section}" if c.section else "") for c in citations)
    return Answer(answer="\n".join(lines), language=language, found=False, citations=citations, question=question)
