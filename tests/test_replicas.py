"""Two app replicas behind nginx (deploy/nginx.conf), sharing one PostgreSQL feedback store.

Everything real: Debian's PostgreSQL and nginx, two `gidsbot serve` processes, and Chromium asking a
question through nginx. nginx runs deploy/nginx.conf itself, included in a small main configuration
that keeps its files in a temporary folder; only the listening port and the replicas' ports change.
Without PostgreSQL or nginx installed these tests fail, saying how to install them (`make test` does).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from gidsbot.settings import load_settings
from ingest.pipeline import run_ingest
from tests.browser import CHROMIUM, ask, browser_page, free_port, serve
from tests.pgserver import INSTALL, binaries, new_database, postgres_server
from ui.feedback_postgres import PostgresFeedbackStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx.conf"
NGINX = "/usr/sbin/nginx"
VLAAMS = "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"
COOKIE = "gidsbot_replica"
WAIT = 60_000  # ms: a replica's first answer loads the index

# What nginx writes for each request: the sticky key, the replica that answered, the request line.
MAIN = """worker_processes 1;
pid {folder}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/gidsbot.conf;
    log_format replica '$gidsbot_replica $upstream_addr $status "$request"';
    access_log {folder}/access.log replica;
}}
"""


def site_config(listen: int, replicas: tuple[str, str]) -> str:
    """deploy/nginx.conf with the test's ports: it fails loudly if the file no longer has what it changes."""
    text = SITE.read_text(encoding="utf-8")
    for anchor, replacement in (
        ("listen 80;", f"listen 127.0.0.1:{listen};"),
        ("server 127.0.0.1:8601;", f"server {replicas[0]};"),
        ("server 127.0.0.1:8602;", f"server {replicas[1]};"),
    ):
        assert text.count(anchor) == 1, f"deploy/nginx.conf should hold {anchor!r} once"
        text = text.replace(anchor, replacement)
    return text


def _get(url: str, cookie: str = "") -> tuple[int, str, str]:
    """Status, body and nginx's sticky cookie (Streamlit sets its own too) of a GET."""
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        sticky = [c for c in answer.headers.get_all("Set-Cookie") or [] if c.startswith(f"{COOKIE}=")]
        return answer.status, answer.read().decode(errors="replace"), "".join(sticky)


@contextmanager
def nginx(replicas: tuple[str, str]) -> Iterator[tuple[str, Path]]:
    """nginx in the foreground on 127.0.0.1; yields its URL and its access log; stops it afterwards."""
    # not under pytest's tmp_path, which is private to root: nginx's workers run as another user
    folder = Path(tempfile.mkdtemp(prefix="gidsbot-nginx-"))
    folder.chmod(0o755)
    port = free_port()
    (folder / "gidsbot.conf").write_text(site_config(port, replicas), encoding="utf-8")
    (folder / "nginx.conf").write_text(MAIN.format(folder=folder), encoding="utf-8")
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"{url}/_stcore/health")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(folder / 'error.log').read_text()}") from None
                time.sleep(0.2)
        yield url, folder / "access.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Cluster:
    url: str  # nginx
    replicas: tuple[str, str]  # host:port of each `gidsbot serve`
    database: str
    access_log: Path

    def answered_by(self, key: str, path: str = "") -> set[str]:
        """The replicas nginx sent the requests with this sticky key (and path) to. nginx logs a request
        just after answering it (a websocket when it closes), so the lines are waited for a moment."""
        deadline = time.monotonic() + 10
        while True:
            found = set()
            for line in self.access_log.read_text(encoding="utf-8").splitlines():
                sticky, upstream, _status, request = line.split(" ", 3)
                if sticky == key and path in request:
                    found.add(upstream)
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    missing = [
        f"{what} is not installed: {how}"
        for what, how, there in (
            ("PostgreSQL", INSTALL, binaries() is not None),
            ("nginx", "apt-get install -y nginx (Debian's package; `make test` installs it)", Path(NGINX).exists()),
        )
        if not there
    ]
    if missing:
        pytest.fail("; ".join(missing), pytrace=False)
    folder = tmp_path_factory.mktemp("replicas")
    documents = folder / "docs"
    documents.mkdir()
    shutil.copy(ROOT / "corpus" / VLAAMS, documents)
    index = folder / "index"  # published once, read by both replicas
    run_ingest(load_settings(environ={}, index=index, embeddings="hashing"), paths=[documents], show_progress=False)
    with ExitStack() as stack:
        database = new_database(stack.enter_context(postgres_server()))
        env = {"GIDSBOT_DATABASE_URL": database}
        urls = [stack.enter_context(serve(index, folder / f"replica-{n}.log", env)) for n in (1, 2)]
        replicas = (urls[0].removeprefix("http://"), urls[1].removeprefix("http://"))
        url, access_log = stack.enter_context(nginx(replicas))
        yield Cluster(url, replicas, database, access_log)


def test_nginx_answers_the_health_check_of_the_replicas(cluster):
    status, body, cookie = _get(f"{cluster.url}/_stcore/health")
    assert (status, body) == (200, "ok")
    assert re.match(rf"{COOKIE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax", cookie)


def test_new_visitors_spread_over_the_replicas_and_each_stays_on_one(cluster):
    """Without the cookie a browser lands on either replica; with it, always on the same one."""
    keys = [_get(f"{cluster.url}/_stcore/health")[2].split(";")[0].split("=")[1] for _ in range(20)]
    assert set().union(*(cluster.answered_by(k) for k in keys)) == set(cluster.replicas)  # 2**-19 to fail by luck
    for key in keys[:5]:
        for _ in range(5):
            assert _get(f"{cluster.url}/_stcore/health", cookie=key)[2].startswith(f"{COOKIE}={key};")
        assert len(cluster.answered_by(key)) == 1


def _key_for_each_replica(cluster: Cluster) -> dict[str, str]:
    """A sticky key that nginx sends to each replica, found by asking."""
    keys: dict[str, str] = {}
    for n in range(200):
        key = f"{n:032x}"
        _get(f"{cluster.url}/_stcore/health", cookie=key)
        keys.setdefault(next(iter(cluster.answered_by(key))), key)
        if len(keys) == len(cluster.replicas):
            return keys
    raise AssertionError("nginx sent 200 different keys to one replica")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make browser)")
def test_feedback_given_through_nginx_on_each_replica_lands_in_the_one_database(cluster, tmp_path):
    """A buyer on each replica rates an answer in the browser, through nginx: one database holds both."""
    questions = {}
    for n, (replica, key) in enumerate(sorted(_key_for_each_replica(cluster).items())):
        question = f"Wanneer werd de eerste Buyer Meets Supplier gehouden? ({n + 1})"
        with browser_page() as page:
            page.context.add_cookies([{"name": COOKIE, "value": key, "url": cluster.url}])  # type: ignore[attr-defined]
            page.goto(cluster.url)  # type: ignore[attr-defined]
            ask(page, question)
            page.get_by_text("23 mei 2018").first.wait_for(timeout=WAIT)  # type: ignore[attr-defined]
            page.get_by_role("radio", name="Thumbs up").first.click()  # type: ignore[attr-defined]
            page.get_by_text("Thank you, your feedback is saved.").wait_for(timeout=WAIT)  # type: ignore[attr-defined]
            page.screenshot(path=str(tmp_path / f"replica-{n + 1}.png"))  # type: ignore[attr-defined]
        questions[replica] = (question, key)
    store = PostgresFeedbackStore(cluster.database)
    rows = {row["question"]: row for row in store.feedback()}
    for replica, (question, key) in questions.items():
        assert rows[question]["rating"] == "up" and VLAAMS in str(rows[question]["sources"])
        # the conversation (Streamlit's websocket) ran on that replica alone
        assert cluster.answered_by(key, "/_stcore/stream") == {replica}
    assert set(questions) == set(cluster.replicas)
