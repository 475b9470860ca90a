"""The `gidsbot` command: ingest, ask, eval, serve, index.

Every command takes --index DIR and --json; with --json exactly one JSON object is printed on
stdout, as the last line, and progress and logs go to stderr. Errors meant for people are one
sentence on stderr (and {"error": ...} on stdout with --json), with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gidsbot.errors import GidsbotError, QuestionError
from gidsbot.settings import Settings, load_settings

__all__ = ["main"]

log = logging.getLogger("gidsbot")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, help="index directory (default: $GIDSBOT_INDEX or data/index)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout, as the last line")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gidsbot",
        description="Answers questions from the Gids voor Duurzame Aankopen, with its sources.",
        epilog="Settings: options first, then GIDSBOT_* environment variables, then defaults (see README).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ingest = sub.add_parser(
        "ingest",
        help="read sources into a new index version",
        description="Crawl sites and/or read files, and publish a new index version. "
        "With no source, ingests the bundled corpus.",
    )
    _common(ingest)
    ingest.add_argument("--site", action="append", default=[], metavar="URL", help="crawl this site (repeatable)")
    ingest.add_argument(
        "--path",
        action="append",
        default=[],
        type=Path,
        metavar="DIR_OR_FILE",
        help="read this file or folder (repeatable)",
    )
    ingest.add_argument("--config", type=Path, metavar="FILE", help="sources file such as corpus/sources.toml")
    ingest.add_argument("--max-pages", type=int, metavar="N", help="fetch at most N pages per site")
    ingest.add_argument("--embeddings", metavar="SPEC", help="embedding models, e.g. e5+use (default: as built)")
    ingest.add_argument("--rebuild", action="store_true", help="embed everything anew instead of reusing vectors")
    ingest.add_argument(
        "--gate",
        type=Path,
        metavar="FILE.jsonl",
        help="gold questions the new version must answer as well as the current one before it is published "
        "(as for `gidsbot eval`; default: GIDSBOT_GATE, or gate in --config)",
    )
    ingest.add_argument("--no-gate", action="store_true", help="publish without the evaluation gate")

    ask = sub.add_parser(
        "ask",
        help="answer one question with citations",
        description="Answer a question from the index, with numbered citations.",
    )
    _common(ask)
    ask.add_argument("question", help="the question, in Dutch, French or English")
    ask.add_argument("--lang", choices=["nl", "fr", "en"], help="answer language (default: the question's)")
    ask.add_argument(
        "--history",
        type=Path,
        metavar="FILE.json",
        help="earlier turns: a JSON list of {role: user|assistant, content}, oldest first",
    )

    evaluate = sub.add_parser(
        "eval",
        help="measure retrieval and answers on a question set",
        description="One JSON question a line: {question, expected: [source substrings], "
        "facts?: [strings], language?}. An empty expected list marks an off-topic question.",
    )
    _common(evaluate)
    evaluate.add_argument("file", type=Path, metavar="FILE.jsonl")
    evaluate.add_argument("--k", type=int, default=5, help="cut-off of the main recall figure (default 5)")
    evaluate.add_argument(
        "--details",
        type=Path,
        metavar="FILE",
        help="write one JSON line per question (answer, cited sources, found, fact hit, refusal) to FILE",
    )

    criteria = sub.add_parser(
        "criteria",
        help="a product group's fiche criteria, by phase, ready for a tender",
        description="The criteria of a product-group fiche (as the fiche writes them), with their phase, "
        "verification and source; an unknown product group gets the closest ones.",
    )
    _common(criteria)
    criteria.add_argument("product_group", metavar="PRODUCT_GROUP", help='e.g. "kantoorpapier" or "papier de bureau"')
    criteria.add_argument("--phase", choices=["selection", "specification", "award", "contract"], help="one phase only")
    criteria.add_argument("--lang", choices=["nl", "fr", "en"], help="the fiche in this language, when it has a twin")
    criteria.add_argument("--docx", type=Path, metavar="FILE", help="also write the criteria as a Word document")

    serve = sub.add_parser(
        "serve",
        help="start the Streamlit chat (builds the index when there is none)",
        description="Start the chat app: the same as `streamlit run ui/app.py`.",
    )
    _common(serve)
    serve.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    serve.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")

    index = sub.add_parser("index", help="list, verify or choose index versions (rollback)")
    index_sub = index.add_subparsers(dest="action", metavar="ACTION", required=True)
    _common(index_sub.add_parser("list", help="list published versions"))
    use = index_sub.add_parser("use", help="make VERSION the current one (rollback, or pin for a workshop)")
    _common(use)
    use.add_argument("version")
    verify = index_sub.add_parser(
        "verify",
        help="read every file of a version against the checksums in its manifest",
        description="Check a version's files against the SHA-256 its manifest records, and the database's "
        "own structure. Exit 1 when one is damaged.",
    )
    _common(verify)
    verify.add_argument("version", nargs="?", default="", help="the version to check (default: the current one)")
    verify.add_argument("--all", action="store_true", help="check every version")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(index=args.index, embeddings=getattr(args, "embeddings", None))


def _emit(args: argparse.Namespace, data: dict[str, Any], human: str) -> None:
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(human.rstrip() + "\n")


def _gate(args: argparse.Namespace, settings: Settings) -> Any:
    """The evaluation gate of this run: --gate, else the sources file's, else GIDSBOT_GATE; or none."""
    if args.no_gate:
        return None
    from bot.gate import Gate

    path, tolerance = args.gate, None
    if args.config is not None:
        from ingest.config import load_gate

        named, tolerance = load_gate(args.config)
        path = path or named
    path = path or (Path(settings.gate) if settings.gate else None)
    return Gate.from_file(path, settings, tolerance) if path else None


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import run_ingest

    settings = _settings(args)
    report = run_ingest(
        settings,
        sites=args.site,
        paths=args.path,
        config=args.config,
        max_pages=args.max_pages,
        rebuild=args.rebuild,
        show_progress=sys.stderr.isatty(),
        gate=_gate(args, settings),
    )
    from ui.gatefile import gate_lines, refusal

    data = report.to_json()
    if not report.published:
        _emit(args, data, gate_lines(report.gate or {}, report.index_version))
        sys.stderr.write(f"gidsbot: {refusal(report.gate or {}, report.index_version)}\n")
        return 1
    if not report.new_version:
        _emit(
            args,
            data,
            f"Nothing changed: index version {report.index_version} keeps serving and no new version was "
            f"written ({report.documents} documents, {report.chunks} chunks, {report.seconds:.1f} s).",
        )
        return 0
    lines = [
        f"Published index version {report.index_version} in {report.seconds:.1f} s: "
        f"{report.documents} documents, {report.chunks} chunks.",
        f"added {report.added}, changed {report.changed}, removed {report.removed}, "
        f"unchanged {report.unchanged}; embedded {report.embedded_chunks} chunks.",
    ]
    if report.stopped:
        lines.append(f"Stopped early: {report.stopped}")
    if report.failed:
        lines.append(f"Failed ({len(report.failed)}):")
        lines.extend(f"  {f['url']}: {f['error']}" for f in report.failed[:20])
    if report.skipped_counts:
        lines.append("Skipped: " + ", ".join(f"{n:,} {r}" for r, n in sorted(report.skipped_counts.items())))
    if report.gate:
        lines.append(gate_lines(report.gate, report.index_version))
    _emit(args, data, "\n".join(lines))
    return 0


def _read_history(path: Path | None) -> list[dict[str, str]]:
    if path is None:
        return []
    try:
        history = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionError(f"Cannot read the history file {path}: {exc.strerror}.") from None
    except ValueError:
        raise QuestionError(f"The history file {path} is not valid JSON.") from None
    if not isinstance(history, list):
        raise QuestionError("The history file must hold a JSON list of {role, content} turns.")
    return history


def _format_answer(answer: Any) -> str:
    lines = [answer.answer, ""]
    for c in answer.citations:
        where = " › ".join(p for p in (c.section, f"p. {c.page}" if c.page else "") if p)
        lines.append(f"[{c.n}] {c.title} — {c.url or c.source}" + (f" ({where})" if where else ""))
        lines.append(f"    “{c.snippet}”")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from bot import Bot

    history = _read_history(args.history)
    settings = _settings(args)
    _default_index_if_missing(args, settings)
    bot = Bot.load(settings=settings)
    answer = bot.ask(args.question, history=history, lang=args.lang)
    _emit(args, answer.to_json(), _format_answer(answer))
    return 0


def cmd_criteria(args: argparse.Namespace) -> int:
    from bot import Bot
    from gidsbot.types import criteria_records
    from ui.tender import to_docx, to_markdown

    settings = _settings(args)
    _default_index_if_missing(args, settings)
    fiche, chosen = Bot.load(settings=settings).criteria(args.product_group, args.phase or "", args.lang or "")
    lang = args.lang or (fiche.language if fiche.language in {"nl", "fr", "en"} else "en")
    if args.docx:
        args.docx.write_bytes(to_docx(chosen, lang, fiche.title))
    data = {"product_group": fiche.title, "fiche": fiche.to_json(), "criteria": criteria_records(chosen)}
    _emit(args, data, f"{fiche.title}\n\n{to_markdown(chosen, lang)}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot import Bot
    from bot.evaluate import evaluate, format_evaluation, read_questions

    questions = read_questions(args.file)
    settings = _settings(args)
    _default_index_if_missing(args, settings)
    bot = Bot.load(settings=settings)
    result = evaluate(bot, questions, k=args.k)
    details = result.pop("details")
    if args.details:
        with open(args.details, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in details)
    _emit(args, result, format_evaluation(result))
    return 0


def _default_index_if_missing(args: argparse.Namespace, settings: Settings) -> None:
    """On a fresh clone, `gidsbot ask` works at once: the default index is built from the bundled corpus.
    An index named with --index or GIDSBOT_INDEX is never built behind the user's back."""
    if args.index is None and not os.environ.get("GIDSBOT_INDEX"):
        from ingest.pipeline import ensure_index

        ensure_index(settings)


def cmd_serve(args: argparse.Namespace) -> int:
    from ingest.pipeline import ensure_index

    settings = _settings(args)
    ensure_index(settings)
    app = Path(__file__).with_name("app.py")
    env = dict(os.environ, GIDSBOT_INDEX=str(Path(settings.index).resolve()))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",  # no "Deploy" button in front of buyers
        # no watching of the source files for changes: after every run of every session Streamlit would
        # otherwise walk all loaded modules to watch them, the largest cost of a rerun under a workshop's load
        "--server.fileWatcherType",
        "none",
        # nor a full garbage collection after every run: with the index in memory it was a third of the
        # server's CPU under load (bench/README.md); Python's own collector still runs
        "--runner.postScriptGC",
        "false",
    ]
    sys.stderr.write(f"gidsbot: open http://{args.address}:{args.port}/\n")
    if args.json:
        _emit(args, {"url": f"http://{args.address}:{args.port}/", "index": env["GIDSBOT_INDEX"]}, "")
        sys.stdout.flush()
    os.execvpe(command[0], command, env)  # noqa: S606 - replaces this process with the server
    return 0  # pragma: no cover


def cmd_index(args: argparse.Namespace) -> int:
    from gidsbot.index import current_version, list_versions, read_manifest, resolve_version, set_current

    root = Path(_settings(args).index)
    if args.action == "verify":
        return _verify(args, root)
    if args.action == "use":
        set_current(root, args.version)
    current = current_version(root)
    versions = []
    for version in reversed(list_versions(root)):
        entry: dict[str, object] = {"version": version, "current": version == current}
        try:
            manifest = read_manifest(resolve_version(root, version))
        except GidsbotError as exc:  # listed all the same: the rollback tool must work when one is damaged
            versions.append({**entry, "damaged": str(exc)})
            continue
        versions.append(
            {
                **entry,
                "created": manifest.created,
                "documents": manifest.counts.get("documents", 0),
                "chunks": manifest.counts.get("chunks", 0),
            }
        )
    human = (
        "\n".join(
            f"{'*' if v['current'] else ' '} {v['version']}  "
            + (
                f"damaged: {v['damaged']}"
                if "damaged" in v
                else f"{v['created']}  {v['documents']} documents, {v['chunks']} chunks"
            )
            for v in versions
        )
        or f"No index versions in {root}."
    )
    _emit(args, {"current": current, "versions": versions}, human)
    return 0


def _verify(args: argparse.Namespace, root: Path) -> int:
    from gidsbot.index import check_files, list_versions, read_manifest, resolve_version

    names = list(reversed(list_versions(root))) if args.all else [resolve_version(root, args.version).version]
    checked: list[dict[str, Any]] = []
    for name in names:
        try:
            files = resolve_version(root, name)
            manifest = read_manifest(files)
            problems = check_files(files, manifest, full=True)
            note = "" if manifest.files else "written before checksums were recorded: only its structure was checked"
        except GidsbotError as exc:
            problems, note = [str(exc)], ""
        checked.append({"version": name, "ok": not problems, "problems": problems, "note": note})
    whole = all(v["ok"] for v in checked)
    human = (
        "\n".join(
            f"{v['version']}: "
            + ("whole" if v["ok"] else "damaged: " + "; ".join(v["problems"]))
            + (f" ({v['note']})" if v["note"] else "")
            for v in checked
        )
        or f"No index versions in {root}."
    )
    _emit(args, {"ok": whole, "versions": checked}, human)
    return 0 if whole else 1


COMMANDS = {
    "ingest": cmd_ingest,
    "ask": cmd_ask,
    "criteria": cmd_criteria,
    "eval": cmd_eval,
    "serve": cmd_serve,
    "index": cmd_index,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request drowns the progress
    started = time.monotonic()
    try:
        return COMMANDS[args.command](args)
    except GidsbotError as exc:
        return _fail(args, str(exc))
    except OSError as exc:  # a path that cannot be used: one sentence, not a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(args, f"{exc.strerror or exc}{where}.")
    except KeyboardInterrupt:
        return _fail(args, "Interrupted; nothing was published, the previous index keeps serving.", 130)
    finally:
        log.info("%s took %.2f s", args.command, time.monotonic() - started)


def _fail(args: argparse.Namespace, message: str, status: int = 1) -> int:
    sys.stderr.write(f"gidsbot: {message}\n")
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps({"error": message}, ensure_ascii=False) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
