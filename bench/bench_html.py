"""Time to read one HTML page (ingest.html.extract_html: decode, parse, walk, metadata), per page.

    .venv/bin/python bench/bench_html.py [--repeat 7]

Pages: the development guide's 72 HTML pages (``bench/devguide/site`` and ``absent``), the two
fixture fiches under ``tests/data/html``, a fiche of the crawler's generated site
(``tests.crawlsite.guide_page``) and a large Drupal-like page with a mega menu of a few hundred
links, a sidebar, a cookie banner, a footer and a criteria table (about 90 kB). Each page is read
``--repeat`` times and its time is the fastest of those (the machine is shared: the fastest run is
the page's own cost, slower ones add other processes' load). Also times the bare parse of the large
page by lxml's HTML parser and by BeautifulSoup with the lxml tree builder, and counts the chunks a
page makes (what embedding costs). Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bs4 import BeautifulSoup  # noqa: E402
from lxml import etree  # noqa: E402

from ingest.chunk import chunk_document  # noqa: E402
from ingest.html import extract_html  # noqa: E402
from tests.crawlsite import guide_page  # noqa: E402

_CRITERIA_ROW = (
    "<tr><td>Criterium {n}: gerecycleerd materiaal, minstens {n} %</td><td>Technische specificatie</td>"
    "<td><ul><li>EU Ecolabel</li><li>Blauer Engel</li><li>technisch dossier van de fabrikant</li></ul></td></tr>"
)


def drupal_page() -> str:
    """A product-group page of a Drupal site: most of its bytes are chrome around one fiche."""
    menu = "".join(
        f'<li class="menu-item menu-item--expanded"><a href="/nl/thema/{i}" class="menu-link">Thema {i}</a>'
        '<ul class="menu menu--level-2">'
        + "".join(
            f'<li class="menu-item menu-item--expanded"><a href="/nl/thema/{i}/{j}">Onderwerp {i}.{j}</a>'
            '<ul class="menu menu--level-3">'
            + "".join(
                f'<li class="menu-item"><a href="/nl/thema/{i}/{j}/{k}">Fiche {i}.{j}.{k}</a></li>' for k in range(8)
            )
            + "</ul></li>"
            for j in range(8)
        )
        + "</ul></li>"
        for i in range(12)
    )
    sidebar = "".join(f'<li><a href="/nl/productgroepen/{n}">Productgroep {n}</a></li>' for n in range(40))
    footer = "".join(
        f'<div class="footer-column"><h3>Kolom {c}</h3><ul>'
        + "".join(f'<li><a href="/nl/info/{c}/{n}">Link {c}.{n}</a></li>' for n in range(15))
        + "</ul></div>"
        for c in range(4)
    )
    settings = json.dumps(
        {"path": {"baseUrl": "/", "currentPath": "node/42"}, "ajax": {f"k{n}": n for n in range(800)}}
    )
    rows = "".join(_CRITERIA_ROW.format(n=n) for n in range(20))
    sections = "".join(
        f"<h2>Onderdeel {s}</h2><p>De aankoper houdt rekening met de levenscyclus van het product "
        f"(onderdeel {s}); <a href='/nl/lcc'>levenscycluskost</a> en <strong>sociale criteria</strong> "
        "wegen mee.</p><ul><li>eerste punt</li><li>tweede punt</li><li>derde punt</li></ul>"
        for s in range(6)
    )
    return f"""<!DOCTYPE html><html lang="nl" dir="ltr"><head><meta charset="utf-8">
<title>Kantoormeubilair | Gids voor duurzame aankopen</title>
<link rel="alternate" hreflang="nl" href="/nl/kantoormeubilair"><link rel="alternate" hreflang="fr" href="/fr/mobilier">
<meta property="og:site_name" content="Gids voor duurzame aankopen">
<meta property="article:modified_time" content="2024-03-01T10:00:00+01:00">
{"".join(f'<link rel="stylesheet" href="/css/{n}.css">' for n in range(25))}
<script type="application/json" data-drupal-selector="drupal-settings-json">{settings}</script>
</head><body class="path-node page-node-type-productgroep">
<a href="#main-content" class="visually-hidden focusable skip-link">Overslaan en naar de inhoud gaan</a>
<div id="sliding-popup" class="eu-cookie-compliance-banner"><p>Deze website gebruikt cookies.</p>
<button>Akkoord</button></div>
<div class="dialog-off-canvas-main-canvas"><header role="banner" class="site-header">
<div class="site-branding"><a href="/nl" class="site-logo">Gids voor duurzame aankopen</a></div>
<div class="language-switcher-language-url"><ul class="links"><li class="is-active"><a href="/nl/kantoormeubilair"
hreflang="nl">NL</a></li><li><a href="/fr/mobilier" hreflang="fr">FR</a></li></ul></div>
<nav role="navigation" id="block-hoofdnavigatie"><ul class="menu menu--level-1">{menu}</ul></nav></header>
<div class="region region-breadcrumb"><nav class="breadcrumb"><ol><li><a href="/nl">Home</a></li>
<li><a href="/nl/productgroepen">Productgroepen</a></li></ol></nav></div>
<div class="layout-container"><aside class="layout-sidebar-first"><h2>In deze rubriek</h2><ul>{sidebar}</ul></aside>
<main id="main-content" role="main"><article class="node node--type-productgroep">
<h1 class="page-title"><span class="field field--name-title">Kantoormeubilair</span></h1>
<div class="field field--name-body"><p>Deze fiche behandelt bureaus, stoelen en kasten voor kantoren.</p>
{sections}<h2>Criteria</h2><table class="criteria"><thead><tr><th>Criterium</th><th>Type</th><th>Verificatie</th>
</tr></thead><tbody>{rows}</tbody></table></div>
<footer class="node__footer"><time datetime="2024-03-01">1 maart 2024</time></footer></article></main></div>
<footer role="contentinfo" class="site-footer">{footer}<p>FOD Volksgezondheid</p></footer></div>
<script src="/core/misc/drupal.js"></script></body></html>"""


def pages() -> list[tuple[str, bytes]]:
    found = [
        (path.relative_to(ROOT).as_posix(), path.read_bytes())
        for folder in ("bench/devguide/site", "bench/devguide/absent", "tests/data/html")
        for path in sorted((ROOT / folder).rglob("*.html"))
    ]
    fiche = "<p>Productgroep: criteria voor duurzame aankopen.</p><table><tr><th>Criterium</th><th>Type</th></tr>"
    found.append(
        ("crawlsite fiche", guide_page("nl", "Fiche", fiche + "<tr><td>a</td><td>b</td></tr></table>").encode())
    )
    found.append(("drupal page with a mega menu", drupal_page().encode()))
    return found


def best_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    timings: dict[str, float] = {}
    chunks = 0
    for name, data in pages():
        url = f"https://www.example.be/{name}"
        document = extract_html(data, url=url)
        chunks += len(chunk_document(document)) if document else 0
        timings[name] = best_ms(lambda data=data, url=url: extract_html(data, url=url), args.repeat)

    drupal = pages()[-1][1]
    html_parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True, huge_tree=True)
    values = list(timings.values())
    report: dict[str, Any] = {
        "pages": len(values),
        "ms_per_page": {
            "median": round(statistics.median(values), 2),
            "max": round(max(values), 2),
            "max_page": max(timings, key=lambda k: timings[k]),
        },
        "drupal_page": {"kB": round(len(drupal) / 1000, 1), "ms": round(timings["drupal page with a mega menu"], 2)},
        "parse_only_drupal_ms": {
            "lxml": round(best_ms(lambda: etree.fromstring(drupal, html_parser), args.repeat), 2),
            "bs4_lxml": round(best_ms(lambda: BeautifulSoup(drupal.decode(), "lxml"), args.repeat), 2),
        },
        "chunks_per_page": round(chunks / len(values), 2),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
