"""Answering: load a published index, retrieve passages (hybrid), compose an answer with citations."""

from bot.chat import Bot
from bot.errors import GidsbotError
from bot.types import Answer, Chunk, Citation, Hit

__all__ = ["Answer", "Bot", "Chunk", "Citation", "GidsbotError", "Hit"]
