"""The optional language model: the messages it is sent and the calls that may fail.

Any LangChain chat model works; the configured one is LangChain's OpenAI-compatible client
(vLLM, TGI, Ollama, LM Studio, hosted APIs). The system message is fixed text; the retrieved
passages travel in the human message inside a ``<passages>`` block, made inert first so that no
page can close the block or forge a passage number. Every failure of the model (timeout, refused
connection, HTTP error, unusable output) becomes a :class:`~gidsbot.errors.ModelError`, which the bot
turns into an extractive answer with a one-line notice.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from bot.prompts import LANGUAGE_NAMES, STANDALONE_PROMPT, SYSTEM_PROMPT
from bot.query import answer_kinds
from gidsbot.errors import ModelError
from gidsbot.text import content_words, sentences, term_variants
from gidsbot.types import Chunk, Hit

if TYPE_CHECKING:
    from gidsbot.settings import Settings

# what an API key looks like: "sk-…" (OpenAI-style), or whatever follows "Bearer "
_KEY_LIKE = re.compile(r"\b(sk-[\w-]{8,})|(?<=Bearer )\S{8,}", re.IGNORECASE)

__all__ = [
    "LanguageModel",
    "answer_messages",
    "build_chat_model",
    "neutralise",
    "passages_block",
    "model_context",
    "standalone_messages",
]

# The client never retries by itself: its retry after a timeout made a timeout cost two, and left the
# abandoned request keeping a one-at-a-time server busy. gidsbot retries once, and only a failure that
# came fast (a dropped connection, a 502 from a proxy) within QUICK_FAILURE of the timeout.
MAX_RETRIES = 0
QUICK_FAILURE = 0.25
HISTORY_TURNS = 6  # the standalone question needs the last few turns, not the whole workshop
TURN_CHARS = 600  # long cited answers in the history add cost, not meaning
MAX_STANDALONE_CHARS = 2000

# Angle brackets and their look-alikes: a page must not be able to write "</passages>". The quotation
# marks ‹ › stay: section paths ("A › B") use them and no tokenizer reads them as a tag.
_ANGLES = {"<": "&lt;", ">": "&gt;"}
_LOOKALIKES = str.maketrans({c: "<" for c in "＜﹤〈⟨❮〈"} | {c: ">" for c in "＞﹥〉⟩❯〉"})
_ANGLE = re.compile(r"[<>]")
# "[3]" inside a page would read as a passage number; "(3)" keeps the meaning for a reader.
_BRACKETED_NUMBER = re.compile(r"\[(\d{1,4})\]")


def build_chat_model(settings: Settings) -> BaseChatModel:
    """LangChain's chat model for an OpenAI-compatible server (vLLM, Ollama, llama.cpp), from the llm_*
    settings, through LangChain's provider-neutral ``init_chat_model``."""
    from langchain.chat_models import init_chat_model  # imported here: only a configured model pays for it
    from pydantic import SecretStr

    model = init_chat_model(
        settings.llm_model,
        model_provider="openai",
        base_url=settings.llm_base_url,
        # local servers (vLLM, Ollama) need no key, but the client insists on one
        api_key=SecretStr(settings.llm_api_key or "none"),
        timeout=settings.llm_timeout,
        max_retries=MAX_RETRIES,
        temperature=0,
    )
    assert isinstance(model, BaseChatModel)  # a named model, not a configurable one
    return model


def neutralise(text: str) -> str:
    """Page text as inert data: no tag (nor a look-alike) can close the block, no "[n]" can pose as a passage."""
    text = _ANGLE.sub(lambda m: _ANGLES[m.group()], text.translate(_LOOKALIKES))
    return _BRACKETED_NUMBER.sub(r"(\1)", text)


def _header(n: int, chunk: Chunk) -> str:
    """ "[n] title — section (p. X) source": the number is ours, the rest comes from the page."""
    line = chunk.title
    if chunk.section and chunk.section != chunk.title:
        line += f" — {chunk.section}"
    if chunk.page:
        line += f" (p. {chunk.page})"
    return f"[{n}] {neutralise(line)} {neutralise(chunk.url or chunk.source)}"


def passages_block(chunks: Sequence[Chunk]) -> str:
    """The numbered passages, 1-based in the given order, inside the delimited block."""
    parts = [f"{_header(n, c)}\n{neutralise(c.text.strip())}" for n, c in enumerate(chunks, 1)]
    return "<passages>\n" + "\n\n".join(parts) + "\n</passages>"


def model_context(top: Sequence[Hit], anchors: Sequence[tuple[int, str]], passages: int, words: int) -> list[Hit]:
    """What the model reads: at most ``passages`` passages, those holding the chosen units (``anchors``:
    passage index, unit text) first, each cut to about ``words`` words around its unit. A small CPU
    server spends most of an answer reading its prompt (FACTS.md); a sharper context also answers better."""
    order = list(dict.fromkeys([i for i, _ in anchors if 0 <= i < len(top)] + list(range(len(top)))))
    out = []
    for i in order[: max(1, passages)]:
        hit = top[i]
        anchor = next((text for j, text in anchors if j == i), "")
        text = _window(hit.chunk.text, anchor, max(20, words))
        out.append(dataclasses.replace(hit, chunk=dataclasses.replace(hit.chunk, text=text)))
    return out


def _window(text: str, anchor: str, words: int) -> str:
    """About ``words`` words of ``text``: whole sentences around the one ``anchor`` starts (else the first)."""
    parts = sentences(text)
    if sum(len(p.split()) for p in parts) <= words:
        return text
    key = " ".join(anchor.split())[:60]
    at = next((n for n, p in enumerate(parts) if key and (key in p or p in key)), 0)
    chosen, low, high = [at], at, at
    size = len(parts[at].split())
    while True:
        grown = False
        for n in (high + 1, low - 1):  # the sentence after first: it usually goes on with the answer
            if 0 <= n < len(parts) and n not in chosen and size + len(parts[n].split()) <= words:
                chosen.append(n)
                size += len(parts[n].split())
                low, high, grown = min(low, n), max(high, n), True
        if not grown:
            break
    return " ".join(parts[n] for n in sorted(chosen))


def answer_messages(question: str, language: str, hits: Sequence[Hit]) -> list[BaseMessage]:
    """Fixed system message, then one human message: the passages, then the question and its language.

    One human message, not two: some chat templates (Mistral's among them) refuse two user turns in a row.
    """
    name = LANGUAGE_NAMES["en"].get(language, "English")
    request = (
        f"{passages_block([h.chunk for h in hits])}\n\n"
        f"Question: {neutralise(question)}\n\n"
        f"Answer in {name}, only from the passages above, citing them as [n]."
    )
    return [SystemMessage(SYSTEM_PROMPT), HumanMessage(request)]


def standalone_messages(question: str, history: Sequence[Mapping[str, str]]) -> list[BaseMessage]:
    """A short request to rewrite a follow-up question so that it stands alone."""
    lines = []
    for turn in list(history)[-HISTORY_TURNS:]:
        content = " ".join(str(turn.get("content", "")).split())
        if len(content) > TURN_CHARS:
            content = content[:TURN_CHARS] + " …"
        lines.append(f"{'User' if turn.get('role') == 'user' else 'Assistant'}: {neutralise(content)}")
    request = "<conversation>\n" + "\n".join(lines) + f"\n</conversation>\n\nLast question: {neutralise(question)}"
    return [SystemMessage(STANDALONE_PROMPT), HumanMessage(request)]


def _text(content: object) -> str:
    """The text of a message's content, which may be a string or a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, str | dict)
        )
    return ""


def _one_line(text: str) -> str | None:
    """The model's standalone question, or None when what it wrote is not one question."""
    lines = [line.strip().strip("\"'“”«» ") for line in text.strip().splitlines() if line.strip()]
    if len(lines) != 1 or not re.search(r"\w", lines[0]) or len(lines[0]) > MAX_STANDALONE_CHARS:
        return None
    return re.sub(r"^(?:standalone question|question|vraag)\s*:\s*", "", lines[0], flags=re.IGNORECASE) or None


_CITED = re.compile(r"\[\s*\d{1,3}\s*\]|\(\s*\d{1,3}\s*\)")


def is_rewrite_of(rewrite: str, question: str) -> bool:
    """Is ``rewrite`` a question (a question mark, or a kind of answer it asks for, as bot/query.py reads
    it), free of citations, that keeps at least half of the follow-up's own key words ("tweede" of
    "En de tweede?")?"""
    text = rewrite.strip()
    if _CITED.search(text) or not (text.endswith("?") or answer_kinds(text)):
        return False
    wanted = term_variants(" ".join(content_words(question)))
    if not wanted:
        return True
    kept = set().union(*term_variants(text))
    return sum(1 for variants in wanted if variants & kept) * 2 >= len(wanted)


class LanguageModel:
    """A chat model behind calls that either return text or raise ModelError with the cause."""

    def __init__(
        self, chat: BaseChatModel, timeout: float, retry_after: float = 30.0, secrets: Sequence[str] = ()
    ) -> None:
        self.chat = chat
        self.timeout = timeout
        self.retry_after = retry_after
        self.secrets = tuple(s for s in secrets if len(s) >= 4)  # never written to a log or an error
        self._resting_until = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> LanguageModel:
        return cls(
            build_chat_model(settings), settings.llm_timeout, settings.llm_retry_after, secrets=[settings.llm_api_key]
        )

    def _check(self) -> None:
        """A model that just failed to answer is left alone for ``retry_after`` seconds: in a workshop,
        thirty buyers would otherwise each wait a full timeout for the same dead server."""
        left = self._resting_until - time.monotonic()
        if left > 0:
            raise ModelError(f"the language model failed moments ago; asked again in {left:.0f} s")

    def _failed(self, exc: BaseException) -> ModelError:
        self._resting_until = time.monotonic() + self.retry_after
        return exc if isinstance(exc, ModelError) else ModelError(_cause(exc, self.secrets))

    def _quick(self, started: float) -> bool:
        """Did a failure come fast enough that one more try still fits well within the timeout?"""
        return time.monotonic() - started < QUICK_FAILURE * self.timeout

    def complete(self, messages: Sequence[BaseMessage]) -> str:
        self._check()
        started = time.monotonic()
        try:
            try:
                reply = self.chat.invoke(list(messages))
            except Exception:  # openai, httpx and pydantic each raise their own; all mean "no answer"
                if not self._quick(started):
                    raise
                reply = self.chat.invoke(list(messages))  # one more try after a fast failure
        except Exception as exc:
            raise self._failed(exc) from exc
        text = _text(reply.content).strip()
        if not text:
            raise ModelError("the language model returned an empty answer")
        return text

    def stream(self, messages: Sequence[BaseMessage]) -> Iterator[str]:
        """Text pieces as the model writes them; ModelError when it fails or exceeds the timeout in all."""
        self._check()
        started = time.monotonic()
        deadline = started + self.timeout
        produced = False
        for attempt in (1, 2):
            try:
                for chunk in self.chat.stream(list(messages)):
                    piece = _text(chunk.content)
                    if piece:
                        produced = True
                        yield piece
                    # the client's timeout applies per read: a model dripping tokens could otherwise run forever
                    if time.monotonic() > deadline:
                        raise ModelError(f"the language model took longer than {self.timeout:g} s")
                break
            except Exception as exc:  # see complete(); a timeout counts as a failure too
                if attempt == 1 and not produced and not isinstance(exc, ModelError) and self._quick(started):
                    continue  # one more try after a fast failure, before anything was shown
                raise self._failed(exc) from exc
        if not produced:
            raise ModelError("the language model returned an empty answer")

    def standalone_question(self, question: str, history: Sequence[Mapping[str, str]]) -> str | None:
        """The follow-up rewritten to stand alone; None when the reply is not a single question that
        keeps the follow-up's own key words (a model may answer instead: "Op 25 mei 2018 (2)")."""
        rewrite = _one_line(self.complete(standalone_messages(question, history)))
        return rewrite if rewrite is not None and is_rewrite_of(rewrite, question) else None


def _cause(exc: BaseException, secrets: Sequence[str] = ()) -> str:
    """One line naming what went wrong, for the log and the error: an endpoint that echoes the API key
    back in its error message ("Incorrect API key provided: sk-...") must not get it written down."""
    message = " ".join(str(exc).split())
    for secret in secrets:
        message = message.replace(secret, "[redacted]")
    message = _KEY_LIKE.sub("[redacted]", message)[:300]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
