"""Politeness: a minimum time between two requests to one host.

The delay of a host is the configured one, or the robots.txt Crawl-delay when that is longer;
retries push the host's next slot further out (backoff, Retry-After). Hosts are independent:
the crawl loop asks :meth:`Throttle.ready_at` to pick a host that may be served now.
"""

from __future__ import annotations

import time

__all__ = ["Throttle", "sleep"]


def sleep(seconds: float) -> None:
    """The one place the crawler waits; tests replace it to record waits instead of sleeping."""
    time.sleep(seconds)


class Throttle:
    def __init__(self, default_delay: float = 1.0) -> None:
        self.default_delay = default_delay
        self._delay: dict[str, float] = {}
        self._next: dict[str, float] = {}

    def set_delay(self, host: str, seconds: float) -> None:
        self._delay[host] = max(0.0, seconds)

    def delay(self, host: str) -> float:
        return self._delay.get(host, self.default_delay)

    def ready_at(self, host: str) -> float:
        """Monotonic time at which ``host`` may get its next request."""
        return self._next.get(host, 0.0)

    def hold(self, host: str, seconds: float) -> None:
        """Keep ``host`` waiting at least ``seconds`` from now (backoff before a retry)."""
        self._next[host] = max(self.ready_at(host), time.monotonic() + seconds)

    def wait(self, host: str) -> None:
        """Block until ``host`` may be sent a request, and book the slot after it."""
        pause = self.ready_at(host) - time.monotonic()
        if pause > 0:
            sleep(pause)
        self._next[host] = time.monotonic() + self.delay(host)
