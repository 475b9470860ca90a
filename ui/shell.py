"""What every page shares: settings, the interface language, workshop mode and the loaded index.

Each page calls :func:`prepare` first. It draws the language switch, the workshop toggle and the
sidebar's index line with the same widget keys on every page, so they keep their state whichever page
is open. (Drawing them once in ui/app.py before ``st.navigation`` would be shorter, but Streamlit's
AppTest reruns only the page script, so the tests would never see them again.)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from gidsbot.errors import GidsbotError, IndexCorrupt, IndexMissing
from gidsbot.index import current_version, list_versions
from gidsbot.settings import Settings, load_settings
from ui.feedback import Store, open_store
from ui.i18n import LANGUAGE_LABELS, LANGUAGES, language_from_locale, t, when
from ui.loader import Loaded, load, resolve_version
from ui.markup import md_escape

__all__ = ["Shell", "prepare", "show_error"]

log = logging.getLogger("gidsbot.ui")

HERE = Path(__file__).resolve().parent
STYLE = HERE / "style.css"
WORKSHOP_STYLE = HERE / "workshop.css"
VERSION_KEY = "index_version"  # the version this session answers from


@dataclass(frozen=True)
class Shell:
    settings: Settings | None
    lang: str
    workshop: bool
    loaded: Loaded | None
    error: str = ""  # one sentence for people when there is no index to answer from
    hint: str = ""  # what to do about it (our own Markdown)
    notice: str = ""  # e.g. the session's version was removed and the current one took over

    @property
    def store(self) -> Store | None:
        return open_store(self.settings) if self.settings else None

    @property
    def pinned(self) -> bool:
        return bool(self.settings and self.settings.pin_version)

    @property
    def newer_version(self) -> bool:
        """A maintainer published a version after this session started (and nothing is pinned)."""
        if not self.loaded or not self.settings or self.pinned:
            return False
        latest = current_version(Path(self.settings.index))
        return bool(latest and latest != self.loaded.version)


def _interface_language() -> str:
    """The language switch, starting from the browser's language (st.context.locale)."""
    default = language_from_locale(st.context.locale)
    with st.container(horizontal=True, horizontal_alignment="right", key="language-bar"):
        chosen = st.segmented_control(
            # One label in all three languages: a label that changed with the choice would reset it.
            "Taal · Langue · Language",
            LANGUAGES,
            default=default,
            required=True,
            format_func=LANGUAGE_LABELS.__getitem__,
            key="lang",
            bind="query-params",
            label_visibility="collapsed",
        )
    return chosen if chosen in LANGUAGES else default


def _workshop_toggle(lang: str) -> bool:
    return st.sidebar.toggle(t("workshop", lang), key="workshop", bind="query-params", help=t("workshop_help", lang))


def _load(settings: Settings, lang: str) -> tuple[Loaded | None, str, str, str]:
    """The session's index: (loaded, error sentence, what to do about it, notice)."""
    sticky = st.session_state.get(VERSION_KEY, "")
    notice = ""
    if sticky and not settings.pin_version and sticky not in list_versions(Path(settings.index).expanduser()):
        # pruned by a later ingest since the session started (its bot may still be cached): move on
        notice, sticky = t("version_gone", lang), ""
    try:
        try:
            loaded = load(settings, resolve_version(settings, sticky))
        except IndexMissing:
            if not sticky or settings.pin_version:
                raise
            notice = t("version_gone", lang)  # pruned since the session started: move on to the current one
            loaded = load(settings, resolve_version(settings))
        except IndexCorrupt as exc:
            if settings.pin_version:
                raise
            # a damaged current version is refused; the newest whole one keeps serving
            loaded = _newest_whole(settings, exc)
            notice = t("version_damaged", lang, version=loaded.version)
            log.error("%s Answering from %s meanwhile.", exc, loaded.version)
    except IndexMissing as exc:
        return None, str(exc), t("no_index_hint", lang), ""
    except GidsbotError as exc:
        return None, str(exc), "", ""
    st.session_state[VERSION_KEY] = loaded.version
    return loaded, "", "", notice


def _newest_whole(settings: Settings, damaged: IndexCorrupt) -> Loaded:
    """The newest version that loads, when the current one is damaged (raises ``damaged`` if none does)."""
    current = current_version(Path(settings.index).expanduser())
    for version in reversed(list_versions(Path(settings.index).expanduser())):
        if version == current:
            continue
        try:
            return load(settings, version)
        except GidsbotError:
            continue
    raise damaged


def prepare() -> Shell:
    """Page config, language switch, workshop toggle, styles and the loaded index, for this run."""
    lang = _interface_language()
    workshop = _workshop_toggle(lang)
    st.set_page_config(
        page_title="gidsbot",
        page_icon="🌿",
        layout="wide" if workshop else "centered",
        initial_sidebar_state="collapsed" if workshop else "auto",
    )
    st.html(STYLE)  # constant CSS files of ours: no text from documents ever goes in here
    if workshop:
        st.html(WORKSHOP_STYLE)
    try:
        settings = load_settings()
    except GidsbotError as exc:
        shell = Shell(None, lang, workshop, None, error=str(exc))
    else:
        loaded, error, hint, notice = _load(settings, lang)
        shell = Shell(settings, lang, workshop, loaded, error, hint, notice)
    _sidebar(shell)
    return shell


def _sidebar(shell: Shell) -> None:
    """Which index answers: trainers need to see it, and to know when a newer one exists."""
    if shell.loaded is None:
        return
    manifest, lang = shell.loaded.bot.index.manifest, shell.lang
    pinned = f" ({t('pinned', lang)})" if shell.pinned else ""
    with st.sidebar:
        st.markdown(
            f"**{md_escape(t('version', lang))}** `{manifest.version.replace('`', '')}`{md_escape(pinned)}  \n"
            + md_escape(
                t(
                    "documents_passages",
                    lang,
                    documents=manifest.counts.get("documents", 0),
                    chunks=manifest.counts.get("chunks", 0),
                )
            )
            + f"  \n{md_escape(t('created', lang))}: {md_escape(when(manifest.created))}"
        )
        if shell.newer_version:
            st.info(t("newer", lang), icon=":material/update:")


def show_error(shell: Shell) -> None:
    """Why there is nothing to answer from, and what to do: the error's text escaped, the hint ours."""
    st.error(md_escape(shell.error) + (f"  \n{shell.hint}" if shell.hint else ""), icon=":material/error:")
