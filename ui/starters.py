"""Questions to start with and to ask next, drawn from what the index holds.

Topics are the headings of the indexed documents (a section's last heading, or a document's title);
a topic is sorted into a theme (product groups, legal and policy background, labels) by the words it
uses, in Dutch, French or English. A question about a heading that exists is one the bot can answer,
which is the point of a starter: a workshop should not open on a refusal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from gidsbot.types import Answer, Chunk, Citation
from ui.i18n import t

__all__ = ["THEMES", "follow_up_questions", "question_about", "themed_topics", "topics"]

THEMES = ("products", "legal", "labels", "other")
PER_THEME = 4
MAX_TOPIC_CHARS = 90

# Checked in this order: "EU Ecolabel directive" is about labels first.
_THEME_WORDS: dict[str, re.Pattern[str]] = {
    "labels": re.compile(
        r"\b(?:label|ecolabel|keurmerk|fsc\b|pefc\b|fairtrade|fair trade|blauer engel|blue angel|nordic swan"
        r"|energy star|tco certified|epeat|bio\b|biologisch|biologique|organic|certific)"
    ),
    "legal": re.compile(
        r"\b(?:wet\b|wetgev|wetten|loi\b|lois\b|law\b|legal|legisla|juridi|richtlijn|directive|omzendbrief"
        r"|koninklijk besluit|arrete|decreet|decret|ordonnan|regelgev|reglement|regulation|verordening"
        r"|artikel|article|septies|toezicht|concessie|concession|clausule|clause|beleid|politique|policy"
        r"|actieplan|plan d.action|action plan|uitsluitingsgrond|motifs d.exclusion)"
    ),
    "products": re.compile(
        r"\b(?:papier|paper|ict\b|computer|informati|laptop|printer|imprim|drukwerk|voeding|food|aliment"
        r"|catering|restaura|maaltijd|repas|farm to fork|schoonma|nettoy|cleaning|textiel|textile|kleding"
        r"|vetement|uniform|meubel|meubilair|mobilier|furniture|voertuig|vehicul|vehicle|mobilit|wagenpark"
        r"|energie|energy|elektricit|electricit|verlicht|eclairage|lighting|bouw|construct|batiment|gebouw"
        r"|building|renovat|afval|dechet|waste|groenbeheer|espaces verts|gezondheidszorg|soins de sante"
        r"|health ?care|kantoor|fourniture|office supplies|evenement|event|catering|vergader|reunion|meeting)"
    ),
}
_NUMBERING = re.compile(r"^\s*(?:\(?\d+(?:\.\d+)*[.)]?|[ivxlc]+[.)]|[a-z][.)])\s+", re.IGNORECASE)
_BOILERPLATE = {
    "inleiding",
    "introduction",
    "inhoud",
    "inhoudstafel",
    "sommaire",
    "table des matieres",
    "contents",
    "contact",
    "conclusie",
    "conclusion",
    "bijlage",
    "bijlagen",
    "annexe",
    "annexes",
    "annex",
    "menu",
    "colofon",
    "references",
    "referenties",
    "bronnen",
    "sources",
    "meer info",
    "plus d'info",
    "more info",
}


def fold(text: str) -> str:
    """Lower case without accents: "Énergie" and "energie" are the same word to the theme rules."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_topic(heading: str) -> str:
    """A heading fit to ask about, without its numbering; "" for boilerplate or unwieldy ones."""
    text = " ".join(_NUMBERING.sub("", heading).split()).strip(" :;.,–-")
    if len(text) < 4 or len(text) > MAX_TOPIC_CHARS or fold(text) in _BOILERPLATE:
        return ""
    return text


def _topic_of(chunk: Chunk) -> str:
    """A chunk's topic: its last heading, with the document's title when the heading alone says little."""
    leaf = clean_topic(chunk.section.split(" › ")[-1]) if chunk.section else ""
    title = clean_topic(chunk.title)
    if leaf and len(leaf.split()) <= 2 and title and len(title) + len(leaf) + 3 <= MAX_TOPIC_CHARS:
        return f"{title}: {leaf}"
    return leaf or title


def topics(chunks: Iterable[Chunk]) -> list[tuple[str, str]]:
    """Distinct (topic, source) pairs in the order the documents give them."""
    seen: set[str] = set()
    out = []
    for chunk in chunks:
        for topic in (_topic_of(chunk), clean_topic(chunk.title)):
            if topic and fold(topic) not in seen:
                seen.add(fold(topic))
                out.append((topic, chunk.source))
    return out


def theme_of(topic: str) -> str:
    folded = fold(topic)
    return next((theme for theme, words in _THEME_WORDS.items() if words.search(folded)), "other")


def themed_topics(chunks: Iterable[Chunk], per_theme: int = PER_THEME, language: str = "") -> dict[str, list[str]]:
    """Up to ``per_theme`` topics for each theme the index has, at most two per document per theme; from
    the pages in ``language`` when the index has any (a French interface opens on French headings)."""
    chunks = list(chunks)
    if language and any(c.language == language for c in chunks):
        chunks = [c for c in chunks if c.language == language]
    grouped: dict[str, list[str]] = {theme: [] for theme in THEMES}
    per_document: dict[tuple[str, str], int] = {}
    for topic, source in topics(chunks):
        theme = theme_of(topic)
        used = per_document.get((theme, source), 0)
        if len(grouped[theme]) < per_theme and used < 2:
            grouped[theme].append(topic)
            per_document[(theme, source)] = used + 1
    return {theme: found for theme, found in grouped.items() if found}


def question_about(topic: str, lang: str) -> str:
    return t("ask_about", lang, topic=topic)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{4,}", fold(text))}


def related(topics_pool: Iterable[str], text: str) -> list[str]:
    """Topics sharing words with ``text``, the most shared first (ties keep the index's order)."""
    wanted = _words(text)
    scored = [(len(_words(topic) & wanted), i, topic) for i, topic in enumerate(topics_pool)]
    return [topic for score, _, topic in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


def follow_up_questions(
    answer: Answer,
    chunks_of: Mapping[str, Sequence[Chunk]],
    asked: Sequence[str],
    topics_pool: Sequence[str] = (),
    limit: int = 3,
) -> list[str]:
    """What to ask next, in the answer's language: the bot's own suggestions first, then the headings
    next to the cited passages (for a refusal: the closest pages themselves), then other headings that
    share words with the answer; never a question already asked."""
    lang = answer.language or "en"
    out: list[str] = [s for s in answer.suggestions if s.strip()]
    cited = {(c.source, c.section) for c in answer.citations}
    candidates: list[str] = []
    for citation in answer.citations:
        if not answer.found:
            candidates.append(_topic_of(_as_chunk(citation)))
            continue
        document = chunks_of.get(citation.source, [])
        # the cited section: a passage's own, or one of the sections a passage of several holds
        here = [i for i, c in enumerate(document) if citation.section in {c.section, *(p.section for p in c.parts)}]
        for i in sorted({j for h in here for j in (h - 1, h + 1, h - 2, h + 2)}):
            if 0 <= i < len(document) and (document[i].source, document[i].section) not in cited:
                candidates.append(_topic_of(document[i]))
    if answer.found:
        candidates += related(topics_pool, f"{answer.question} {answer.answer}")
    already = {fold(q) for q in asked}
    cited_topics = {fold(_topic_of(_as_chunk(c))) for c in answer.citations}
    for topic in candidates:
        if answer.found and fold(topic) in cited_topics:
            continue  # the answer already quotes it
        question = question_about(topic, lang) if topic else ""
        if question and fold(question) not in already and question not in out:
            out.append(question)
    return out[:limit]


def _as_chunk(citation: Citation) -> Chunk:
    return Chunk(
        id="",
        source=citation.source,
        title=citation.title,
        section=citation.section,
        page=citation.page,
        language="",
        text="",
    )
