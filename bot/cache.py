"""Answers kept per question: in a workshop, 75 buyers asking the same starter cost one answer.

A :class:`Bot` answers from one index version, so its cache needs no version in the key: a new
version means a new Bot and an empty cache. The key is the question as typed, the answer language
asked for and the conversation before it; an answer shown with a notice (the language model failed)
is not kept, so the next asker gets a fresh try. Copies go in and out: callers may change what
they get (the app fills in the question) without touching what others get.

Askers of the same question at the same moment (a room tapping one starter) do not each answer it:
the first one leads (:meth:`AnswerCache.lead`), the others wait for its answer and take it from the
cache; if it is not kept (the leader failed, or gave up), each of them answers for itself.
"""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

__all__ = ["AnswerCache", "answer_key"]

V = TypeVar("V")


def answer_key(question: object, history: Sequence[Mapping[str, str]], lang: str | None) -> str | None:
    """The cache key of a question, or None when it cannot be one (a question that is no text, a
    history that is no list of turns: those get their sentence from the bot, uncached)."""
    if not isinstance(question, str):
        return None
    try:
        return json.dumps([question, lang, list(history)], ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return None


class AnswerCache(Generic[V]):
    """A bounded, thread-safe LRU of answers; ``size`` 0 keeps nothing."""

    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()
        self._answering: dict[str, threading.Event] = {}  # key -> set when its first asker is done
        self.hits = 0

    def lead(self, key: str | None) -> threading.Event | None:
        """None when the caller is the first to ask for ``key`` now and should answer it (then call
        :meth:`done`); otherwise the event its first asker sets when done."""
        if key is None or not self.size:
            return None
        with self._lock:
            answering = self._answering.get(key)
            if answering is None:
                self._answering[key] = threading.Event()
            return answering

    def done(self, key: str | None) -> None:
        """The first asker of ``key`` is done (its answer is in the cache, or will not be)."""
        if key is None:
            return
        with self._lock:
            answering = self._answering.pop(key, None)
        if answering is not None:
            answering.set()

    def get(self, key: str | None) -> V | None:
        if key is None or not self.size:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            self.hits += 1
        return copy.deepcopy(found)

    def put(self, key: str | None, value: V) -> None:
        if key is None or not self.size:
            return
        kept = copy.deepcopy(value)
        with self._lock:
            self._items[key] = kept
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
