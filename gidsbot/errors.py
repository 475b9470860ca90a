"""The errors gidsbot shows to people.

    GidsbotError                 every error here; str(error) is one sentence for the user
    ├── ConfigError              a setting or option has a value that cannot work
    ├── IndexError_              the index cannot be used
    │   ├── IndexMissing         there is no published index yet
    │   ├── IndexMismatch        built with other embeddings than configured
    │   └── IndexCorrupt         files are missing or unreadable
    ├── IngestError              an ingestion could not complete (the old index keeps serving)
    ├── QuestionError            the question cannot be answered as asked (empty, too long)
    ├── ModelError               an embedding or language model failed
    └── StoreError               the feedback database could not be reached or refused a statement

The CLI and the app print ``str(error)``; a traceback reaching a user is a bug.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "GidsbotError",
    "IndexCorrupt",
    "IndexError_",
    "IndexMismatch",
    "IndexMissing",
    "IngestError",
    "ModelError",
    "QuestionError",
    "StoreError",
]


class GidsbotError(Exception):
    """Base of every error meant to be shown to a person."""


class ConfigError(GidsbotError):
    pass


class IndexError_(GidsbotError):  # noqa: N801, N818 - the builtin IndexError is something else
    pass


class IndexMissing(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


class IngestError(GidsbotError):
    pass


class QuestionError(GidsbotError):
    pass


class ModelError(GidsbotError):
    pass


class StoreError(GidsbotError):
    """The feedback database could not be reached or refused a statement; str() names the database
    (the store's label), never its password."""
