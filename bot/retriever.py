"""The guide's index as a LangChain retriever, so that any LangChain chain can search it.

    from bot import Bot
    retriever = Bot.load("data/index").as_retriever(k=4)
    documents = retriever.invoke("Welke labels gelden voor kantoorpapier?")

The search is the bot's own (dense models, BM25 and sentence ranking fused, the twin page in the
question's language preferred); each document is one passage with its citation fields as metadata.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

if TYPE_CHECKING:
    from bot.chat import Bot

__all__ = ["GuideRetriever"]


class GuideRetriever(BaseRetriever):
    """Passages of a loaded index for a question, best first (``k`` of them)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    bot: Any  # a bot.Bot (typed loosely: pydantic would otherwise inspect its whole structure)
    k: int = 5
    language: str = ""  # the question's language when empty (detected)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        guide: Bot = self.bot
        hits = guide.search(query, self.k, self.language)
        return [
            Document(
                page_content=hit.chunk.text,
                metadata={
                    "source": hit.chunk.source,
                    "url": hit.chunk.url,
                    "title": hit.chunk.title,
                    "section": hit.chunk.section,
                    "page": hit.chunk.page,
                    "language": hit.chunk.language,
                    "modified": hit.chunk.modified,
                    "score": round(hit.score, 4),
                    "index_version": guide.version,
                },
            )
            for hit in hits
        ]
