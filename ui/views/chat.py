"""The chat: a question in, an answer streamed in with numbered, quoted sources under it.

A question comes from the chat input, a starter or a follow-up button; each only puts it in line
(a callback), and this run asks it, so every way of asking takes the same path.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import streamlit as st

from bot import Bot
from bot.chat import MAX_QUESTION_CHARS
from gidsbot.errors import GidsbotError
from gidsbot.types import Answer
from ui.answers import Exchange, cards_for
from ui.export import to_html, to_markdown
from ui.i18n import t
from ui.markup import md_escape
from ui.render import render_answer, render_exchange, render_question
from ui.shell import VERSION_KEY, Shell, prepare, show_error
from ui.starters import follow_up_questions, question_about

log = logging.getLogger("gidsbot.ui")

EXCHANGES = "exchanges"
# what the input takes: far above the bot's limit, so a long paste gets a sentence instead of vanishing
PASTE_LIMIT = 10 * MAX_QUESTION_CHARS
PENDING = "pending"
# After an answer the page would stay scrolled to its end (Streamlit keeps a chat pinned to the bottom):
# on a phone or a projector the question and the start of the answer are then above the screen. This
# scrolls the app's scroll box so that the latest question sits at its top, below the app's header; a few
# tries, since cards and fonts still change the height for a moment. It holds no text from the page or the
# question.
KEEP_QUESTION_IN_VIEW = """<script>
(() => {
  const place = () => {
    const box = document.querySelector('[data-testid="stAppScrollToBottomContainer"]');
    const asked = [...document.querySelectorAll('[data-testid="stChatMessage"]')]
      .filter((m) => m.querySelector('[data-testid="stChatMessageAvatarUser"]'));
    const last = asked[asked.length - 1];
    if (!box || !last) return;
    const header = document.querySelector('[data-testid="stHeader"]');  // drawn over the scroll box's top
    const clear = Math.max(box.getBoundingClientRect().top, header ? header.getBoundingClientRect().bottom : 0);
    box.scrollTop += last.getBoundingClientRect().top - clear - 8;
  };
  [0, 150, 500, 1200].forEach((ms) => setTimeout(place, ms));
})();
</script>"""
# The start page is taller than a phone's screen and would open pinned to its end, the title and the
# language switch out of sight: it opens at the top.
START_AT_TOP = """<script>
(() => {
  const top = () => {
    const box = document.querySelector('[data-testid="stAppScrollToBottomContainer"]');
    if (box) box.scrollTop = 0;
  };
  [0, 150, 500].forEach((ms) => setTimeout(top, ms));
})();
</script>"""


def queue(question: str) -> None:
    st.session_state[PENDING] = question


def _queue_from_input() -> None:
    question = st.session_state.get("question")
    if isinstance(question, str) and question.strip():
        queue(question)


def start_over() -> None:
    """A clean conversation, answered from the current index version (unless one is pinned)."""
    st.session_state[EXCHANGES] = []
    st.session_state.pop(PENDING, None)
    st.session_state.pop(VERSION_KEY, None)


def exchanges() -> list[Exchange]:
    return st.session_state.setdefault(EXCHANGES, [])


def _history(done: Sequence[Exchange]) -> list[dict[str, str]]:
    turns = []
    for exchange in done:
        if exchange.error:  # a question the bot could not take is no context for the next one
            continue
        turns.append({"role": "user", "content": exchange.question})
        turns.append({"role": "assistant", "content": exchange.answer.answer})
    return turns


def _pieces(bot: Bot, question: str, history: list[dict[str, str]]) -> Iterator[str | Answer]:
    """The answer as it is written: text pieces, then the whole Answer. Bots without ``stream`` answer at once."""
    stream = getattr(bot, "stream", None)
    if callable(stream):
        yield from stream(question, history)
    else:
        yield bot.ask(question, history=history)


def _stream(bot: Bot, question: str, history: list[dict[str, str]], lang: str) -> Answer:
    placeholder = st.empty()
    pieces = _pieces(bot, question, history)
    with st.spinner(t("thinking", lang)):
        first = next(pieces, None)  # retrieval happens before the first piece
    text = ""
    for piece in itertools.chain([first], pieces):
        if isinstance(piece, Answer):
            placeholder.empty()
            return piece
        if isinstance(piece, str):
            text += piece
            placeholder.markdown(md_escape(text).replace("\n", "  \n") + " ▌")
    placeholder.empty()
    return bot.ask(question, history=history)  # a stream that ended without its Answer


def _answer(shell: Shell, question: str, done: Sequence[Exchange]) -> Exchange:
    loaded = shell.loaded
    assert loaded is not None
    exchange_id = uuid.uuid4().hex[:12]
    if len(question.strip()) > MAX_QUESTION_CHARS:
        sentence = t("too_long", shell.lang, length=len(question.strip()), limit=MAX_QUESTION_CHARS)
        shown = question.strip()[:300] + "…"  # the paste itself would fill the screen
        return Exchange(exchange_id, shown, Answer(sentence, "", False, [], question=shown), error=True)
    try:
        answer = _stream(loaded.bot, question, _history(done), shell.lang)
    except GidsbotError as exc:
        return Exchange(exchange_id, question, Answer(str(exc), "", False, [], question=question), error=True)
    answer.question = answer.question or question
    cards = cards_for(answer, loaded.chunks_of, loaded.bot.index.manifest.crawled_at)
    asked = [e.question for e in done] + [question]
    follow = follow_up_questions(answer, loaded.chunks_of, asked, loaded.topics)
    exchange = Exchange(exchange_id, question, answer, cards, follow)
    if not exchange.found:
        _remember_unanswered(shell, exchange)
    return exchange


def _remember_unanswered(shell: Shell, exchange: Exchange) -> None:
    """Where the guide leaves a buyer without an answer is what its editors most need to know."""
    if shell.store is None:
        return
    try:
        shell.store.unanswered_question(
            exchange.question,
            exchange.answer.language,
            exchange.answer.index_version,
            [c.title for c in exchange.cards],
        )
    except Exception as exc:  # noqa: BLE001 - a full disk must not cost the buyer the answer
        log.warning("unanswered question not stored: %s", exc)


def ask(shell: Shell, question: str) -> None:
    done = exchanges()
    render_question(question, shell.lang)
    with st.chat_message("assistant"):
        exchange = _answer(shell, question, done)
        done.append(exchange)
        render_answer(exchange, shell.lang, shell.store, queue, latest=True)


def starters(shell: Shell) -> None:
    """Questions grouped by theme, about the headings the index holds, in the interface language."""
    assert shell.loaded is not None
    themes = shell.loaded.themes(shell.lang)
    if not themes:
        return
    st.subheader(t("starters", shell.lang), anchor=False)
    groups = list(themes.items())
    half = (len(groups) + 1) // 2  # on a phone the columns stack: keep the themes in their order
    columns = st.columns(2 if len(groups) > 1 else 1, gap="medium")
    for column, part in zip(columns, (groups[:half], groups[half:]), strict=False):
        with column, st.container(key=f"starters-{len(part)}-{part[0][0] if part else ''}"):
            for theme, topics in part:
                st.markdown(f"**{md_escape(t('theme_' + theme, shell.lang))}**")
                for j, topic in enumerate(topics):
                    # The button reads as the question it asks, in the interface language, around a heading
                    # the index holds (a question about an existing heading is one the bot can answer).
                    question = question_about(topic, shell.lang)
                    st.button(
                        md_escape(question),
                        key=f"starter-{theme}-{j}",
                        on_click=queue,
                        args=(question,),
                        width="stretch",
                        wrap=True,
                    )


def conversation(shell: Shell, pending: str | None) -> None:
    done = exchanges()
    last = len(done) - (0 if pending else 1)
    earlier, latest = done[:last], done[last:]
    if shell.workshop and earlier:  # on a projector only the latest answer should fill the screen
        with st.expander(t("earlier", shell.lang, n=len(earlier)), icon=":material/history:"):
            for exchange in earlier:
                render_exchange(exchange, shell.lang, shell.store, queue, latest=False)
    else:
        for exchange in earlier:
            render_exchange(exchange, shell.lang, shell.store, queue, latest=False)
    for exchange in latest:
        render_exchange(exchange, shell.lang, shell.store, queue, latest=True)
    if pending:
        ask(shell, pending)
        st.html(KEEP_QUESTION_IN_VIEW, unsafe_allow_javascript=True)


def actions(shell: Shell) -> None:
    """Hand-outs of the whole conversation, and a clean start. In workshop mode they wait in the
    folded sidebar, so the projector shows the conversation only."""
    done = exchanges()
    version = shell.loaded.version if shell.loaded else ""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    place = st.sidebar if shell.workshop else st.container()
    with place, st.container(horizontal=not shell.workshop, key="conversation-actions"):
        for kind, render, mime in (("md", to_markdown, "text/markdown"), ("html", to_html, "text/html")):
            st.download_button(
                t(f"export_{kind}", shell.lang),
                render(done, shell.lang, version),
                file_name=f"gidsbot-{stamp}.{kind}",
                mime=mime,
                on_click="ignore",
                icon=":material/download:",
                key=f"export-{kind}",
            )
        st.button(t("start_over", shell.lang), on_click=start_over, icon=":material/restart_alt:", key="start-over")


def header(shell: Shell) -> None:
    st.title("gidsbot", anchor=False)
    st.caption(t("tagline", shell.lang))
    if shell.loaded is not None:
        manifest = shell.loaded.bot.index.manifest
        line = t("index_line", shell.lang, version=manifest.version, created=manifest.created[:10])
        if shell.pinned:
            line += f" ({t('pinned', shell.lang)})"
        st.caption(md_escape(line))


def main() -> None:
    shell = prepare()
    header(shell)
    if shell.loaded is None:
        show_error(shell)
        return
    if shell.notice:
        st.warning(md_escape(shell.notice))
    pending = st.session_state.pop(PENDING, None)
    if not exchanges() and not pending:
        starters(shell)
        st.html(START_AT_TOP, unsafe_allow_javascript=True)
    conversation(shell, pending)
    if exchanges():
        actions(shell)
    st.chat_input(t("placeholder", shell.lang), key="question", on_submit=_queue_from_input, max_chars=PASTE_LIMIT)


main()
