"""One HTTP request done safely: timeouts, retries with backoff, a size limit, no surprises.

- Every request has connect and read timeouts, and the whole answer must arrive within
  ``TOTAL_TIME_FACTOR`` times the timeout, counted from the request (a server dripping one byte a
  second cannot hold us); a body that was too slow is not asked for again.
- 5xx, 429 and transport errors (refused, reset, timed out) are retried ``retries`` times with
  exponential backoff; ``Retry-After`` is honoured when it is at most ``MAX_RETRY_AFTER`` seconds
  (beyond that we give up rather than stall the run). Other 4xx are never retried.
- Bodies are decompressed here, not by httpx, with a bounded zlib output: a 20 kB gzip bomb stops
  at ``max_bytes`` + 1 decompressed bytes instead of filling memory. A Content-Length over the
  limit stops before the body is read.
- Redirects are not followed here: the crawler checks every hop's scope itself.
- Only hosts the caller allowed are ever contacted; cookies are refused, proxies from the
  environment are not used, so each request is what a first-time visitor sends.
"""

from __future__ import annotations

import email.utils
import http.cookiejar
import logging
import time
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from gidsbot.settings import Settings
from ingest.throttle import Throttle
from ingest.urls import host_of, is_private_host

__all__ = [
    "TOTAL_TIME_FACTOR",
    "MAX_BACKOFF",
    "MAX_RETRY_AFTER",
    "Received",
    "Fetcher",
    "Policy",
    "inflate",
    "parse_retry_after",
    "retry_wait",
]

log = logging.getLogger("gidsbot.crawl")

TOTAL_TIME_FACTOR = 3
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 120.0
_DRAIN_BYTES = 65_536
_ACCEPT = "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5"


@dataclass(frozen=True)
class Policy:
    """How one site is fetched (from its CrawlConfig)."""

    user_agent: str
    timeout: float = Settings.timeout
    retries: int = Settings.retries
    max_bytes: int = Settings.max_bytes
    backoff: float = 1.0  # first retry waits this long, then twice as long each time


@dataclass
class Received:
    """What one URL answered, after retries; never an exception."""

    url: str
    status: int = 0  # 0: no HTTP answer, see ``error``
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    error: str = ""  # no usable answer: timeout, connection refused, HTTP 503 after retries...
    refused: str = ""  # body not taken: "too-large" or "not-text"
    retry: bool = False  # the error is worth another attempt

    @property
    def location(self) -> str:
        return self.headers.get("location", "") if 300 <= self.status < 400 else ""


# Decides, from the Content-Type header and the URL, whether a body is wanted: the media type
# to report, or "" to leave the body unread (reported as not-text).
MediaFilter = Callable[[str, str], str]


class _TooLargeError(Exception):
    pass


class _DeadlineError(Exception):
    pass


class Fetcher:
    """Sends GET requests to the allowed hosts, one at a time, with the host's politeness delay."""

    def __init__(self, throttle: Throttle, allowed_hosts: Collection[str]) -> None:
        self.throttle = throttle
        self.allowed_hosts = set(allowed_hosts)
        self.requests = 0
        self.retries = 0  # requests sent again after a timeout, a 5xx, a 429 or a lost connection
        no_cookies = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self._client = httpx.Client(follow_redirects=False, trust_env=False, cookies=no_cookies)

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        policy: Policy,
        headers: Mapping[str, str] | None = None,
        media: MediaFilter | None = None,
        truncate: bool = False,
    ) -> Received:
        """GET ``url`` with retries. ``media`` filters bodies (None: take any); ``truncate`` cuts
        an oversized body to ``max_bytes`` instead of refusing it."""
        host = host_of(url)
        if host not in self.allowed_hosts:
            what = "a private address" if is_private_host(host) else "not a configured site"
            return Received(url, error=f"{host} is {what}: never contacted")
        answer = Received(url)
        for attempt in range(policy.retries + 1):
            self.throttle.wait(host)
            self.requests += 1
            answer = self._once(url, policy, headers or {}, media, truncate)
            if not answer.retry or attempt == policy.retries:
                break
            wait = retry_wait(attempt, policy.backoff, answer.headers.get("retry-after", ""))
            if wait is None:
                answer.error += f" (Retry-After {answer.headers.get('retry-after')!r} is too long to wait)"
                return answer
            log.info("retrying %s in %.1f s: %s", url, wait, answer.error)
            self.retries += 1
            self.throttle.hold(host, wait)
        if answer.retry and policy.retries:
            answer.error += f" after {policy.retries} {'retry' if policy.retries == 1 else 'retries'}"
        return answer

    def _once(
        self,
        url: str,
        policy: Policy,
        headers: Mapping[str, str],
        media: MediaFilter | None,
        truncate: bool,
    ) -> Received:
        request_headers = {
            "User-Agent": policy.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip, deflate",  # only what _decoder() can bound
            **headers,
        }
        deadline = time.monotonic() + policy.timeout * TOTAL_TIME_FACTOR
        try:
            with self._client.stream(
                "GET", url, headers=request_headers, timeout=httpx.Timeout(policy.timeout)
            ) as response:
                return _answer(url, response, policy, media, truncate, deadline)
        except _DeadlineError:
            # the server answered, then dripped: asking again would cost as much again
            return Received(url, error=f"too slow: no whole answer within {policy.timeout * TOTAL_TIME_FACTOR:g} s")
        except httpx.TimeoutException:
            return Received(url, error=f"timeout ({policy.timeout:g} s)", retry=True)
        except httpx.TransportError as exc:
            retry = not isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError)
            return Received(url, error=f"{_describe(exc)}", retry=retry)
        except (httpx.InvalidURL, zlib.error, UnicodeError, ValueError) as exc:
            return Received(url, error=f"{type(exc).__name__}: {exc}")


def _answer(
    url: str, response: httpx.Response, policy: Policy, media: MediaFilter | None, truncate: bool, deadline: float
) -> Received:
    status, headers = response.status_code, response.headers
    if status >= 500 or status == 429:
        _drain(response, deadline)
        return Received(url, status, headers, error=f"HTTP {status}", retry=True)
    if not 200 <= status < 300 or status in (204, 205):
        _drain(response, deadline)
        return Received(url, status, headers)  # a redirect, 304 or 4xx: the status says it all
    media_type = media(headers.get("content-type", ""), url) if media else "*"
    if not media_type:
        return Received(url, status, headers, refused="not-text")
    length = headers.get("content-length", "")
    if not truncate and length.isdigit() and int(length) > policy.max_bytes:
        return Received(url, status, headers, refused="too-large")
    try:
        body = _read(response, policy.max_bytes, deadline, truncate)
    except _TooLargeError:
        return Received(url, status, headers, refused="too-large")
    except _UnsupportedEncodingError as exc:
        return Received(url, status, headers, error=str(exc))
    return Received(url, status, headers, body)


class _UnsupportedEncodingError(Exception):
    pass


def _drain(response: httpx.Response, deadline: float) -> None:
    """Read a small unwanted body (a 304, a redirect, an error page) so the connection can be
    reused: closing it unread costs a new TCP connection per request. Large ones are dropped."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > _DRAIN_BYTES:
        return
    read = 0
    for chunk in response.iter_raw():
        read += len(chunk)
        if read > _DRAIN_BYTES or time.monotonic() > deadline:
            return


def _read(response: httpx.Response, limit: int, deadline: float, truncate: bool) -> bytes:
    """The decompressed body, at most ``limit`` bytes (raises _TooLargeError beyond, unless truncating)."""
    decode = _decoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    for chunk in response.iter_raw():  # no chunk size: httpx would wait to fill it
        if time.monotonic() > deadline:
            raise _DeadlineError
        for piece in decode(chunk, limit + 1 - len(body)):
            body += piece
            if len(body) > limit:
                if truncate:
                    return bytes(body[:limit])
                raise _TooLargeError
    return bytes(body)


Decode = Callable[[bytes, int], Iterator[bytes]]


def _decoder(content_encoding: str) -> Decode:
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return _identity
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflate(encoding == "deflate")
    raise _UnsupportedEncodingError(f"unsupported Content-Encoding {content_encoding!r}")


class _Inflate:
    def __init__(self, deflate: bool) -> None:
        self._deflate = deflate
        self._z: zlib._Decompress | None = None

    def __call__(self, data: bytes, room: int) -> Iterator[bytes]:
        if self._z is None:
            # wbits 47: zlib recognises a gzip or zlib header itself; some servers send
            # "deflate" without the zlib header (raw deflate, wbits -15).
            raw = self._deflate and not _zlib_header(data)
            self._z = zlib.decompressobj(-15 if raw else 47)
        yield from _bounded(self._z, data, room)


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0


def _identity(data: bytes, room: int) -> Iterator[bytes]:
    yield data


def _bounded(z: zlib._Decompress, data: bytes, room: int) -> Iterator[bytes]:
    """Inflate ``data`` without ever producing more than ``room`` bytes at once."""
    while data and room > 0:
        piece = z.decompress(data, room)
        room -= len(piece)
        yield piece
        data = z.unconsumed_tail


def retry_wait(attempt: int, backoff: float, retry_after: str) -> float | None:
    """Seconds to wait before retry number ``attempt`` + 1, or None when Retry-After asks too much."""
    wait = min(MAX_BACKOFF, backoff * 2**attempt)
    asked = parse_retry_after(retry_after)
    if asked is None:
        return wait
    if asked > MAX_RETRY_AFTER:
        return None
    return max(wait, asked)


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _describe(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {exc}" if str(exc) else "connection failed"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def inflate(data: bytes, limit: int) -> bytes:
    """Gunzip ``data`` (a .xml.gz sitemap) to at most ``limit`` bytes; bytes that are not gzip pass."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return b"".join(_bounded(zlib.decompressobj(31), data, limit))
    except zlib.error:
        return b""
