"""The unified ``feedback`` table: every piece of customer text, whatever its source.

Owns the one shape the text analyses read: NPS comments, support tickets (subject and body) and
app reviews (title and text) as ``doc_id, source, source_id, account_id, created_at, quarter,
text, score, score_kind``; the ``doc_id`` is :func:`cc_analysis.store.feedback_doc_id`
(``ticket:100231``). Rows without text are left out.
"""

from __future__ import annotations

import pandas as pd

from ..config import FEEDBACK_SOURCES
from ..periods import quarter_labels
from ..store import feedback_doc_id

FEEDBACK_COLUMNS = ["doc_id", "source", "source_id", "account_id", "created_at", "quarter",
                    "text", "score", "score_kind"]


def feedback_table(tables: dict[str, pd.DataFrame], fy_start_month: int) -> pd.DataFrame:
    """One row per piece of customer text in the validated ``nps_responses``, ``tickets`` and
    ``reviews`` tables (those present)."""
    parts = []
    if "nps_responses" in tables:
        d = tables["nps_responses"]
        parts.append(pd.DataFrame({
            "source": FEEDBACK_SOURCES["nps"], "source_id": d["response_id"],
            "account_id": d["account_id"],
            "created_at": d["submitted_at"], "text": d["comment"], "score": d["score"],
            "score_kind": "nps",
        }))
    if "tickets" in tables:
        d = tables["tickets"]
        text = d["subject"].fillna("").str.strip() + "\n" + d["body"].fillna("").str.strip()
        parts.append(pd.DataFrame({
            "source": FEEDBACK_SOURCES["tickets"], "source_id": d["ticket_id"],
            "account_id": d["account_id"],
            "created_at": d["created_at"], "text": text.str.strip(), "score": d["csat"],
            "score_kind": "csat",
        }))
    if "reviews" in tables:
        d = tables["reviews"]
        title = d["title"].fillna("") if "title" in d else ""
        text = (title + "\n" + d["text"].fillna("")).str.strip()
        parts.append(pd.DataFrame({
            "source": FEEDBACK_SOURCES["reviews"], "source_id": d["review_id"], "account_id": None,
            "created_at": d["reviewed_at"], "text": text, "score": d["rating"],
            "score_kind": "rating",
        }))
    if not parts:
        return pd.DataFrame(columns=FEEDBACK_COLUMNS)
    fb = pd.concat(parts, ignore_index=True)
    fb = fb[fb["text"].notna() & (fb["text"].str.strip() != "")].reset_index(drop=True)
    fb["score"] = pd.to_numeric(fb["score"]).astype("Float64")
    fb.insert(0, "doc_id", feedback_doc_id(fb["source"], fb["source_id"]))
    fb.insert(5, "quarter", quarter_labels(fb["created_at"], fy_start_month))
    return fb
