"""The crawler against real HTTP servers on 127.0.0.1: what it reports, and what the servers saw.

Every test starts its own servers (tests/crawlsite.py). Waits (politeness delays, backoff,
Retry-After) are recorded instead of slept, so the assertions can say how long the crawler
meant to wait without timing anything.
"""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from gidsbot.errors import IngestError
from ingest.config import load_sources, site_config
from ingest.crawl import SKIPPED_SAMPLE, CrawlConfig, CrawlResult, PageState, Scope, crawl
from tests.crawlsite import (
    Response,
    Route,
    Site,
    build_guide,
    drip,
    flaky,
    gzip_bomb,
    redirect,
    slow,
    streamed,
)

ROOT = Path(__file__).resolve().parents[1]
UA = "gidsbot-test/0.1 (+https://github.com/gidsbot)"


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def external() -> Iterator[Site]:
    """A server standing for every other web site: the crawler must never contact it."""
    with Site() as site:
        site.page("/", "<html><body>elders</body></html>")
        yield site


@pytest.fixture
def guide(external: Site, waits: list[float]) -> Iterator[Site]:
    with Site() as site:
        build_guide(site, external.url("/"))
        yield site


@pytest.fixture
def hostile(waits: list[float]) -> Iterator[Site]:
    """An empty site (no robots.txt, no sitemap) that tests fill with one bad behaviour each."""
    with Site() as site:
        yield site


def config(site: Site, start: str = "/", **changes: object) -> CrawlConfig:
    base = CrawlConfig(name="test", start_urls=(site.url(start),), delay=0, timeout=2, retries=1, user_agent=UA)
    return replace(base, **changes)  # type: ignore[arg-type]


def state_of(result: CrawlResult) -> dict[str, PageState]:
    return {
        f.url: PageState(f.url, f.etag, f.last_modified, hashlib.sha256(f.content).hexdigest()) for f in result.fetched
    }


def fetched_paths(site: Site, result: CrawlResult) -> set[str]:
    return {f.url.removeprefix(site.url("")) for f in result.fetched}


def skipped(result: CrawlResult, reason: str) -> set[str]:
    return {s["url"] for s in result.skipped if s["reason"] == reason}


def failed(result: CrawlResult) -> dict[str, str]:
    return {f["url"]: f["error"] for f in result.failed}


# -- the guide ---------------------------------------------------------------------------------


def test_guide_crawl_fetches_every_public_page_and_document(guide: Site) -> None:
    p = guide.parts
    result = crawl([config(guide)])

    assert fetched_paths(guide, result) == {
        p["root"],
        p["nl"],
        p["fr"],
        p["producten"],
        p["produits"],
        p["labels_fr"],
        p["papier_nl"],
        p["papier_fr"],
        p["schoonmaak"],
        p["labels"],
        p["wetgeving"],
        p["verlichting"],
        p["moved"],
        p["gzipped"],
        p["pdf"],
        p["docx"],
        p["pdf_untyped"],
    }
    types = {f.url.removeprefix(guide.url("")): f.content_type for f in result.fetched}
    assert types[p["pdf"]] == types[p["pdf_untyped"]] == "application/pdf"
    assert types[p["docx"]] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert types[p["nl"]] == "text/html"
    assert not result.stopped and not result.gone and not result.not_modified


def test_guide_crawl_reports_every_url_it_left_out(guide: Site, external: Site) -> None:
    p = guide.parts
    result = crawl([config(guide)])

    assert failed(result) == {guide.url(p["missing"]): "HTTP 404"}
    assert skipped(result, "robots") == {guide.url(p["search"] + "?q=papier"), guide.url(p["private"])}
    assert skipped(result, "not-text") == {guide.url(p["png"]), guide.url(p["zip"]), guide.url(p["image_no_ext"])}
    assert {
        external.url("/"),
        "https://www.belgium.invalid/",
        "https://www.facebook.invalid/gids",
        guide.url(p["out_redirect"]),  # redirects to the external site: that hop is never taken
        guide.url("/nl/verborgen").replace("127.0.0.1", "localhost"),
        "http://169.254.169.254/latest/meta-data/",
    } == skipped(result, "out-of-scope")
    assert skipped(result, "duplicate") == {guide.url(p["labels_sorted"])}  # its canonical is /nl/labels
    assert all(len([s for s in result.skipped if s["url"] == s2["url"]]) == 1 for s2 in result.skipped)


def test_server_never_sees_forbidden_tracking_binary_or_external_requests(guide: Site, external: Site) -> None:
    p = guide.parts
    result = crawl([config(guide)])
    seen = guide.paths()

    assert not any(path.startswith((p["search"], p["private"])) for path in seen)  # robots.txt Disallow
    assert not any("utm_" in path or "fbclid" in path for path in seen)
    assert p["png"] not in seen and p["zip"] not in seen  # decided by extension, before any request
    assert p["papier_nl"] + "/" not in seen  # trailing-slash twin of a page already fetched
    assert external.log == []  # the other host, a loopback address, was never contacted
    assert "/nl/verborgen" not in seen  # this very server, named "localhost": not a configured host
    assert seen.count(p["schoonmaak"]) == 1  # linked twice with different tracking parameters
    assert guide.count("/robots.txt") == 1
    assert {"/sitemap.xml", "/sitemap-nl.xml", "/sitemap-fr.xml.gz"} <= set(seen)
    assert all(hit.header("User-Agent") == UA for hit in guide.log)
    assert result.requests == len(guide.log)


def test_sitemap_only_pages_and_hreflang_twins_are_found(guide: Site) -> None:
    p = guide.parts
    result = crawl([config(guide)])
    paths = fetched_paths(guide, result)
    assert p["verlichting"] in paths  # linked from no page, listed in the sitemap only
    assert p["papier_fr"] in paths  # linked only as the hreflang twin of the Dutch fiche


def test_redirect_and_canonical_decide_the_reported_url(guide: Site) -> None:
    p = guide.parts
    result = crawl([config(guide)])
    paths = fetched_paths(guide, result)
    assert p["moved"] in paths and p["old"] not in paths
    assert guide.hits(p["old"])[0].status == 301
    assert p["labels"] in paths and p["labels_sorted"] not in paths


def test_gzip_encoded_pages_are_decoded(guide: Site) -> None:
    result = crawl([config(guide)])
    page = next(f for f in result.fetched if f.url.endswith(guide.parts["gzipped"]))
    assert b"biologisch katoen" in page.content


def test_documents_are_fetched_outside_the_page_prefixes(guide: Site) -> None:
    p = guide.parts
    scoped = config(guide, "/nl", scopes=(Scope(guide.host, ("/nl", "/fr")),))
    result = crawl([scoped])
    paths = fetched_paths(guide, result)
    assert {p["pdf"], p["docx"], p["pdf_untyped"], p["papier_fr"]} <= paths
    assert p["root"] not in paths
    assert "/" not in guide.paths()


def test_include_and_exclude_patterns(guide: Site) -> None:
    p = guide.parts
    result = crawl([config(guide, exclude=(r"/nl/labels",), include=(r"/nl(/|$)", r"/$"))])
    paths = fetched_paths(guide, result)
    assert p["labels"] not in paths and p["labels"] not in guide.paths()
    assert guide.url(p["labels"]) in skipped(result, "out-of-scope")
    assert p["fr"] not in paths  # not included
    assert p["pdf"] in paths  # documents linked from included pages need no include pattern


def test_progress_reports_done_known_failed(guide: Site) -> None:
    calls: list[tuple[int, int, int]] = []
    result = crawl([config(guide)], progress=lambda *a: calls.append(a))
    assert calls, "progress was never called"
    done = [c[0] for c in calls]
    assert done == sorted(done)
    assert all(d <= k for d, k, _ in calls)
    assert calls[-1][2] == len(result.failed)


# -- incremental re-crawls ---------------------------------------------------------------------


def test_unchanged_recrawl_costs_one_conditional_request_per_page(guide: Site) -> None:
    first = crawl([config(guide)])
    state = state_of(first)
    guide.reset_log()

    second = crawl([config(guide)], state)

    assert second.fetched == []
    assert sorted(second.not_modified) == sorted(state)
    pages = [hit for hit in guide.log if guide.url(hit.path) in state]
    assert len(pages) == len(state)  # one request each
    for hit in pages:
        assert hit.header("If-None-Match") == state[guide.url(hit.path)].etag
        assert hit.header("If-Modified-Since") == state[guide.url(hit.path)].last_modified
        assert hit.status == 304
    assert second.gone == []
    assert len({hit.client for hit in guide.log}) == 1, "304s must not cost a new connection each"


def test_edited_page_is_fetched_again_deleted_page_is_gone(guide: Site) -> None:
    p = guide.parts
    state = state_of(crawl([config(guide)]))
    guide.edit(p["papier_nl"], "70 %", "80 %")
    del guide.routes[p["wetgeving"]]

    result = crawl([config(guide)], state)

    assert fetched_paths(guide, result) == {p["papier_nl"]}
    assert b"80 %" in result.fetched[0].content
    assert result.gone == [guide.url(p["wetgeving"])]
    assert set(result.not_modified) == set(state) - {guide.url(p["papier_nl"]), guide.url(p["wetgeving"])}


def test_noindex_pages_are_followed_but_not_indexed(hostile: Site) -> None:
    hostile.page("/", '<html><body><a href="/verborgen">x</a></body></html>')
    hostile.page(
        "/verborgen",
        '<html><head><meta name="robots" content="noindex, follow"></head>'
        '<body><p>Niet indexeren.</p><a href="/zichtbaar">verder</a></body></html>',
    )
    hostile.page("/zichtbaar", "<html><body><p>Wel indexeren.</p></body></html>")
    result = crawl([config(hostile)])
    assert fetched_paths(hostile, result) == {"/", "/zichtbaar"}
    assert hostile.url("/verborgen") in skipped(result, "robots")
    state = state_of(result) | {hostile.url("/verborgen"): PageState(hostile.url("/verborgen"))}
    assert hostile.url("/verborgen") in crawl([config(hostile)], state).gone


def test_same_body_under_a_new_etag_hands_over_the_new_validators(hostile: Site) -> None:
    """Guards against a page re-downloaded on every run because its ETag changed once while its body did not."""
    route = hostile.page("/", "<html><body><p>Vaste tekst.</p></body></html>")
    state = state_of(crawl([config(hostile)]))
    old = state[hostile.url("/")]
    route.modified -= 3600  # the server now reports another Last-Modified for the same body
    result = crawl([config(hostile)], {old.url: replace(old, etag='"oud"')})
    assert result.not_modified == [old.url]
    assert result.revalidated[old.url] == (route.etag, route.last_modified)


def test_page_that_left_the_scope_is_gone_without_a_request(guide: Site) -> None:
    p = guide.parts
    state = state_of(crawl([config(guide)]))
    guide.reset_log()
    result = crawl([config(guide, exclude=(r"/nl/wetgeving",))], state)
    assert guide.url(p["wetgeving"]) in result.gone
    assert p["wetgeving"] not in guide.paths()


def test_moved_page_is_gone_under_its_old_url(guide: Site) -> None:
    p = guide.parts
    state = state_of(crawl([config(guide)]))
    guide.handle(p["schoonmaak"], redirect("/nl/producten/schoonmaakmiddelen", 301))
    guide.page("/nl/producten/schoonmaakmiddelen", "<html><body><p>Nieuwe fiche schoonmaak.</p></body></html>")
    result = crawl([config(guide)], state)
    assert guide.url(p["schoonmaak"]) in result.gone
    assert "/nl/producten/schoonmaakmiddelen" in fetched_paths(guide, result)


def test_same_body_without_validators_counts_as_not_modified(hostile: Site) -> None:
    """Guards against re-embedding pages of servers that send neither ETag nor Last-Modified."""
    hostile.routes["/"] = Route(b"<html><body><p>Altijd dezelfde tekst.</p></body></html>", validators=False)
    first = crawl([config(hostile)])
    assert first.fetched[0].etag == "" and first.fetched[0].last_modified == ""
    second = crawl([config(hostile)], state_of(first))
    assert second.fetched == [] and second.not_modified == [hostile.url("/")]


def test_state_url_that_fails_is_neither_gone_nor_unchanged(hostile: Site) -> None:
    hostile.page("/", "<html><body>x</body></html>")
    state = {hostile.url("/"): PageState(hostile.url("/"), '"old"')}
    hostile.handle("/", flaky(99))
    result = crawl([config(hostile, retries=0)], state)
    assert result.gone == [] and result.not_modified == [] and hostile.url("/") in failed(result)


# -- hostile endpoints -------------------------------------------------------------------------


def test_link_bomb_stops_at_max_pages_and_says_why(hostile: Site) -> None:
    links = "".join(f'<a href="/bomb/{i}">{i}</a> ' for i in range(10_000))
    hostile.page("/", f"<html><body>{links}</body></html>")
    hostile.handle(
        "/bomb/*", lambda site, hit, h: Response(200, f"<p>{hit.path}</p>".encode(), {"Content-Type": "text/html"})
    )
    result = crawl([config(hostile, max_pages=50)])
    assert len(result.fetched) == 50
    assert result.stopped == "max-pages 50 reached for test (9,951 URLs not fetched)"
    assert result.skipped_counts["limit"] == 9_951 and len(skipped(result, "limit")) == SKIPPED_SAMPLE
    assert sum(1 for path in hostile.paths() if path.startswith("/bomb/")) == 49


def test_a_recursive_link_bomb_keeps_the_frontier_and_the_report_bounded(hostile: Site) -> None:
    """Guards against the calendar-shaped link bomb (each page links 1,000 new URLs) that grew memory
    past 2.9 GB and wrote a 27 MB report of 299,701 skipped entries: the frontier holds no more than
    max_pages URLs, and the report counts what it left out with a sample of URLs per reason."""

    def bomb(site: Site, hit: object, handler: object) -> Response:
        path = getattr(hit, "path", "/")
        links = "".join(f'<a href="{path.rstrip("/")}/{i}">{i}</a> ' for i in range(1_000))
        return Response(200, f"<html><body>{links}</body></html>".encode(), {"Content-Type": "text/html"})

    hostile.handle("/*", bomb)
    run = crawl([config(hostile, max_pages=30)])
    assert len(run.fetched) == 30
    assert run.skipped_counts["limit"] >= 29 * 1_000 - 30
    assert len(run.skipped) <= SKIPPED_SAMPLE


def test_depth_limit(hostile: Site) -> None:
    for depth in range(5):
        hostile.page(f"/d{depth}", f'<html><body><a href="/d{depth + 1}">next</a></body></html>')
    result = crawl([config(hostile, "/d0", max_depth=2)])
    assert fetched_paths(hostile, result) == {"/d0", "/d1", "/d2"}
    assert skipped(result, "limit") == {hostile.url("/d3")}
    assert result.stopped == ""


def test_redirect_loop_and_endless_redirects_fail(hostile: Site) -> None:
    hostile.page("/", '<html><body><a href="/loop/a">a</a> <a href="/hop/0">hop</a></body></html>')
    hostile.handle("/loop/a", redirect("/loop/b"))
    hostile.handle("/loop/b", redirect("/loop/a"))
    hostile.handle("/hop/*", lambda site, hit, h: Response(302, b"", {"Location": f"/hop/{int(hit.path[5:]) + 1}"}))
    result = crawl([config(hostile)])
    errors = failed(result)
    assert errors[hostile.url("/loop/a")].startswith("redirect loop")
    assert errors[hostile.url("/hop/0")] == "too many redirects (more than 10)"
    assert hostile.count("/loop/a") == 1 and hostile.count("/loop/b") == 1
    assert sum(1 for path in hostile.paths() if path.startswith("/hop/")) == 11


def test_bodies_over_the_limit_are_skipped(hostile: Site) -> None:
    hostile.page("/", '<html><body><a href="/big">1</a> <a href="/stream">2</a> <a href="/bomb">3</a></body></html>')
    hostile.file("/big", b"<html>" + b"x" * 200_000, "text/html")
    hostile.handle("/stream", streamed(50_000_000))
    bomb = gzip_bomb(100_000_000)
    assert len(bomb) < 100_000  # small on the wire: only the decompressed size gives it away
    hostile.file("/bomb", bomb, "text/html", headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        result = crawl([config(hostile, max_bytes=100_000)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert skipped(result, "too-large") == {hostile.url("/big"), hostile.url("/stream"), hostile.url("/bomb")}
    assert peak < 30_000_000, f"the gzip bomb was inflated in memory ({peak:,} bytes)"


def test_slow_and_dripping_pages_time_out(hostile: Site) -> None:
    """Guards against one dripping page holding the crawl for 820 s (a per-body deadline of 10x the
    timeout, retried 3 times): the whole answer has one deadline, and a body too slow is not retried."""
    hostile.page("/", '<html><body><a href="/slow">slow</a> <a href="/drip">drip</a></body></html>')
    hostile.handle("/slow", slow(5))
    hostile.handle("/drip", drip(0.01))
    result = crawl([config(hostile, timeout=0.1, retries=1)])
    errors = failed(result)
    assert errors[hostile.url("/slow")] == "timeout (0.1 s) after 1 retry"
    assert errors[hostile.url("/drip")] == "too slow: no whole answer within 0.3 s"
    assert hostile.count("/slow") == 2  # retried once
    assert hostile.count("/drip") == 1  # the drip is not asked for again


def test_503_recovers_on_retry_honouring_retry_after(hostile: Site, waits: list[float]) -> None:
    hostile.handle("/", flaky(1, 503, retry_after="7"))
    result = crawl([config(hostile, retries=2)])
    assert fetched_paths(hostile, result) == {"/"}
    assert hostile.count("/") == 2
    assert [h.status for h in hostile.hits("/")] == [503, 200]
    assert 6.9 < max(waits) <= 7.0  # Retry-After: 7, more than the backoff of 0.1 s


def test_429_is_retried_and_too_long_retry_after_gives_up(hostile: Site) -> None:
    hostile.page("/", '<html><body><a href="/busy">1</a> <a href="/closed">2</a></body></html>')
    hostile.handle("/busy", flaky(1, 429))
    hostile.handle("/closed", flaky(9, 503, retry_after="86400"))
    result = crawl([config(hostile, retries=3)])
    assert "/busy" in fetched_paths(hostile, result)
    assert hostile.count("/closed") == 1
    assert "Retry-After" in failed(result)[hostile.url("/closed")]


def test_5xx_backoff_doubles_and_4xx_is_never_retried(hostile: Site, waits: list[float]) -> None:
    hostile.page("/", '<html><body><a href="/down">1</a> <a href="/forbidden">2</a></body></html>')
    hostile.handle("/down", flaky(99, 500))
    hostile.routes["/forbidden"] = Route(b"nee", status=403)
    result = crawl([config(hostile, retries=3)])
    errors = failed(result)
    assert errors[hostile.url("/down")] == "HTTP 500 after 3 retries"
    assert hostile.count("/down") == 4
    assert [round(w, 2) for w in waits if w > 0.05] == [0.1, 0.2, 0.4]  # delay 0: backoff starts at 0.1 s
    assert errors[hostile.url("/forbidden")] == "HTTP 403"
    assert hostile.count("/forbidden") == 1
    assert result.retries == 3  # counted in the report, not only logged


def test_connection_refused_is_reported_not_raised(waits: list[float]) -> None:
    with Site() as site:
        url = site.url("/")
    result = crawl([CrawlConfig("dead", (url,), delay=0, timeout=1, retries=1)])
    assert result.fetched == []
    robots_url = url + "robots.txt"
    assert failed(result)[robots_url].startswith("robots.txt unreachable (connection failed")
    assert skipped(result, "robots") == {url}


def test_politeness_delay_between_requests(hostile: Site, waits: list[float]) -> None:
    hostile.page("/", '<html><body><a href="/a">a</a></body></html>')
    hostile.page("/a", "<html><body>a</body></html>")
    crawl([config(hostile, delay=0.5)])
    assert len(hostile.log) == 4  # robots.txt, sitemap.xml, /, /a
    assert len([w for w in waits if 0.3 < w <= 0.5]) == 3  # every request after the first waited


# -- configuration -----------------------------------------------------------------------------


def test_config_that_cannot_work_raises_ingest_error() -> None:
    with pytest.raises(IngestError, match="no start URL"):
        crawl([CrawlConfig("x", ())])
    with pytest.raises(IngestError, match="not a valid regex"):
        crawl([CrawlConfig("x", ("http://127.0.0.1:9/",), exclude=("(",))])
    with pytest.raises(IngestError, match="not an http"):
        crawl([CrawlConfig("x", ("ftp://example.invalid/",))])


def test_scopes_default_to_the_start_hosts() -> None:
    cfg = CrawlConfig("x", ("https://WWW.Example.be:443/nl?utm_source=x", "http://127.0.0.1:8123/"))
    assert cfg.scopes == (Scope("www.example.be"), Scope("127.0.0.1:8123"))


def test_sources_toml_describes_the_real_sites() -> None:
    configs = load_sources(ROOT / "corpus" / "sources.toml")
    hosts = {scope.host for c in configs for scope in c.scopes}
    assert {"www.gidsvoorduurzameaankopen.be", "www.guidedesachatsdurables.be"} <= hosts
    assert len(configs) >= 3 and all(c.start_urls and c.name for c in configs)


def test_sources_file_errors_are_clear(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[site]]\nname = "x"\nstart_urls = ["https://a.be/"]\nexlude = ["y"]\n')
    with pytest.raises(IngestError, match="unknown key"):
        load_sources(bad)
    bad.write_text('[[site]]\nname = "x"\nstart_urls = ["https://a.be/"]\nexclude = ["("]\n')
    with pytest.raises(IngestError, match="regex"):
        load_sources(bad)
    with pytest.raises(IngestError, match="Cannot read"):
        load_sources(tmp_path / "missing.toml")


def test_site_config_takes_settings() -> None:
    from gidsbot.settings import load_settings

    settings = load_settings(environ={"GIDSBOT_CRAWL_DELAY": "2.5", "GIDSBOT_MAX_PAGES": "7"})
    cfg = site_config("https://www.gidsvoorduurzameaankopen.be/", settings)
    assert (cfg.delay, cfg.max_pages, cfg.scopes) == (2.5, 7, (Scope("www.gidsvoorduurzameaankopen.be"),))


def test_two_sites_share_links_and_each_keeps_its_own_limit(waits: list[float]) -> None:
    """Guards against a link from the Dutch guide to the French one being skipped as out-of-scope."""
    with Site() as nl, Site() as fr:
        nl.page("/", f'<html><body><a href="{fr.url("/fr/papier")}">FR</a> <a href="/a">a</a></body></html>')
        nl.page("/a", "<html><body>a</body></html>")
        fr.page("/", '<html><body><a href="/fr/papier">papier</a> <a href="/fr/b">b</a></body></html>')
        fr.page("/fr/papier", "<html><body>papier</body></html>")
        fr.page("/fr/b", "<html><body>b</body></html>")
        result = crawl([config(nl), config(fr, name="fr", max_pages=2)])
        assert {f.url for f in result.fetched} == {nl.url("/"), nl.url("/a"), fr.url("/"), fr.url("/fr/papier")}
        assert fr.count("/fr/papier") == 1
        assert result.stopped == "max-pages 2 reached for fr (1 URL not fetched)"
        assert skipped(result, "limit") == {fr.url("/fr/b")}
