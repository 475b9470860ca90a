"""Vectors stored in blocks named by their content, so that versions share what did not change.

The vectors a version loads whole (the answer units': 34 MB of 69 at 1,000 pages; the vocabulary's:
5.6 MB of 12 on the development guide; the passages') are cut into blocks of
about ``BLOCK_EVERY`` passages (or ``WORDS_PER_BLOCK`` words). Where a block ends depends only on the passages
themselves (after a passage whose id hashes to a multiple of ``BLOCK_EVERY``), never on row numbers:
a page edited, added or removed moves the boundaries of its own blocks only. Each block is a float16
FAISS file named ``<stem>.<first 16 hex digits of its SHA-256>.faiss``; the manifest lists a matrix's
blocks in order (``Manifest.blocks``). A block the previous version holds under the same name holds
the same bytes, and ingest hard-links it instead of keeping a second copy (``share_unchanged``). Past
``APPROXIMATE_FROM`` passages the centroids of the lists the passages are searched through are one more
block per model (``dense-<n>.lists``), new with every changed run (a fraction of a megabyte).

A version written before blocks keeps its single ``units.faiss`` (and the others); :func:`read_matrix`
reads either.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from gidsbot.index.layout import IndexFiles, Manifest, lists_name, read_vectors, train_lists, write_vectors

__all__ = ["BLOCK_EVERY", "WORDS_PER_BLOCK", "block_ends", "read_matrix", "write_blocks", "write_passages"]

BLOCK_EVERY = 16  # passages a block holds on average (32: a changed run wrote 27 % more, bench/README.md)
WORDS_PER_BLOCK = 128  # words of the vocabulary a block holds on average


def block_ends(keys: Sequence[str], every: int = 0) -> list[int]:
    """Where blocks end, as row counts: after each key whose hash is a multiple of ``every``
    (``BLOCK_EVERY``), and at the end."""
    every = every or BLOCK_EVERY
    ends = [
        n + 1
        for n, key in enumerate(keys)
        if int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") % every == 0
    ]
    if not ends or ends[-1] != len(keys):
        ends.append(len(keys))
    return ends


def write_blocks(folder: Path, stem: str, vectors: np.ndarray, dim: int, ends: Sequence[int]) -> list[str]:
    """Write ``vectors`` cut at ``ends`` (row counts, the last one ``len(vectors)``) as float16 FAISS files
    named by their content; returns the names in order. An empty block is not written."""
    names, start = [], 0
    for end in ends:
        if end <= start:
            continue
        scratch = folder / f".{stem}.block"
        write_vectors(scratch, vectors[start:end], dim, "float16")
        digest = hashlib.sha256(scratch.read_bytes()).hexdigest()[:16]
        name = f"{stem}.{digest}.faiss"
        os.replace(scratch, folder / name)  # the same name twice holds the same bytes
        names.append(name)
        start = end
    if not names:  # no vectors at all: one empty block keeps the dimension
        scratch = folder / f"{stem}.empty.faiss"
        write_vectors(scratch, vectors[:0], dim, "float16")
        names.append(scratch.name)
    return names


def write_passages(
    folder: Path, name: str, vectors: np.ndarray, dim: int, ends: Sequence[int], approximate: bool
) -> dict[str, list[str]]:
    """One model's passage vectors (``dense-0.faiss``) in blocks cut at ``ends`` and, when the version is to be
    searched ``approximate``-ly, one more block with the centroids of its lists: the manifest's entries."""
    stem = Path(name).stem
    written = {name: write_blocks(folder, stem, vectors, dim, ends)}
    if approximate:
        centroids = train_lists(vectors)
        written[lists_name(name)] = write_blocks(folder, lists_name(name), centroids, dim, [len(centroids)])
    return written


def read_matrix(files: IndexFiles, manifest: Manifest, name: str) -> np.ndarray:
    """The vectors of ``name`` (``units.faiss``): its blocks joined in order, or the single file an
    older version wrote."""
    blocks = manifest.blocks.get(name)
    if not blocks:
        return read_vectors(files.dir / name)
    parts = [read_vectors(files.dir / block) for block in blocks]
    return np.vstack(parts) if len(parts) > 1 else parts[0]
