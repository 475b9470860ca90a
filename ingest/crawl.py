"""The crawler: fetch the pages and documents of configured sites, politely and incrementally.

Why httpx + Protego rather than Scrapy. Scrapy has the policies the guide needs (robots.txt through
Protego, download delays, retries, size limits, redirects, sitemaps), but its incremental
re-crawl goes through HTTPCACHE, which pickles responses to disk (the design allows no pickle),
and its Twisted reactor cannot be started twice in one process, so the CLI, the tests and a
long-running app could each crawl only once per process. The sites to crawl are a few thousand
pages that must be fetched one at a time anyway (politeness), so a sequential loop over httpx
does the job in a few hundred lines that read top to bottom: Protego (Scrapy's own robots.txt
parser, RFC 9309) decides robots.txt, ``ingest/fetch.py`` holds timeouts, retries with backoff
and Retry-After, and the decompressed-size limit, ``ingest/urls.py`` normalises URLs and decides
scope (courlan was tried and left out, see there), ``ingest/links.py`` reads links, canonicals
and sitemaps, and ``ingest/throttle.py`` spaces requests per host. What that gains: crawls
restartable in one process, no pickle, conditional requests driven by the index's own crawl
state (ETag, Last-Modified, content hash) instead of a second cache, every decision reported as
data, and about 700 pages/s on 127.0.0.1 (bench/bench_crawl.py).

Rules the crawl follows (the report says which rule left each URL out):

- Scope: start URLs, then the sites' sitemaps (``/sitemap.xml`` and robots.txt ``Sitemap:``
  lines, sitemap indexes and .xml.gz included), then ``<a href>`` links, hreflang twins and
  rel=next/prev. A URL is in scope when its host is a configured scope's host and its path is
  under one of that scope's prefixes. PDF and DOCX files are in scope anywhere on a configured
  host (sites keep files under ``/sites/default/files/`` whatever the page's section).
  ``include`` patterns select pages only (a document linked from an included page is wanted);
  ``exclude`` patterns apply to everything. Other hosts are never contacted: they are skipped as
  ``out-of-scope``, private and loopback addresses included, unless they are a configured host.
- Duplicates: URLs are normalised (``ingest.urls``) so tracking parameters and ``/a`` versus
  ``/a/`` never cost a second request. ``duplicate`` is reported for a URL whose
  ``<link rel=canonical>`` or redirect names a page already fetched, or whose body is identical
  to one already fetched. A canonical in scope replaces the page's URL in ``Fetched.url``.
- robots.txt: see ``ingest.robots``. A host whose robots.txt cannot be fetched (5xx, 429 after
  retries, timeout) has its robots.txt URL listed in ``failed`` and every URL of it skipped with
  reason ``robots``: nothing of it is requested.
- Limits: ``max_pages`` counts URLs requested per site (redirect hops and retries of one URL
  count once; robots.txt and sitemaps are not counted); ``max_depth`` counts links from a start
  URL (sitemap URLs are depth 1, URLs from ``state`` depth 0). URLs left out by either are
  skipped with reason ``limit``; the first also sets ``stopped``. Pages with
  ``<meta name=robots content=nofollow>`` are fetched but their links are not followed; pages with
  ``noindex`` are followed but not indexed (skipped with reason ``robots``; one the index holds is gone).
- Incremental: URLs of ``state`` are requested with If-None-Match / If-Modified-Since. A 304, or
  a 200 whose body hashes to the remembered ``content_hash``, lands in ``not_modified``. A state
  URL that answers 404/410, redirects or declares a canonical elsewhere, or is now out of
  scope, excluded, disallowed, not text or too large is in ``gone``. One that failed (timeout,
  5xx) or was cut by a limit is in ``failed``/``skipped``: keep its previous copy. State URLs
  that no crawled page links to any more are visited last, so deleted pages are noticed.
  Pages not in ``state`` are only found again through links of changed pages, the start URLs
  and sitemaps: pass last run's failures in ``state`` (with empty validators) to retry them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

from bot.errors import IngestError
from ingest import robots as robots_txt
from ingest.fetch import Answer, Fetcher, Policy, inflate
from ingest.links import page_links, parse_sitemap
from ingest.throttle import Throttle
from ingest.urls import host_of, in_prefixes, is_document, is_not_text, normalize, normalize_host, url_key

__all__ = ["CrawlConfig", "CrawlResult", "Fetched", "PageState", "Scope", "check_config", "crawl"]

log = logging.getLogger("gidsbot.crawl")

HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
MAX_REDIRECTS = 10
MAX_SITEMAPS = 100  # sitemap files read per site, sitemap indexes included
SITEMAP_DEPTH = 1


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
    max_pages: int = 5000
    max_depth: int = 10
    delay: float = 1.0  # seconds between requests to one host; robots Crawl-delay wins if longer
    timeout: float = 20.0
    retries: int = 3
    max_bytes: int = 20_000_000
    user_agent: str = "gidsbot/0.1 (+https://github.com/gidsbot)"

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
    # new validators of not_modified pages that answered 200 with the same body (url -> (etag, last_modified)),
    # so the next run's conditional request can be answered 304
    revalidated: dict[str, tuple[str, str]] = field(default_factory=dict)


Progress = Callable[[int, int, int], None]
SKIPPED_SAMPLE = 200  # skipped URLs listed per reason in the report; the rest are counted
_NO_STATE: Mapping[str, PageState] = MappingProxyType({})


def crawl(
    configs: Sequence[CrawlConfig],
    state: Mapping[str, PageState] = _NO_STATE,
    progress: Progress | None = None,
) -> CrawlResult:
    """Crawl the configured sites; every URL's fate is in the result, nothing is raised for one.

    Raises IngestError only for a configuration that cannot work (no start URL, a bad regex...).
    """
    sites = [_Site.of(config) for config in configs]
    run = _Crawl(sites, state, progress)
    try:
        run.run()
    finally:
        run.close()
    return run.result


@dataclass
class _Site:
    config: CrawlConfig
    policy: Policy
    include: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]
    requested: int = 0  # URLs requested, against max_pages
    queued: int = 0  # URLs waiting in the frontier
    limited: int = 0  # links left out because max_pages was reached (a link met twice counts twice)

    @classmethod
    def of(cls, config: CrawlConfig) -> _Site:
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


@dataclass
class _Entry:
    url: str  # what is requested
    key: str  # url_key() of the URL as discovered
    site: _Site
    depth: int


class _Crawl:
    """One run: the frontier, what has been seen, and the report being written."""

    def __init__(self, sites: list[_Site], state: Mapping[str, PageState], progress: Progress | None) -> None:
        self.sites = sites
        self.progress = progress
        self.result = CrawlResult()
        self.state = {url_key(n): s for s in state.values() if (n := normalize(s.url))}
        self.throttle = Throttle()
        hosts = {scope.host for site in sites for scope in site.config.scopes}
        for host in hosts:
            delays = [s.config.delay for s in sites if any(sc.host == host for sc in s.config.scopes)]
            self.throttle.set_delay(host, max(delays))
        self.fetcher = Fetcher(self.throttle, hosts)
        self.robots: dict[str, robots_txt.Robots] = {}
        self.queues: dict[str, deque[_Entry]] = {}
        self.known: set[str] = set()  # keys queued or settled: each page is considered once
        self.done: set[str] = set()  # keys requested (or fetched under another URL)
        self.reported: set[str] = set()  # URLs already in skipped or gone
        self.hashes: dict[str, str] = {}  # sha256 of a body -> the URL it was fetched as
        self.visited = 0

    # -- the loop -----------------------------------------------------------------------------

    def run(self) -> None:
        for site in self.sites:
            for url in site.config.start_urls:
                self.admit(url, "", 0)
            self.read_sitemaps(site)
        orphans_queued = False
        while True:
            entry = self.next_entry()
            if entry is None:
                if orphans_queued:
                    break
                self.queue_orphans()
                orphans_queued = True
                continue
            self.visit(entry)
            self.report_progress()
        self.result.stopped = "; ".join(
            f"max-pages {s.config.max_pages} reached for {s.config.name}"
            f" ({s.limited:,} URL{'' if s.limited == 1 else 's'} not fetched)"
            for s in self.sites
            if s.limited
        )
        self.result.requests = self.fetcher.requests

    def close(self) -> None:
        self.fetcher.close()

    def next_entry(self) -> _Entry | None:
        """The head of the queue of the host that may be sent a request soonest."""
        waiting = [host for host, queue in self.queues.items() if queue]
        if not waiting:
            return None
        host = min(waiting, key=self.throttle.ready_at)
        entry = self.queues[host].popleft()
        entry.site.queued -= 1
        return entry

    def queue_orphans(self) -> None:
        """State URLs no page linked to this time: visit them so deleted pages are noticed."""
        for key, page in self.state.items():
            if key not in self.known:
                self.admit(page.url, "", 0)

    def report_progress(self) -> None:
        if self.progress is not None:
            queued = sum(len(q) for q in self.queues.values())
            self.progress(self.visited, self.visited + queued, len(self.result.failed))

    # -- admission: is a URL worth a request? --------------------------------------------------

    def admit(self, href: str, base: str, depth: int) -> None:
        url = normalize(href, base)
        if url is None:
            return
        key = url_key(url)
        if key in self.known:
            return
        site = self.site_of(url)
        reason = self.refusal(url, site) or self.over_limit(site, depth)
        if reason is not None or site is None:
            self.leave_out(url, key, reason or "out-of-scope")
            return
        self.known.add(key)
        remembered = self.state.get(key)
        request = remembered.url if remembered else url  # the spelling the server answered last time
        self.queues.setdefault(host_of(request), deque()).append(_Entry(request, key, site, depth))
        site.queued += 1

    def site_of(self, url: str) -> _Site | None:
        return next((site for site in self.sites if site.owns(url)), None)

    def refusal(self, url: str, site: _Site | None) -> str | None:
        """Why ``url`` may not be requested (a skipped reason), or None."""
        if site is None or not site.wants(url):
            return "out-of-scope"
        if is_not_text(url):
            return "not-text"
        if not self.robots_for(url, site).allowed(url):
            return "robots"
        return None

    @staticmethod
    def over_limit(site: _Site | None, depth: int) -> str | None:
        if site is None:
            return None
        if depth > site.config.max_depth:
            return "limit"
        if site.full:
            site.limited += 1
            return "limit"
        return None

    def leave_out(self, url: str, key: str, reason: str) -> None:
        """Record that ``url`` is not fetched; a URL the index holds is then gone (but not for a limit).

        Memory stays flat in the number of links seen: a URL left out is counted per reason and kept
        only in a sample of SKIPPED_SAMPLE per reason, never remembered one by one (met again, it is
        simply left out again)."""
        remembered = self.state.get(key)
        if remembered is not None and reason != "limit":
            self.known.add(key)
            self.gone(remembered.url)
            return
        counts = self.result.skipped_counts
        counts[reason] = counts.get(reason, 0) + 1
        if counts[reason] <= SKIPPED_SAMPLE and url not in self.reported:
            self.reported.add(url)
            self.result.skipped.append({"url": url, "reason": reason})
            log.debug("skipped %s: %s", url, reason)

    def gone(self, url: str) -> None:
        if url not in self.reported:
            self.reported.add(url)
            self.result.gone.append(url)
            log.info("gone: %s", url)

    def fail(self, url: str, error: str) -> None:
        self.result.failed.append({"url": url, "error": error})
        log.warning("failed: %s: %s", url, error)

    # -- robots.txt and sitemaps ---------------------------------------------------------------

    def robots_for(self, url: str, site: _Site) -> robots_txt.Robots:
        where = robots_txt.robots_url(url)
        if where not in self.robots:
            self.robots[where] = self.load_robots(where, site)
        return self.robots[where]

    def load_robots(self, where: str, site: _Site) -> robots_txt.Robots:
        agent = robots_txt.agent_token(site.config.user_agent)
        answer = self.get_resource(where, site, truncate_at=robots_txt.MAX_ROBOTS_BYTES)
        rules = robots_txt.from_answer(agent, answer.status, answer.body, answer.error)
        if rules.unreachable:
            self.fail(where, f"robots.txt unreachable ({rules.unreachable}): nothing of this host is crawled")
        host = host_of(where)
        delay = max(self.throttle.delay(host), rules.crawl_delay)
        self.throttle.set_delay(host, delay)
        self.throttle.hold(host, delay)  # the robots.txt request was booked before its delay was known
        return rules

    def get_resource(self, url: str, site: _Site, truncate_at: int | None = None) -> Answer:
        """GET robots.txt or a sitemap, following up to 5 redirects within the configured hosts."""
        policy = site.policy
        if truncate_at is not None:
            policy = Policy(policy.user_agent, policy.timeout, policy.retries, truncate_at, policy.backoff)
        seen = {url}
        answer = self.fetcher.get(url, policy, truncate=truncate_at is not None)
        for _ in range(5):
            target = normalize(answer.location, answer.url) if answer.location else None
            if target is None or target in seen or host_of(target) not in self.fetcher.allowed_hosts:
                break
            seen.add(target)
            answer = self.fetcher.get(target, policy, truncate=truncate_at is not None)
        return answer

    def read_sitemaps(self, site: _Site) -> None:
        """Admit the pages of the sitemaps of the site's start hosts (robots.txt's and /sitemap.xml)."""
        todo: deque[tuple[str, bool]] = deque()
        for start in site.config.start_urls:
            origin = normalize("/", normalize(start) or "")
            if origin is None or (rules := self.robots_for(origin, site)).unreachable:
                continue
            todo.extend((url, True) for url in rules.sitemaps)
            todo.append((origin + "sitemap.xml", False))  # the usual place, when robots.txt names none
        seen: set[str] = set()
        while todo and len(seen) < MAX_SITEMAPS:
            href, listed = todo.popleft()
            url = normalize(href)
            if url is None or url in seen or host_of(url) not in self.fetcher.allowed_hosts:
                continue
            seen.add(url)
            if not listed and not self.robots_for(url, site).allowed(url):
                continue
            todo.extend((loc, True) for loc in self.read_sitemap(url, site, listed))

    def read_sitemap(self, url: str, site: _Site, listed: bool) -> list[str]:
        """Admit a urlset's pages; return an index's sitemaps."""
        answer = self.get_resource(url, site)
        if answer.status != 200 or answer.error or answer.refused:
            if listed:  # a sitemap the site names is expected to exist; /sitemap.xml is only a guess
                self.fail(url, f"sitemap: {answer.error or answer.refused or f'HTTP {answer.status}'}")
            return []
        sitemap = parse_sitemap(inflate(answer.body, site.config.max_bytes))
        log.info("sitemap %s: %d %s", url, len(sitemap.locs), "sitemaps" if sitemap.is_index else "URLs")
        if sitemap.is_index:
            return sitemap.locs
        for loc in sitemap.locs:
            self.admit(loc, "", SITEMAP_DEPTH)
        return []

    # -- visiting a page -----------------------------------------------------------------------

    def visit(self, entry: _Entry) -> None:
        if entry.key in self.done:
            return  # already fetched as the target of a redirect or a canonical
        if entry.site.full:
            entry.site.limited += 1
            self.leave_out(entry.url, entry.key, "limit")
            return
        entry.site.requested += 1
        self.visited += 1
        self.done.add(entry.key)
        try:
            followed = self.follow(entry)
            if followed is not None:
                self.settle(entry, *followed)
        except Exception as exc:  # one page's surprise must cost that page, not the crawl
            log.exception("unexpected error on %s", entry.url)
            self.fail(entry.url, f"{type(exc).__name__}: {exc}")

    def follow(self, entry: _Entry) -> tuple[Answer, str] | None:
        """Request ``entry``, following redirects with every hop checked; None if it went nowhere."""
        chain = [entry.url]
        while True:
            url = chain[-1]
            answer = self.fetcher.get(url, entry.site.policy, self.conditional(url), _page_media)
            if not answer.location:
                return answer, url
            target = normalize(answer.location, url)
            problem = self.bad_hop(entry, chain, target)
            if problem is not None:
                if problem in ("out-of-scope", "robots", "not-text", "duplicate"):
                    self.leave_out(entry.url, entry.key, problem)
                else:
                    self.fail(entry.url, problem)
                return None
            assert target is not None
            self.done.add(url_key(target))
            chain.append(target)

    def bad_hop(self, entry: _Entry, chain: list[str], target: str | None) -> str | None:
        if target is None:
            return f"redirect to an unusable URL ({chain[-1]})"
        if target in chain:
            return "redirect loop: " + " -> ".join([*chain[chain.index(target) :], target])
        if len(chain) > MAX_REDIRECTS:
            return f"too many redirects (more than {MAX_REDIRECTS})"
        key = url_key(target)
        if key != entry.key and key in self.done:
            return "duplicate"
        return self.refusal(target, self.site_of(target))

    def conditional(self, url: str) -> dict[str, str]:
        remembered = self.state.get(url_key(url))
        headers = {}
        if remembered and remembered.etag:
            headers["If-None-Match"] = remembered.etag
        if remembered and remembered.last_modified:
            headers["If-Modified-Since"] = remembered.last_modified
        return headers

    def settle(self, entry: _Entry, answer: Answer, url: str) -> None:
        """Put the final answer for ``entry`` (fetched as ``url``) into the report."""
        key = url_key(url)
        self.moved(entry, key)
        remembered = self.state.get(key)
        if answer.error:
            self.fail(entry.url, answer.error)
        elif answer.refused:
            self.leave_out(url, key, answer.refused)
        elif answer.status == 304 and remembered is not None:
            self.unchanged(remembered)
        elif answer.status in (404, 410) and remembered is not None:
            self.gone(remembered.url)
        elif answer.status == 200 and not answer.body:
            self.fail(entry.url, "HTTP 200 with an empty body")
        elif 200 <= answer.status < 300 and answer.body:
            self.take(entry, answer, url)
        else:
            self.fail(entry.url, f"HTTP {answer.status}")

    def moved(self, entry: _Entry, key: str) -> None:
        """A page of the index now answers under another URL (redirect, canonical): the old one goes."""
        if key != entry.key and entry.key in self.state:
            self.gone(self.state[entry.key].url)

    def unchanged(self, remembered: PageState) -> None:
        self.result.not_modified.append(remembered.url)
        if remembered.content_hash:
            self.hashes.setdefault(remembered.content_hash, remembered.url)

    def take(self, entry: _Entry, answer: Answer, url: str) -> None:
        """A 200: follow its links, honour its canonical, and report it unless it is a duplicate."""
        media = _sniff(_page_media(answer.headers.get("content-type", ""), url), answer.body, url)
        if not media:
            self.leave_out(url, url_key(url), "not-text")
            return
        duplicate = False
        if media == HTML:
            links = page_links(answer.body, url)
            if not links.nofollow:
                for href in links.links:
                    self.admit(href, "", entry.depth + 1)
            url, duplicate = self.canonical(entry, url, links.canonical)
            if links.noindex:
                self.leave_out(url, url_key(url), "robots")
                return
        key = url_key(url)
        self.moved(entry, key)
        digest = hashlib.sha256(answer.body).hexdigest()
        remembered = self.state.get(key)
        if remembered is not None and remembered.content_hash == digest:
            self.done.add(key)
            self.unchanged(remembered)
            validators = (answer.headers.get("etag", ""), answer.headers.get("last-modified", ""))
            if validators != (remembered.etag, remembered.last_modified):
                self.result.revalidated[remembered.url] = validators
        elif duplicate or self.hashes.setdefault(digest, url) != url:
            self.leave_out(entry.url, entry.key, "duplicate")
        else:
            self.done.add(key)
            self.result.fetched.append(_fetched(url, answer, media))

    def canonical(self, entry: _Entry, url: str, href: str) -> tuple[str, bool]:
        """The URL to report the page under (its canonical if we would crawl that one), and
        whether that canonical page was already fetched."""
        canonical = normalize(href, url) if href else None
        if canonical is None or url_key(canonical) == url_key(url):
            return url, False
        if self.refusal(canonical, self.site_of(canonical)) is not None:
            return url, False
        key = url_key(canonical)
        self.known.add(key)
        return canonical, key != entry.key and key in self.done


def _fetched(url: str, answer: Answer, media: str) -> Fetched:
    return Fetched(
        url=url,
        content=answer.body,
        content_type=media,
        etag=answer.headers.get("etag", ""),
        last_modified=answer.headers.get("last-modified", ""),
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    )


_UNTYPED = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/download",
        "application/force-download",
    }
)
_MEDIA = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    DOCX: DOCX,
    "text/plain": TEXT,
}


def _page_media(content_type: str, url: str) -> str:
    """The media type to report for a Content-Type, "?" to decide from the body, "" for not text."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _MEDIA:
        return _MEDIA[media]
    return "?" if media in _UNTYPED else ""


def _sniff(media: str, body: bytes, url: str) -> str:
    """Settle an untyped body ("?") by its first bytes: servers often send PDFs as octet-stream."""
    if media != "?":
        return media
    head = body[:1024]
    if b"%PDF-" in head:
        return PDF
    if head.startswith(b"PK\x03\x04") and url.lower().endswith(".docx"):
        return DOCX
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return HTML
    return ""
