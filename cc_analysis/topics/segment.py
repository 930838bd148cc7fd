"""Sentence segments: the unit topics are found in.

Feedback often raises several themes in one comment, so documents are split into sentence-level
segments, and a document's themes are the topics of its segments. Fragments are dropped; no
document vanishes for it. Greetings and sign-offs are taken out before, by their shape
(``cc_analysis.normalise``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+|;\s+|\s+-\s+")
MIN_SEGMENT_WORDS = 3


def segment(texts: Sequence[str], min_words: int = MIN_SEGMENT_WORDS) -> pd.DataFrame:
    """Split documents into sentence-level segments: columns ``doc``, ``segment``.

    Segments shorter than ``min_words`` words (a lone sign-off, a one-word answer) are dropped;
    a document with no segment left keeps its whole text as one segment so nothing vanishes.
    """
    rows: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            continue
        parts = [p.strip(" \t,") for p in _SPLIT.split(text)]
        keep = [p for p in parts if len(p.split()) >= min_words]
        rows.extend((i, p) for p in (keep or [text.strip()]))
    return pd.DataFrame(rows, columns=["doc", "segment"])


def whole_documents(texts: Sequence[str]) -> pd.DataFrame:
    """Each non-blank document as one segment (for texts that are single statements)."""
    keep = [(i, t.strip()) for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
    return pd.DataFrame(keep, columns=["doc", "segment"])
