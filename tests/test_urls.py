"""URL normalisation, identity and scope: one page is fetched and indexed once."""

from __future__ import annotations

import pytest

from ingest.crawl import Scope
from ingest.links import page_links, parse_sitemap
from ingest.urls import (
    extension,
    host_of,
    in_prefixes,
    is_document,
    is_not_text,
    is_private_host,
    normalize,
    normalize_host,
    url_key,
)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("HTTPS://WWW.Gids.BE/nl/Papier", "https://www.gids.be/nl/Papier"),  # the path keeps its case
        ("https://www.gids.be:443/nl", "https://www.gids.be/nl"),
        ("http://www.gids.be:80/nl", "http://www.gids.be/nl"),
        ("http://127.0.0.1:8123/nl", "http://127.0.0.1:8123/nl"),
        ("https://www.gids.be", "https://www.gids.be/"),
        ("https://www.gids.be/nl/papier#criteria", "https://www.gids.be/nl/papier"),
        ("https://www.gids.be/nl/a/./b/../c", "https://www.gids.be/nl/a/c"),
        ("https://www.gids.be/nl/papier?utm_source=nieuwsbrief&utm_medium=email", "https://www.gids.be/nl/papier"),
        ("https://www.gids.be/nl?fbclid=x&gclid=y&msclkid=z&_ga=1&mc_cid=2", "https://www.gids.be/nl"),
        ("https://www.gids.be/nl?page=2&lang=nl", "https://www.gids.be/nl?lang=nl&page=2"),  # sorted
        ("https://www.gids.be/nl?print", "https://www.gids.be/nl?print"),  # valueless kept
        ("https://www.gids.be/nl?source=fido&ref=3", "https://www.gids.be/nl?ref=3&source=fido"),  # not trackers
        ("https://www.gids.be/nl?q=a+b&x=%2b", "https://www.gids.be/nl?q=a+b&x=%2B"),  # "+" keeps its meaning
        ("https://www.gids.be/nl/caf%c3%a9", "https://www.gids.be/nl/caf%C3%A9"),
        ("https://www.gids.be/nl/café", "https://www.gids.be/nl/caf%C3%A9"),
        ("https://www.gids.be/nl/~user/a(1)", "https://www.gids.be/nl/~user/a(1)"),  # not re-encoded
        ("  https://www.gids.be/nl/a\n b  ", "https://www.gids.be/nl/a%20b"),
        ("mailto:info@gids.be", None),
        ("javascript:void(0)", None),
        ("ftp://ftp.gids.be/x", None),
        ("https://user:secret@www.gids.be/", None),
        ("http://www.gids.be:notaport/", None),
        ("", None),
    ],
)
def test_normalize(href: str, expected: str | None) -> None:
    assert normalize(href) == expected


def test_relative_links_resolve_against_the_page() -> None:
    base = "http://127.0.0.1:8123/nl/producten/papier"
    assert normalize("../labels", base) == "http://127.0.0.1:8123/nl/labels"
    assert normalize("/fr/papier?utm_campaign=x#top", base) == "http://127.0.0.1:8123/fr/papier"
    assert normalize("//other.be/x", base) == "http://other.be/x"
    assert normalize("?page=2", base) == "http://127.0.0.1:8123/nl/producten/papier?page=2"


def test_normalize_is_idempotent() -> None:
    for href in ["https://a.be/nl/café?b=1&a=2#x", "http://a.be:80/x/../y/?utm_source=z", "https://a.be/a%20b"]:
        once = normalize(href)
        assert once is not None and normalize(once) == once


def test_url_key_unifies_the_trailing_slash() -> None:
    assert url_key("https://a.be/nl/") == url_key("https://a.be/nl") == "https://a.be/nl"
    assert url_key("https://a.be/") == "https://a.be/"
    assert url_key("https://a.be/nl/?x=1") == "https://a.be/nl?x=1"
    assert url_key("https://a.be/nl") != url_key("http://a.be/nl")


def test_prefixes_match_whole_path_segments() -> None:
    assert in_prefixes("https://a.be/nl", ["/nl"])
    assert in_prefixes("https://a.be/nl/papier", ["/nl/"])
    assert not in_prefixes("https://a.be/nlx", ["/nl"])
    assert not in_prefixes("https://a.be/fr/papier", ["/nl"])
    assert in_prefixes("https://a.be/anything", ["/"])


def test_scope_hosts_are_normalised() -> None:
    assert Scope("WWW.Gids.BE:443").host == "www.gids.be"
    assert Scope("127.0.0.1:8123", ("nl",)).prefixes == ("/nl",)
    assert host_of("https://www.gids.be:8443/x") == "www.gids.be:8443"
    assert normalize_host("Gids.BE.") == "gids.be"


def test_file_kinds_by_extension() -> None:
    assert extension("https://a.be/files/Omzendbrief.PDF?download=1") == ".pdf"
    assert is_document("https://a.be/f/bestek.docx")
    assert not is_document("https://a.be/nl/pdf-gids")
    for url in ["https://a.be/logo.png", "https://a.be/criteria.zip", "https://a.be/x.tar.gz", "https://a.be/old.doc"]:
        assert is_not_text(url), url
    assert not is_not_text("https://a.be/nl/versie-2.0")  # a dot in a page name is not a file type
    assert extension("https://a.be/a.b/c") == ""


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1:8123", True),
        ("localhost:5000", True),
        ("[::1]:80", True),
        ("10.0.0.7", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("www.gidsvoorduurzameaankopen.be", False),
        ("8.8.8.8", False),
    ],
)
def test_private_addresses(host: str, private: bool) -> None:
    assert is_private_host(host) is private


# -- links.py ----------------------------------------------------------------------------------


def test_page_links_base_canonical_hreflang_and_nofollow() -> None:
    html = b"""<html><head><base href="/nl/">
    <link rel="canonical" href="https://www.gids.be/nl/papier">
    <link rel="alternate" hreflang="FR" href="/fr/papier">
    <link rel="next" href="?page=2"><link rel="stylesheet" href="/style.css">
    </head><body><a href="labels">Labels</a> <a href="#top">top</a> <a href="mailto:x@y">m</a>
    <a href=" javascript:void(0)">j</a><map><area href="/kaart"></map></body></html>"""
    links = page_links(html, "https://www.gids.be/nl/papier?x=1")
    assert links.canonical == "https://www.gids.be/nl/papier"
    assert links.alternates == {"fr": "https://www.gids.be/fr/papier"}
    assert set(links.links) == {
        "https://www.gids.be/nl/labels",
        "https://www.gids.be/kaart",
        "https://www.gids.be/fr/papier",
        "https://www.gids.be/nl/?page=2",
    }
    assert not links.nofollow
    assert page_links(b'<meta name="ROBOTS" content="noindex, nofollow"><a href="/x">x</a>', "https://a.be/").nofollow


def test_page_links_of_garbage_is_empty() -> None:
    assert page_links(b"", "https://a.be/").links == []
    assert page_links(b"\x00\xff\xfe binary", "https://a.be/").links == []


def test_sitemaps_urlset_index_text_and_hostile_xml() -> None:
    urlset = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:xhtml="http://www.w3.org/1999/xhtml"><url><loc> https://a.be/nl </loc>
      <xhtml:link rel="alternate" hreflang="fr" href="https://a.be/fr"/></url></urlset>"""
    assert parse_sitemap(urlset).locs == ["https://a.be/nl", "https://a.be/fr"]
    index = b"<sitemapindex><sitemap><loc>https://a.be/s1.xml</loc></sitemap></sitemapindex>"
    assert (parse_sitemap(index).is_index, parse_sitemap(index).locs) == (True, ["https://a.be/s1.xml"])
    assert parse_sitemap(b"https://a.be/a\nhttps://a.be/b\nnot a url\n").locs == ["https://a.be/a", "https://a.be/b"]
    xxe = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>
      <urlset><url><loc>https://a.be/&x;</loc></url></urlset>"""
    assert all("root:" not in loc for loc in parse_sitemap(xxe).locs)
    assert parse_sitemap(b"<urlset><url><loc>broken").locs in ([], ["broken"])
