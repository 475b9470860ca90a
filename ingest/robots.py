"""robots.txt as RFC 9309 says, parsed by Protego (the parser Scrapy uses).

What a robots.txt answer means for a host (RFC 9309 section 2.3.1):

    2xx                      the rules in the file, for our product token, with Crawl-delay
    4xx (not 429)            "unavailable": everything may be crawled
    5xx, 429, no answer      "unreachable": nothing of that host is crawled (this run)
    more than 5 redirects    "unavailable", like a 404

Only the first :data:`MAX_ROBOTS_BYTES` are read (the RFC asks parsers for at least 500 KiB).
The caller fetches the file and hands the answer to :func:`from_answer`; this module sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

__all__ = ["MAX_CRAWL_DELAY", "MAX_ROBOTS_BYTES", "Robots", "agent_token", "from_answer", "robots_url"]

log = logging.getLogger("gidsbot.crawl")

MAX_ROBOTS_BYTES = 512_000
# A Crawl-delay of an hour would stall a maintainer's run for days: longer ones are cut to this.
MAX_CRAWL_DELAY = 60.0


@dataclass(frozen=True)
class Robots:
    """The rules of one host, for one user agent."""

    agent: str
    parser: Protego | None = None  # None: no rules, see ``unreachable``
    unreachable: str = ""  # why robots.txt could not be read; then nothing is allowed
    sitemaps: tuple[str, ...] = field(default=())

    def allowed(self, url: str) -> bool:
        if self.unreachable:
            return False
        if urlsplit(url).path == "/robots.txt" or self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, self.agent))

    @property
    def crawl_delay(self) -> float:
        """Seconds between requests the site asks of us (0 when it asks nothing), capped."""
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(self.agent)
        if delay is None:
            return 0.0
        if delay > MAX_CRAWL_DELAY:
            log.warning("Crawl-delay %s s is capped at %s s", delay, MAX_CRAWL_DELAY)
        return min(float(delay), MAX_CRAWL_DELAY)


def robots_url(url: str) -> str:
    """The robots.txt that governs ``url`` (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: "gidsbot" for "gidsbot/0.1 (+...)".

    Matching the whole User-Agent string would let a group for "github" match our contact URL.
    """
    return user_agent.split("/", 1)[0].split()[0].strip().lower() if user_agent.strip() else "*"


def from_answer(agent: str, status: int, body: bytes = b"", error: str = "") -> Robots:
    """Rules from the final answer to a robots.txt request (status 0 when there was none)."""
    if 200 <= status < 300:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
        parser = Protego.parse(text)
        return Robots(agent, parser, sitemaps=tuple(parser.sitemaps))
    if 300 <= status < 500 and status != 429:
        return Robots(agent)  # unavailable (or too many redirects): everything allowed
    reason = error or f"robots.txt answered HTTP {status}"
    return Robots(agent, unreachable=reason)
