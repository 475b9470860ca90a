"""What a crawl is asked to do and what it found: the configured sites and their scope, the state
a previous run remembered of a URL, and the result (see :mod:`ingest.crawl` for the rules)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gidsbot.errors import IngestError
from gidsbot.settings import Settings

__all__ = ["CrawlConfig", "CrawlResult", "Fetched", "PageState", "Scope", "Site", "check_config"]
from ingest.fetch import Policy
from ingest.urls import host_of, in_prefixes, is_document, normalize, normalize_host


@dataclass(frozen=True)
class Scope:
    host: str  # e.g. "www.gidsvoorduurzameaankopen.be", with the port if not the default one
    prefixes: tuple[str, ...] = ("/",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "host", normalize_host(self.host))
        object.__setattr__(self, "prefixes", tuple("/" + p.lstrip("/") for p in self.prefixes) or ("/",))


@dataclass(frozen=True)
class CrawlConfig:
    name: str
    start_urls: tuple[str, ...]
    scopes: tuple[Scope, ...] = ()  # empty: each start URL's host with prefix "/"
    include: tuple[str, ...] = ()  # regexes searched in the normalised URL; empty = all in scope
    exclude: tuple[str, ...] = ()
    # the defaults are the settings' (gidsbot.settings): one declaration
    max_pages: int = Settings.max_pages
    max_depth: int = Settings.max_depth
    delay: float = Settings.crawl_delay  # seconds between requests to one host; robots Crawl-delay wins if longer
    timeout: float = Settings.timeout
    retries: int = Settings.retries
    max_bytes: int = Settings.max_bytes
    user_agent: str = Settings.user_agent

    def __post_init__(self) -> None:
        # Lists from TOML or JSON are accepted; the dataclass stays hashable.
        for name in ("start_urls", "scopes", "include", "exclude"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not self.scopes:
            hosts = dict.fromkeys(host_of(u) for u in map(normalize, self.start_urls) if u)
            object.__setattr__(self, "scopes", tuple(Scope(h) for h in hosts))


@dataclass(frozen=True)
class PageState:
    """What the previous run remembered of a URL."""

    url: str
    etag: str = ""
    last_modified: str = ""
    content_hash: str = ""  # sha256 hex of the body


@dataclass(frozen=True)
class Fetched:
    url: str  # normalised URL after redirects, or the page's canonical URL
    content: bytes  # decompressed, at most max_bytes
    content_type: str  # text/html, application/pdf, the DOCX media type or text/plain
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""  # ISO 8601 UTC


@dataclass
class CrawlResult:
    fetched: list[Fetched] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)  # {"url", "error"}
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"url", "reason"}: a sample per reason
    skipped_counts: dict[str, int] = field(default_factory=dict)  # reason -> links left out for it
    stopped: str = ""
    requests: int = 0
    retries: int = 0  # of those requests, how many were a retry
    # new validators of not_modified pages that answered 200 with the same body (url -> (etag, last_modified)),
    # so the next run's conditional request can be answered 304
    revalidated: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Site:
    config: CrawlConfig
    policy: Policy
    include: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]
    requested: int = 0  # URLs requested, against max_pages
    queued: int = 0  # URLs waiting in the frontier
    limited: int = 0  # links left out because max_pages was reached (a link met twice counts twice)

    @classmethod
    def of(cls, config: CrawlConfig) -> Site:
        check_config(config)
        policy = Policy(
            user_agent=config.user_agent,
            timeout=config.timeout,
            retries=config.retries,
            max_bytes=config.max_bytes,
            backoff=max(config.delay, 0.1),  # retries wait 1, 2, 4... times this (or Retry-After)
        )
        return cls(config, policy, _patterns(config, config.include), _patterns(config, config.exclude))

    def owns(self, url: str) -> bool:
        host = host_of(url)
        for scope in self.config.scopes:
            if scope.host == host and (in_prefixes(url, scope.prefixes) or is_document(url)):
                return True
        return False

    def wants(self, url: str) -> bool:
        if any(p.search(url) for p in self.exclude):
            return False
        return not self.include or is_document(url) or any(p.search(url) for p in self.include)

    @property
    def full(self) -> bool:
        """No room for another URL: those requested and those waiting already make max_pages. The
        frontier so stays within max_pages, however many links the pages hold (a link bomb)."""
        return self.requested + self.queued >= self.config.max_pages


def check_config(config: CrawlConfig) -> None:
    """Raise IngestError if ``config`` cannot work (no start URL, a bad regex, a nonsensical limit)."""
    name = config.name or "a site"
    if not config.start_urls:
        raise IngestError(f"{name}: no start URL to crawl from.")
    for url in config.start_urls:
        if normalize(url) is None:
            raise IngestError(f"{name}: start URL {url!r} is not an http(s) URL.")
    if not config.scopes or any(not s.host for s in config.scopes):
        raise IngestError(f"{name}: every scope needs a host.")
    if config.max_pages < 1 or config.max_depth < 0 or config.retries < 0:
        raise IngestError(f"{name}: max_pages must be at least 1, max_depth and retries at least 0.")
    if config.timeout <= 0 or config.delay < 0 or config.max_bytes < 1:
        raise IngestError(f"{name}: timeout and max_bytes must be positive, delay not negative.")
    _patterns(config, config.include)
    _patterns(config, config.exclude)


def _patterns(config: CrawlConfig, patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise IngestError(f"{config.name}: pattern {exc.pattern!r} is not a valid regex ({exc}).") from None
