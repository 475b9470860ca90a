"""A link bomb on 127.0.0.1: every page links 1,000 new URLs; time and memory of a whole ingest.

    .venv/bin/python bench/linkbomb.py                  # --max-pages 300, default models
    .venv/bin/python bench/linkbomb.py --max-pages 1000 --links 2000
    .venv/bin/python bench/linkbomb.py --slow-page       # and one page that drips a byte a second

With ``--slow-page`` the first page also links ``/slow``, which sends its headers and then one byte
a second for as long as anyone listens (the filer's 820 s page): the crawl's default timeout (20 s)
gives each request one deadline of three times that, and a body too slow is not asked for again.

The shape of a CMS's calendar, filters or ``?page=`` listings: one sentence of content and a list of
links to pages that do not exist yet, each of which does the same. `gidsbot ingest --site` runs as a
child process (its own models, its own memory); printed: wall time, the child's peak RSS, the size
of the index version and of the report, and what the report counts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _drip(request: BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "text/html; charset=utf-8")
    request.send_header("Content-Length", "100000")
    request.end_headers()
    try:
        for _ in range(100000):
            request.wfile.write(b" ")
            request.wfile.flush()
            time.sleep(1)
    except OSError:  # the crawler gave up on it: what the benchmark wants to see
        pass


def handler(links: int, slow_page: bool) -> type[BaseHTTPRequestHandler]:
    class Bomb(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self.path == "/slow":
                _drip(self)
                return
            if self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
                kind = "text/plain"
            else:
                base = self.path.split("?", 1)[0].rstrip("/") or "/p"
                items = "".join(f'<li><a href="{base}/{i}">{base}/{i}</a></li>' for i in range(links))
                if slow_page and self.path == "/p":
                    items = '<li><a href="/slow">/slow</a></li>' + items
                body = (
                    f"<html lang='nl'><head><title>Agenda {base}</title></head><body><main><h1>Agenda</h1>"
                    f"<p>Op deze dag staan infosessies over duurzame aankopen gepland.</p><ul>{items}</ul>"
                    "</main></body></html>"
                ).encode()
                kind = "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Bomb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--slow-page", action="store_true", help="the first page also links a page dripping 1 byte/s")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(args.links, args.slow_page))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}/p"
    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "index"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "GIDSBOT_CRAWL_DELAY": "0"}
        command = [sys.executable, "-m", "ui.cli", "ingest", "--site", site, "--max-pages", str(args.max_pages)]
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "--index", str(index), "--json"], capture_output=True, text=True, env=env, cwd=ROOT
        )
        seconds = time.perf_counter() - started
        server.shutdown()
        if done.returncode != 0:
            sys.exit(done.stderr[-2000:])
        report = json.loads(done.stdout.strip().splitlines()[-1])
        version = next((index / "versions").iterdir())
        size = sum(p.stat().st_size for p in version.rglob("*") if p.is_file())
        figures = {
            "max_pages": args.max_pages,
            "links_per_page": args.links,
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            "index_mb": round(size / 1e6, 1),
            "report_kb": round((version / "report.json").stat().st_size / 1e3, 1),
            "documents": report["documents"],
            "chunks": report["chunks"],
            "skipped_listed": len(report["skipped"]),
            "skipped_counts": report.get("skipped_counts", {}),
            "stopped": report.get("stopped", ""),
            "failed": report["failed"][:5],
        }
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
