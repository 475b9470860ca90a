"""The bot, loaded once per process for each (index folder, version), and shared by every session.

A session keeps answering from the version it started with (or the pinned one), so a trainer's
answers do not change when a maintainer publishes a new version mid-workshop; "start over" moves a
session to the current version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from bot import Bot
from gidsbot.index import current_version
from gidsbot.settings import Settings, load_settings
from gidsbot.types import Chunk
from ui.i18n import LANGUAGES
from ui.starters import themed_topics, topics

__all__ = ["Loaded", "load", "resolve_version"]


@dataclass(frozen=True)
class Loaded:
    bot: Bot
    chunks_of: dict[str, list[Chunk]]  # source -> its passages in document order
    themes_by_language: dict[str, dict[str, list[str]]]  # interface language -> theme -> starter topics
    topics: list[str]  # every heading worth asking about, for follow-up questions

    def themes(self, language: str) -> dict[str, list[str]]:
        """Starter topics by theme for an interface in ``language`` (from its pages when the index has any)."""
        return self.themes_by_language.get(language) or self.themes_by_language.get("", {})

    @property
    def version(self) -> str:
        return self.bot.version


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(index: str, version: str) -> Loaded:
    bot = Bot.load(settings=load_settings(index=Path(index), pin_version=version))
    chunks_of: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in bot.index.chunks:
        chunks_of[chunk.source].append(chunk)
    for passages in chunks_of.values():
        passages.sort(key=lambda c: c.position)
    every = [topic for topic, _ in topics(bot.index.chunks)]
    themes = {lang: themed_topics(bot.index.chunks, language=lang) for lang in ("", *LANGUAGES)}
    return Loaded(bot, dict(chunks_of), themes, every)


def resolve_version(settings: Settings, sticky: str = "") -> str:
    """The version to answer from: the pinned one, else the session's, else the current one."""
    return settings.pin_version or sticky or current_version(Path(settings.index)) or ""


def load(settings: Settings, version: str) -> Loaded:
    """The loaded index ``version`` of ``settings.index``; raises GidsbotError with a sentence for people."""
    return _load(str(Path(settings.index).expanduser().resolve()), version)
