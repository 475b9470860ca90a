"""One ingestion run: sources -> documents -> chunks -> embeddings -> a published index version.

The new version holds exactly the documents of this run's sources (the bundled corpus when none
is given). Unchanged documents are carried over without being read again; a web page that failed
this time keeps its previous content; only passages the previous version lacks are embedded.
Nothing is published unless the whole run completes, so an interrupted or failed run leaves the
previous version serving.
"""

from __future__ import annotations

import email.utils
import fnmatch
import hashlib
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from typing import Any

from tqdm import tqdm

from gidsbot.embeddings import load_models, parse_spec
from gidsbot.errors import IndexCorrupt, IngestError
from gidsbot.index import (
    IndexFiles,
    clean_staging,
    current_version,
    ingest_lock,
    older_format,
    publish,
    read_manifest,
    resolve_version,
    write_last_run,
)
from gidsbot.settings import Settings
from ingest.chunk import chunk_document
from ingest.criteria import extract_criteria
from ingest.extract import ExtractError, media_type, read_bytes
from ingest.index import DocRecord, Previous, load_previous, same_as_previous, stage_version, write_report
from ingest.types import Document, IngestReport

__all__ = ["Gate", "bundled_corpus", "ensure_index", "iter_files", "run_ingest"]

# The evaluation gate: (index folder, name of the written but unpublished version) -> its verdict, a
# JSON object with at least "passed". bot.gate.Gate is one; ingestion only calls it.
Gate = Callable[[Path, str], dict[str, Any]]

log = logging.getLogger("gidsbot.ingest")
IGNORE_FILE = ".gidsbotignore"


def bundled_corpus() -> Path:
    """The corpus/ folder that ships with the project."""
    for candidate in (Path(__file__).resolve().parents[1] / "corpus", Path.cwd() / "corpus"):
        if candidate.is_dir():
            return candidate
    raise IngestError("The bundled corpus/ folder was not found; pass --path or --site.")


def _ignored(folder: Path) -> list[str]:
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def iter_files(path: Path) -> Iterator[tuple[Path, str]]:
    """(file, source) pairs under ``path``; source is relative to the folder that was given."""
    if path.is_file():
        yield path, path.name
        return
    patterns = _ignored(path)
    for current, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            full = Path(current) / name
            source = full.relative_to(path).as_posix()
            if name.startswith(".") or any(fnmatch.fnmatch(source, p) for p in patterns):
                continue
            yield full, source


def _record(document: Document, content_hash: str, root: str, merge_words: int = 0, **crawl: str) -> DocRecord:
    return DocRecord(
        source=document.source,
        title=document.title,
        chunks=chunk_document(document, merge_words),
        content_hash=content_hash,
        root=root,
        url=document.url,
        language=document.language,
        modified=document.modified,
        alternates=dict(document.alternates),
        criteria=extract_criteria(document),
        **crawl,
    )


class _Run:
    """The state of one run: the previous version, the documents kept so far, and the report."""

    def __init__(self, previous: Previous | None, report: IngestReport, merge_words: int = 0) -> None:
        self.previous = previous
        self.report = report
        self.merge_words = merge_words
        self.records: dict[str, DocRecord] = {}

    def old(self, source: str) -> DocRecord | None:
        return self.previous.documents.get(source) if self.previous else None

    def keep_unchanged(self, source: str) -> bool:
        old = self.old(source)
        if old is None or source in self.records:
            return False
        self.records[source] = old
        self.report.unchanged += 1
        return True

    def add(self, record: DocRecord) -> None:
        if record.source in self.records:
            self.report.skip(record.source, "duplicate")
            return
        old = self.old(record.source)
        if old is None:
            self.report.added += 1
        elif old.content_hash == record.content_hash or [c.id for c in old.chunks] == [c.id for c in record.chunks]:
            self.report.unchanged += 1
        else:
            self.report.changed += 1
        self.records[record.source] = record


def _ingest_path(run: _Run, path: Path, settings: Settings, bar: tqdm) -> None:
    if not path.exists():
        run.report.fail(str(path), "no such file or folder")
        return
    root = str(path.resolve())
    for file, source in iter_files(path):
        bar.update(1)
        kind = media_type(file.name)
        if kind is None:
            run.report.skip(source, "not-text")
            continue
        if file.stat().st_size > settings.max_bytes:
            run.report.skip(source, "too-large")
            continue
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        old = run.old(source)
        if old is not None and old.content_hash == digest and run.keep_unchanged(source):
            continue
        try:
            document = read_bytes(data, source, kind)
        except ExtractError as exc:
            run.report.fail(source, str(exc))
            continue
        if document is None:
            run.report.skip(source, "empty")
            continue
        run.add(_record(document, digest, root, settings.merge_words))


def _ingest_sites(run: _Run, configs: Sequence[object], bar: tqdm) -> set[str]:
    """Crawl, read what changed; returns the sources the sites no longer have."""
    from ingest.crawl import PageState, crawl

    state = {
        d.source: PageState(d.source, d.etag, d.last_modified, d.content_hash)
        for d in (run.previous.documents.values() if run.previous else [])
        if d.url
    }

    def progress(done: int, known: int, failed: int) -> None:
        bar.total = max(known, done)
        bar.n = done
        bar.set_postfix(failed=failed, refresh=False)
        bar.refresh()

    result = crawl(configs, state, progress)  # type: ignore[arg-type]
    run.report.requests += result.requests
    run.report.retries += result.retries
    run.report.stopped = result.stopped
    run.report.failed.extend(result.failed)
    run.report.skipped.extend(result.skipped)
    for reason, n in result.skipped_counts.items():
        run.report.skipped_counts[reason] = run.report.skipped_counts.get(reason, 0) + n
    for url in result.not_modified:
        if run.keep_unchanged(url) and url in result.revalidated:
            etag, last_modified = result.revalidated[url]
            run.records[url] = replace(run.records[url], etag=etag, last_modified=last_modified)
    for page in result.fetched:
        digest = hashlib.sha256(page.content).hexdigest()
        old = run.old(page.url)
        crawl_state = {"etag": page.etag, "last_modified": page.last_modified, "fetched_at": page.fetched_at}
        if old is not None and old.content_hash == digest and run.keep_unchanged(page.url):
            run.records[page.url] = DocRecord(**{**old.__dict__, **crawl_state})
            continue
        try:
            document = read_bytes(page.content, page.url, page.content_type, url=page.url)
        except ExtractError as exc:
            run.report.fail(page.url, str(exc))
            continue
        if document is None:
            run.report.skip(page.url, "empty")
            continue
        # the page's own date, else the server's Last-Modified; never the crawl's time (a card would show
        # it as the page's date: an undated page's card shows when it was indexed instead)
        document.modified = document.modified or _iso(page.last_modified)
        run.add(_record(document, digest, "web", run.merge_words, **crawl_state))
    # A page that failed or was left out by a limit this time keeps its previous content.
    gone = set(result.gone)
    for source, old in run.previous.documents.items() if run.previous else []:
        if old.url and source not in run.records and source not in gone:
            run.records[source] = old
            run.report.unchanged += 1
    return gone


def _iso(http_date: str) -> str:
    """An HTTP date ("Tue, 01 Dec 2026 10:00:00 GMT") as ISO 8601, as every other date in the index."""
    try:
        return email.utils.parsedate_to_datetime(http_date).astimezone(UTC).isoformat().replace("+00:00", "Z")
    except (TypeError, ValueError, IndexError):
        return ""


def _site_configs(settings: Settings, sites: Sequence[str], config: Path | None, max_pages: int | None) -> list:
    if not sites and config is None:
        return []
    from ingest.config import load_sources, site_config

    configs = [site_config(url, settings) for url in sites]
    if config is not None:
        configs.extend(load_sources(config, settings))
    if max_pages is not None:
        configs = [replace(c, max_pages=max_pages) for c in configs]
    return configs


def run_ingest(
    settings: Settings,
    sites: Sequence[str] = (),
    paths: Sequence[Path] = (),
    config: Path | None = None,
    max_pages: int | None = None,
    rebuild: bool = False,
    show_progress: bool = True,
    gate: Gate | None = None,
) -> IngestReport:
    """Ingest the given sources (the bundled corpus when none) and publish a new index version.

    With a ``gate``, the new version is published only if the gate passes it; otherwise the report
    says ``published: false`` and the current version keeps serving.
    """
    started = time.monotonic()
    root = Path(settings.index)
    report = IngestReport()
    configs = _site_configs(settings, sites, config, max_pages)
    if not configs and not paths:
        paths = [bundled_corpus()]
    with ingest_lock(root):
        clean_staging(root)
        spec = settings.embeddings or _existing_spec(root) or "e5+use"
        parse_spec(spec)
        previous = None if rebuild else load_previous(root, spec, settings.merge_words)
        run = _Run(previous, report, settings.merge_words)
        clock = time.perf_counter()
        with tqdm(desc="reading", unit="file", disable=not show_progress, leave=False) as bar:
            for path in paths:
                _ingest_path(run, Path(path), settings, bar)
        report.timed("reading", time.perf_counter() - clock)
        gone: set[str] = set()
        if configs:
            clock = time.perf_counter()
            with tqdm(desc="crawling", unit="page", disable=not show_progress, leave=False) as bar:
                gone = _ingest_sites(run, configs, bar)
            report.timed("crawling", time.perf_counter() - clock)
        kept = set(run.records)
        report.removed = len(set(previous.documents) - kept) if previous else 0
        if gone and previous:
            log.info("removed from the sites: %s", ", ".join(sorted(gone & set(previous.documents))))
        if not run.records:
            raise IngestError(_nothing_read(report))
        if previous is not None and same_as_previous(list(run.records.values()), previous):
            _keep_current(report, previous, started)
            return report
        clock = time.perf_counter()
        models = load_models(spec)
        report.timed("loading models", time.perf_counter() - clock)
        chunks_to_embed = sum(len(r.chunks) for r in run.records.values())
        with tqdm(desc="embedding", unit="chunk", total=chunks_to_embed, disable=not show_progress, leave=False) as bar:
            staging = stage_version(
                root,
                spec,
                models,
                list(run.records.values()),
                previous,
                report,
                progress=bar.update,
                started=started,
                merge_words=settings.merge_words,
            )
        _judge_and_publish(staging, report, settings, gate, started)
    return report


def _judge_and_publish(
    staging: IndexFiles, report: IngestReport, settings: Settings, gate: Gate | None, started: float
) -> None:
    """Let the gate judge the written version, then publish it or throw it away; record the run."""
    try:
        if gate is not None:
            log.info("gate: answering the gold questions on the new version")
            report.gate = gate(staging.root, staging.version)
            report.published = bool(report.gate.get("passed"))
        report.seconds = round(time.monotonic() - started, 2)
        if report.published:
            write_report(staging, report)
            publish(staging, keep=settings.keep_versions, pinned=settings.pin_version)
    finally:  # published, it was renamed away; refused or failed, nothing of it stays
        shutil.rmtree(staging.dir, ignore_errors=True)
    write_last_run(staging.root, report.to_json())


def _keep_current(report: IngestReport, previous: Previous, started: float) -> None:
    """Nothing changed: the current version keeps serving and no version is written."""
    report.new_version = False
    report.index_version = previous.manifest.version
    report.documents = len(previous.documents)
    report.chunks = len(previous.rows)
    report.seconds = round(time.monotonic() - started, 2)
    log.info("nothing changed: index version %s keeps serving, no new version written", report.index_version)
    write_last_run(previous.files.root, report.to_json())


def _existing_spec(root: Path) -> str:
    try:
        return read_manifest(resolve_version(root)).embeddings
    except Exception:  # no index, or an unreadable one: the default applies
        return ""


def _nothing_read(report: IngestReport) -> str:
    problems = [f"{f['url']}: {f['error']}" for f in report.failed[:3]]
    detail = ("; ".join(problems)) if problems else "no readable document in the sources"
    return f"Nothing was ingested ({detail}); the previous index, if any, keeps serving."


def ensure_index(settings: Settings) -> None:
    """Build the index from the bundled corpus when there is none (the first `serve`), or when it holds
    only the bundled corpus in an older gidsbot's format (after an upgrade). An older index of other
    sources is the maintainer's to rebuild: one sentence says how."""
    root = Path(settings.index)
    if current_version(root) is None:
        sys.stderr.write(f"No index in {settings.index} yet: building it from the bundled corpus...\n")
    elif (older := older_format(root)) is None:
        return
    elif older != {str(bundled_corpus().resolve())}:
        raise IndexCorrupt(
            f"The index in {root} was written by an older gidsbot: run `gidsbot ingest --rebuild` with its sources "
            "(for example `--config corpus/sources.toml`) to write it in this version's format."
        )
    else:
        sys.stderr.write(f"The index in {settings.index} has an older format: building it anew...\n")
    report = run_ingest(settings, show_progress=sys.stderr.isatty())
    sys.stderr.write(f"Index {report.index_version}: {report.documents} documents, {report.chunks} chunks.\n")
