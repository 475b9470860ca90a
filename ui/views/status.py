"""`/status`, for maintainers: is the index healthy, what did the last ingest do, where do buyers get
no answer, and what do they think of the answers they got.

st.table renders Markdown in its cells, so every cell that holds text from outside (URLs, titles,
errors, questions) is escaped; the long lists go to st.dataframe, which draws plain text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from gidsbot.errors import GidsbotError
from gidsbot.index import read_last_run
from gidsbot.phases import PHASE_NAMES
from gidsbot.types import PHASES
from ui.feedback import STORE_ERRORS, to_csv
from ui.gatefile import add_gold_question, gold_record
from ui.i18n import t, when
from ui.markup import md_escape
from ui.overview import criteria_rows, per_site_language, skipped_by_reason, version_rows
from ui.shell import Shell, prepare, show_error

log = logging.getLogger("gidsbot.ui")


def _table(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str]) -> None:
    """A small static table with translated headers; text cells escaped (st.table reads Markdown)."""
    st.table(
        [
            {label: md_escape(v) if isinstance(v, str) else v for key, label in columns.items() for v in [row.get(key)]}
            for row in rows
        ],
        hide_index=True,
    )


def index_section(shell: Shell) -> None:
    assert shell.loaded is not None
    lang, index = shell.lang, shell.loaded.bot.index
    manifest = index.manifest
    with st.container(horizontal=True, key="index-figures"):
        st.metric(t("documents", lang), manifest.counts.get("documents", 0), border=True)
        st.metric(t("chunks", lang), manifest.counts.get("chunks", 0), border=True)
    st.markdown(
        f"**{t('version', lang)}** `{manifest.version.replace('`', '')}`"
        + (f" ({t('pinned', lang)})" if shell.pinned else "")
        + f"  \n**{t('created', lang)}** {md_escape(when(manifest.created))} · **{t('crawled', lang)}** "
        f"{md_escape(when(manifest.crawled_at))}  \n**{t('embeddings', lang)}** {md_escape(manifest.embeddings)}"
    )
    st.subheader(t("per_site", lang), anchor=False)
    _table(
        per_site_language(index.documents(), index.chunks),
        {
            "site": t("site", lang),
            "language": t("language", lang),
            "documents": t("documents", lang),
            "chunks": t("chunks", lang),
        },
    )


def criteria_section(shell: Shell) -> None:
    """The product-group fiches the index holds, their criteria per phase, and their dates."""
    assert shell.loaded is not None
    lang = shell.lang
    rows = criteria_rows(shell.loaded.bot.index.criteria)
    if not rows:
        return
    st.subheader(t("product_groups", lang), anchor=False)
    columns = {"product_group": t("product_group", lang), "language": t("language", lang)}
    columns.update({phase: PHASE_NAMES[phase][lang] for phase in PHASES})
    columns["date"] = t("fiche_date", lang)
    _table(rows, columns)


def report_section(shell: Shell) -> None:
    assert shell.loaded is not None
    lang = shell.lang
    st.subheader(t("last_ingest", lang), anchor=False)
    report: dict[str, Any] = dict(shell.loaded.bot.index.report)
    if not report:
        st.caption(t("no_report", lang))
        return
    failed, skipped = list(report.get("failed") or []), list(report.get("skipped") or [])
    with st.container(horizontal=True, key="report-figures"):
        for key in ("added", "changed", "removed", "unchanged", "embedded_chunks"):
            st.metric(t("embedded" if key == "embedded_chunks" else key, lang), report.get(key, 0))
        st.metric(t("failed", lang), len(failed))
        counted = dict(report.get("skipped_counts") or {})
        st.metric(t("skipped", lang), sum(counted.values()) if counted else len(skipped))
    if report.get("stopped"):
        st.warning(md_escape(t("stopped", lang, why=report["stopped"])))
    if failed:
        st.markdown(f"**{t('failed', lang)}**")
        st.dataframe(
            [{"URL": f.get("url", ""), t("error", lang): f.get("error", "")} for f in failed],
            hide_index=True,
            width="stretch",
        )
    if skipped:
        st.markdown(f"**{t('skipped', lang)}**")
        _table(skipped_by_reason(skipped, counted), {"reason": t("reason", lang), "count": t("count", lang)})
        with st.expander(f"{t('skipped', lang)}: URL ({len(skipped)})"):
            st.dataframe(
                [{"URL": s.get("url", ""), t("reason", lang): s.get("reason", "")} for s in skipped],
                hide_index=True,
                width="stretch",
            )


def versions_section(shell: Shell) -> None:
    assert shell.loaded is not None and shell.settings is not None
    lang = shell.lang
    st.subheader(t("versions", lang), anchor=False)
    rows = version_rows(Path(shell.settings.index), shell.loaded.version)
    for row in rows:
        row["created"] = when(row["created"])
        marks = [t(key, lang) for key in ("current", "answering") if row[key]]
        row["version"] = row["version"] + (f" ({', '.join(marks)})" if marks else "")
    _table(
        rows,
        {
            "version": t("version", lang),
            "created": t("created", lang),
            "documents": t("documents", lang),
            "chunks": t("chunks", lang),
        },
    )
    st.caption(t("rollback_hint", lang))
    st.code("gidsbot index list\ngidsbot index use VERSION", language="bash")


GATE_FIGURES = ("answered", "cited_source", "fact", "refused")


def gate_section(shell: Shell) -> None:
    """The gate's verdict on the latest run (a refused run is only known from last-ingest.json)."""
    assert shell.settings is not None
    lang = shell.lang
    st.subheader(t("gate", lang), anchor=False)
    last = read_last_run(Path(shell.settings.index))
    gate = last.get("gate") or {}
    if not gate:
        st.caption(t("no_gate", lang))
    else:
        version = str(last.get("index_version", ""))
        if last.get("published", True):
            st.success(md_escape(t("gate_passed", lang, version=version, n=gate.get("questions", 0))))
        else:
            fell = ", ".join(str(name) for name in gate.get("fell", []))
            st.error(md_escape(t("gate_refused", lang, version=version, fell=fell, against=gate.get("against", ""))))
        before, after = gate.get("before") or {}, gate.get("after") or {}
        _table(
            [
                {"figure": name, "before": before.get(name, "n/a"), "after": after.get(name, "n/a")}
                for name in GATE_FIGURES
            ],
            {"figure": t("figure", lang), "before": t("before", lang), "after": t("after", lang)},
        )
        changed = gate.get("changed") or []
        if changed:
            st.markdown(f"**{t('changed_questions', lang)}**")
            st.dataframe(
                [
                    {t("question", lang): c["question"], "": t("worse" if c["worse"] else "better", lang)}
                    for c in changed
                ],
                hide_index=True,
                width="stretch",
            )
    path = shell.settings.gate or gate.get("file", "")
    if path and shell.loaded is not None:
        _add_to_gate(shell, Path(path))


def _add_to_gate(shell: Shell, path: Path) -> None:
    """A maintainer turns an unanswered question into a gold one: to be refused, or answered from a page."""
    assert shell.loaded is not None and shell.store is not None
    lang = shell.lang
    try:
        unanswered = shell.store.unanswered()
    except STORE_ERRORS:
        return
    if not unanswered:
        return
    sources = sorted(str(d["source"]) for d in shell.loaded.bot.index.documents())
    with st.expander(t("add_to_gate", lang)), st.form("add-to-gate", clear_on_submit=True):
        asked = st.selectbox(
            t("question", lang), range(len(unanswered)), format_func=lambda i: unanswered[i]["question"]
        )
        outcome = st.radio(t("gate_outcome", lang), ["refuse", "answer"], format_func=lambda o: t(f"gate_{o}", lang))
        source = st.selectbox(t("gate_answer", lang), sources)
        fact = st.text_input(t("gate_fact", lang))
        if not st.form_submit_button(t("add", lang)):
            return
    chosen = unanswered[asked or 0]
    try:
        record = gold_record(chosen["question"], chosen["language"], source if outcome == "answer" else "", fact)
        added = add_gold_question(path, record)
    except (GidsbotError, OSError) as exc:
        st.warning(md_escape(str(exc)))
        return
    st.success(md_escape(t("gate_added" if added else "gate_known", lang, path=str(path))))


def _download(label: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str], name: str, key: str) -> None:
    st.download_button(
        label,
        to_csv(rows, columns),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=key,
    )


def feedback_section(shell: Shell) -> None:
    lang, store = shell.lang, shell.store
    if store is None or shell.settings is None:
        return
    try:
        feedback, unanswered = store.feedback(), store.unanswered()
    except STORE_ERRORS as exc:
        st.warning(md_escape(f"{t('feedback', lang)}: {exc}"))
        return
    st.subheader(t("unanswered", lang), anchor=False)
    st.caption(t("unanswered_help", lang))
    if unanswered:
        st.dataframe(
            [
                {
                    t("question", lang): u["question"],
                    t("language", lang): u["language"],
                    t("times", lang): u["times"],
                    t("last_asked", lang): u["last_asked"],
                    t("closest_pages", lang): " · ".join(u["closest"]),
                }
                for u in unanswered
            ],
            hide_index=True,
            width="stretch",
        )
        _download(
            t("download_csv", lang),
            unanswered,
            ["question", "language", "times", "last_asked", "index_version", "closest"],
            "gidsbot-unanswered.csv",
            "csv-unanswered",
        )
    else:
        st.caption(t("none_yet", lang))
    st.subheader(t("feedback", lang), anchor=False)
    if feedback:
        thumbs = {"up": "👍", "down": "👎"}
        st.dataframe(
            [
                {
                    t("when", lang): f["updated"],
                    t("rating", lang): thumbs.get(f["rating"], ""),
                    t("question", lang): f["question"],
                    t("comment", lang): f["comment"],
                    t("sources", lang): " · ".join(str(s.get("title", "")) for s in f["sources"]),
                    t("version", lang): f["index_version"],
                }
                for f in feedback
            ],
            hide_index=True,
            width="stretch",
        )
        _download(
            t("download_csv", lang),
            feedback,
            [
                "updated",
                "rating",
                "comment",
                "question",
                "answer",
                "found",
                "language",
                "interface_language",
                "sources",
                "index_version",
                "message_id",
            ],
            "gidsbot-feedback.csv",
            "csv-feedback",
        )
    else:
        st.caption(t("none_yet", lang))
    # the file's name or the database's host and name: never a server path, never a password
    st.caption(md_escape(t("feedback_store", lang, path=store.label)))


def main() -> None:
    shell = prepare()
    st.title(t("status_title", shell.lang), anchor=False)
    if shell.loaded is None:
        show_error(shell)
    else:
        index_section(shell)
        criteria_section(shell)
        report_section(shell)
        versions_section(shell)
    if shell.settings is not None:
        gate_section(shell)
    feedback_section(shell)


main()
