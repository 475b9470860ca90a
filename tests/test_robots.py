"""robots.txt as RFC 9309 says: the rules (Protego), what each answer means, and a real server's view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ingest.crawl import CrawlConfig, crawl
from ingest.robots import MAX_CRAWL_DELAY, MAX_ROBOTS_BYTES, agent_token, from_answer, robots_url
from tests.crawlsite import Response, Site, flaky, redirect

UA = "gidsbot/0.1 (+https://github.com/gidsbot)"

RULES = b"""# comments and odd spacing are fine
User-agent: *
Disallow: /intern/
Crawl-delay: 5

User-agent: GidsBot
Disallow: /nl/zoeken
Allow: /nl/zoeken/hulp$
Crawl-delay: 0.5

User-agent: github
Disallow: /

Sitemap: https://www.gidsvoorduurzameaankopen.be/sitemap.xml
"""


def test_most_specific_group_applies_to_our_product_token() -> None:
    rules = from_answer(agent_token(UA), 200, RULES)
    assert not rules.allowed("https://x.be/nl/zoeken?q=papier")
    assert rules.allowed("https://x.be/nl/zoeken/hulp")  # longest match wins: Allow
    assert rules.allowed("https://x.be/intern/rapport")  # the * group is not ours once a group names us
    assert rules.allowed("https://x.be/nl/producten")  # a group for "github" must not match our contact URL
    assert rules.crawl_delay == 0.5
    assert rules.sitemaps == ("https://www.gidsvoorduurzameaankopen.be/sitemap.xml",)


def test_wildcard_group_when_no_group_names_us() -> None:
    rules = from_answer("otherbot", 200, RULES)
    assert not rules.allowed("https://x.be/intern/a")
    assert rules.crawl_delay == 5


@pytest.mark.parametrize("status", [401, 403, 404, 410, 300])
def test_unavailable_robots_txt_allows_everything(status: int) -> None:
    rules = from_answer("gidsbot", status)
    assert rules.allowed("https://x.be/anything") and not rules.unreachable


@pytest.mark.parametrize(("status", "error"), [(500, ""), (503, ""), (429, ""), (0, "timeout (20 s)")])
def test_unreachable_robots_txt_allows_nothing(status: int, error: str) -> None:
    rules = from_answer("gidsbot", status, error=error)
    assert not rules.allowed("https://x.be/")
    assert rules.unreachable == (error or f"robots.txt answered HTTP {status}")


def test_robots_txt_itself_is_always_allowed_and_bom_is_ignored() -> None:
    rules = from_answer("gidsbot", 200, b"\xef\xbb\xbfUser-agent: *\nDisallow: /\n")
    assert not rules.allowed("https://x.be/nl")
    assert rules.allowed("https://x.be/robots.txt")


def test_only_the_first_500_kib_are_parsed() -> None:
    padding = b"# " + b"x" * MAX_ROBOTS_BYTES + b"\n"
    rules = from_answer("gidsbot", 200, padding + b"User-agent: *\nDisallow: /\n")
    assert rules.allowed("https://x.be/nl")


def test_crawl_delay_is_capped() -> None:
    rules = from_answer("gidsbot", 200, b"User-agent: *\nCrawl-delay: 86400\n")
    assert rules.crawl_delay == MAX_CRAWL_DELAY


def test_helpers() -> None:
    assert robots_url("https://www.x.be:8443/nl/a?b=1") == "https://www.x.be:8443/robots.txt"
    assert agent_token(UA) == "gidsbot"
    assert agent_token("Mozilla/5.0 (compatible)") == "mozilla"


# -- against a real server ---------------------------------------------------------------------


@pytest.fixture
def site(waits: list[float]) -> Iterator[Site]:
    with Site() as site:
        site.page("/", '<html><body><a href="/a">a</a> <a href="/intern/b">b</a></body></html>')
        site.page("/a", "<html><body>a</body></html>")
        site.page("/intern/b", "<html><body>b</body></html>")
        yield site


def config(site: Site, **kw: object) -> CrawlConfig:
    return CrawlConfig("robots", (site.url("/"),), delay=0, timeout=1, retries=2, **kw)  # type: ignore[arg-type]


def test_disallowed_paths_are_never_requested(site: Site) -> None:
    site.file("/robots.txt", b"User-agent: *\nDisallow: /intern/\n", "text/plain")
    result = crawl([config(site)])
    assert "/intern/b" not in site.paths()
    assert result.skipped == [{"url": site.url("/intern/b"), "reason": "robots"}]
    assert {f.url for f in result.fetched} == {site.url("/"), site.url("/a")}


def test_robots_txt_404_allows_everything(site: Site) -> None:
    result = crawl([config(site)])
    assert len(result.fetched) == 3 and result.failed == [] and site.count("/robots.txt") == 1


def test_robots_txt_503_means_nothing_of_the_host_is_crawled(site: Site) -> None:
    site.handle("/robots.txt", flaky(99, 503))
    result = crawl([config(site)])
    assert set(site.paths()) == {"/robots.txt"}  # retried, then nothing else: not even the sitemap
    assert site.count("/robots.txt") == 3
    assert result.fetched == []
    assert result.skipped == [{"url": site.url("/"), "reason": "robots"}]
    assert result.failed[0]["url"] == site.url("/robots.txt")
    assert "HTTP 503 after 2 retries" in result.failed[0]["error"]


def test_robots_txt_that_recovers_on_retry_is_obeyed(site: Site) -> None:
    rules = Response(200, b"User-agent: *\nDisallow: /a\n", {"Content-Type": "text/plain"})
    site.handle("/robots.txt", flaky(1, 503, then=rules))
    result = crawl([config(site)])
    assert "/a" not in site.paths() and "/intern/b" in site.paths()
    assert {s["url"] for s in result.skipped} == {site.url("/a")}


def test_crawl_delay_spaces_requests(site: Site, waits: list[float]) -> None:
    site.file("/robots.txt", b"User-agent: *\nCrawl-delay: 2\n", "text/plain")
    crawl([config(site)])
    pages = [p for p in site.paths() if p != "/robots.txt"]
    assert len([w for w in waits if 1.9 < w <= 2.0]) == len(pages)  # each request after robots.txt waited


def test_redirected_robots_txt_is_followed_on_the_same_host(site: Site) -> None:
    site.handle("/robots.txt", redirect("/robots-real.txt", 301))
    site.file("/robots-real.txt", b"User-agent: *\nDisallow: /a\n", "text/plain")
    crawl([config(site)])
    assert "/a" not in site.paths()
