"""The figures of the status page, as plain rows: what the index holds, what the last ingest did,
which versions can be rolled back to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gidsbot.index import current_version, list_versions, read_manifest, resolve_version
from gidsbot.types import PHASES, Chunk, Criterion

__all__ = ["per_site_language", "site_of", "skipped_by_reason", "version_rows"]


def site_of(document: Mapping[str, Any]) -> str:
    """A web page's host, or for a local file the name of the folder it was ingested from."""
    url = str(document.get("url") or "")
    host = urlsplit(url).netloc if url.startswith(("http://", "https://")) else ""
    if host:
        return host
    root = str(document.get("root") or "")
    return Path(root).name if root and root != "web" else (root or "—")


def per_site_language(documents: Iterable[Mapping[str, Any]], chunks: Iterable[Chunk]) -> list[dict[str, Any]]:
    """Documents and passages per (site, language), largest first."""
    passages = Counter(c.source for c in chunks)
    counts: dict[tuple[str, str], list[int]] = {}
    for document in documents:
        key = (site_of(document), str(document.get("language") or "?"))
        row = counts.setdefault(key, [0, 0])
        row[0] += 1
        row[1] += passages.get(str(document["source"]), 0)
    rows = [{"site": s, "language": lang, "documents": d, "chunks": c} for (s, lang), (d, c) in counts.items()]
    return sorted(rows, key=lambda r: (-r["documents"], r["site"], r["language"]))


def skipped_by_reason(
    skipped: Sequence[Mapping[str, str]], counted: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """How many were skipped per reason: the report's counts (its URL list is only a sample), else the list's."""
    counts = (
        Counter({str(r): int(n) for r, n in counted.items()})
        if counted
        else Counter(str(s.get("reason", "")) for s in skipped)
    )
    return [{"reason": reason, "count": n} for reason, n in counts.most_common()]


def version_rows(root: Path, answering: str) -> list[dict[str, Any]]:
    """Every published version, newest first, with its counts and whether it is current or answering."""
    current = current_version(root)
    rows = []
    for version in reversed(list_versions(root)):
        try:
            manifest = read_manifest(resolve_version(root, version))
        except Exception:  # noqa: BLE001 - a damaged old version is listed, not fatal to the page
            rows.append(
                {
                    "version": version,
                    "created": "?",
                    "documents": 0,
                    "chunks": 0,
                    "current": version == current,
                    "answering": version == answering,
                }
            )
            continue
        rows.append(
            {
                "version": version,
                "created": manifest.created,
                "documents": manifest.counts.get("documents", 0),
                "chunks": manifest.counts.get("chunks", 0),
                "current": version == current,
                "answering": version == answering,
            }
        )
    return rows


def criteria_rows(criteria: Iterable[Criterion]) -> list[dict[str, Any]]:
    """One row per fiche: its product group, language, number of criteria per phase, and date."""
    rows: dict[str, dict[str, Any]] = {}
    for c in criteria:
        row = rows.setdefault(
            c.source,
            {
                "product_group": c.product_group,
                "language": c.language,
                **dict.fromkeys(PHASES, 0),
                "date": c.modified[:10],
            },
        )
        row[c.phase] = row.get(c.phase, 0) + 1
    return sorted(rows.values(), key=lambda r: (r["product_group"].casefold(), r["language"]))
