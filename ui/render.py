"""Drawing an answer: its text, its numbered source cards, copy, feedback and follow-up questions.

Nothing here passes text from a document to Streamlit without :func:`md_escape`; links go through
``safe_link`` when the cards are made (ui/answers.py). Widget keys carry the answer's id, so an
answer keeps its feedback when the page reruns or the conversation grows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from gidsbot.phases import PHASE_NAMES
from ui.answers import Card, Exchange, link_label, plain_text, where
from ui.feedback import STORE_ERRORS, Rated, Store
from ui.i18n import t
from ui.markup import highlight_markdown, md_escape
from ui.tender import to_docx, to_markdown

__all__ = ["render_answer", "render_card", "render_exchange", "render_question"]

log = logging.getLogger("gidsbot.ui")

Queue = Callable[[str], None]  # puts a question in line to be asked on the next run


def render_question(question: str, lang: str) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(question))


def render_card(card: Card, lang: str, key: str) -> None:
    with st.container(border=True, key=f"card-{key}-{card.n}", gap="xsmall"):
        st.markdown(f"**{card.n}** · **{md_escape(card.title)}**")
        facts = where(card, lang)
        if facts:
            st.caption(md_escape(" · ".join(facts)))
        st.markdown(f"“{highlight_markdown(card.segments)}”")
        if card.link:
            st.markdown(f"[{md_escape(link_label(card, lang))} ↗]({card.link})")
        else:
            st.caption(f"{md_escape(t('local_file', lang))}: {md_escape(card.source)}")


def _body(exchange: Exchange, lang: str) -> None:
    text = md_escape(exchange.body().strip()).replace("\n", "  \n")
    if exchange.error:
        st.error(text, icon=":material/error:")
    elif not exchange.found:
        st.info(f"**{md_escape(t('not_found_title', lang))}**  \n{text}", icon=":material/search_off:")
    else:
        st.markdown(text)
    if exchange.answer.notice:
        st.caption(md_escape(exchange.answer.notice))


def _cards(exchange: Exchange, lang: str, latest: bool) -> None:
    if not exchange.cards:
        return
    label = t("sources" if exchange.found else "closest_pages", lang)
    with st.expander(f"{label} ({len(exchange.cards)})", expanded=latest, icon=":material/menu_book:"):
        for card in exchange.cards:
            render_card(card, lang, exchange.id)


def _criteria(exchange: Exchange, lang: str, latest: bool) -> None:
    """A fiche's criteria as a table to tick, and the ticked ones (all when none is) as Word or Markdown."""
    criteria = exchange.answer.criteria
    if not criteria:
        return
    key = f"criteria-{exchange.id}"
    written = exchange.answer.language if exchange.answer.language in PHASE_NAMES["other"] else lang
    table = [
        {
            t("phase", lang): PHASE_NAMES[c.phase][written],
            t("criterion", lang): c.text,
            t("verification", lang): c.verification,
        }
        for c in criteria
    ]
    with st.expander(t("criteria_table", lang, n=len(criteria)), expanded=latest, icon=":material/checklist:"):
        if st.session_state.get("workshop"):
            # on a projector: a plain table, which grows with the workshop's font (the grid to tick rows in
            # is drawn on a canvas at a fixed small size); the buttons export every criterion
            st.table(table, hide_index=True)
            chosen = list(criteria)
        else:
            st.caption(t("criteria_help", lang))
            picked = st.dataframe(
                table, hide_index=True, width="stretch", key=key, on_select="rerun", selection_mode="multi-row"
            )
            rows = list(picked.selection.rows) if picked is not None and hasattr(picked, "selection") else []
            chosen = [criteria[i] for i in rows if 0 <= i < len(criteria)] or list(criteria)
        title = criteria[0].product_group
        with st.container(horizontal=True, key=f"criteria-export-{exchange.id}"):
            st.download_button(
                t("export_word", lang, n=len(chosen)),
                to_docx(chosen, written, title),
                file_name="gidsbot-criteria.docx",
                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                on_click="ignore",
                icon=":material/description:",
                key=f"criteria-docx-{exchange.id}",
            )
            st.download_button(
                t("export_markdown", lang, n=len(chosen)),
                to_markdown(chosen, written),
                file_name="gidsbot-criteria.md",
                mime="text/markdown",
                on_click="ignore",
                icon=":material/download:",
                key=f"criteria-md-{exchange.id}",
            )


def _store_rating(exchange: Exchange, store: Store, lang: str) -> None:
    value = st.session_state.get(f"thumbs-{exchange.id}")
    _save(lambda: store.rate(Rated.from_answer(exchange.id, exchange.answer, lang), value), lang)


def _store_comment(exchange: Exchange, store: Store, lang: str) -> None:
    text = str(st.session_state.get(f"comment-{exchange.id}", "")).strip()
    if text:
        _save(lambda: store.comment(Rated.from_answer(exchange.id, exchange.answer, lang), text), lang)


def _save(write: Callable[[], None], lang: str) -> None:
    try:
        write()
    except STORE_ERRORS as exc:  # feedback is worth keeping, but never worth a broken chat
        log.warning("feedback not saved: %s", exc)
        st.toast(t("feedback_failed", lang), icon=":material/error:")
        return
    st.toast(t("thanks", lang), icon=":material/check:")


def _actions(exchange: Exchange, lang: str, store: Store | None) -> None:
    """Thumbs, a comment and a copy button in one row (it wraps on a phone)."""
    with st.container(horizontal=True, vertical_alignment="center", key=f"actions-{exchange.id}"):
        if store is not None and not exchange.error:
            st.feedback("thumbs", key=f"thumbs-{exchange.id}", on_change=_store_rating, args=(exchange, store, lang))
            with (
                st.popover(t("comment", lang), icon=":material/rate_review:", type="tertiary"),
                st.form(f"comment-form-{exchange.id}", clear_on_submit=True, border=False),
            ):
                st.text_area(t("comment_label", lang), key=f"comment-{exchange.id}", max_chars=2000)
                st.form_submit_button(t("send", lang), on_click=_store_comment, args=(exchange, store, lang))
        with st.popover(t("copy", lang), icon=":material/content_copy:", type="tertiary"):
            st.caption(t("copy_help", lang))
            st.code(plain_text(exchange, lang), language=None, wrap_lines=True)


def _follow_ups(exchange: Exchange, lang: str, queue: Queue) -> None:
    if not exchange.follow_ups:
        return
    st.caption(t("follow_ups", lang))
    with st.container(horizontal=True, key=f"follow-ups-{exchange.id}"):
        for i, question in enumerate(exchange.follow_ups):
            st.button(
                md_escape(question),
                key=f"follow-{exchange.id}-{i}",
                on_click=queue,
                args=(question,),
                icon=":material/subdirectory_arrow_right:",
                wrap=True,
            )


def render_answer(exchange: Exchange, lang: str, store: Store | None, queue: Queue, latest: bool) -> None:
    """The inside of an assistant message: answer, sources, actions and (latest only) follow-ups."""
    _body(exchange, lang)
    _criteria(exchange, lang, latest)
    _cards(exchange, lang, latest)
    _actions(exchange, lang, store)
    if latest:
        _follow_ups(exchange, lang, queue)


def render_exchange(exchange: Exchange, lang: str, store: Store | None, queue: Queue, latest: bool) -> None:
    render_question(exchange.question, lang)
    with st.chat_message("assistant"):
        render_answer(exchange, lang, store, queue, latest)
