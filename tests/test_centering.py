import numpy as np

from bot.centering import CentredSearch, centred, language_means


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def test_a_question_finds_the_same_topic_in_the_other_language():
    """Guards against a question that only ever finds pages in its own language: each language pulls
    its texts toward its own average, so raw search ranks any Dutch page above the French page on the
    question's topic; with each language's average taken out, the French page comes first."""
    rng = np.random.default_rng(7)
    dim, topics = 64, 12
    topic = _unit(rng.normal(size=(topics, dim)))
    accent = {"nl": 2.0 * _unit(rng.normal(size=dim)), "fr": 2.0 * _unit(rng.normal(size=dim))}
    languages = ["nl"] * topics + ["fr"] * topics
    noise = 0.05 * rng.normal(size=(2 * topics, dim))
    passages = _unit(np.vstack([topic + accent["nl"], topic + accent["fr"]]) + noise)
    question = _unit(topic[3] + accent["nl"])  # a Dutch question about topic 3, answered on the French page only
    raw = np.argsort(-(passages @ question))[:topics]
    assert topics + 3 not in raw  # every Dutch page first, whatever its topic

    search = CentredSearch(passages, languages)
    found = search.search(question, "nl", depth=4)
    assert set(found[:2]) == {3, topics + 3}  # the topic in both languages, before any other Dutch page
    assert search.search(question, "nl", depth=100) == search.search(question, "nl", depth=2 * topics)


def test_a_language_with_few_passages_is_centred_on_the_average_of_all():
    """Guards against a mean taken over two English passages: it would be the passages themselves."""
    vectors = _unit(np.random.default_rng(1).normal(size=(30, 16)))
    search = CentredSearch(vectors, ["nl"] * 28 + ["en"] * 2)
    assert set(search.means) == {"nl"} and len(search.search(vectors[0], "en", 5)) == 5
    assert CentredSearch(np.zeros((0, 16), np.float32), []).search(vectors[0], "nl", 5) == []


def test_a_sentence_in_the_other_language_scores_on_its_topic_not_its_language():
    """Guards against the quote chosen for a French question always being a French sentence: with each
    language's mean taken out, the Dutch sentence on the topic scores above a French one off it."""
    rng = np.random.default_rng(3)
    dim = 32
    topic = _unit(rng.normal(size=(10, dim)))
    accent = {"nl": 2.0 * _unit(rng.normal(size=dim)), "fr": 2.0 * _unit(rng.normal(size=dim))}
    vectors = _unit(np.vstack([topic + accent["nl"], topic + accent["fr"]]))
    languages = ["nl"] * 10 + ["fr"] * 10
    means = language_means(vectors, languages)
    question = _unit(topic[2] + accent["fr"])
    on_topic_dutch, off_topic_french = vectors[2], vectors[10 + 5]
    assert float(off_topic_french @ question) > float(on_topic_dutch @ question)  # raw: the language wins
    asked = centred(question, "fr", means)
    assert float(centred(on_topic_dutch, "nl", means) @ asked) > float(centred(off_topic_french, "fr", means) @ asked)
    assert -1.0 <= float(centred(vectors[0], "de", means) @ centred(question, "de", means)) <= 1.0  # overall mean
    assert not centred(None, "nl", means).any()
