"""The development guide: build it, serve it on 127.0.0.1, crawl it into an index, and measure answers.

    .venv/bin/python bench/devguide.py                      # build, crawl, evaluate tune and held-out sets
    .venv/bin/python bench/devguide.py --part tune --details bench/out/devguide-tune.jsonl

The pages (bench/devguide/site), the PDF texts (bench/devguide/pdf), the Word texts
(bench/devguide/docx) and the questions
(bench/devguide/questions) are described in bench/devguide/README.md. The index is kept in
bench/out/devguide-index and rebuilt when the pages change (``--rebuild`` forces it).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.docs import make_pdf  # noqa: E402

GUIDE = HERE / "devguide"
OUT = HERE / "out"
# tune: chosen on; heldout: written before any tuning (stop 17), measured once a stop; heldout2: written
# at the end of stop 22, measured once then and diagnosed in stop 23; heldout3: written at the start of
# stop 23 before any change, measured at its end and diagnosed in stop 24; heldout4: written at the start
# of stop 24 before any change, measured at its end (no answer read; its figures steered one choice, the
# revert of a refit: bench/README.md), diagnosed in stop 26; heldout5: written by two helpers at the start of
# stop 26 (never read while tuning); heldout6: written by two helpers at the start of stop 27, before any change;
# heldout7: written by two helpers in stop 28 (after its first three changes, before the rest; never read);
# heldout8: by two helpers at the end of stop 30; heldout9: by two helpers in stop 31, after its changes
PARTS = ("tune", "heldout", *(f"heldout{n}" for n in range(2, 10)))
FITTED_PARTS = PARTS[:2]  # what the fitting scripts compute and print, and what --part both measures


def questions(part: str) -> list[dict[str, Any]]:
    """Every question of one part (tune or a held-out part), all themes, in file order."""
    out = []
    for path in sorted((GUIDE / "questions").glob(f"*-{part}.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def _pdf_pages(text: str) -> list[list[str]]:
    # the PDF maker writes WinAnsi text (Helvetica): what it cannot hold is spelled out or replaced
    text = text.replace("≤", "<=").replace("≥", ">=").replace("→", "->")
    text = text.encode("cp1252", "replace").decode("cp1252")
    pages = [page.strip("\n").split("\n") for page in text.split("\f")]
    return [page for page in pages if any(line.strip() for line in page)]


def build_site(dest: Path) -> Path:
    """The served folder: the pages, the PDFs made from their texts, robots.txt and a sitemap."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(GUIDE / "site", dest)
    docs = dest / "docs"
    docs.mkdir(exist_ok=True)
    for source in sorted((GUIDE / "pdf").glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        title = text.strip().split("\n", 1)[0][:80]
        (docs / f"{source.stem}.pdf").write_bytes(make_pdf(_pdf_pages(text), title=title))
    for source in sorted((GUIDE / "docx").glob("*.txt")):
        (docs / f"{source.stem}.docx").write_bytes(make_docx(source.read_text(encoding="utf-8")))
    (dest / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return dest


def make_docx(text: str) -> bytes:
    """A Word document from a plain text: "title: …" sets its title, "# …" is a heading, "- …" a bullet."""
    import io

    import docx

    document = docx.Document()
    for line in text.strip().splitlines():
        if line.startswith("title: "):
            document.core_properties.title = line.removeprefix("title: ")
        elif line.startswith("# "):
            document.add_heading(line[2:], level=1)
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_sitemap(dest: Path, base: str) -> None:
    """A sitemap of every page, PDF and Word file, with absolute URLs (known once the server has its port)."""
    pages = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.suffix in {".html", ".pdf", ".docx"})
    urls = "".join(f"<url><loc>{base}/{page}</loc></url>" for page in pages)
    (dest / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
        "</urlset>",
        encoding="utf-8",
    )


class _Handler(SimpleHTTPRequestHandler):
    """Static files; no directory listings (a real site has none), no logging."""

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(404, "Not found")
        return None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        return


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _fingerprint() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())  # how the site is built counts too
    for path in sorted(p for folder in ("site", "pdf", "docx") for p in (GUIDE / folder).rglob("*")):
        if path.is_file():
            digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def build_index(index: Path, rebuild: bool = False) -> Path:
    """Crawl the served development guide into ``index`` (skipped when the pages have not changed)."""
    from gidsbot.settings import load_settings
    from ingest.pipeline import run_ingest

    stamp = index / "devguide.fingerprint"
    if not rebuild and stamp.is_file() and stamp.read_text() == _fingerprint():
        return index
    if index.exists():
        shutil.rmtree(index)
    site = build_site(OUT / "devguide-site")
    settings = load_settings(index=index, crawl_delay=0.0, retries=0)
    with serve(site) as base:
        write_sitemap(site, base)
        report = run_ingest(settings, sites=[f"{base}/nl/index.html", f"{base}/fr/index.html"])
    print(
        f"indexed {report.documents} documents, {report.chunks} chunks in {report.seconds} s; "
        f"failed {len(report.failed)}, skipped {len(report.skipped)}",
        file=sys.stderr,
    )
    for failure in report.failed:
        print(f"  failed: {failure}", file=sys.stderr)
    stamp.write_text(_fingerprint())
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=OUT / "devguide-index")
    parser.add_argument("--part", choices=[*PARTS, "both"], default="both", help="both: tune and heldout")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--details", type=Path, help="one JSON line per question (with one --part)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["GIDSBOT_ANSWER_CACHE"] = "0"  # every answer and its time is the work's, never a kept copy

    from bot import Bot
    from bot.evaluate import evaluate, format_evaluation

    OUT.mkdir(exist_ok=True)
    bot = Bot.load(build_index(args.index, args.rebuild))
    results = {}
    for part in FITTED_PARTS if args.part == "both" else (args.part,):
        result = evaluate(bot, questions(part))
        details = result.pop("details")
        if args.details:
            with open(args.details, "w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in details)
        results[part] = result
        if not args.json:
            print(f"\n== {part} ==\n{format_evaluation(result)}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
