"""The whole ingestion of a generated 1,000-page site on 127.0.0.1: crawl, extract, chunk, embed, publish.

    .venv/bin/python bench/bench_ingest_site.py [--pages 1000] [--changed 10] [--embeddings e5+use]

The same generated site as bench/bench_crawl.py, ingested with `gidsbot ingest --site` semantics
(run_ingest) and the real default models, no politeness delay. Then a re-run with nothing
changed, and one after ``--changed`` pages were edited. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_crawl import build  # noqa: E402
from gidsbot.settings import load_settings  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402
from tests.crawlsite import Site  # noqa: E402


def run(settings, url: str, site: Site) -> dict:  # type: ignore[no-untyped-def]
    before = len(site.log)
    started = time.perf_counter()
    report = run_ingest(settings, sites=[url], show_progress=False)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "pages_per_s": round(report.documents / seconds, 1),
        "requests": len(site.log) - before,
        **{k: getattr(report, k) for k in ("documents", "chunks", "added", "changed", "removed", "embedded_chunks")},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--embeddings", default="e5+use")
    args = parser.parse_args()
    with Site() as site, tempfile.TemporaryDirectory() as tmp:
        build(site, args.pages)
        settings = load_settings(
            environ={},
            index=Path(tmp) / "index",
            embeddings=args.embeddings,
            crawl_delay=0.0,
            max_pages=args.pages + 100,
        )
        full = run(settings, site.url("/"), site)
        unchanged = run(settings, site.url("/"), site)
        for i in range(args.changed):
            site.edit(f"/nl/p/{i}", "Verificatie via labels", f"Verificatie via labels (herzien, versie {i})")
        changed = run(settings, site.url("/"), site)
    print(
        json.dumps(
            {
                "pages": args.pages,
                "embeddings": args.embeddings,
                "full": full,
                "unchanged": unchanged,
                "changed": changed,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
