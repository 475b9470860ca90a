"""Answering with fast hashing embeddings: behaviour of Bot.ask whatever the models."""

from pathlib import Path

import pytest

from bot import Bot
from gidsbot.errors import QuestionError
from gidsbot.settings import load_settings
from ingest.pipeline import run_ingest


@pytest.fixture(scope="module")
def hashing_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    settings = load_settings(environ={}, index=tmp_path_factory.mktemp("h") / "index", embeddings="hashing")
    run_ingest(settings, show_progress=False)
    return Bot.load(settings=settings)


@pytest.mark.parametrize("question", ["", "   ", "???", "\x00\x01"])
def test_malformed_questions_get_a_sentence(hashing_bot, question):
    with pytest.raises(QuestionError) as error:
        hashing_bot.ask(question)
    assert str(error.value).endswith(".") and "Traceback" not in str(error.value)


def test_overlong_question_is_refused_with_its_length(hashing_bot):
    with pytest.raises(QuestionError, match="too long"):
        hashing_bot.ask("papier " * 1000)


def test_bad_history_is_explained(hashing_bot):
    with pytest.raises(QuestionError, match="history"):
        hashing_bot.ask("Wanneer was de tweede?", history="niet een lijst")  # type: ignore[arg-type]
    with pytest.raises(QuestionError, match="role"):
        hashing_bot.ask("Wanneer was de tweede?", history=[{"role": "system", "content": "x"}])


def test_answer_cites_numbered_sources_that_exist(hashing_bot):
    answer = hashing_bot.ask("Wanneer werd de eerste Buyer Meets Supplier gehouden?")
    assert answer.found and answer.language == "nl"
    numbers = {c.n for c in answer.citations}
    assert numbers == set(range(1, len(numbers) + 1))
    for n in numbers:
        assert f"[{n}]" in answer.answer
    assert "23 mei 2018" in answer.answer
    assert answer.citations[0].source == "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"


def test_answer_language_can_be_forced(hashing_bot):
    answer = hashing_bot.ask("Wanneer werd de eerste Buyer Meets Supplier gehouden?", lang="en")
    assert answer.language == "en" and answer.answer.startswith("According to")


def test_unknown_language_is_refused(hashing_bot):
    with pytest.raises(QuestionError, match="nl, fr or en"):
        hashing_bot.ask("Wat is EMAS?", lang="de")


def test_follow_up_uses_the_previous_question(hashing_bot):
    history = [
        {"role": "user", "content": "Wanneer was de eerste Buyer Meets Supplier?"},
        {"role": "assistant", "content": "Op 23 mei 2018 [1]"},
    ]
    answer = hashing_bot.ask("En wanneer was de tweede?", history=history)
    assert answer.found and "4 februari 2019" in answer.answer


def test_answer_serialises_to_the_json_contract(hashing_bot):
    data = hashing_bot.ask("Hoeveel organisaties engageerden zich via Vlaanderen Circulair?").to_json()
    assert {"answer", "language", "found", "citations"} <= set(data)
    assert {"n", "title", "source", "section", "snippet"} <= set(data["citations"][0])


def test_python_api_from_a_path(tmp_path: Path):
    settings = load_settings(environ={}, index=tmp_path / "i", embeddings="hashing")
    run_ingest(settings, show_progress=False)
    bot = Bot.load(tmp_path / "i")
    assert bot.ask("Wie is bevoegd voor het Vlaams Actieplan?", history=[]).citations


def test_refusal_bar_rises_with_the_off_topic_baseline():
    from bot.decide import BASELINE_REFERENCE, THRESHOLD_REFERENCE, threshold

    assert threshold(BASELINE_REFERENCE) == pytest.approx(THRESHOLD_REFERENCE)
    assert threshold(0.45) < threshold(0.5) < threshold(0.55)
    assert threshold(0.0) >= 0.6 and threshold(1.0) <= 0.95


def test_a_loaded_bot_keeps_answering_after_its_version_is_pruned(tmp_path: Path):
    """Guards against sqlite3.OperationalError in Bot.ask once a later ingest deleted the bot's version."""
    from gidsbot.index import list_versions

    root = tmp_path / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing", keep_versions=1)
    run_ingest(settings, show_progress=False)
    bot = Bot.load(settings=settings)
    old = bot.version
    run_ingest(settings, rebuild=True, show_progress=False)
    assert old not in list_versions(root)
    answer = bot.ask("Hoeveel organisaties engageerden zich via Vlaanderen Circulair?")
    assert answer.found and answer.index_version == old
    assert bot.index.documents()


def test_a_huge_history_turn_costs_no_more_than_a_question(hashing_bot: Bot):
    """Guards against a pasted 100 kB turn making a follow-up cost minutes (and hundreds of MB): only the
    last turns are read, each cut to a question's length."""
    from bot.chat import HISTORY_TURNS, MAX_QUESTION_CHARS, _previous_questions

    history = [{"role": "user", "content": "Vlaanderen Circulair " * 5000}] * 50
    read = _previous_questions(history)
    assert len(read) == HISTORY_TURNS and all(len(turn) <= MAX_QUESTION_CHARS for turn in read)
    answer = hashing_bot.ask("En hoeveel organisaties?", history=history)
    assert answer.question == "En hoeveel organisaties?"


def test_the_same_question_is_answered_once_and_each_asker_gets_a_copy(hashing_bot: Bot):
    """A workshop: 75 buyers asking the starter cost one answer. The cached answer is the same for the
    same question, language and conversation, and what one caller changes the next does not see."""
    from bot.cache import AnswerCache

    question = "Hoeveel organisaties engageerden zich in totaal via Vlaanderen Circulair?"  # asked nowhere else
    before = hashing_bot.cache.hits
    first = hashing_bot.ask(question)
    first.answer = "changed by the first caller"
    second = hashing_bot.ask(question)
    streamed = list(hashing_bot.stream(question))[-1]
    assert hashing_bot.cache.hits == before + 2
    assert second.answer != first.answer and second.answer == streamed.answer and second.found
    asked_again = hashing_bot.ask(question, history=[{"role": "user", "content": "Wat is Vlaanderen Circulair?"}])
    assert hashing_bot.cache.hits == before + 2 and asked_again.question == question  # another conversation
    off = AnswerCache[str](0)
    off.put("key", "value")
    assert off.get("key") is None and len(off) == 0
    small = AnswerCache[str](2)
    for key in ("a", "b", "a", "c"):  # "a" was used again, so "b" is the oldest
        small.put(key, key.upper()) if small.get(key) is None else None
    assert small.get("b") is None and small.get("a") == "A" and small.get("c") == "C"


def test_askers_of_one_question_at_the_same_moment_wait_for_one_answer(hashing_bot: Bot, monkeypatch):
    """A room tapping the same starter together: one retrieval and one answer, the others wait for it,
    whether they ask for the whole answer or the streamed one."""
    import threading
    import time

    question = "Hoeveel aankopers namen deel aan de Buyer Meets Supplier?"  # asked nowhere else
    found, calls = hashing_bot.find, []

    def slow_find(query):  # type: ignore[no-untyped-def]
        calls.append(query.text)
        time.sleep(0.3)  # long enough for every asker to arrive while the first one answers
        return found(query)

    monkeypatch.setattr(hashing_bot, "find", slow_find)
    start = threading.Barrier(6)
    answers: list[str] = []

    def asker(streamed: bool) -> None:
        start.wait()
        answer = list(hashing_bot.stream(question))[-1] if streamed else hashing_bot.ask(question)
        answers.append(answer.answer)  # type: ignore[union-attr]

    threads = [threading.Thread(target=asker, args=(i % 2 == 0,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(calls) == 1 and len(answers) == 6 and len(set(answers)) == 1
