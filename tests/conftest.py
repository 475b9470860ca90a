"""Shared fixtures. Every test runs with its data paths in a temporary folder and no model hub."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's data/ or settings, nor reaches a model hub."""
    for name in list(os.environ):
        if name.startswith("GIDSBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIDSBOT_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the crawler asks for (politeness, backoff, Retry-After), in seconds; nothing is slept."""
    from ingest import throttle

    asked: list[float] = []
    monkeypatch.setattr(throttle, "sleep", asked.append)
    return asked


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus ingested once with the real default models (e5 + USE)."""
    from gidsbot.settings import load_settings
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("real") / "index"
    run_ingest(load_settings(environ={}, index=root), show_progress=False)
    return root


@pytest.fixture(scope="session")
def real_bot(real_index: Path):  # type: ignore[no-untyped-def]
    from bot import Bot
    from gidsbot.settings import load_settings

    return Bot.load(settings=load_settings(environ={}, index=real_index))


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """The URL of a throwaway PostgreSQL server's `postgres` database (Debian's binaries, 127.0.0.1),
    started the first time a test asks for it. Without PostgreSQL installed the test fails, saying how
    to install it: CI installs it, and a skip would hide a broken store."""
    from tests.pgserver import INSTALL, binaries, postgres_server

    if binaries() is None:
        pytest.fail(f"PostgreSQL is not installed: {INSTALL}", pytrace=False)
    with postgres_server() as url:
        yield url


@pytest.fixture
def database(postgres: str) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    from tests.pgserver import new_database

    return new_database(postgres)
