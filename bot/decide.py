"""Answer or refuse: does what was found hold every key concept of the question?

Averaging over a question's words lets one missing concept slip through: "Welk btw-tarief geldt
voor kantoorpapier?" shares "kantoorpapier" with a fiche that never mentions VAT. So each rare key
word of the question is looked for in the passages the answer quotes: the word itself, one of its
stems, a compound containing it, or a word whose vector (the sentence model, multilingual) is close
to it — a translation ("supplier" / "leverancier") or a near synonym. Words the documents use
everywhere ("aankoop", "overheid") weigh little.

No single signal separates answerable questions from the rest, so the decision weighs several
(:class:`Signals`) in a logistic model: the key words held (the two weakest, weighted by rarity),
how close the documents' vocabulary as a whole comes to the question's words (against a bar that
adapts to the size of that vocabulary, see :func:`threshold`), and how well the best passage and the
best unit match the question, each measured against the level that off-topic probe questions reach
in the same index, and whether the retrievers agree on that passage. The coefficients were fitted on the
development guide's tune questions and its first three held-out parts (``bench/fit_decision.py``) and are
measured on its later held-out parts (bench/README.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from simplemma import lemmatize
from wordfreq import zipf_frequency

from bot.measures import holds_measure
from bot.query import Query
from bot.retrieve import LoadedIndex
from bot.select import SEEN_KINDS, Picked, coverage, idf
from bot.wordforms import compound_rest, conjugated, ends_like, initials, phrases, same_root
from gidsbot.embeddings import NamedEmbeddings
from gidsbot.glossary import translations
from gidsbot.text import LANGUAGES, YEAR, term_variants, terms
from gidsbot.types import Hit

__all__ = [
    "ANSWER_BAR",
    "BASELINE_REFERENCE",
    "COEFFICIENTS",
    "PROBE_QUESTIONS",
    "THRESHOLD_REFERENCE",
    "WORD_BAR",
    "Decision",
    "Judge",
    "Reference",
    "Signals",
    "probability",
    "threshold",
]

# A key word is held when some word of the quoted passages comes at least this close to it.
WORD_BAR = 0.65
# A key word held less than WORD_BAR by this much, times its importance, refuses the answer.
DEFICIT_BAR = 0.1
# Everyday words ("plaats", "event", "lieu") are no key concepts: a Zipf frequency (wordfreq: about
# log10 of uses per billion words) of COMMON_ZIPF or more makes a word unimportant, RARE_ZIPF or less
# fully important.
COMMON_ZIPF = 5.5
RARE_ZIPF = 3.5
# Words that frame a question rather than name what it is about: a passage that answers need not use them.
# (what a guide is said to recommend or consider, "welke ... raadt de gids aan", is the frame too)
FRAME_WORDS = frozenset(
    """gids fiche fiches pagina document documenten volgens vermeld vermeldt staat precies ongeveer eigenlijk
    weten vraag informatie info nodig gebruikt gebruiken geldt gelden vind vinden zegt zeggen vermelden
    genoemd noemt beschreven beschrijft
    guide page pages selon mentionne mentionnee mentionnes mentionnees indique indiquee exactement environ
    savoir question information besoin dit disent trouve trouver utilise utiliser decrit decrite cite citee
    according mentioned mention state states stated exactly about know question information need say says
    tell find used use described named
    raadt aanraadt aanraden aangeraden adviseert adviseren aanbevolen aanbeveelt beveelt aanbevelen voorgesteld
    voorstelt suggereert beschouwt beschouwd acht
    recommande recommandee recommandees recommandes recommander conseille conseillee conseiller preconise
    preconisee preconiser suggere suggeree considere consideree considerer estime
    recommend recommends recommended advise advises advised suggest suggests suggested consider considers
    considered deem deems deemed regard regards regarded
    procent percentage pourcentage percent aantal nombre number bedrag montant amount datum date jaar annee
    year dag jour day termijn delai period periode hoelang nummer numero adres adresse address
    mailadres emailadres telefoonnummer courriel email mail
    exact exacte exacts exactes citer""".split()
)  # the last line names the kind of answer wanted (a figure, a date), which the choice of unit sees to


@dataclass(frozen=True)
class Signals:
    """What the decision weighs for one question (the module's docstring tells why)."""

    concepts: float  # index-wide concept coverage, with the best unit's score and lexical coverage, minus the bar
    deficit: float  # the largest (WORD_BAR - held) x importance over the key words
    second: float  # the second largest
    across: float  # 1 when every quoted passage is in another language than the answer
    unit: float  # the best unit's score, minus the level off-topic probe questions reach
    passage: float  # the best passage's similarity to the question (sentence model), minus the probes' level
    weakest: float  # how well the least held important key word is held (1 when no word is important)
    unheld: float  # how many important key words are held less than WORD_BAR
    # across languages, word vectors hold translations less surely: the passage's similarity and the
    # weakest word then weigh differently (``across`` times each)
    across_passage: float
    across_weakest: float
    unmet: float  # 1 when the question asks for a date, figure, amount, identifier or contact no quoted unit holds
    # the retrievers' agreement on the passage the best unit comes from: the share of them that rank it first,
    # and its similarity under the first retrieval model (e5) above the level the probes reach, as a share of
    # the room left above that level (models differ in how close everything is: e5 puts most text near 0.8)
    first: float
    retrieval: float

    def as_dict(self) -> dict[str, float]:
        return {name: round(float(getattr(self, name)), 4) for name in COEFFICIENTS}


# The logistic model over the signals, fitted on the development guide's tune questions and its first three
# held-out parts by ``bench/fit_decision.py --on tune,heldout,heldout2,heldout3`` (which prints these lines);
# an answer needs a probability of ANSWER_BAR.
COEFFICIENTS = {
    "concepts": 3.924,
    "deficit": -7.582,
    "second": -1.223,
    "across": -1.198,
    "unit": 2.585,
    "passage": 5.596,
    "weakest": 1.020,
    "unheld": -0.372,
    "across_passage": 6.098,
    "across_weakest": 1.275,
    "unmet": -3.589,
    "first": 1.257,
    "retrieval": 3.752,
}
INTERCEPT = -4.958
ANSWER_BAR = 0.5
# Across languages a key word's deficit counts this much (translations are matched less surely).
ACROSS_FACTOR = 0.3
# A key word named in a refusal as one the documents do cover: held as written, and at least this important.
COVERED = 0.3
# A key word "important" for ``weakest`` and ``unheld``: at least this importance (0 to 1).
IMPORTANT = 0.5
# how much a word of a sentence that sets the scene before the question weighs (Query.scene)
SCENE = 0.5
# the most a glossary word holds when the quoted sections write it in no language (below WORD_BAR)
UNWRITTEN = 0.6


def probability(signals: Signals) -> float:
    """How likely the documents answer the question, by the fitted logistic model."""
    z = INTERCEPT + sum(weight * getattr(signals, name) for name, weight in COEFFICIENTS.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class Decision:
    answered: bool
    confidence: float  # index-wide concept coverage with the best unit's score and lexical coverage
    bar: float  # what ``confidence`` is measured against in this index
    held: dict[str, float] = field(default_factory=dict)  # key word -> how well the quoted passages hold it
    weight: dict[str, float] = field(default_factory=dict)  # key word -> importance, 0 (everyday word) to 1
    missing: tuple[str, ...] = ()  # rare key words the quoted passages do not hold (named in a refusal)
    covered: tuple[str, ...] = ()  # key words the quoted passages hold as written (a refusal names them too)
    probability: float = 0.0  # of the logistic model; answered when at least the Judge's ``answer_bar``
    signals: Signals | None = None

    @property
    def lacking(self) -> list[str]:
        """The question's important key words the quoted passages do not hold (held less than WORD_BAR)."""
        return [w for w, v in self.weight.items() if v >= IMPORTANT and self.held.get(w, 0.0) < WORD_BAR]


@dataclass(frozen=True)
class Reference:
    """The level off-topic probe questions reach in one index: the best unit's score and the best
    passage's similarity. A larger index brings every question closer to something in it."""

    unit: float = 0.75
    passage: float = 0.25
    retrieval: float = 0.8


# Questions no procurement document answers, in the three languages, asked once per loaded index
# to measure its :class:`Reference`.
PROBE_QUESTIONS = (
    ("Hoe repareer ik een lekke fietsband?", "nl"),
    ("Welke planeet staat het dichtst bij de zon?", "nl"),
    ("Wie schilderde de Nachtwacht?", "nl"),
    ("Comment faire pousser des tomates sur un balcon ?", "fr"),
    ("Quelle est la capitale du Canada ?", "fr"),
    ("Combien de cordes a un violon ?", "fr"),
    ("How do I teach a puppy to sit?", "en"),
    ("What is the tallest mountain in Africa?", "en"),
    ("Which instrument did Django Reinhardt play?", "en"),
)


# Everyday words that no procurement document uses, in the three languages: how close the documents'
# vocabulary comes to them is the level an off-topic word reaches in this index.
PROBE_WORDS = (
    "appeltaart voetbal vakantie gitaar olifant verjaardag regenjas tandarts kerstboom zwembad "
    "pizza vélo chanson plage fromage montagne cinéma jardinage anniversaire chocolat "
    "football holiday guitar elephant birthday dentist weather recipe painting volcano"
).split()

BASELINE_REFERENCE = 0.515  # the bundled corpus (776 words), where the threshold 0.77 was measured
THRESHOLD_REFERENCE = 0.77


def threshold(baseline: float) -> float:
    """The confidence an answer needs in an index whose off-topic level is ``baseline``.

    A larger vocabulary brings every question word closer to some document word, off-topic ones
    included, so the bar rises with the baseline (bench/README.md). Clamped, since it is extrapolated.
    """
    return min(0.95, max(0.6, THRESHOLD_REFERENCE + 2.0 * (baseline - BASELINE_REFERENCE)))


def _unmet(query: Query, picked: Sequence[Picked]) -> bool:
    """Does the question ask for a kind of answer (a date, a figure, an amount, an identifier, a contact)
    that none of the units to be quoted holds? "Hoeveel kost een licentie?" is not answered by a
    sentence about licences without an amount, "How loud …?" not by a figure without decibels."""
    unmeasured = bool(query.measures) and not any(holds_measure(p.text, query.measures) for p in picked)
    return unmeasured or any(kind in query.kinds and not _holds(kind, picked) for kind in SEEN_KINDS)


def _holds(kind: str, picked: Sequence[Picked]) -> bool:
    """Does some quoted unit have the shape of ``kind`` (a date, figure, amount ...; bot/select.py _fit)?"""
    return any(p.features.get(kind, 0.0) > 0 for p in picked)


# what a conjugated verb or participle of the question weighs against a noun as rare: the question's verb is how
# it asks, and a page that answers uses its own (development parts: 8 more answered, 1 near-topic fewer refused)
VERB = 0.5


def _priced(query: Query, picked: Sequence[Picked]) -> bool:
    """False when the question asks a price and no quoted unit names an amount (or says it is free): such
    a quote is never an answer, however close its subject ("1 MWh" for "what does a guarantee cost")."""
    return "money" not in query.kinds or _holds("money", picked)


class Judge:
    """The answered/refused decision for one loaded index; word vectors are looked up once."""

    def __init__(
        self,
        index: LoadedIndex,
        model: NamedEmbeddings,
        margin: float = 0.0,
        reference: Reference | None = None,
        retrieval: str = "",
    ) -> None:
        self.index = index
        self.model = model
        self.retrieval = retrieval or model.name  # the retrieval model whose similarity ``Signals.retrieval`` reads
        self.reference = reference or Reference()
        self.answer_bar = min(0.99, max(0.01, ANSWER_BAR + margin))
        self._vectors: dict[str, np.ndarray] = {}
        n = max(len(index.chunks), 1)
        # rarity runs from a word in a quarter of the passages (0) to one in a few of them (1)
        self._common = math.log1p((n - 0.25 * n + 0.5) / (0.25 * n + 0.5))
        self._rare = math.log1p((n - min(3, n) + 0.5) / (min(3, n) + 0.5))
        self.bar = threshold(self.baseline())
        for language in LANGUAGES:  # wordfreq and simplemma read their lists on first use: now, not in an answer
            zipf_frequency("gids", language)
            lemmatize("gids", lang=language)

    def baseline(self) -> float:
        """Mean similarity of the probe words to their closest word in the documents."""
        vocabulary, matrix = self.index.vocabulary
        probes = [w for w in PROBE_WORDS if w not in vocabulary]
        if not vocabulary or not probes:
            return BASELINE_REFERENCE
        return float(np.mean(np.max(self.model.embed_array(probes) @ matrix.T, axis=1)))

    def vectors(self, words: Sequence[str]) -> dict[str, np.ndarray]:
        vocabulary, matrix = self.index.vocabulary
        unknown = [w for w in words if w not in vocabulary and w not in self._vectors]
        if unknown:
            if len(self._vectors) > 50_000:
                self._vectors.clear()
            self._vectors.update(zip(unknown, self.model.embed_array(unknown), strict=True))
        return {w: matrix[vocabulary[w]] if w in vocabulary else self._vectors[w] for w in words}

    def importance(self, word: str, written: str = "", language: str = "") -> float:
        """How much a key word names what the question is about: rare in everyday language (any of
        nl/fr/en) and, when the documents use it, rare among them too. 0 to 1. ``written`` is the word
        as the question spells it: wordfreq knows "considère", not the folded "considere"; and, in the
        question's ``language``, its dictionary form: "couvraient" is rare, "couvrir" is not."""
        spelling = written or word
        lemma = lemmatize(spelling, lang=language) if language in LANGUAGES else spelling
        everyday = max(zipf_frequency(form, lang) for form in {word, spelling, lemma} for lang in LANGUAGES)
        value = min(1.0, max(0.0, (COMMON_ZIPF - everyday) / (COMMON_ZIPF - RARE_ZIPF)))
        if conjugated(spelling, lemma, language):
            value *= VERB
        vocabulary, _ = self.index.vocabulary
        stems = terms(word)
        if word in vocabulary and stems:
            in_index = (idf(self.index, stems[0]) - self._common) / max(self._rare - self._common, 1e-6)
            value *= min(1.0, max(0.0, in_index))
        return value

    def concepts(self, query: Query) -> float:
        """Over the question's key words, the rarity-weighted mean similarity of the closest word anywhere
        in the documents: 1 for a word they use, about 0.8 for its translation, about 0.5 for a concept
        they never mention."""
        words = list(query.words)
        vocabulary, matrix = self.index.vocabulary
        if not words or not vocabulary:
            return 0.0
        # a word the documents use in another language (the glossary's translation) is a word they use
        used = {w: w if w in vocabulary else next((t for t in translations(w) if t in vocabulary), "") for w in words}
        vectors = self.vectors([w for w in words if not used[w]])
        scores = [1.0 if used[w] else float(np.max(matrix @ vectors[w])) for w in words]
        stems = {w: terms(used[w]) if used[w] else [] for w in words}
        weights = [idf(self.index, stems[w][0] if stems[w] else "") for w in words]
        return float(np.average(scores, weights=weights)) if sum(weights) > 0 else float(np.mean(scores))

    def held(self, query: Query, places: Sequence[tuple[int, int]]) -> dict[str, float]:
        """For each key word, how well the quoted sections hold it (1 for the word itself): ``places`` are
        (chunk row, part) pairs, a part being the section of the passage a quoted unit stands in."""
        words = [w for w in query.words if w not in FRAME_WORDS]
        if not words:
            return {}
        passage_words: set[str] = set()
        passage_terms: set[str] = set()
        columns: list[np.ndarray] = []
        for row, part in dict.fromkeys(places):
            found, found_terms, cols = self.index.part_words(row, part)
            passage_words |= found
            passage_terms |= found_terms
            columns.append(cols)
        _, matrix = self.index.vocabulary
        known = np.unique(np.concatenate(columns)) if columns else np.zeros(0, np.int64)

        def literal(word: str) -> bool:
            return word in passage_words or any(v & passage_terms for v in term_variants(word))

        out: dict[str, float] = {}
        rests: dict[str, str] = {}
        for year in YEAR.findall(query.asked):  # a year the question names is a key word, held only as written
            if year not in query.compared:  # "vóór 2020?" is answered by "in juni 2021"
                out[year] = 1.0 if year in passage_words else 0.0  # "in 2020" is not answered by "vandaag"
        for word in words:
            if literal(word):
                out[word] = 1.0
            elif len(word) >= 6 and any(len(p) >= 5 and word in p for p in passage_words):
                out[word] = 0.9  # the passage names a kind of it: "schoonmaak" in "schoonmaakproducten"
            elif any(same_root(word, p) for p in passage_words):
                out[word] = 0.85  # another form of the word: "engageerden" / "geëngageerd"
            elif any(ends_like(word, p) for p in passage_words):
                out[word] = 0.85  # a compound ending in it: "temperature" in "kleurtemperatuur"
            elif any(initials(word, self.index.part_text(row, part)) for row, part in dict.fromkeys(places)):
                out[word] = 0.9  # its letters begin the words it stands for: "kmo", "pme"
            elif rest := compound_rest(word, passage_words):
                # "tuinonderhoud" where the passage has "onderhoud": held only if "tuin" is too
                if literal(rest):
                    out[word] = 0.9
                else:
                    rests[word] = rest
        todo = [w for w in words if w not in out]
        if todo and len(known):
            # a word with its neighbour in the question: "vêtements de travail" is one Dutch word, "werkkledij"
            # (never with a neighbour the passages hold: "cautionnement green" is close to "green" alone)
            unheld = [w for w in query.words if w not in out]
            neighbours = {w: phrases(w, unheld) for w in todo}
            vectors = self.vectors(todo + list(rests.values()) + [p for ps in neighbours.values() for p in ps])
            for word in todo:
                probes = [vectors[rests.get(word, word)], *(vectors[p] for p in neighbours[word])]
                out[word] = float(np.max(matrix[known] @ np.stack(probes).T))
                if translations(word):
                    # the glossary knows how the concept is written in each language (a quoted translation
                    # is literal, above): none of its forms quoted means a neighbouring concept, however close
                    out[word] = min(out[word], UNWRITTEN)
        else:
            out.update(dict.fromkeys(todo, 0.0))
        return out

    def calibrate(self, probes: Sequence[tuple[Sequence[Hit], Sequence[Picked]]]) -> None:
        """Set the :class:`Reference` from what the probe questions found (their hits and picked units)."""
        units = [picked[0].score for _, picked in probes if picked]
        passages = [hits[0].similarity.get(self.model.name, 0.0) for hits, _ in probes if hits]
        retrieval = [hits[0].similarity.get(self.retrieval, 0.0) for hits, _ in probes if hits]
        if units and passages:
            self.reference = Reference(float(np.mean(units)), float(np.mean(passages)), float(np.mean(retrieval)))

    def signals(self, query: Query, picked: Sequence[Picked], rows: Sequence[int], hits: Sequence[Hit]) -> Decision:
        """The signals and what the key words have (the ``answered`` and ``probability`` fields still unset)."""
        quoted = [rows[p.hit_index] for p in picked]
        lexical = coverage(query.variants, [self.index.passage_terms(r) for r in rows[:3]], self.index)
        confidence = self.concepts(query) + 0.1 * min(picked[0].score, 1.5) + 0.1 * lexical
        held = self.held(query, [(rows[p.hit_index], p.part) for p in picked])
        # a question written in another language than the answer it asks for (``--lang``) is quoted from
        # pages in that other language: its words cannot be checked one by one
        spelled = dict(query.spelled)

        def weight_of(word: str) -> float:
            if query.written:
                return 0.0
            return 1.0 if YEAR.fullmatch(word) else self.importance(word, spelled.get(word, ""), query.language)

        weight = {w: weight_of(w) for w in held}
        # a name the question writes with a capital ("Gent", "Cradle to Cradle", "Dutch") is what it asks about
        weight = {w: max(v, IMPORTANT) if w in query.names and v > 0 else v for w, v in weight.items()}
        # a sentence before the question sets the scene ("We bestellen nieuwe bureaus en stoelen. Hoelang …?"):
        # its words weigh less than the question's own
        weight = {w: v * SCENE if w in query.scene else v for w, v in weight.items()}
        across = all(self.index.chunks[r].language not in {"", query.language} for r in quoted)
        # word vectors match a word with its translation less surely than with itself: across languages
        # a word far from every quoted word counts for less
        # (a year or a name is written alike in every language: its deficit counts in full)
        factor = {w: 1.0 if not across or YEAR.fullmatch(w) or w in query.names else ACROSS_FACTOR for w in held}
        deficits = sorted(((WORD_BAR - v) * weight[w] * factor[w] for w, v in held.items()), reverse=True) + [0, 0]
        important = [v for w, v in held.items() if weight[w] >= IMPORTANT]
        passage = (hits[0].similarity.get(self.model.name, 0.0) if hits else 0.0) - self.reference.passage
        weakest = min(important, default=1.0)
        quoted_hit = hits[picked[0].hit_index] if picked[0].hit_index < len(hits) else None
        retrievers = set().union(*(h.ranks for h in hits))
        first = sum(r == 1 for r in quoted_hit.ranks.values()) / len(retrievers) if quoted_hit and retrievers else 0.0
        similarity = quoted_hit.similarity.get(self.retrieval, 0.0) if quoted_hit else 0.0
        signals = Signals(
            concepts=confidence - self.bar,
            deficit=deficits[0],
            second=deficits[1],
            across=float(across),
            unit=picked[0].score - self.reference.unit,
            passage=passage,
            weakest=weakest,
            unheld=float(sum(v < WORD_BAR for v in important)),
            across_passage=float(across) * passage,
            across_weakest=float(across) * weakest,
            unmet=float(_unmet(query, picked)),
            first=first,
            retrieval=(similarity - self.reference.retrieval) / max(1.0 - self.reference.retrieval, 0.05),
        )
        missing = tuple(w for w, v in held.items() if (WORD_BAR - v) * weight[w] * factor[w] >= DEFICIT_BAR)
        covered = tuple(w for w, v in held.items() if v >= 1.0 and weight[w] >= COVERED)
        return Decision(False, confidence, self.bar, held, weight, missing, covered, signals=signals)

    def decide(self, query: Query, picked: Sequence[Picked], rows: Sequence[int], hits: Sequence[Hit]) -> Decision:
        """Answer when the signals make it likely enough that the quoted passages answer the question."""
        if not picked:
            return Decision(False, 0.0, self.bar)
        decision = self.signals(query, picked, rows, hits)
        assert decision.signals is not None
        decision.probability = probability(decision.signals)
        decision.answered = _priced(query, picked) and decision.probability >= self.answer_bar
        return decision
