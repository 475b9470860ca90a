"""Search a model's vectors with each language's average taken out, so a question finds pages in the other language.

A small multilingual encoder places every text near the average of its language: on the development
guide, a Dutch question whose answer is only in a French PDF found that PDF at rank 35 by e5, behind
every Dutch page on the subject. Subtracting from each passage the mean vector of the passages in
its language, and from the question the mean of the question's language, leaves mostly what the
text is about (the language-neutral part the multilingual model was trained to share).

Measured on the development guide's tune questions (bench/README.md), e5 alone: cross-lingual MRR@10
0.73 → 0.84, the others 0.92 → 0.90. In the fusion the centred ranking is added beside the model's
own (``CENTRED_WEIGHT`` in bot/retrieve.py): it brings the other language's page into the candidates
without pushing the question's own language out. Which models get it is a setting (USE lost a little
when centred).
"""

from __future__ import annotations

from collections.abc import Sequence

import faiss
import numpy as np

__all__ = ["CentredSearch", "centred", "language_means"]

# A language needs this many passages for its own average; the others share the average of all.
MIN_PASSAGES = 10


class CentredSearch:
    """Exact search over one model's passage vectors, centred per language."""

    def __init__(self, vectors: np.ndarray, languages: Sequence[str]) -> None:
        vectors = np.asarray(vectors, np.float32)
        self.overall, self.means = language_means(vectors, languages)
        labels = [language or "" for language in languages]
        if len(labels):
            vectors = vectors - np.stack([self.means.get(str(lang), self.overall) for lang in labels])
        centred = vectors
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        if len(centred):
            self.index.add(_unit(centred))

    def search(self, vector: np.ndarray, language: str, depth: int) -> list[int]:
        """Rows of the ``depth`` passages closest to the question ``vector`` written in ``language``."""
        if not self.index.ntotal:
            return []
        query = _unit((np.asarray(vector, np.float32) - self.means.get(language, self.overall)).reshape(1, -1))
        _, found = self.index.search(query, min(depth, self.index.ntotal))
        return [int(r) for r in found[0] if r >= 0]


def language_means(vectors: np.ndarray, languages: Sequence[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The mean of all ``vectors``, and per language (with MIN_PASSAGES of them) the mean of its own."""
    overall = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1], np.float32)
    labels = np.array([language or "" for language in languages])
    means = {}
    for language in set(labels.tolist()) - {""}:
        own = labels == language
        if own.sum() >= MIN_PASSAGES:
            means[language] = vectors[own].mean(axis=0)
    return overall, means


def centred(vector: np.ndarray | None, language: str, means: tuple[np.ndarray, dict[str, np.ndarray]]) -> np.ndarray:
    """``vector`` with its language's mean (or the overall mean) taken out, at unit length: the dot product
    of two such vectors is their centred cosine. A zero vector for no vector."""
    overall, by_language = means
    if vector is None:
        return np.zeros_like(overall)
    moved = vector - by_language.get(language, overall)
    return moved / max(float(np.linalg.norm(moved)), 1e-12)


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.ascontiguousarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)
