"""Crawler figures on a generated 1,000-page site served from 127.0.0.1.

    .venv/bin/python bench/bench_crawl.py [--pages 1000] [--changed 10] [--extract]

Measures, with no politeness delay (a local server, nothing else to spare):
  1. a full crawl from the root: wall time, pages/s, requests;
  2. a re-crawl with the first crawl's state when nothing changed (every page should cost one
     conditional request answered 304, plus robots.txt and the sitemap);
  3. a re-crawl after ``--changed`` pages were edited (those come back as fetched, the rest 304).
With ``--extract`` it also times ingest.html's main-content extraction over the fetched pages.
Embedding is not run here. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from ingest.crawl import CrawlConfig, CrawlResult, PageState, crawl  # noqa: E402
from tests.crawlsite import Site, guide_page  # noqa: E402

FICHE = (
    "<p>Productgroep {n}: criteria voor duurzame aankopen, met technische specificaties, "
    "gunningscriteria en uitvoeringsvoorwaarden. Verificatie via labels of een technisch dossier.</p>"
    "<table><tr><th>Criterium</th><th>Type</th><th>Verificatie</th></tr>"
    "<tr><td>Gerecycleerd materiaal {n} %</td><td>Specificatie</td><td>EU Ecolabel</td></tr></table>"
)


def build(site: Site, pages: int) -> None:
    """Page i links to the next ten pages (wrapping), so the site is reachable from the root in depth 3."""
    site.file("/robots.txt", b"User-agent: *\nDisallow: /zoeken\n", "text/plain")
    for i in range(pages):
        links = "".join(f'<li><a href="/nl/p/{(i + k) % pages}">Fiche {(i + k) % pages}</a></li>' for k in range(1, 11))
        body = FICHE.format(n=i) + f"<ul>{links}</ul>"
        site.page(f"/nl/p/{i}", guide_page("nl", f"Fiche {i}", body))
    for path, title in [("/nl/producten", "Productgroepen"), ("/nl/labels", "Labels"), ("/nl/wetgeving", "Wetgeving")]:
        site.page(path, guide_page("nl", title, f"<p>{title} van de gids.</p>"))
    for path, title in [("/fr", "Guide"), ("/fr/produits", "Produits"), ("/fr/labels", "Labels")]:
        site.page(path, guide_page("fr", title, f"<p>{title} du guide des achats durables.</p>"))
    home = "".join(f'<a href="/nl/p/{i}">{i}</a> ' for i in range(0, pages, max(1, pages // 100)))
    site.page("/", guide_page("nl", "Gids", f"<p>{home}</p>"))
    site.page("/nl", guide_page("nl", "Welkom", "<p>Welkom bij de gids.</p>"))


def timed(configs: list[CrawlConfig], state: dict[str, PageState] | None = None) -> tuple[CrawlResult, float]:
    started = time.perf_counter()
    result = crawl(configs, state or {})
    return result, time.perf_counter() - started


def state_of(result: CrawlResult) -> dict[str, PageState]:
    return {
        f.url: PageState(f.url, f.etag, f.last_modified, hashlib.sha256(f.content).hexdigest()) for f in result.fetched
    }


def summary(result: CrawlResult, seconds: float) -> dict[str, Any]:
    return {
        "seconds": round(seconds, 3),
        "requests": result.requests,
        "fetched": len(result.fetched),
        "not_modified": len(result.not_modified),
        "gone": len(result.gone),
        "failed": len(result.failed),
        "skipped": len(result.skipped),
        "stopped": result.stopped,
    }


def extraction(result: CrawlResult) -> dict[str, Any]:
    from ingest.html import extract_html

    started = time.perf_counter()
    documents = [extract_html(f.content, url=f.url) for f in result.fetched]
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "pages_per_s": round(len(documents) / seconds, 1),
        "empty": sum(d is None for d in documents),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--extract", action="store_true", help="also time main-content extraction")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    with Site() as site:
        build(site, args.pages)
        config = CrawlConfig("bench", (site.url("/"),), delay=0, timeout=10, retries=1, max_pages=args.pages + 10)
        full, full_s = timed([config])
        report: dict[str, Any] = {"pages": args.pages, "full": summary(full, full_s)}
        report["full"]["pages_per_s"] = round(len(full.fetched) / full_s, 1)
        if args.extract:
            report["extract"] = extraction(full)

        state = state_of(full)
        same, same_s = timed([config], state)
        report["unchanged"] = summary(same, same_s)

        for i in range(args.changed):
            site.edit(f"/nl/p/{i * (args.pages // max(1, args.changed))}", "Productgroep", "Gewijzigde productgroep")
        changed, changed_s = timed([config], state)
        report["changed"] = summary(changed, changed_s) | {"pages_changed": args.changed}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
