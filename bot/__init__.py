"""Answering: load a published index, retrieve passages (hybrid), compose an answer with citations.

    from bot import Bot
    bot = Bot.load("data/index")
    answer = bot.ask("Wanneer werd de eerste Buyer Meets Supplier gehouden?", history=[])

``Bot`` is imported on first use: `gidsbot.errors` or `gidsbot.settings` alone load neither FAISS nor models.
"""

from typing import TYPE_CHECKING

from gidsbot.errors import GidsbotError
from gidsbot.types import Answer, Chunk, Citation, Hit

if TYPE_CHECKING:
    from bot.chat import Bot

__all__ = ["Answer", "Bot", "Chunk", "Citation", "GidsbotError", "Hit"]


def __getattr__(name: str) -> object:
    if name == "Bot":
        from bot.chat import Bot

        return Bot
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
