"""Ingestion: sources -> crawl -> extract -> chunk -> embed -> publish an index version."""

__all__ = ["run_ingest"]


def __getattr__(name: str) -> object:  # the pipeline imports models and FAISS: load it on first use
    if name == "run_ingest":
        from ingest.pipeline import run_ingest

        return run_ingest
    raise AttributeError(name)
