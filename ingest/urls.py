"""URL policy of the crawler: normalisation, identity, scope and what kind of file a URL names.

Every URL the crawler meets goes through :func:`normalize` once, so that one page is fetched
and indexed once: fragment dropped, scheme and host lower-cased, default port removed, dot
segments resolved, percent-escapes upper-cased, tracking parameters (``utm_*``, ``fbclid``,
``gclid``...) removed and the remaining query sorted.

courlan's ``normalize_url`` was the starting point, but it keeps fragments, drops valueless
query parameters (``?print``), strips parameters such as ``source``, ``ref`` or ``keyword`` that
sites use for real content, and re-encodes ``~`` and ``+`` in paths (a server that redirects to
its own spelling then looks like a redirect loop). The rules below are courlan's minus those.

A normalised URL keeps its trailing slash, because that is the spelling the server answers
without a redirect; :func:`url_key` is the identity used for duplicates, in which ``/a`` and
``/a/`` are one page.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from posixpath import splitext
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

__all__ = [
    "DOCUMENT_EXTENSIONS",
    "NOT_TEXT_EXTENSIONS",
    "extension",
    "host_of",
    "in_prefixes",
    "is_document",
    "is_not_text",
    "is_private_host",
    "normalize",
    "normalize_host",
    "url_key",
]

# Query parameters that only say where a visitor came from; any site answers the same without them.
_TRACKING = re.compile(
    r"^(?:utm_|mtm_|pk_|matomo_|hsa_|oly_|vero_|_hs)"
    r"|^(?:fbclid|gclid|gclsrc|gbraid|wbraid|dclid|msclkid|yclid|igshid|twclid|ttclid|li_fat_id"
    r"|mc_cid|mc_eid|_ga|_gl|mkt_tok|xtor|phpsessid|jsessionid)$",
    re.IGNORECASE,
)
# RFC 3986 pchar plus "/" and "%": everything else (spaces, non-ASCII, quotes) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_DEFAULT_PORTS = {"http": 80, "https": 443}

DOCUMENT_EXTENSIONS = frozenset({".pdf", ".docx"})
# Decided before any request: these are never text the pipeline can read.
NOT_TEXT_EXTENSIONS = frozenset(
    {
        # images
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp", ".tif", ".tiff", ".avif",
        # archives and binaries
        ".zip", ".gz", ".tgz", ".tar", ".rar", ".7z", ".bz2", ".xz", ".exe", ".msi", ".dmg", ".iso",
        ".bin", ".apk", ".jar",
        # audio, video, fonts
        ".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".avi", ".mov", ".webm", ".mkv", ".flv",
        ".woff", ".woff2", ".ttf", ".otf", ".eot",
        # office formats the pipeline does not read, and web assets
        ".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
        ".css", ".js", ".json", ".csv", ".ics", ".vcf",
    }
)  # fmt: skip


def normalize(href: str, base: str = "") -> str | None:
    """The normalised absolute form of ``href`` (resolved against ``base``), or None if it is not http(s)."""
    # Browsers ignore tabs and newlines anywhere in a URL, and spaces around it (WHATWG URL standard).
    href = href.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not href:
        return None
    try:
        parts = urlsplit(urljoin(base, href) if base else href)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
            return None  # credentials in a link are never followed
        netloc = _netloc(scheme, parts.hostname, parts.port)
    except ValueError:  # a port that is not a number, a malformed IPv6 address...
        return None
    path = _fix_escapes(quote(_remove_dot_segments(parts.path) or "/", safe=_PATH_SAFE))
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def normalize_host(host: str) -> str:
    """``host[:port]`` lower-cased, IDNA-decoded spellings left alone, default ports kept out."""
    host = host.strip().lower().rstrip(".")
    for default in (":80", ":443"):
        if host.endswith(default):
            return host[: -len(default)]
    return host


def url_key(url: str) -> str:
    """Identity of a normalised URL for duplicate detection: ``/a/`` and ``/a`` are one page."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def host_of(url: str) -> str:
    """``host[:port]`` of a normalised URL, as :class:`ingest.crawl.Scope` spells it."""
    return urlsplit(url).netloc


def in_prefixes(url: str, prefixes: Iterable[str]) -> bool:
    """Whether the URL's path is one of ``prefixes`` or below it (``/nl`` covers ``/nl/x``, not ``/nlx``)."""
    path = urlsplit(url).path
    for prefix in prefixes:
        stem = prefix.rstrip("/")
        if not stem or path == stem or path.startswith(stem + "/"):
            return True
    return False


def extension(url: str) -> str:
    """Lower-case file extension of the URL's last path segment ("" if none)."""
    return splitext(urlsplit(url).path.rsplit("/", 1)[-1])[1].lower()


def is_document(url: str) -> bool:
    return extension(url) in DOCUMENT_EXTENSIONS


def is_not_text(url: str) -> bool:
    return extension(url) in NOT_TEXT_EXTENSIONS


def is_private_host(netloc: str) -> bool:
    """Whether ``host[:port]`` names this machine or a private, link-local or reserved network."""
    try:
        host = urlsplit("//" + netloc).hostname or ""
    except ValueError:
        return True  # unparseable: treat as unsafe
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: it is checked against the configured hosts instead
    return not address.is_global or address.is_multicast


def _netloc(scheme: str, hostname: str, port: int | None) -> str:
    host = hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal: urlsplit took its brackets off
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return host
    return f"{host}:{port}"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 for an absolute path: "/a/./b/../c" is "/a/c"."""
    if "." not in path:
        return path
    segments = path.split("/")
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # "/a/b/.." names the folder "/a/"
    return "/".join(kept)


def _clean_query(query: str) -> str:
    if not query:
        return ""
    # Pieces are kept as written ("?print" stays valueless, "+" stays "+"), only re-escaped where
    # they are not valid URL text; sorting makes ?a=1&b=2 and ?b=2&a=1 one URL.
    pieces = [p for p in query.split("&") if p and not _TRACKING.match(unquote(p.partition("=")[0]))]
    return _fix_escapes(quote("&".join(sorted(pieces)), safe=_QUERY_SAFE))


def _fix_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda m: m.group(0).upper(), text)
