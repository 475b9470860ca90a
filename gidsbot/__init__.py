"""The core that ``ingest``, ``bot`` and ``ui`` share: settings, errors, the records that cross
between them, text analysis, embeddings, answer units, and the index format (:mod:`gidsbot.index`).

It imports nothing of the three stages: data flows ingest -> index <- bot <- ui.
"""
