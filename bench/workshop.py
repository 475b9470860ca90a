"""A workshop through the real app: N phones on Streamlit's websocket, all asking at once.

    .venv/bin/python bench/workshop.py                          # N = 10, 30, 75 on data/index
    .venv/bin/python bench/workshop.py --sessions 10 --json bench/out/workshop.json
    .venv/bin/python bench/workshop.py --no-answer-cache        # every answer computed anew
    .venv/bin/python bench/workshop.py --url http://127.0.0.1:8080 --pid 4242 --pid 4243

For each N a fresh `gidsbot serve` is started on 127.0.0.1 (with --url: the app already running
there, e.g. nginx in front of two replicas), warmed by one session as the trainer's own first
question warms it, and N sessions then speak the browser's protocol on /_stcore/stream: each opens
the chat page, all tap the same starter question at the same moment (the burst, timed apart), and
then each asks --questions questions of tests/questions.jsonl with a think time between them.

An answer's time runs from the message that asks it to the server's `script_finished`; it counts
as an error when it times out, the connection drops, the run does not finish successfully, or the
page shows an exception or an error box instead of an answer with its sources or a refusal. Prints
a table per N (answer times, errors, the server's RSS and CPU seconds, the load average) and
whether the issue's target is met; never asserts it. `bot` is not imported: this is only a client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "questions.jsonl"
TARGET = {"sessions": 75, "p95_s": 3.0, "errors": 0, "rss_mb": 1536}
LOCALE, TIMEZONE, TIMEZONE_OFFSET = "nl-BE", "Europe/Brussels", -60  # a Belgian buyer's phone, in winter
WARM_UP = "Wat is duurzaam aankopen?"
CARD = re.compile(r"^\*\*\d+\*\* · \*\*")  # a numbered source card under an answer (ui/render.py render_card)
STARTER_KEY = "-starter-"  # the starter buttons' widget keys (ui/views/chat.py starters)


# --- the server and what it uses ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_index(index: Path) -> None:
    """Build ``index`` from the bundled corpus when it has no current version (the first `serve` would)."""
    if (index / "CURRENT").exists():
        return
    print(f"No index in {index}: building it from the bundled corpus ...", file=sys.stderr)
    subprocess.run([*gidsbot_command(), "ingest", "--index", str(index), "--no-gate"], cwd=ROOT, check=True)


def gidsbot_command() -> list[str]:
    script = Path(sys.executable).with_name("gidsbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ui.cli"]


@contextmanager
def serve(index: Path, workdir: Path, answer_cache: bool, timeout: float) -> Iterator[tuple[str, int, Path]]:
    """`gidsbot serve` on 127.0.0.1 with default settings; yields (URL, pid, log); stops it afterwards."""
    # The developer's own GIDSBOT_* settings (a pinned version, an LLM) must not reach the measured app,
    # and the benchmark's refusals must not land in the editors' feedback file.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIDSBOT_")}
    env |= {"GIDSBOT_INDEX": str(index), "GIDSBOT_FEEDBACK_DB": str(workdir / "feedback.sqlite")}
    if not answer_cache:
        env["GIDSBOT_ANSWER_CACHE"] = "0"
    port = free_port()
    log = workdir / f"server-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*gidsbot_command(), "serve", "--port", str(port), "--index", str(index)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
            start_new_session=True,  # its own process group: stopped whole, and spared the terminal's Ctrl-C
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(f"{url}/_stcore/health", process, log, timeout, "the app")
            yield url, process.pid, log
        finally:
            stop(process)


def wait_ready(check: str, process: subprocess.Popen[bytes], log: Path, timeout: float, what: str) -> None:
    """Wait until ``check`` (a URL of the started server) answers 200; the end of its log if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        with suppress(OSError), urllib.request.urlopen(check, timeout=2) as answer:
            if answer.status == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.3)


def stop(process: subprocess.Popen[bytes]) -> None:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass(frozen=True)
class Usage:
    cpu_s: float  # user + system seconds of the process trees, waited-for children included
    rss: int  # bytes, summed over the process trees


def usage(roots: Sequence[int]) -> Usage:
    """CPU seconds and RSS of the processes ``roots`` and all their descendants (psutil, else /proc)."""
    try:
        import psutil
    except ImportError:
        return _proc_usage(roots)
    cpu, rss = 0.0, 0
    for root in roots:
        with suppress(psutil.Error):
            top = psutil.Process(root)
            for p in [top, *top.children(recursive=True)]:
                with suppress(psutil.Error):
                    t = p.cpu_times()
                    cpu += t.user + t.system + t.children_user + t.children_system
                    rss += p.memory_info().rss
    return Usage(cpu, rss)


def _proc_stats() -> dict[int, list[str]]:
    """/proc/PID/stat of every process, as the fields after the command name (field 3 onwards)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                text = (entry / "stat").read_text()
                stats[int(entry.name)] = text[text.rindex(")") + 2 :].split()
    return stats


def _proc_usage(roots: Sequence[int]) -> Usage:
    stats = _proc_stats()
    children: dict[int, list[int]] = {}
    for pid, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(pid)
    tree, todo = set(), [r for r in roots if r in stats]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += children.get(pid, [])
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    cpu = sum(sum(int(x) for x in stats[p][11:15]) for p in tree) / tick  # utime stime cutime cstime
    return Usage(cpu, sum(int(stats[p][21]) for p in tree) * page)


def log_errors(log: Path | None, offset: int) -> int:
    """Tracebacks the server logged after byte ``offset`` of its log."""
    if log is None:
        return 0
    with open(log, "rb") as f:
        f.seek(offset)
        return f.read().count(b"Traceback")


# --- Streamlit's websocket protocol ------------------------------------------------------------


@dataclass
class Page:
    """What one script run sent: enough to find the widgets and to judge the latest answer."""

    finished: int = -1  # ForwardMsg.ScriptFinishedStatus, -1 until it came
    page_hash: str = ""
    chat_input: str = ""  # the chat input's widget id
    starters: list[tuple[str, str]] = field(default_factory=list)  # (widget id, question) of starter buttons
    assistant: tuple[int, ...] = ()  # delta path of the last assistant message: the answer of this run
    elements: list[tuple[tuple[int, ...], Any]] = field(default_factory=list)  # (delta path, Element)
    problems: list[str] = field(default_factory=list)  # exceptions shown anywhere on the page
    received: int = 0  # bytes

    def take(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "script_finished":
            self.finished = msg.script_finished
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.problems.append(f"compile error: {msg.session_event.script_compilation_exception.message}")
        elif kind == "delta":
            self._delta(tuple(msg.metadata.delta_path), msg.delta)

    def _delta(self, path: tuple[int, ...], delta: Any) -> None:
        if delta.HasField("add_block") and delta.add_block.chat_message.name == "assistant":
            self.assistant = path
        if not delta.HasField("new_element"):
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        self.elements.append((path, element))
        if kind == "chat_input":
            self.chat_input = element.chat_input.id
        elif kind == "button" and STARTER_KEY in element.button.id:
            # the question it asks, Markdown-escaped: in its help (under a heading) or as its label
            shown = element.button.help or element.button.label
            self.starters.append((element.button.id, re.sub(r"\\(.)", r"\1", shown)))
        elif kind == "exception":
            self.problems.append(f"{element.exception.type}: {element.exception.message}"[:300])

    def verdict(self, answer: bool = True) -> tuple[str, str]:
        """("answered" | "refused" | "error", why) for the answer this run drew; ("opened", "") for a run
        that drew none (``answer`` false) and went well."""
        if self.problems:
            return "error", self.problems[0]
        if self.finished != ForwardMsg.FINISHED_SUCCESSFULLY:
            return "error", f"script finished with status {self.finished}"
        if not answer:
            return "opened", ""
        latest = [e for p, e in self.elements if self.assistant and p[: len(self.assistant)] == self.assistant]
        alerts = [e.alert for e in latest if e.WhichOneof("type") == "alert"]
        if any(a.format == Alert.ERROR for a in alerts):
            return "error", next(a.body for a in alerts if a.format == Alert.ERROR)[:300]
        if any(a.format == Alert.INFO for a in alerts):
            return "refused", ""
        if any(e.WhichOneof("type") == "markdown" and CARD.match(e.markdown.body) for e in latest):
            return "answered", ""
        return "error", "no answer with sources on the page"


def rerun(url: str, page_hash: str = "", widget: WidgetState | None = None) -> bytes:
    """The BackMsg a browser sends to run the page: its URL and context, and the widget that changed."""
    msg = BackMsg()
    state = msg.rerun_script
    state.page_script_hash = page_hash
    info = state.context_info
    info.timezone, info.timezone_offset, info.locale = TIMEZONE, TIMEZONE_OFFSET, LOCALE
    info.url, info.is_embedded, info.color_scheme = url + "/", False, "light"
    if widget is not None:
        state.widget_states.widgets.append(widget)
    return msg.SerializeToString()


class Session:
    """One phone: a websocket to the app, the page it shows, and the widgets it can use."""

    def __init__(self, url: str, ws: ClientConnection, timeout: float) -> None:
        self.url, self.ws, self.timeout = url, ws, timeout
        self.page = Page()

    @classmethod
    async def open(cls, url: str, timeout: float) -> tuple[Session, float]:
        """Connect and run the chat page once, as a browser opening it; returns the seconds it took."""
        started = time.perf_counter()
        stream = re.sub(r"^http", "ws", url) + "/_stcore/stream"
        ws = await connect(
            stream,
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,  # a page with many sources is one large message
            ping_interval=None,  # a browser sends no pings either
            proxy=None,
            open_timeout=timeout,
        )
        session = cls(url, ws, timeout)
        try:
            await session._run(rerun(url))
            if not session.page.chat_input:
                raise RuntimeError("the page has no chat input: " + "; ".join(session.page.problems))
        except BaseException:
            await session.close()
            raise
        return session, time.perf_counter() - started

    async def ask(self, question: str) -> tuple[float, Page]:
        """Type ``question`` into the chat input and send it, as Enter does."""
        widget = WidgetState(id=self.page.chat_input)
        widget.chat_input_value.data = question
        return await self._timed(widget)

    async def tap(self, button: str) -> tuple[float, Page]:
        return await self._timed(WidgetState(id=button, trigger_value=True))

    async def _timed(self, widget: WidgetState) -> tuple[float, Page]:
        started = time.perf_counter()
        await self._run(rerun(self.url, self.page.page_hash, widget))
        return time.perf_counter() - started, self.page

    async def _run(self, back: bytes) -> None:
        """Send ``back`` and read ForwardMsgs until the run it starts has finished."""
        page = Page(page_hash=self.page.page_hash, chat_input=self.page.chat_input)
        async with asyncio.timeout(self.timeout):
            await self.ws.send(back)
            while page.finished in (-1, ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                raw = await self.ws.recv()
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                page.received += len(raw)
                if page.finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    page = Page(page_hash=page.page_hash, chat_input=page.chat_input, received=page.received)
                page.take(msg)
        self.page = page

    async def close(self) -> None:
        with suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 10)


# --- the workshop ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    session: int
    phase: str  # "open", "burst" or "question"
    question: str
    seconds: float | None  # None when it failed before the run finished
    verdict: str  # "opened", "answered", "refused" or "error"
    detail: str = ""
    received_kb: float = 0.0


@dataclass(frozen=True)
class Plan:
    questions: list[str]
    per_session: int
    think: tuple[float, float]
    timeout: float  # for one page or answer
    seed: int
    start_timeout: float  # for starting the app and its first answer (the models load then)


async def attempt(session: int, phase: str, question: str, call: Awaitable[tuple[float, Page]]) -> Timed:
    """Run one timed call (open, tap or ask) and turn its outcome, or its failure, into a record."""
    try:
        seconds, page = await call
    except TimeoutError:
        return Timed(session, phase, question, None, "error", "timed out")
    except Exception as exc:  # noqa: BLE001 - a failed phone is a figure of the run, not the end of it
        return Timed(session, phase, question, None, "error", f"{type(exc).__name__}: {exc}"[:300])
    verdict, detail = page.verdict(answer=phase != "open")
    return Timed(session, phase, question, seconds, verdict, detail, round(page.received / 1024, 1))


async def workshop(url: str, n: int, plan: Plan) -> list[Timed]:
    """N sessions open the page at once, tap the same starter together, then ask their questions."""
    sessions: dict[int, Session] = {}

    async def open_one(i: int) -> Timed:
        async def call() -> tuple[float, Page]:
            session, seconds = await Session.open(url, plan.timeout)
            sessions[i] = session
            return seconds, session.page

        return await attempt(i, "open", "", call())

    async def converse(i: int, session: Session) -> list[Timed]:
        rng, out = random.Random(plan.seed * 1000 + i), []
        for k in range(plan.per_session):
            await asyncio.sleep(rng.uniform(*plan.think))
            question = plan.questions[(i * plan.per_session + k) % len(plan.questions)]
            out.append(await attempt(i, "question", question, session.ask(question)))
            if out[-1].seconds is None:
                break  # the connection or the run is broken: this phone gives up
        return out

    async def burst(i: int, session: Session, button: str, starter: str) -> Timed:
        return await attempt(i, "burst", starter, session.tap(button) if button else session.ask(starter))

    records = list(await asyncio.gather(*(open_one(i) for i in range(n))))
    try:
        if sessions:
            page = next(iter(sessions.values())).page
            button, starter = page.starters[0] if page.starters else ("", plan.questions[0])
            # the barrier: every session is open; the taps all leave in the same turn of the event loop
            taps = await asyncio.gather(*(burst(i, s, button, starter) for i, s in sessions.items()))
            records += taps
            alive = [(t.session, sessions[t.session]) for t in taps if t.seconds is not None]
            for more in await asyncio.gather(*(converse(i, s) for i, s in alive)):
                records += more
    finally:
        await asyncio.gather(*(s.close() for s in sessions.values()))
    return records


async def warm_up(url: str, timeout: float) -> None:
    """The trainer's own check before the workshop: the first session loads the models."""
    try:
        session, _ = await Session.open(url, timeout)
        try:
            await session.ask(WARM_UP)
        finally:
            await session.close()
    except (OSError, TimeoutError, WebSocketException) as exc:
        raise RuntimeError(f"the app at {url} did not answer a first question: {exc!r}") from exc


class Sampler:
    """The server's RSS every half second during a run (the peak matters, not the end)."""

    def __init__(self, pids: Sequence[int]) -> None:
        self.pids, self.peak = list(pids), 0
        self._task: asyncio.Task[None] | None = None

    async def _loop(self) -> None:
        while True:
            self.peak = max(self.peak, (await asyncio.to_thread(usage, self.pids)).rss)
            await asyncio.sleep(0.5)

    def __enter__(self) -> Sampler:
        self._task = asyncio.get_running_loop().create_task(self._loop()) if self.pids else None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task:
            self._task.cancel()


async def measure(url: str, n: int, plan: Plan, pids: Sequence[int], logs: Sequence[Path]) -> dict[str, Any]:
    """One workshop of ``n`` sessions with the server's use of CPU and memory around it (``logs``: the
    servers' logs, read for tracebacks)."""
    await warm_up(url, plan.start_timeout)
    load_before = os.getloadavg()[0]
    offsets = [log.stat().st_size for log in logs]
    before, mine = usage(pids), resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with Sampler(pids) as sampler:
        records = await workshop(url, n, plan)
    wall = time.perf_counter() - started
    after, mine_after = usage(pids), resource.getrusage(resource.RUSAGE_SELF)
    bench_cpu = (mine_after.ru_utime + mine_after.ru_stime) - (mine.ru_utime + mine.ru_stime)
    return summarise(
        n,
        records,
        {
            "wall_s": round(wall, 1),
            "server_cpu_s": round(after.cpu_s - before.cpu_s, 1) if pids else None,
            "server_rss_peak_mb": round(max(sampler.peak, after.rss) / 2**20) if pids else None,
            "server_rss_end_mb": round(after.rss / 2**20) if pids else None,
            "server_tracebacks": sum(log_errors(log, offset) for log, offset in zip(logs, offsets, strict=True)),
            "bench_cpu_s": round(bench_cpu, 1),
            "load1_before": round(load_before, 2),
            "load1_after": round(os.getloadavg()[0], 2),
        },
    )


# --- figures -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between ranks, as bot.evaluate.percentile (not imported: the bot stays out)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(records: Sequence[Timed]) -> dict[str, float | None]:
    times = [r.seconds for r in records if r.seconds is not None and r.verdict != "error"]
    if not times:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    return {
        "p50_s": round(percentile(times, 0.5), 2),
        "p95_s": round(percentile(times, 0.95), 2),
        "max_s": round(max(times), 2),
    }


def summarise(n: int, records: list[Timed], server: dict[str, Any]) -> dict[str, Any]:
    answers = [r for r in records if r.phase != "open"]
    errors = [r for r in records if r.verdict == "error"]
    result: dict[str, Any] = {
        "sessions": n,
        "answers": sum(r.verdict in ("answered", "refused") for r in answers),
        "refused": sum(r.verdict == "refused" for r in answers),
        "errors": len(errors),
        "open": spread([r for r in records if r.phase == "open"]),
        "burst": spread([r for r in answers if r.phase == "burst"]),
        "questions": spread([r for r in answers if r.phase == "question"]),
        "all_answers": spread(answers),
        **server,
    }
    result["limits_met"], result["limits_missed"] = check(result)
    result["error_list"] = [asdict(r) for r in errors]
    result["records"] = [asdict(r) for r in records]
    return result


def check(result: dict[str, Any]) -> tuple[bool, list[str]]:
    """The issue's limits (p95 over every answer, burst included; errors; peak RSS), and which were missed."""
    missed = []
    p95, rss = result["all_answers"]["p95_s"], result["server_rss_peak_mb"]
    if p95 is None:
        missed.append("no answer came back")
    elif p95 > TARGET["p95_s"]:
        missed.append(f"p95 {p95} s > {TARGET['p95_s']} s")
    errors = result["errors"] + result["server_tracebacks"]
    if errors > TARGET["errors"]:
        missed.append(f"{errors} errors")
    if rss is None or rss > TARGET["rss_mb"]:
        missed.append(f"RSS {rss} MB > {TARGET['rss_mb']} MB" if rss else "RSS not measured")
    return not missed, missed


def table(results: Sequence[dict[str, Any]]) -> str:
    def trio(s: dict[str, Any]) -> str:
        return "–" if s["p50_s"] is None else f"{s['p50_s']:.2f} / {s['p95_s']:.2f} / {s['max_s']:.2f}"

    head = (
        "| sessions | answers (refused) | errors (+ server tracebacks) | open p50/p95/max s | burst p50/p95/max s "
        "| questions p50/p95/max s | server RSS peak MB | server CPU s | wall s | load1 before → after |"
    )
    lines = [head, "|" + " --- |" * head.count(" | ") + " --- |"]
    for r in results:
        lines.append(
            f"| {r['sessions']} | {r['answers']} ({r['refused']}) | {r['errors']} (+{r['server_tracebacks']}) "
            f"| {trio(r['open'])} | {trio(r['burst'])} | {trio(r['questions'])} | {r['server_rss_peak_mb']} "
            f"| {r['server_cpu_s']} | {r['wall_s']} | {r['load1_before']} → {r['load1_after']} |"
        )
    return "\n".join(lines)


def verdict_lines(results: Sequence[dict[str, Any]]) -> list[str]:
    limits = f"p95 ≤ {TARGET['p95_s']} s, {TARGET['errors']} errors, RSS ≤ {TARGET['rss_mb']} MB"
    lines = [
        f"{r['sessions']} sessions: limits ({limits}) "
        + ("met" if r["limits_met"] else "missed: ")
        + "; ".join(r["limits_missed"])
        for r in results
    ]
    at_target = [r for r in results if r["sessions"] == TARGET["sessions"]]
    if at_target:
        met = at_target[0]["limits_met"]
        lines.append(f"Target of the issue ({TARGET['sessions']} sessions): {'MET' if met else 'NOT MET'}")
    else:
        lines.append(f"Target of the issue ({TARGET['sessions']} sessions): not run")
    return lines


# --- command line ------------------------------------------------------------------------------


def read_questions(path: Path) -> list[str]:
    """The questions of a JSON-lines file that stand alone (follow-ups need their conversation)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["question"] for row in rows if not row.get("history")]


def numbers(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def think_range(text: str) -> tuple[float, float]:
    low, high = (float(x) for x in text.split(","))
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError("think time: two numbers LOW,HIGH with 0 <= LOW <= HIGH")
    return low, high


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Target of the issue: {TARGET['sessions']} sessions, p95 <= {TARGET['p95_s']} s over every answer "
        f"(burst included), {TARGET['errors']} errors, server RSS <= {TARGET['rss_mb']} MB; reported, never asserted. "
        "The server runs with default settings: GIDSBOT_* variables of this shell are not passed on, and "
        "feedback goes to a temporary file.",
    )
    parser.add_argument(
        "--sessions", type=numbers, default=[10, 30, 75], metavar="N,N", help="sessions per run (default 10,30,75)"
    )
    parser.add_argument("--questions", type=int, default=3, help="questions each session asks after the burst (3)")
    parser.add_argument(
        "--think",
        type=think_range,
        default=(2.0, 6.0),
        metavar="LOW,HIGH",
        help="seconds of thought before each question, drawn uniformly (default 2,6)",
    )
    parser.add_argument(
        "--questions-file",
        type=Path,
        default=QUESTIONS,
        metavar="FILE.jsonl",
        help="questions drawn in turn, those without history (default tests/questions.jsonl)",
    )
    parser.add_argument(
        "--index",
        type=Path,
        default=ROOT / "data" / "index",
        help="index the app answers from; built from the bundled corpus when it has none (default data/index)",
    )
    parser.add_argument(
        "--no-answer-cache", action="store_true", help="start the app with GIDSBOT_ANSWER_CACHE=0 (default: cache on)"
    )
    parser.add_argument(
        "--url", help="bench the app already running at this URL instead of starting one (e.g. behind nginx)"
    )
    parser.add_argument(
        "--pid",
        type=int,
        action="append",
        default=[],
        help="with --url: a server process whose tree's CPU and RSS to measure (repeatable; none: not measured)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one page or answer may take (60)")
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=120.0,
        help="seconds the app may take to start and to answer its first question, models loading (120)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times (1)")
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="2: two `gidsbot serve` behind nginx with deploy/nginx.conf (Debian's nginx; default 1)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure and answer to FILE")
    return parser


def run_one(args: argparse.Namespace, n: int, plan: Plan, workdir: Path) -> dict[str, Any]:
    if args.url:
        return asyncio.run(measure(args.url.rstrip("/"), n, plan, args.pid, []))
    if args.replicas > 1:
        return run_replicas(args, n, plan, workdir)
    with serve(args.index.resolve(), workdir, not args.no_answer_cache, args.start_timeout) as (url, pid, log):
        return asyncio.run(measure(url, n, plan, [pid], [log]))


def run_replicas(args: argparse.Namespace, n: int, plan: Plan, workdir: Path) -> dict[str, Any]:
    """Two `gidsbot serve` behind nginx running deploy/nginx.conf (only its ports changed), as
    tests/test_replicas.py runs them; each session's websocket stays on the replica nginx gave it."""
    from contextlib import ExitStack

    sys.path.insert(0, str(ROOT))  # the test suite's nginx runner
    from tests.test_replicas import nginx

    if args.replicas != 2:
        raise RuntimeError("deploy/nginx.conf names two replicas: use --replicas 1 or 2")
    with ExitStack() as stack:
        started = [
            stack.enter_context(serve(args.index.resolve(), workdir, not args.no_answer_cache, args.start_timeout))
            for _ in range(args.replicas)
        ]
        for replica, _, _ in started:  # each replica loads its index on its first question: both warmed
            asyncio.run(warm_up(replica, plan.start_timeout))
        replicas = (started[0][0].removeprefix("http://"), started[1][0].removeprefix("http://"))
        url, _ = stack.enter_context(nginx(replicas))
        result = asyncio.run(measure(url, n, plan, [pid for _, pid, _ in started], [log for *_, log in started]))
        return {**result, "replicas": args.replicas}


def main() -> None:
    args = build_parser().parse_args()
    questions = read_questions(args.questions_file)
    plan = Plan(questions, args.questions, args.think, args.timeout, args.seed, args.start_timeout)
    results = []
    try:
        if not args.url:
            ensure_index(args.index)
        with tempfile.TemporaryDirectory(prefix="gidsbot-workshop-") as tmp:
            for n in args.sessions:
                print(f"{n} sessions ...", file=sys.stderr, flush=True)
                results.append(run_one(args, n, plan, Path(tmp)))
                for error in results[-1]["error_list"][:5]:
                    print(f"  error: session {error['session']} {error['phase']}: {error['detail']}", file=sys.stderr)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"workshop: stopped: {exc}", file=sys.stderr)  # the runs done so far are still reported
        if not results:
            sys.exit(1)
    print(table(results))
    print("\n".join(verdict_lines(results)))
    if args.json:
        settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "json"}
        report = {"machine": f"{os.cpu_count()} cores", "settings": settings, "runs": results}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
