"""The crawler: fetch the pages and documents of configured sites, politely and incrementally.

Why a sequential loop over httpx and Protego rather than Scrapy: the README says (no pickled
HTTP cache, restartable in one process). The parts: ``ingest.sites`` (what to crawl and the
result), ``ingest.fetch`` (timeouts, retries, size limits), ``ingest.urls`` (normalising, scope),
``ingest.links`` (links, canonicals, sitemaps), ``ingest.robots``, ``ingest.throttle`` (spacing
per host) and ``ingest.media`` (what a body is).

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
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ingest import robots as robots_txt
from ingest.fetch import Fetcher, Policy, Received, inflate
from ingest.links import page_links, parse_sitemap
from ingest.media import HTML, fetched_page, page_media, sniff
from ingest.sites import CrawlConfig, CrawlResult, Fetched, PageState, Scope, Site, check_config
from ingest.throttle import Throttle
from ingest.urls import host_of, is_not_text, normalize, url_key

__all__ = ["CrawlConfig", "CrawlResult", "Fetched", "PageState", "Scope", "check_config", "crawl"]

log = logging.getLogger("gidsbot.crawl")


MAX_REDIRECTS = 10
MAX_SITEMAPS = 100  # sitemap files read per site, sitemap indexes included
SITEMAP_DEPTH = 1


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
    sites = [Site.of(config) for config in configs]
    run = _Crawl(sites, state, progress)
    try:
        run.run()
    finally:
        run.close()
    return run.result


@dataclass
class _Entry:
    url: str  # what is requested
    key: str  # url_key() of the URL as discovered
    site: Site
    depth: int


class _Crawl:
    """One run: the frontier, what has been seen, and the report being written."""

    def __init__(self, sites: list[Site], state: Mapping[str, PageState], progress: Progress | None) -> None:
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
        self.result.retries = self.fetcher.retries

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

    def site_of(self, url: str) -> Site | None:
        return next((site for site in self.sites if site.owns(url)), None)

    def refusal(self, url: str, site: Site | None) -> str | None:
        """Why ``url`` may not be requested (a skipped reason), or None."""
        if site is None or not site.wants(url):
            return "out-of-scope"
        if is_not_text(url):
            return "not-text"
        if not self.robots_for(url, site).allowed(url):
            return "robots"
        return None

    @staticmethod
    def over_limit(site: Site | None, depth: int) -> str | None:
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

    def robots_for(self, url: str, site: Site) -> robots_txt.Robots:
        where = robots_txt.robots_url(url)
        if where not in self.robots:
            self.robots[where] = self.load_robots(where, site)
        return self.robots[where]

    def load_robots(self, where: str, site: Site) -> robots_txt.Robots:
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

    def get_resource(self, url: str, site: Site, truncate_at: int | None = None) -> Received:
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

    def read_sitemaps(self, site: Site) -> None:
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

    def read_sitemap(self, url: str, site: Site, listed: bool) -> list[str]:
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

    def follow(self, entry: _Entry) -> tuple[Received, str] | None:
        """Request ``entry``, following redirects with every hop checked; None if it went nowhere."""
        chain = [entry.url]
        while True:
            url = chain[-1]
            answer = self.fetcher.get(url, entry.site.policy, self.conditional(url), page_media)
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

    def settle(self, entry: _Entry, answer: Received, url: str) -> None:
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

    def take(self, entry: _Entry, answer: Received, url: str) -> None:
        """A 200: follow its links, honour its canonical, and report it unless it is a duplicate."""
        media = sniff(page_media(answer.headers.get("content-type", ""), url), answer.body, url)
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
            self.result.fetched.append(fetched_page(url, answer, media))

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
