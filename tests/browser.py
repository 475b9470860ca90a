"""A real Chromium (Debian's package) driven by Playwright, and the app served by `gidsbot serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(index: Path, log: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """`gidsbot serve` on 127.0.0.1; yields the base URL; stops the server afterwards."""
    port = free_port()
    # The developer's own GIDSBOT_* settings (a pinned version, a feedback file) must not reach the app.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIDSBOT_")}
    env = {**clean, "GIDSBOT_INDEX": str(index), **(extra_env or {})}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--index", str(index)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def browser_page(width: int = 1280, height: int = 900, locale: str = "en-GB") -> Iterator[object]:
    """A page in a fresh headless Chromium; ``locale`` is what the browser says its language is."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale=locale, accept_downloads=True)
            yield page
        finally:
            browser.close()


def ask(page: object, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")  # type: ignore[attr-defined]
    box.wait_for(timeout=60_000)
    box.fill(question)
    box.press("Enter")
