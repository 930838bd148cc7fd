"""The canonical schema of every tabular source kind: columns, types, bounds, unique keys.

Owns what a validated source looks like (:class:`Col` per canonical column, in
:data:`SCHEMAS`), the store table each kind becomes (:data:`TABLE_NAMES`), the key that must be
unique within a source (:data:`UNIQUE_KEYS`) and which columns hold free text to redact.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    """A canonical column: its type, whether it must be present and whether it may be blank."""

    type: str  # id, text, category, int, float, bool, date, timestamp
    required: bool = True
    nullable: bool = False
    lo: float | None = None
    hi: float | None = None
    allowed: tuple[str, ...] | None = None



SCHEMAS: dict[str, dict[str, Col]] = {
    "accounts": {
        "account_id": Col("id"),
        "account_name": Col("category", required=False, nullable=True),
        "plan": Col("category"),
        "billing_term": Col("category", allowed=("monthly", "annual")),
        "segment": Col("category"),
        "region": Col("category", required=False, nullable=True),
        "arr": Col("float", lo=0),
        "start_date": Col("date"),
        "end_date": Col("date", nullable=True),
    },
    "usage_monthly": {
        "account_id": Col("id"),
        "month": Col("date"),
        "active_users": Col("int", lo=0),
        "licensed_seats": Col("int", lo=0, required=False, nullable=True),
        "mrr": Col("float", lo=0, required=False, nullable=True),
        "used_reports": Col("bool", required=False, nullable=True),
        "used_integrations": Col("bool", required=False, nullable=True),
        "used_automations": Col("bool", required=False, nullable=True),
        "used_mobile": Col("bool", required=False, nullable=True),
    },
    "tickets": {
        "ticket_id": Col("id"),
        "account_id": Col("id", nullable=True),
        "created_at": Col("timestamp"),
        "first_reply_at": Col("timestamp", nullable=True),
        "solved_at": Col("timestamp", nullable=True),
        "status": Col("category", required=False, nullable=True),
        "channel": Col("category", required=False, nullable=True),
        "subject": Col("text", nullable=True),
        "body": Col("text", nullable=True),
        "csat": Col("int", required=False, nullable=True, lo=1, hi=5),
    },
    "nps": {
        "response_id": Col("id"),
        "account_id": Col("id", nullable=True),
        "submitted_at": Col("timestamp"),
        "score": Col("int", lo=0, hi=10),
        "comment": Col("text", nullable=True),
        "ces": Col("int", required=False, nullable=True, lo=1, hi=7),
    },
    "reviews": {
        "review_id": Col("id"),
        "reviewed_at": Col("timestamp"),
        "store": Col("category", required=False, nullable=True),
        "rating": Col("int", lo=1, hi=5),
        "title": Col("text", required=False, nullable=True),
        "text": Col("text", nullable=True),
    },
}
TABLE_NAMES = {
    "nps": "nps_responses",
    "reviews": "reviews",
    "tickets": "tickets",
    "accounts": "accounts",
    "usage_monthly": "usage_monthly",
}
UNIQUE_KEYS = {
    "accounts": ("account_id",),
    "usage_monthly": ("account_id", "month"),
    "tickets": ("ticket_id",),
    "nps": ("response_id",),
    "reviews": ("review_id",),
}


def text_columns() -> list[tuple[str, str]]:
    """(store table, column) of every free-text column, in schema order: what ingest redacts."""
    return [(TABLE_NAMES[kind], c) for kind in TABLE_NAMES for c, col in SCHEMAS[kind].items()
            if col.type == "text"]
