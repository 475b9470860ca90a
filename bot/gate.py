"""The evaluation gate: a new index version answers the gold questions before it is published.

``gidsbot ingest --gate FILE.jsonl`` (or ``GIDSBOT_GATE``, or ``gate = "..."`` in sources.toml)
hands a :class:`Gate` to the ingestion. Once the new version is written, still unpublished, the gate
answers the questions on it and on the current version, with the same code and extractive answers
(the gate judges the index, not a language model), and refuses the new version when a figure falls
below the current one's by more than the tolerance. Ingestion only calls it: ``ingest`` does not
import this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.chat import Bot
from bot.evaluate import evaluate, figures, read_questions
from gidsbot.errors import GidsbotError
from gidsbot.index import current_version
from gidsbot.settings import Settings

__all__ = ["FIGURES", "Gate", "compare"]

# what a buyer would notice getting worse: found at all, the right page cited, the fact said, refusals
FIGURES = ("answered", "cited_source", "fact", "refused")
_PER_QUESTION = ("found", "cited_source", "fact", "refused")


@dataclass
class Gate:
    path: Path
    settings: Settings
    tolerance: float = 0.05
    questions: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path, settings: Settings, tolerance: float | None = None) -> Gate:
        """Read the gold questions now, before a long crawl, so a bad file fails at once."""
        chosen = settings.gate_tolerance if tolerance is None else tolerance
        if not 0 <= chosen <= 1:
            raise GidsbotError(f"The gate's tolerance must be between 0 and 1, not {chosen}.")
        return cls(Path(path), settings, chosen, read_questions(Path(path)))

    def __call__(self, root: Path, candidate: str) -> dict[str, Any]:
        """The verdict on ``candidate`` (a written, unpublished version of the index in ``root``)."""
        after = self._measure(root, candidate)
        current = current_version(root)
        before, unreadable = None, ""
        if current:
            try:
                before = self._measure(root, current)
            except GidsbotError as exc:  # a damaged current version is no yardstick: the new one is judged alone
                unreadable = str(exc)
        verdict = compare(before, after, self.tolerance)
        return {
            "file": str(self.path.resolve()),
            "questions": len(self.questions),
            "tolerance": self.tolerance,
            "against": current or "",
            **({"against_unreadable": unreadable} if unreadable else {}),
            **verdict,
        }

    def _measure(self, root: Path, version: str) -> dict[str, Any]:
        # extractive answers: the gate judges the index, and must not wait on a model server
        settings = self.settings.replace(index=Path(root), llm_base_url="", llm_model="", pin_version="")
        result = evaluate(Bot.load(settings=settings, version=version), self.questions)
        measured = figures(result["details"])
        return {
            "version": version.lstrip("."),
            "figures": {name: measured[name] for name in FIGURES},
            "details": result["details"],
        }


def compare(before: dict[str, Any] | None, after: dict[str, Any], tolerance: float) -> dict[str, Any]:
    """Pass or fail, the figures before and after, which figures fell, and the questions that changed."""
    new = after["figures"]
    old = before["figures"] if before else None
    fell = [
        name
        for name in FIGURES
        if old is not None
        and old.get(name) is not None
        and new.get(name) is not None
        and new[name] < old[name] - tolerance - 1e-9
    ]
    return {
        "passed": not fell,
        "before": old,
        "after": new,
        "fell": fell,
        "changed": _changed(before["details"] if before else [], after["details"]),
    }


def _changed(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions whose outcome differs between the two versions, worse ones first."""
    old = {d["question"]: d for d in before}
    changed = []
    for detail in after:
        previous = old.get(detail["question"])
        if previous is None:
            continue
        was = {k: previous[k] for k in _PER_QUESTION if previous[k] is not None}
        now = {k: detail[k] for k in _PER_QUESTION if detail[k] is not None}
        if was != now:
            worse = any(was.get(k) and not now.get(k) for k in was if k != "found" or detail["answerable"])
            changed.append({"question": detail["question"], "worse": worse, "before": was, "after": now})
    return sorted(changed, key=lambda c: not c["worse"])
