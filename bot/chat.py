"""The bot: load an index once, then answer questions with citations.

from bot import Bot
bot = Bot.load("data/index")
answer = bot.ask("Wanneer was de eerste Buyer Meets Supplier?", history=[])
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.cache import AnswerCache, answer_key
from bot.compose import closest_pages, extractive_answer
from bot.criteria import Fiche, answer_for, lookup
from bot.decide import PROBE_QUESTIONS, Decision, Judge
from bot.llm import LanguageModel, answer_messages, model_context
from bot.prompts import phrase
from bot.query import Query, read_query, swap_in
from bot.retrieve import LoadedIndex, Retriever, check_models, load_index
from bot.retriever import GuideRetriever
from bot.select import Picked, pick_units
from bot.twins import document_rows, prefer_twins
from bot.verify import PreviewCleaner, verdict, verify_answer, written_in
from gidsbot.embeddings import load_models
from gidsbot.errors import ModelError, QuestionError
from gidsbot.language import detect_language
from gidsbot.privacy import has_personal_data, without_personal_data
from gidsbot.settings import Settings, load_settings
from gidsbot.text import LANGUAGES, content_words
from gidsbot.types import Answer, Criterion, Hit

__all__ = ["MAX_QUESTION_CHARS", "Bot"]

MAX_QUESTION_CHARS = 2000
HISTORY_TURNS = 12  # of a conversation, only the last turns are read
# How long an asker waits for another's answer to the same question (asked at the same moment) before
# answering it itself: longer than an extractive answer under load, about a small model's answer.
LEADER_WAIT = 90.0

_FOLLOW_UP = re.compile(
    r"^\s*(?:en|et|and|maar|mais|but|ook|aussi|also|what about|how about|quid|en voor|et pour|en de|et le|et la|"
    r"en het|and the|and for|en wat|et qu|and what|en hoe|et comment)\b",
    re.IGNORECASE,
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# a piece of streamed extractive text ends after a sentence or a citation
_PIECE_END = re.compile(r"(?<=[.!?:\]])(?=\s)")

log = logging.getLogger("gidsbot.llm")


def readable(text: str) -> str:
    """``text`` with what cannot be written as UTF-8 (a byte that was not UTF-8, kept by Python as a lone
    surrogate) shown as the replacement character."""
    return _SURROGATE.sub("\ufffd", text)


def clean_question(question: object) -> str:
    if not isinstance(question, str):
        raise QuestionError("A question must be text.")
    text = " ".join(_CONTROL.sub(" ", readable(question)).split())
    if not text:
        raise QuestionError("The question is empty: type a question about sustainable public procurement.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is too long ({len(text)} characters; at most {MAX_QUESTION_CHARS}).")
    if not re.search(r"\w", text):
        raise QuestionError("The question has no words in it: type a question in Dutch, French or English.")
    return text


def _previous_questions(history: Sequence[Mapping[str, str]]) -> list[str]:
    """The buyer's earlier questions, the last few only and each cut to a question's length: a pasted
    100 kB turn must not make a follow-up cost minutes."""
    if not isinstance(history, Sequence) or isinstance(history, str):
        raise QuestionError("The history must be a list of {role, content} turns.")
    turns = []
    for turn in list(history)[-HISTORY_TURNS:]:
        if not isinstance(turn, Mapping) or turn.get("role") not in {"user", "assistant"}:
            raise QuestionError("Each history turn must be an object with role 'user' or 'assistant' and content.")
        content = turn.get("content")
        if turn["role"] == "user" and isinstance(content, str) and content.strip():
            cut = readable(content[: 4 * MAX_QUESTION_CHARS])
            turns.append(" ".join(_CONTROL.sub(" ", cut).split())[:MAX_QUESTION_CHARS])
    return turns


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP.match(question)) or len(content_words(question)) <= 2


@dataclass
class _Turn:
    """One question, read once (``query``), and how the language model fared with it."""

    query: Query
    model_failed: bool = False  # the model already failed during this turn: do not wait for it twice
    private: bool = False  # the question or the conversation holds personal data: no model sees it

    @property
    def question(self) -> str:
        return self.query.text

    @property
    def language(self) -> str:
        return self.query.language


@dataclass
class Found:
    """What retrieval found, what would be quoted, and whether it is enough to answer."""

    hits: list[Hit]
    top: list[Hit]  # the passages an answer may cite
    picked: list[Picked]
    decision: Decision

    @property
    def answered(self) -> bool:
        return self.decision.answered


def _pieces(text: str) -> list[str]:
    """Extractive text in sentence-sized pieces whose concatenation is the text."""
    return [p for p in _PIECE_END.split(text) if p]


# The most passages of one document among those searched for what to quote: the fact may be in another
# document ("volgens het criteriadocument" on a French PDF, while a Dutch fiche fills the first eight).
# 5 on the development guide: tune fact .850 -> .854, held out .773 -> .782, held out 2 unchanged; 3 lost.
PER_DOCUMENT = 5


def _varied(hits: Sequence[Hit], k: int) -> list[Hit]:
    """The first ``k`` hits, at most PER_DOCUMENT of them from one document while others are left."""
    count: dict[str, int] = {}
    kept: list[Hit] = []
    held_back: list[Hit] = []
    for hit in hits:
        count[hit.chunk.source] = count.get(hit.chunk.source, 0) + 1
        (kept if count[hit.chunk.source] <= PER_DOCUMENT else held_back).append(hit)
    return (kept + held_back)[:k]


class Bot:
    """Answers questions from one loaded index version; thread-safe for concurrent sessions.

    With a language model (``settings.llm_configured``, or ``llm`` given) the model writes the answer
    from the numbered passages and its citations are verified; without one the answer is extractive.
    """

    def __init__(
        self, index: LoadedIndex, retriever: Retriever, settings: Settings, llm: LanguageModel | None = None
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.settings = settings
        if llm is None and settings.llm_configured:
            llm = LanguageModel.from_settings(settings)
        self.llm = llm

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None, version: str = "") -> Bot:
        settings = settings or load_settings()
        if index_dir is not None:
            settings = settings.replace(index=Path(index_dir))
        index = load_index(settings.index, version or settings.pin_version)
        check_models(index, settings.embeddings)
        models = load_models(index.manifest.embeddings)
        # GIDSBOT_ANSWER_CACHE=0 keeps nothing: no answers, no query vectors (what timing benchmarks need)
        retriever = Retriever(
            index,
            models,
            settings.bm25_weight,
            settings.sentence_weight,
            settings.answer_cache > 0,
            centred=settings.centred_models.split("+"),
        )
        bot = cls(index, retriever, settings)
        bot.judge  # noqa: B018 - set up now (the off-topic baseline), not during the first question
        return bot

    @property
    def version(self) -> str:
        return self.index.version

    def ask(self, question: str, history: Sequence[Mapping[str, str]] = (), lang: str | None = None) -> Answer:
        """Answer ``question`` (after ``history``, oldest turn first) in its language or ``lang``."""
        return self.answer_with_hits(question, history, lang)[0]

    def answer_with_hits(
        self, question: str, history: Sequence[Mapping[str, str]] = (), lang: str | None = None
    ) -> tuple[Answer, list[Hit]]:
        key = answer_key(question, history, lang)
        if (kept := self._kept_or_lead(key)) is not None:
            return kept
        try:
            turn = self._turn(question, history, lang)
            if not self.index.chunks:
                return self._empty(turn), []
            found = self.find(turn.query)
            *_, answer = self._respond(turn, found, stream=False)
            assert isinstance(answer, Answer)
            self._remember(key, turn, answer, found.hits)
            return answer, found.hits
        finally:
            self.cache.done(key)

    def stream(
        self, question: str, history: Sequence[Mapping[str, str]] = (), lang: str | None = None
    ) -> Iterator[str | Answer]:
        """Text pieces as the answer is written, then the verified :class:`Answer`, always last.

        The pieces are a preview, already cleaned of images, HTML and foreign links; the final
        Answer's ``answer`` is the text to keep (citations renumbered, the not-found reply when the
        model cited nothing, the extractive answer with a notice when the model failed). A malformed
        question raises QuestionError here, before the first piece.
        """
        key = answer_key(question, history, lang)
        if (kept := self._kept_or_lead(key)) is not None:
            return self._replay(kept[0])
        try:
            turn = self._turn(question, history, lang)
            if not self.index.chunks:
                self.cache.done(key)
                return self._replay(self._empty(turn))
            found = self.find(turn.query)
        except BaseException:
            self.cache.done(key)
            raise
        return self._keeping(key, turn, found.hits, self._respond(turn, found, stream=True))

    def _kept_or_lead(self, key: str | None) -> tuple[Answer, list[Hit]] | None:
        """The kept answer to ``key``, also one that another asker is writing right now (waited for);
        None when this caller answers it (and then calls ``cache.done(key)``)."""
        if (kept := self.cache.get(key)) is not None:
            return kept
        answering = self.cache.lead(key)
        if answering is None:
            return None
        answering.wait(LEADER_WAIT)
        if (kept := self.cache.get(key)) is not None:
            return kept
        self.cache.lead(key)  # not kept: answer it here, leading whoever asks next
        return None

    @cached_property
    def cache(self) -> AnswerCache[tuple[Answer, list[Hit]]]:
        """Answers already given by this bot (bot/cache.py), ``settings.answer_cache`` of them."""
        return AnswerCache(self.settings.answer_cache)

    def _remember(self, key: str | None, turn: _Turn, answer: Answer, hits: list[Hit]) -> None:
        if not turn.model_failed and not answer.notice:
            self.cache.put(key, (answer, hits))

    def _keeping(
        self, key: str | None, turn: _Turn, hits: list[Hit], pieces: Iterator[str | Answer]
    ) -> Iterator[str | Answer]:
        try:
            for piece in pieces:
                if isinstance(piece, Answer):
                    self._remember(key, turn, piece, hits)
                    self.cache.done(key)  # the others need not wait for this reader
                yield piece
        finally:
            self.cache.done(key)

    def _turn(self, question: str, history: Sequence[Mapping[str, str]], lang: str | None) -> _Turn:
        text = clean_question(question)
        previous = _previous_questions(history)
        if lang is not None and lang not in LANGUAGES:
            raise QuestionError(f"Unknown answer language {lang!r}: use nl, fr or en.")
        written = detect_language(text, default=detect_language(previous[-1]) if previous else "nl")
        language = lang or written
        context = swap_in(previous[-1], text, self.judge.vectors) if previous and is_follow_up(text) else ""
        turn = _Turn(read_query(text, language, asked=without_personal_data(text), context=context, written=written))
        turn.private = self.llm is not None and any(map(has_personal_data, [text, *previous]))
        if previous and self.llm is not None and not turn.private:
            self._rewrite(turn, history)
        return turn

    def _rewrite(self, turn: _Turn, history: Sequence[Mapping[str, str]]) -> None:
        """Let the model write the standalone question; keep the previous-question context if it cannot."""
        assert self.llm is not None
        try:
            standalone = self.llm.standalone_question(turn.question, history)
        except ModelError as exc:
            log.warning("standalone question failed (%s); using the previous question as context", exc)
            turn.model_failed = True
            return
        if standalone is None:
            log.info("the model's standalone question was not one question; using the previous question")
            return
        turn.query = read_query(turn.question, turn.language, asked=standalone, written=turn.query.written)

    def _empty(self, turn: _Turn) -> Answer:
        return Answer(phrase("empty_index", turn.language), turn.language, False, [], turn.question, self.version)

    def search(self, question: str, k: int = 5, language: str = "") -> list[Hit]:
        """The ``k`` passages that best match ``question``, best first (no answer, no decision)."""
        text = clean_question(question)
        query = read_query(text, language or detect_language(text))
        if not self.index.chunks:
            return []
        return self._retrieve(query, max(k, 1))[0][:k]

    def criteria(self, product_group: str, phase: str = "", language: str = "") -> tuple[Fiche, list[Criterion]]:
        """A product group's fiche and its criteria (in ``phase`` only, when given); QuestionError naming
        the closest groups when none matches."""
        return lookup(product_group, self.index.criteria, language, phase)

    def as_retriever(self, k: int = 5, language: str = "") -> GuideRetriever:
        """This bot's search as a LangChain retriever (bot/retriever.py), for use in any LangChain chain."""
        return GuideRetriever(bot=self, k=k, language=language)

    def find(self, query: Query) -> Found:
        """Retrieve, choose what to quote, and decide (before any model call: a question the documents
        do not answer never reaches the model)."""
        hits, top, rows, picked = self._gather(query)
        return Found(hits, top, picked, self.judge.decide(query, picked, rows, top))

    def _retrieve(self, query: Query, limit: int) -> tuple[list[Hit], list[np.ndarray]]:
        """Fused hits for ``query``, the twin page in its language preferred, and the query vectors."""
        hits, vectors = self.retriever.search(query.search, query.written or query.language, limit=limit)
        return self._prefer_twins(hits, query.language, vectors), vectors

    def _gather(self, query: Query) -> tuple[list[Hit], list[Hit], list[int], list[Picked]]:
        # twice the passages quoted from are fetched, so that one long page cannot fill them all
        hits, vectors = self._retrieve(query, 2 * max(8, self.settings.top_k))
        model = self.retriever.sentence_model
        sentence_vector = vectors[self.retriever.models.index(model)] if vectors else None
        top = _varied(hits, self.settings.top_k)
        rows = [self.retriever.row_of(h.chunk) for h in top]
        return hits, top, rows, pick_units(query, top, self.index, sentence_vector, rows)

    @cached_property
    def judge(self) -> Judge:
        """The answered/refused decision for this index (bot/decide.py), set up and calibrated once."""
        first = self.retriever.models[0].name if self.retriever.models else ""
        judge = Judge(self.index, self.retriever.sentence_model, self.settings.min_evidence, retrieval=first)
        if self.index.chunks:
            probes = [self._gather(read_query(text, language)) for text, language in PROBE_QUESTIONS]
            judge.calibrate([(top, picked) for _, top, _, picked in probes])
        return judge

    @property
    def threshold(self) -> float:
        return self.judge.bar

    @cached_property
    def _document_rows(self) -> dict[str, list[int]]:
        return document_rows(self.index.chunks)

    def _prefer_twins(self, hits: list[Hit], language: str, vectors: Sequence[np.ndarray]) -> list[Hit]:
        if not self.index.alternates or not vectors:
            return hits
        names = [m.name for m in self.retriever.models]
        dense = list(zip(names, self.index.vectors, vectors, strict=True))
        return prefer_twins(
            hits, language, self.index.alternates, self._document_rows, self.index.chunks, self.retriever.row_of, dense
        )

    def _respond(self, turn: _Turn, found: Found, stream: bool) -> Iterator[str | Answer]:
        query, sources = turn.query, {h.chunk.source for h in found.top}
        decision = found.decision
        listed = answer_for(
            query.asked,
            query.context,
            turn.language,
            self.index.criteria,
            query.kinds,
            sources,
            found.answered,
            decision.lacking,  # a criteria answer must not skip what the passages lack
        )
        if listed is not None:  # a fiche's criteria, as written: records, not quoted sentences
            yield from self._replay(listed, stream)
        elif not found.answered:
            refusal = closest_pages(
                turn.question, turn.language, found.hits, missing=decision.missing, covered=decision.covered
            )
            yield from self._replay(refusal, stream)
        elif self.llm is None:
            yield from self._replay(self._extractive(turn, found), stream)
        elif turn.model_failed:
            yield from self._replay(self._fallback(turn, found), stream)
        elif turn.private:
            yield from self._replay(self._fallback(turn, found, "personal_data"), stream)
        else:
            yield from self._model_answer(turn, found, stream)

    def _extractive(self, turn: _Turn, found: Found) -> Answer:
        return extractive_answer(turn.question, turn.language, found.top, found.picked)

    def _fallback(self, turn: _Turn, found: Found, why: str = "llm_fallback") -> Answer:
        """The extractive answer where a model answer was expected, with a notice saying ``why``."""
        answer = self._extractive(turn, found)
        answer.notice = phrase(why, turn.language)
        return answer

    def _replay(self, answer: Answer, stream: bool = True) -> Iterator[str | Answer]:
        """An answer that exists whole, streamed as pieces for the same contract as a model's."""
        answer.index_version = self.version
        if stream:
            yield from _pieces(answer.answer)
        yield answer

    def _model_answer(self, turn: _Turn, found: Found, stream: bool) -> Iterator[str | Answer]:
        assert self.llm is not None
        anchors = [(p.hit_index, p.text) for p in found.picked]
        given = model_context(found.top, anchors, self.settings.llm_passages, self.settings.llm_passage_words)
        messages = answer_messages(turn.query.asked, turn.language, given)
        preview = PreviewCleaner(len(given), [h.chunk.url for h in given], turn.language)
        try:
            if stream:
                parts: list[str] = []
                for piece in self.llm.stream(messages):
                    parts.append(piece)
                    if shown := preview.feed(piece):
                        yield shown
                text = "".join(parts)
                if tail := preview.flush():
                    yield tail
            else:
                text = self.llm.complete(messages)
            said, judged = verdict(text)
            if judged != "none" and not written_in(said, turn.language):
                raise ModelError(f"the language model answered in another language than {turn.language}")
            answer = verify_answer(text, turn.question, turn.language, given, found.hits)
        except ModelError as exc:
            log.warning("language model failed (%s); answering extractively", exc)
            # once model text is on screen, extractive pieces after it would read as one garbled answer
            yield from self._replay(self._fallback(turn, found), stream and not preview.shown)
            return
        answer.index_version = self.version
        yield answer
