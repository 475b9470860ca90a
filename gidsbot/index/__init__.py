"""The index format, in one place: ``ingest`` writes it, ``bot`` reads it, through these names only.

- :mod:`gidsbot.index.layout`: folders and files of the versions, the manifest and its checksums,
  publishing, rollback, pruning and the ingestion lock;
- :mod:`gidsbot.index.schema`: the tables of ``chunks.sqlite``, by column name both ways.
"""

from gidsbot.index.layout import (
    DATA_FILES,
    LAST_RUN,
    IndexFiles,
    Manifest,
    check_files,
    clean_staging,
    current_version,
    file_digests,
    ingest_lock,
    list_versions,
    new_version_dir,
    now_iso,
    publish,
    read_last_run,
    read_manifest,
    read_report,
    read_vectors,
    resolve_version,
    set_current,
    write_last_run,
    write_vectors,
)
from gidsbot.index.schema import COLUMNS, FORMAT, SCHEMA, chunk_from_row, chunk_row, insert, open_db

__all__ = [
    "COLUMNS",
    "DATA_FILES",
    "FORMAT",
    "LAST_RUN",
    "SCHEMA",
    "IndexFiles",
    "Manifest",
    "check_files",
    "chunk_from_row",
    "chunk_row",
    "clean_staging",
    "current_version",
    "file_digests",
    "ingest_lock",
    "insert",
    "list_versions",
    "new_version_dir",
    "now_iso",
    "open_db",
    "publish",
    "read_last_run",
    "read_manifest",
    "read_report",
    "read_vectors",
    "resolve_version",
    "set_current",
    "write_last_run",
    "write_vectors",
]
