"""Every setting of gidsbot, in one place: its name, default and one line of help.

Precedence: a command-line option, then the ``GIDSBOT_<NAME>`` environment variable,
then the default below. Nothing here reads the environment at import time:
:func:`load_settings` is called by the CLI and the app, and the result is passed down.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gidsbot.errors import ConfigError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "GIDSBOT_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("index", "data/index", "Index directory (one sub-folder per published version)."),
    Setting(
        "embeddings",
        "",
        "Embedding models joined by '+': e5, use, hashing, sentence-transformers:<name or path>. "
        "Empty: what the index was built with, or e5+use for a new index.",
    ),
    Setting("top_k", 5, "How many passages an answer may cite."),
    Setting("bm25_weight", 0.5, "Weight of the BM25 ranking in the reciprocal-rank fusion (dense models weigh 1)."),
    Setting("sentence_weight", 0.5, "Weight, in the fusion, of the ranking of passages by their best sentence."),
    Setting(
        "min_evidence",
        0.0,
        "Added to the probability an answer needs (0.5); raise it (up to 0.4) to refuse more often.",
    ),
    Setting("keep_versions", 5, "How many published index versions to keep for rollback."),
    Setting(
        "gate",
        "",
        "Gold questions (JSON lines, as for `gidsbot eval`) a new index version must answer before it is "
        "published; empty: no gate (sources.toml may name one).",
    ),
    Setting(
        "gate_tolerance",
        0.05,
        "How far a gate figure (answered, cited source, fact, refused) may fall below the current version's.",
    ),
    Setting("llm_base_url", "", "OpenAI-compatible endpoint of a language model; empty means extractive answers."),
    Setting("llm_model", "", "Model name to ask at that endpoint."),
    Setting("llm_api_key", "", "API key for that endpoint (any text for servers that need none)."),
    Setting("llm_timeout", 60.0, "Seconds to wait for the language model before falling back to extractive answers."),
    Setting(
        "llm_retry_after",
        30.0,
        "Seconds a language model that failed (timeout, no connection, server error) is left alone; "
        "answers are extractive meanwhile.",
    ),
    Setting("user_agent", "gidsbot/0.1 (+https://github.com/gidsbot)", "User-Agent the crawler identifies with."),
    Setting("crawl_delay", 1.0, "Seconds between two requests to one host (robots.txt Crawl-delay wins if longer)."),
    Setting("timeout", 20.0, "Seconds for connecting to and reading from a web server."),
    Setting("retries", 3, "Retries on 5xx, 429 and connection errors (never on other 4xx)."),
    Setting("max_bytes", 20_000_000, "Largest body accepted from a site, decompressed bytes included."),
    Setting("max_pages", 5000, "Most pages one crawl fetches."),
    Setting("max_depth", 10, "Most links followed from a start URL."),
    Setting("pin_version", "", "Index version the app answers from; empty follows the current one."),
    Setting(
        "feedback_db",
        "",
        "SQLite file for feedback from the app; empty puts feedback.sqlite in the index folder's parent.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    index: Path = Path("data/index")
    embeddings: str = ""
    top_k: int = 5
    bm25_weight: float = 0.5
    sentence_weight: float = 0.5
    min_evidence: float = 0.0
    keep_versions: int = 5
    gate: str = ""
    gate_tolerance: float = 0.05
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0
    llm_retry_after: float = 30.0
    user_agent: str = _BY_NAME["user_agent"].default
    crawl_delay: float = 1.0
    timeout: float = 20.0
    retries: int = 3
    max_bytes: int = 20_000_000
    max_pages: int = 5000
    max_depth: int = 10
    pin_version: str = ""
    feedback_db: str = ""

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def _coerce(setting: Setting, raw: str, kind: type) -> Any:
    try:
        if kind is Path:
            return Path(raw).expanduser()
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{setting.env}={raw!r} is not a valid {kind.__name__}: {setting.help}") from None


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``overrides`` (e.g. CLI options; None means not given), then the environment."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Settings):
        setting = _BY_NAME[field.name]
        default = Settings.__dataclass_fields__[field.name].default
        kind = Path if isinstance(default, Path) else type(default)
        if overrides.get(field.name) is not None:
            values[field.name] = overrides[field.name]
        elif env.get(setting.env, "") != "":
            values[field.name] = _coerce(setting, env[setting.env], kind)
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    settings = Settings(**values)
    if settings.top_k < 1:
        raise ConfigError("GIDSBOT_TOP_K must be at least 1.")
    return settings
