"""Every setting of gidsbot, declared once: its name, type, default and one line of help.

The :class:`Settings` dataclass is the declaration. From it come the ``GIDSBOT_<NAME>`` environment
variables (:func:`load_settings`), the crawler's defaults (``ingest.sites.CrawlConfig`` and
``ingest.fetch.Policy`` read ``Settings.max_pages`` and the like), and the README's table
(``python -m gidsbot.settings`` prints it; a test keeps the README equal to it).

Precedence: a command-line option, then the environment variable, then the default. Nothing here
reads the environment at import time: :func:`load_settings` is called by the CLI and the app, and
the result is passed down.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gidsbot.errors import ConfigError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings", "settings_table"]


def _setting(default: Any, help: str, shown: str = "") -> Any:  # noqa: A002 - the word the table uses
    """A field of :class:`Settings`: its default, its help, and how the README shows the default."""
    return dataclasses.field(default=default, metadata={"help": help, "shown": shown})


@dataclass(frozen=True)
class Settings:
    index: Path = _setting(Path("data/index"), "Index directory (one sub-folder per published version).")
    embeddings: str = _setting(
        "",
        "Embedding models joined by `+`: `e5`, `use`, `hashing` (tests), `sentence-transformers:<name or path>`.",
        shown="*(as built, else `e5+use`)*",
    )
    top_k: int = _setting(8, "How many of the best passages an answer may quote from.")
    bm25_weight: float = _setting(0.5, "Weight of BM25 in the reciprocal-rank fusion (each dense model weighs 1).")
    sentence_weight: float = _setting(0.5, "Weight, in the fusion, of the ranking of passages by their best sentence.")
    centred_models: str = _setting(
        "e5",
        "Dense models (joined by `+`) also ranked with each language's average vector taken out, so that a "
        "question finds the page in the other language (bot/centering.py); `none` ranks every model as it is.",
    )
    min_evidence: float = _setting(
        0.0, "Added to the probability an answer needs (0.5); raise it (up to 0.4) to refuse more often."
    )
    merge_words: int = _setting(
        0,
        "Pack a page's short sections together into passages of about this many words (220 is the design's "
        "size); 0 keeps every section its own passage. Merging makes a third as many passages to embed and "
        "store, but on the development guide fewer unanswerable questions were refused (bench/README.md).",
    )
    keep_versions: int = _setting(5, "How many published index versions to keep for rollback.")
    answer_cache: int = _setting(
        512,
        "How many answers a running app keeps per index version, by question, language and conversation: "
        "a workshop asking the same starter costs one answer. 0 turns it off (and the kept query vectors).",
    )
    gate: str = _setting(
        "",
        "Gold questions (JSON lines, as for `gidsbot eval`) a new index version must answer as well as the "
        "current one before it is published; `gate` in sources.toml and `--gate` win.",
        shown="*(none)*",
    )
    gate_tolerance: float = _setting(
        0.05, "How far a gate figure (answered, cited source, fact, refused) may fall below the current version's."
    )
    llm_base_url: str = _setting("", "OpenAI-compatible endpoint of a language model; empty means extractive answers.")
    llm_model: str = _setting("", "Model name to ask at that endpoint.")
    llm_api_key: str = _setting("", "API key for that endpoint (any text for servers that need none).")
    llm_timeout: float = _setting(
        60.0, "Seconds to wait for the language model before falling back to the extractive answer."
    )
    llm_retry_after: float = _setting(
        30.0,
        "Seconds a language model that failed (timeout, no connection, server error) is left alone; "
        "answers are extractive meanwhile.",
    )
    llm_passages: int = _setting(
        3,
        "How many passages the language model reads: those holding the chosen answer units first. Reading "
        "dominates a small CPU server's time; a large remote model can take 5.",
    )
    llm_passage_words: int = _setting(
        150, "Words of each passage the model reads: the chosen unit and the sentences around it."
    )
    user_agent: str = _setting("gidsbot/0.1 (+https://github.com/gidsbot)", "User-Agent the crawler identifies with.")
    crawl_delay: float = _setting(
        1.0, "Seconds between two requests to one host (robots.txt `Crawl-delay` wins if longer)."
    )
    timeout: float = _setting(
        20.0, "Seconds for connecting to and reading from a web server; a whole answer gets three times that."
    )
    retries: int = _setting(3, "Retries on 5xx, 429 and connection errors (never on other 4xx).")
    max_bytes: int = _setting(20_000_000, "Largest body accepted from a site, decompressed bytes included.")
    max_pages: int = _setting(5000, "Most pages one crawl fetches per site.")
    max_depth: int = _setting(10, "Most links followed from a start URL.")
    pin_version: str = _setting("", "Index version the app answers from; empty follows the current one.")
    feedback_db: str = _setting(
        "",
        "SQLite file for feedback from the app; empty puts `feedback.sqlite` in the index folder's parent "
        "(`data/feedback.sqlite`).",
    )
    database_url: str = _setting(
        "",
        "PostgreSQL database for the feedback, shared by several app replicas (e.g. "
        "`postgresql://user:pass@host:5432/gidsbot`; needs `pip install 'gidsbot[postgres]'`). "
        "Takes precedence over `GIDSBOT_FEEDBACK_DB`; empty means SQLite.",
    )

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


@dataclass(frozen=True)
class Setting:
    """One setting as the CLI, the environment and the README see it."""

    name: str
    default: Any
    help: str
    kind: type
    shown: str = ""  # how the README shows the default, when not simply the value

    @property
    def env(self) -> str:
        return "GIDSBOT_" + self.name.upper()

    @property
    def default_text(self) -> str:
        if self.shown:
            return self.shown
        return f"`{self.default}`" if self.default != "" else "*(empty)*"


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, f.default, f.metadata["help"], type(f.default), f.metadata["shown"])
    for f in dataclasses.fields(Settings)
)
_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, raw: str) -> Any:
    try:
        if isinstance(setting.default, Path):
            return Path(raw).expanduser()
        return setting.kind(raw)
    except ValueError:
        raise ConfigError(f"{setting.env}={raw!r} is not a valid {setting.kind.__name__}: {setting.help}") from None


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``overrides`` (e.g. CLI options; None means not given), then the environment."""
    env = os.environ if environ is None else environ
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if overrides.get(setting.name) is not None:
            values[setting.name] = overrides[setting.name]
        elif env.get(setting.env, "") != "":
            values[setting.name] = _coerce(setting, env[setting.env])
    settings = Settings(**values)
    if settings.top_k < 1:
        raise ConfigError("GIDSBOT_TOP_K must be at least 1.")
    return settings


def settings_table() -> str:
    """The README's table of settings, in Markdown."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{s.env}` | {s.default_text} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_table())
