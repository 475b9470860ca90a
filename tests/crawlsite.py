"""A small web site on 127.0.0.1 for crawler tests and benchmarks, with an access log.

:class:`Site` serves static routes (with ETag and Last-Modified, answering conditional requests
with 304) and handler routes for hostile behaviour (slow, dripping, flaky, huge, gzip bombs).
Every request is logged as a :class:`Hit` before it is answered, so tests can check what the
server saw, not only what the crawler says. :func:`build_guide` fills a site that imitates the
Gids voor Duurzame Aankopen: bilingual pages with page chrome, a criteria table, sitemaps, a
robots.txt with disallowed paths, a PDF and a DOCX, a 404 link, redirects, an external link, a
tracking link and binaries.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.docs import make_pdf

__all__ = [
    "Hit",
    "Response",
    "Route",
    "Site",
    "build_guide",
    "docx_bytes",
    "gzip_bomb",
    "pdf_bytes",
]


@dataclass
class Hit:
    """One request as the server received it, and the status it was answered with."""

    path: str  # path and query, exactly as requested
    headers: dict[str, str]  # lower-case names
    when: float
    client: int = 0  # the client's port: one port for many hits means a kept-alive connection
    status: int = 0

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    """A static resource; its ETag follows its body, so editing a page changes both."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True  # send ETag and Last-Modified, answer conditional requests
    modified: float = field(default_factory=lambda: time.time() - 86_400)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'  # noqa: S324 - not security

    @property
    def last_modified(self) -> str:
        return formatdate(self.modified, usegmt=True)


Handler = Callable[["Site", Hit, BaseHTTPRequestHandler], Response | None]


class Site:
    """A threaded HTTP server on 127.0.0.1 serving ``routes``; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}  # a key ending in "*" serves a whole prefix
        self.parts: dict[str, str] = {}  # role -> path, filled by build_guide()
        self.log: list[Hit] = []
        self.counters: dict[str, int] = {}
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}{path}"

    # -- content ------------------------------------------------------------------------------

    def page(self, path: str, html: str, **kw: object) -> Route:
        route = Route(html.encode("utf-8"), **kw)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def file(self, path: str, body: bytes, content_type: str, **kw: object) -> Route:
        route = Route(body, content_type, **kw)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def find(self, path: str) -> Route | Handler | None:
        found = self.routes.get(path) or self.routes.get(urlsplit(path).path)
        if found is None:
            prefixes = [k for k in self.routes if k.endswith("*") and path.startswith(k[:-1])]
            found = self.routes[max(prefixes, key=len)] if prefixes else None
        return found

    def handle(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def edit(self, path: str, old: str, new: str) -> None:
        route = self.routes[path]
        assert isinstance(route, Route)
        route.body = route.body.replace(old.encode(), new.encode())
        route.modified = time.time()

    # -- what the server saw ------------------------------------------------------------------

    def paths(self) -> list[str]:
        return [hit.path for hit in self.log]

    def count(self, path: str) -> int:
        return sum(1 for hit in self.log if hit.path == path)

    def hits(self, path: str) -> list[Hit]:
        return [hit for hit in self.log if hit.path == path]

    def reset_log(self) -> None:
        self.log.clear()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a crawler hanging up on a body it does not want is normal here, not worth a traceback


def _make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        disable_nagle_algorithm = True  # else headers and body in two writes cost 40 ms (delayed ACK)

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            hit = Hit(self.path, headers, time.monotonic(), self.client_address[1])
            site.log.append(hit)
            route = site.find(self.path)
            response: Response | None
            if route is None:
                page = b"<html><body><h1>Niet gevonden</h1></body></html>"
                response = Response(404, page, {"Content-Type": "text/html; charset=utf-8"})
            elif isinstance(route, Route):
                response = _static(route, hit)
            else:
                response = route(site, hit, self)
            if response is not None:
                hit.status = response.status
                self.send(response)

        def send(self, response: Response) -> None:
            self.send_response(response.status)
            headers = {"Content-Length": str(len(response.body)), **response.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the crawler gave up reading, as it should

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the access log is site.log; stderr stays quiet

    return _Handler


def _static(route: Route, hit: Hit) -> Response:
    headers = {"Content-Type": route.content_type, **route.headers}
    if route.validators and route.status == 200:
        headers["ETag"] = route.etag
        headers["Last-Modified"] = route.last_modified
        if _not_modified(route, hit):
            return Response(304, b"", {"ETag": route.etag, "Last-Modified": route.last_modified})
    return Response(route.status, route.body, headers)


def _not_modified(route: Route, hit: Hit) -> bool:
    etags = hit.header("If-None-Match")
    if etags:  # RFC 9110: If-None-Match wins over If-Modified-Since
        return route.etag in [e.strip() for e in etags.split(",")]
    since = hit.header("If-Modified-Since")
    if not since:
        return False
    try:
        return int(route.modified) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False


# -- hostile handlers ------------------------------------------------------------------------


def redirect(location: str, status: int = 302) -> Handler:
    return lambda site, hit, h: Response(status, b"", {"Location": location})


def slow(seconds: float, body: bytes = b"<html><body>te laat</body></html>") -> Handler:
    def handler(site: Site, hit: Hit, h: BaseHTTPRequestHandler) -> Response:
        site.stopping.wait(seconds)
        return Response(200, body, {"Content-Type": "text/html"})

    return handler


def drip(interval: float) -> Handler:
    """Sends headers at once, then one byte every ``interval`` seconds, for ever."""

    def handler(site: Site, hit: Hit, h: BaseHTTPRequestHandler) -> None:
        hit.status = 200
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.close_connection = True
        try:
            while not site.stopping.wait(interval):
                h.wfile.write(b"x")
                h.wfile.flush()
        except OSError:
            pass

    return handler


def flaky(failures: int, status: int = 503, retry_after: str = "", then: Response | None = None) -> Handler:
    """Answers ``status`` the first ``failures`` times, then ``then`` (a small page)."""

    def handler(site: Site, hit: Hit, h: BaseHTTPRequestHandler) -> Response:
        seen = site.counters.get(hit.path, 0)
        site.counters[hit.path] = seen + 1
        if seen < failures:
            headers = {"Retry-After": retry_after} if retry_after else {}
            return Response(status, b"busy", headers)
        return then or Response(200, b"<html><body><p>Hersteld na een storing.</p></body></html>")

    return handler


def streamed(total: int, chunk: int = 65_536) -> Handler:
    """A body of ``total`` bytes without Content-Length (close-delimited), as a proxy might send."""

    def handler(site: Site, hit: Hit, h: BaseHTTPRequestHandler) -> None:
        hit.status = 200
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        sent = 0
        try:
            while sent < total and not site.stopping.is_set():
                h.wfile.write(b"a" * min(chunk, total - sent))
                sent += chunk
        except OSError:
            pass

    return handler


def gzip_bomb(decompressed: int = 200_000_000) -> bytes:
    """A gzip stream of ``decompressed`` zero bytes (about 1/1000 of that on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1_000_000)
    parts = [compressor.compress(block) for _ in range(decompressed // len(block))]
    return b"".join([*parts, compressor.flush()])


# -- documents -------------------------------------------------------------------------------


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` of text (tests/docs.py writes it by hand)."""
    return make_pdf([lines])


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx  # python-docx, a dependency of the pipeline

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- the guide -------------------------------------------------------------------------------

_CHROME = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title} | {site_name}</title>
{head}
</head>
<body>
<div id="cookie-banner" class="cookie-consent">{cookie}<button>OK</button></div>
<header class="site-header"><a href="/{lang}" class="logo">{site_name}</a>
<ul class="language-switcher"><li><a href="{nl_href}" hreflang="nl">NL</a></li>
<li><a href="{fr_href}" hreflang="fr">FR</a></li></ul></header>
<nav class="main-menu"><ul>{menu}</ul></nav>
<nav class="breadcrumb"><a href="/{lang}">Home</a> &gt; {title}</nav>
<main id="main-content"><article><h1>{title}</h1>
{body}
</article></main>
<footer class="site-footer"><p>{footer}</p>
<a href="{external}">Federale Overheidsdienst</a> <a href="mailto:info@example.invalid">mail</a>
<a href="https://www.facebook.invalid/gids">Facebook</a></footer>
</body></html>
"""

_TEXT = {
    "nl": {
        "site_name": "Gids voor Duurzame Aankopen",
        "cookie": "Deze website gebruikt cookies. Door verder te surfen aanvaardt u dit.",
        "footer": "Een initiatief van de federale overheid. Privacyverklaring.",
        "menu": [
            ("/nl/producten", "Productgroepen"),
            ("/nl/labels", "Labels"),
            ("/nl/wetgeving", "Wetgeving"),
        ],
    },
    "fr": {
        "site_name": "Guide des achats durables",
        "cookie": "Ce site utilise des cookies. En poursuivant, vous les acceptez.",
        "footer": "Une initiative des autorités fédérales. Déclaration de confidentialité.",
        "menu": [("/fr/produits", "Groupes de produits"), ("/fr/labels", "Labels")],
    },
}


def guide_page(
    lang: str, title: str, body: str, *, nl: str = "", fr: str = "", head: str = "", external: str = ""
) -> str:
    """A page of the fixture guide with all its chrome; ``nl``/``fr`` are its twins' paths."""
    text = _TEXT[lang]
    menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in text["menu"])
    alternates = "".join(
        f'<link rel="alternate" hreflang="{code}" href="{path}">' for code, path in (("nl", nl), ("fr", fr)) if path
    )
    return _CHROME.format(
        lang=lang,
        title=title,
        body=body,
        head=head + alternates,
        menu=menu,
        nl_href=nl or "/nl",
        fr_href=fr or "/fr",
        external=external or "https://www.belgium.invalid/",
        **{k: v for k, v in text.items() if k != "menu"},
    )


CRITERIA_TABLE = """<h2>Criteria</h2>
<table class="criteria"><thead><tr><th>Criterium</th><th>Type</th><th>Verificatie</th></tr></thead>
<tbody><tr><td>Gerecycleerde vezels: minstens 70 %</td><td>Technische specificatie</td>
<td>EU Ecolabel of FSC Recycled</td></tr>
<tr><td>Chloorvrij gebleekt (TCF of ECF)</td><td>Technische specificatie</td><td>Technisch dossier</td></tr>
</tbody></table>"""


def build_guide(site: Site, external: str) -> dict[str, str]:
    """Fill ``site`` with the fixture guide; returns (and keeps in ``site.parts``) its paths by role.

    ``external`` is the URL of another server that must never be contacted.
    """
    paths = {
        "root": "/",
        "nl": "/nl",
        "fr": "/fr",
        "papier_nl": "/nl/producten/papier",
        "papier_fr": "/fr/produits/papier",
        "producten": "/nl/producten",
        "produits": "/fr/produits",
        "labels_fr": "/fr/labels",
        "schoonmaak": "/nl/producten/schoonmaak",
        "labels": "/nl/labels",
        "labels_sorted": "/nl/labels?sort=naam",
        "wetgeving": "/nl/wetgeving",
        "verlichting": "/nl/producten/verlichting",  # only in the sitemap
        "pdf": "/sites/default/files/omzendbrief-2014.pdf",
        "docx": "/sites/default/files/modelbestek.docx",
        "pdf_untyped": "/sites/default/files/bijlage.pdf",
        "missing": "/nl/producten/bestaat-niet",
        "old": "/nl/oud-adres",
        "moved": "/nl/nieuw-adres",
        "out_redirect": "/nl/naar-buiten",
        "search": "/nl/zoeken",
        "private": "/intern/rapport",
        "png": "/sites/default/files/logo.png",
        "zip": "/sites/default/files/criteria.zip",
        "image_no_ext": "/nl/afbeelding",
        "gzipped": "/nl/producten/textiel",
    }
    site.parts = paths
    p = paths
    site.file(
        "/robots.txt",
        (
            "User-agent: *\nDisallow: /nl/zoeken\nDisallow: /intern/\n\n"
            "User-agent: otherbot\nDisallow: /\n\n"
            f"Sitemap: {site.url('/sitemap.xml')}\n"
        ).encode(),
        "text/plain",
    )
    site.file(
        "/sitemap.xml",
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{site.url('/sitemap-nl.xml')}</loc></sitemap>"
            f"<sitemap><loc>{site.url('/sitemap-fr.xml.gz')}</loc></sitemap>"
            "</sitemapindex>"
        ).encode(),
        "application/xml",
    )
    site.file("/sitemap-nl.xml", _urlset(site, [p["nl"], p["papier_nl"], p["verlichting"]]), "application/xml")
    site.file("/sitemap-fr.xml.gz", gzip.compress(_urlset(site, [p["fr"]])), "application/x-gzip")

    site.page(
        p["root"],
        "<!DOCTYPE html><html lang='nl'><head><title>Gids</title></head><body>"
        "<p><a href='/nl'>Nederlands</a> | <a href='/fr'>Français</a></p></body></html>",
    )
    site.page(
        p["nl"],
        guide_page(
            "nl",
            "Welkom",
            "<p>De gids helpt overheidsaankopers duurzaam aan te kopen.</p>"
            f'<p><a href="{p["producten"]}">Alle productgroepen</a></p>'
            f'<p><a href="{p["search"]}?q=papier">Zoeken</a> <a href="{p["private"]}">Intern</a></p>'
            f'<p><a href="{p["old"]}">Oude link</a> <a href="{p["out_redirect"]}">Partner</a></p>'
            # The same server under another name, and a cloud metadata address: neither is configured.
            f'<p><a href="http://localhost:{site.host.split(":")[1]}/nl/verborgen">Intranet</a>'
            ' <a href="http://169.254.169.254/latest/meta-data/">Metadata</a></p>',
            nl=p["nl"],
            fr=p["fr"],
            external=external,
        ),
    )
    site.page(
        p["fr"],
        guide_page(
            "fr",
            "Bienvenue",
            "<p>Le guide aide les acheteurs publics à acheter durablement.</p>",
            nl=p["nl"],
            fr=p["fr"],
            external=external,
        ),
    )
    site.page(
        p["producten"],
        guide_page(
            "nl",
            "Productgroepen",
            f'<ul><li><a href="{p["papier_nl"]}#criteria">Papier</a></li>'
            f'<li><a href="{p["papier_nl"]}/">Papier (oude link)</a></li>'
            f'<li><a href="{p["schoonmaak"]}?utm_source=nieuwsbrief&amp;utm_medium=email">Schoonmaak</a></li>'
            f'<li><a href="{p["schoonmaak"]}?fbclid=abc123">Schoonmaak (Facebook)</a></li>'
            f'<li><a href="{p["missing"]}">Meubilair</a></li>'
            f'<li><a href="{p["gzipped"]}">Textiel</a></li>'
            f'<li><a href="{p["image_no_ext"]}">Affiche</a></li>'
            '<li><a href="javascript:void(0)">Print</a> <a href="ftp://ftp.example.invalid/x">FTP</a></li></ul>',
            external=external,
        ),
    )
    site.page(
        p["papier_nl"],
        guide_page(
            "nl",
            "Papier",
            '<p id="criteria">Kopieerpapier moet minstens 70 % gerecycleerde vezels bevatten.</p>'
            + CRITERIA_TABLE
            + f'<p>Zie de <a href="{p["pdf"]}">omzendbrief van 2014</a>, het '
            f'<a href="{p["docx"]}">modelbestek</a> en de <a href="{p["pdf_untyped"]}">bijlage</a>.</p>'
            f'<p><img src="{p["png"]}"><a href="{p["png"]}">Logo</a>'
            f' <a href="{p["zip"]}">Alle criteria (zip)</a></p>',
            nl=p["papier_nl"],
            fr=p["papier_fr"],
            external=external,
        ),
    )
    site.page(
        p["papier_fr"],
        guide_page(
            "fr",
            "Papier",
            "<p>Le papier de copie doit contenir au moins 70 % de fibres recyclées.</p>",
            nl=p["papier_nl"],
            fr=p["papier_fr"],
            external=external,
        ),
    )
    site.page(
        p["produits"],
        guide_page("fr", "Groupes de produits", f'<p><a href="{p["papier_fr"]}">Papier</a></p>'),
    )
    site.page(p["labels_fr"], guide_page("fr", "Labels", "<p>L'Ecolabel européen et le Cygne nordique.</p>"))
    site.page(
        p["schoonmaak"],
        guide_page("nl", "Schoonmaakproducten", "<p>Kies producten met het EU Ecolabel.</p>", external=external),
    )
    labels_body = (
        "<p>Het EU Ecolabel, de Blauwe Engel en het Nordic Swan label.</p>"
        f'<p><a href="{p["labels_sorted"]}">Sorteer op naam</a></p>'
    )
    labels_canonical = f'<link rel="canonical" href="{site.url(p["labels"])}">'
    site.page(p["labels"], guide_page("nl", "Labels", labels_body, head=labels_canonical, external=external))
    site.routes[p["labels_sorted"]] = Route(
        guide_page("nl", "Labels (op naam)", labels_body, head=labels_canonical, external=external).encode()
    )
    site.page(
        p["wetgeving"],
        guide_page(
            "nl",
            "Wetgeving",
            f'<p>De wet van 17 juni 2016 inzake overheidsopdrachten.</p><p><a href="{p["pdf"]}">Omzendbrief</a></p>',
            external=external,
        ),
    )
    site.page(
        p["verlichting"],
        guide_page("nl", "Verlichting", "<p>LED-verlichting met een lichtrendement van 120 lm/W.</p>"),
    )
    site.page(
        p["moved"],
        guide_page("nl", "Nieuw adres", "<p>Deze pagina is verhuisd en heeft nu een nieuw adres.</p>"),
    )
    site.handle(p["old"], redirect(p["moved"], 301))
    site.handle(p["out_redirect"], redirect(external + "partner", 302))
    site.file(
        p["pdf"],
        pdf_bytes(["Omzendbrief van 16 mei 2014", "Duurzame overheidsopdrachten: sociale criteria."]),
        "application/pdf",
    )
    site.file(p["docx"], docx_bytes(["Modelbestek schoonmaak", "Perceel 1: ecologische producten."]), _DOCX_TYPE)
    site.file(p["pdf_untyped"], pdf_bytes(["Bijlage bij de omzendbrief"]), "application/octet-stream")
    site.file(p["png"], b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
    site.file(p["zip"], b"PK\x03\x04" + bytes(64), "application/zip")
    site.file(p["image_no_ext"], b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
    textiel = guide_page("nl", "Textiel", "<p>Werkkledij uit biologisch katoen of gerecycleerd polyester.</p>")
    site.file(
        p["gzipped"],
        gzip.compress(textiel.encode()),
        "text/html; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )
    site.page(p["search"], "<html><body>zoekresultaten</body></html>")
    site.page(p["private"], "<html><body>intern</body></html>")
    return paths


_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _urlset(site: Site, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{site.url(path)}</loc></url>" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()
