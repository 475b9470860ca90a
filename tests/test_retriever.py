"""The index as a LangChain retriever (bot.Bot.as_retriever)."""

from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from bot import Bot
from gidsbot.errors import QuestionError
from gidsbot.settings import load_settings
from ingest.pipeline import run_ingest


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    root: Path = tmp_path_factory.mktemp("retriever") / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing")
    run_ingest(settings, show_progress=False)
    return Bot.load(settings=settings)


def test_the_retriever_returns_passages_with_their_citation_fields(bot: Bot):
    """Guards against a LangChain chain getting bare text: each document carries what a citation needs."""
    documents = bot.as_retriever(k=3).invoke("Wanneer werd de eerste Buyer Meets Supplier gehouden?")
    assert 1 <= len(documents) <= 3 and all(isinstance(d, Document) for d in documents)
    assert "Buyer Meets Supplier" in documents[0].page_content
    first = documents[0].metadata
    assert first["source"] and first["title"] and first["index_version"] == bot.version
    assert [d.metadata["score"] for d in documents] == sorted((d.metadata["score"] for d in documents), reverse=True)


def test_the_retriever_composes_in_a_chain(bot: Bot):
    """Guards against a retriever that only works alone: it is a Runnable like any other."""
    chain = bot.as_retriever(k=2) | RunnableLambda(lambda docs: [d.metadata["title"] for d in docs])
    titles = chain.invoke("Vlaams Actieplan Duurzame Overheidsopdrachten")
    assert len(titles) == 2 and all(isinstance(t, str) and t for t in titles)


def test_a_malformed_question_gets_a_sentence(bot: Bot):
    with pytest.raises(QuestionError, match="empty"):
        bot.as_retriever().invoke("   ")
