"""The criteria read from the development guide's fiches, checked against the fiches themselves.

    .venv/bin/python bench/criteria.py        # needs bench/out/devguide-index (bench/devguide.py builds it)

For every HTML page of bench/devguide/site with a criteria table, the table's rows are read here
independently (lxml, no gidsbot code) and compared with the criteria records of the index: each row
must be one record of that page with the same text and a phase matching the row's phase cell, and
no record may come from anywhere else. Printed: rows, records, matched, wrong phase, extra.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gidsbot.index import read_criteria, resolve_version  # noqa: E402
from gidsbot.phases import phase_of  # noqa: E402

SITE = HERE / "devguide" / "site"
INDEX = HERE / "out" / "devguide-index"


def _rows(page: Path) -> list[tuple[str, str]]:
    """(criterion, phase) of each row of the page's criteria tables."""
    tree = lxml_html.fromstring(page.read_bytes())
    rows = []
    for table in tree.iter("table"):
        header = [" ".join(th.text_content().split()).lower() for th in table.iter("th")]
        if not header or not any(h.startswith(("criteri", "critère")) for h in header):
            continue
        phase_col = next((i for i, h in enumerate(header) if h in {"fase", "phase"}), None)
        for tr in table.iter("tr"):
            cells = [" ".join(td.text_content().split()) for td in tr.iter("td")]
            if cells:
                rows.append((cells[0], phase_of(cells[phase_col]) if phase_col is not None else ""))
    return rows


def _key(text: str) -> str:
    """Text compared without spaces and punctuation: lxml's text_content() runs "<strong>A</strong>B" together."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def main() -> None:
    records = read_criteria(resolve_version(INDEX))
    by_page: dict[str, list] = {}
    for record in records:
        by_page.setdefault(record.source.split("/", 3)[-1].removesuffix(".html"), []).append(record)
    total = matched = wrong_phase = 0
    seen_pages = set()
    for page in sorted(SITE.rglob("*.html")):
        rows = _rows(page)
        if not rows:
            continue
        key = page.relative_to(SITE).as_posix().removesuffix(".html")
        seen_pages.add(key)
        found = {_key(r.text): r for r in by_page.get(key, [])}
        for text, phase in rows:
            total += 1
            record = found.get(_key(text))
            if record is None:
                continue
            matched += 1
            wrong_phase += bool(phase) and record.phase != phase
    extra = sum(len(v) for k, v in by_page.items() if k not in seen_pages)
    print(
        json.dumps(
            {
                "table_rows": total,
                "records": len(records),
                "matched": matched,
                "wrong_phase": wrong_phase,
                "records_from_pages_without_a_criteria_table": extra,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
