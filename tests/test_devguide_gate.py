"""Quality gate on the development guide (bench/devguide): 71 documents NL/FR with twins, PDFs and the real
sites' chrome, crawled from 127.0.0.1 with the real models, and its tuning questions.

The floors sit a little under what the current version measures (bench/README.md). Only the tune
questions are measured here; the held-out parts are measured and reported (the decision is fitted on the
first three of them too, bench/fit_decision.py; the fourth and fifth are fitted on by nothing).
"""

import pytest

from bench.devguide import build_site, questions, serve, write_sitemap
from bot.evaluate import evaluate

pytestmark = pytest.mark.slow

FLOORS = {
    # stop 23 measured 0.935 / 0.882 / 0.854 / 0.857 (floors were 0.9 / 0.83 / 0.77 / 0.82); stop 26 fitted the
    # decision on the tune questions and three held-out parts, for more on new questions and fewer on tune:
    # 0.890 / 0.850 / 0.825 / 0.831 (floors were 0.9 / 0.85 / 0.82 / 0.83)
    "answered": 0.87,
    "cited_source": 0.83,
    "cited_fact": 0.8,
    # 0.88 until stop 22 added 28 harder near-topic tune questions (0.898 -> 0.844 on the larger set)
    "refused_off_topic": 0.81,
    "language_match": 0.99,
}


@pytest.fixture(scope="module")
def devguide_bot(tmp_path_factory):
    from bot import Bot
    from gidsbot.settings import load_settings
    from ingest.pipeline import run_ingest

    folder = tmp_path_factory.mktemp("devguide")
    site = build_site(folder / "site")
    settings = load_settings(environ={}, index=folder / "index", crawl_delay=0.0, retries=0)
    with serve(site) as base:
        write_sitemap(site, base)
        report = run_ingest(settings, sites=[f"{base}/nl/index.html", f"{base}/fr/index.html"], show_progress=False)
    assert report.documents >= 60  # every page and PDF was crawled; dead chrome links are reported, not fatal
    return Bot.load(settings=settings)


def test_the_question_sets_are_big_enough():
    tune, held = questions("tune"), questions("heldout")
    both = tune + held
    assert sum(1 for q in both if q["expected"]) >= 250 and sum(1 for q in both if not q["expected"]) >= 60
    assert {q["category"] for q in both if not q["expected"]} == {"off-topic", "near-topic", "absent"}
    assert {q["language"] for q in both} == {"nl", "fr", "en"} and len(held) >= 100


def test_quality_floors_on_the_development_guide(devguide_bot):
    result = evaluate(devguide_bot, questions("tune"))
    below = {k: (result[k], floor) for k, floor in FLOORS.items() if result[k] < floor}
    assert not below, f"below the floor (measured, floor): {below}"
    assert result["repeated_sentences"] == 0
