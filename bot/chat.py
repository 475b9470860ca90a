"""The bot: load an index once, then answer questions with citations.

    from bot import Bot
    bot = Bot.load("data/index")
    answer = bot.ask("Wanneer was de eerste Buyer Meets Supplier?", history=[])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.compose import closest_pages, confidence, evidence, extractive_answer, pick_sentences
from bot.embeddings import load_models
from bot.errors import QuestionError
from bot.prompts import phrase
from bot.retrieve import LoadedIndex, Retriever, check_models, load_index
from bot.settings import Settings, load_settings
from bot.text import LANGUAGES, content_words, detect_language
from bot.types import Answer, Hit

__all__ = ["MAX_QUESTION_CHARS", "THRESHOLD", "Bot"]

MAX_QUESTION_CHARS = 2000
# Calibrated on tests/questions.jsonl (answerable vs off-topic): see bench/README.md.
THRESHOLD = 0.77

_FOLLOW_UP = re.compile(
    r"^\s*(?:en|et|and|maar|mais|but|ook|aussi|also|what about|how about|quid|en voor|et pour|en de|et le|et la|"
    r"en het|and the|and for|en wat|et qu|and what|en hoe|et comment)\b",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_question(question: object) -> str:
    if not isinstance(question, str):
        raise QuestionError("A question must be text.")
    text = " ".join(_CONTROL.sub(" ", question).split())
    if not text:
        raise QuestionError("The question is empty: type a question about sustainable public procurement.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is too long ({len(text)} characters; at most {MAX_QUESTION_CHARS}).")
    if not re.search(r"\w", text):
        raise QuestionError("The question has no words in it: type a question in Dutch, French or English.")
    return text


def _previous_questions(history: Sequence[Mapping[str, str]]) -> list[str]:
    if not isinstance(history, Sequence) or isinstance(history, str):
        raise QuestionError("The history must be a list of {role, content} turns.")
    turns = []
    for turn in history:
        if not isinstance(turn, Mapping) or turn.get("role") not in {"user", "assistant"}:
            raise QuestionError("Each history turn must be an object with role 'user' or 'assistant' and content.")
        if turn["role"] == "user" and isinstance(turn.get("content"), str) and turn["content"].strip():
            turns.append(turn["content"].strip())
    return turns


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP.match(question)) or len(content_words(question)) <= 2


class Bot:
    """Answers questions from one loaded index version; thread-safe for concurrent sessions."""

    def __init__(self, index: LoadedIndex, retriever: Retriever, settings: Settings) -> None:
        self.index = index
        self.retriever = retriever
        self.settings = settings
        self._lock = threading.Lock()

    @classmethod
    def load(cls, index_dir: str | Path | None = None, settings: Settings | None = None, version: str = "") -> Bot:
        settings = settings or load_settings()
        if index_dir is not None:
            settings = settings.replace(index=Path(index_dir))
        index = load_index(settings.index, version or settings.pin_version)
        check_models(index, settings.embeddings)
        retriever = Retriever(index, load_models(index.manifest.embeddings), settings.bm25_weight)
        return cls(index, retriever, settings)

    @property
    def version(self) -> str:
        return self.index.version

    def ask(self, question: str, history: Sequence[Mapping[str, str]] = (), lang: str | None = None) -> Answer:
        """Answer ``question`` (after ``history``, oldest turn first) in its language or ``lang``."""
        return self.answer_with_hits(question, history, lang)[0]

    def answer_with_hits(
        self, question: str, history: Sequence[Mapping[str, str]] = (), lang: str | None = None
    ) -> tuple[Answer, list[Hit]]:
        text = clean_question(question)
        previous = _previous_questions(history)
        if lang is not None and lang not in LANGUAGES:
            raise QuestionError(f"Unknown answer language {lang!r}: use nl, fr or en.")
        language = lang or detect_language(text, default=detect_language(previous[-1]) if previous else "nl")
        context = previous[-1] if previous and is_follow_up(text) else ""
        query = f"{context} {text}".strip()
        if not self.index.chunks:
            return Answer(phrase("empty_index", language), language, False, [], text, self.version), []
        hits, vectors = self.retriever.search(query, language, limit=max(8, self.settings.top_k))
        model = self.retriever.sentence_model
        sentence_vector = vectors[self.retriever.models.index(model)] if vectors else None
        top = hits[: self.settings.top_k]
        rows = [self.retriever.row_of(h.chunk) for h in top]
        picked = pick_sentences(text, language, top, self.index, sentence_vector, rows, context=context)
        ev = evidence(text, language, hits, self.index, picked[0].score if picked else 0.0, model)
        if picked and confidence(ev) >= THRESHOLD + self.settings.min_evidence:
            answer = extractive_answer(text, language, top, picked)
        else:
            answer = closest_pages(text, language, hits)
        answer.index_version = self.version
        return answer, hits
