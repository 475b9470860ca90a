"""Crawl configurations: from ``corpus/sources.toml`` (``--config``) or one URL (``--site``).

A site's table in the file may set any :class:`ingest.crawl.CrawlConfig` field; what it leaves
out comes from the settings (``GIDSBOT_CRAWL_DELAY``, ``GIDSBOT_MAX_PAGES``... see
``gidsbot.settings``), so a value written for one site wins over the general setting. Unknown keys
are refused, so a typo ("exlude") cannot silently widen a crawl.

Beside the sites, the file may name an evaluation gate: ``gate = "gate.jsonl"`` (gold questions,
relative to the file) and ``gate_tolerance = 0.05`` (see ``bot.gate``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from gidsbot.errors import IngestError
from gidsbot.settings import Settings
from ingest.crawl import CrawlConfig, Scope, check_config
from ingest.urls import host_of, normalize

__all__ = ["load_gate", "load_sources", "settings_fields", "site_config"]

_FIELDS = {
    "name",
    "start_urls",
    "scopes",
    "include",
    "exclude",
    "max_pages",
    "max_depth",
    "delay",
    "timeout",
    "retries",
    "max_bytes",
    "user_agent",
}


def settings_fields(settings: Settings | None) -> dict[str, Any]:
    """The CrawlConfig fields that come from the settings (none without settings: the defaults)."""
    if settings is None:
        return {}
    return {
        "user_agent": settings.user_agent,
        "delay": settings.crawl_delay,
        "timeout": settings.timeout,
        "retries": settings.retries,
        "max_bytes": settings.max_bytes,
        "max_pages": settings.max_pages,
        "max_depth": settings.max_depth,
    }


def site_config(url: str, settings: Settings | None = None) -> CrawlConfig:
    """The crawl of ``gidsbot ingest --site URL``: that URL's whole host, from that URL."""
    start = normalize(url)
    if start is None:
        raise IngestError(f"--site {url!r} is not an http(s) URL.")
    return CrawlConfig(name=host_of(start), start_urls=(start,), **settings_fields(settings))


_TOP = {"site", "gate", "gate_tolerance"}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise IngestError(f"Cannot read the crawl configuration {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"{path} is not valid TOML: {exc}.") from None
    unknown = set(data) - _TOP
    if unknown:
        raise IngestError(f"{path}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_TOP))}).")
    return data


def load_gate(path: Path | str) -> tuple[Path | None, float | None]:
    """The sources file's evaluation gate: its gold questions (relative to the file) and tolerance."""
    path = Path(path)
    data = _read(path)
    gate, tolerance = data.get("gate"), data.get("gate_tolerance")
    if gate is not None and not isinstance(gate, str):
        raise IngestError(f'{path}: gate must be the path of a questions file in quotes, like "gate.jsonl".')
    if tolerance is not None and (isinstance(tolerance, bool) or not isinstance(tolerance, int | float)):
        raise IngestError(f"{path}: gate_tolerance must be a number between 0 and 1, not {tolerance!r}.")
    return (path.parent / gate if gate else None), (float(tolerance) if tolerance is not None else None)


def load_sources(path: Path | str, settings: Settings | None = None) -> list[CrawlConfig]:
    """Every ``[[site]]`` of a sources file, with the settings filling what a site does not set."""
    path = Path(path)
    data = _read(path)
    sites = data.get("site", [])
    if not isinstance(sites, list) or not sites:
        raise IngestError(f"{path} has no [[site]] table.")
    return [_site(path, table, settings) for table in sites]


def _site(path: Path, table: dict[str, Any], settings: Settings | None) -> CrawlConfig:
    name = str(table.get("name", ""))
    where = f"{path} [[site]] {name!r}"
    unknown = set(table) - _FIELDS
    if unknown:
        raise IngestError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")
    if not name:
        raise IngestError(f"{path}: every [[site]] needs a name.")
    for key, value in table.items():
        _check_type(where, key, value)
    fields = {**settings_fields(settings), **table}
    fields["scopes"] = tuple(_scope(where, s) for s in table.get("scopes", []))
    try:
        config = CrawlConfig(**fields)
    except TypeError as exc:
        raise IngestError(f"{where}: {exc}.") from None
    check_config(config)
    return config


_WHOLE = {"max_pages", "max_depth", "retries", "max_bytes"}
_NUMBERS = {"delay", "timeout"}
_TEXTS = {"name", "user_agent"}
_TEXT_LISTS = {"start_urls", "include", "exclude"}


def _check_type(where: str, key: str, value: object) -> None:
    """One sentence for a value of the wrong kind (``max_pages = "ten"``), not a traceback later on."""
    if key in _WHOLE and (isinstance(value, bool) or not isinstance(value, int)):
        raise IngestError(f"{where}: {key} must be a whole number, not {value!r}.")
    if key in _NUMBERS and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise IngestError(f"{where}: {key} must be a number of seconds, not {value!r}.")
    if key in _TEXTS and not isinstance(value, str):
        raise IngestError(f"{where}: {key} must be text in quotes, not {value!r}.")
    if key in _TEXT_LISTS and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
        raise IngestError(f'{where}: {key} must be a list of texts, like ["https://..."], not {value!r}.')


def _scope(where: str, table: Any) -> Scope:
    if not isinstance(table, dict) or "host" not in table or set(table) - {"host", "prefixes"}:
        raise IngestError(f'{where}: a scope is {{ host = "...", prefixes = ["/..."] }}.')
    return Scope(str(table["host"]), tuple(table.get("prefixes", ["/"])))
