"""Headline customer metrics and their confidence intervals, overall and per fiscal quarter.

Owns the *definitions* of the numbers in the quarterly report, one module per family: survey
scores (``survey``: NPS, CSAT, CES), revenue (``revenue``: logo and revenue churn, GRR/NRR,
CLV), support times (``support``), feature adoption (``adoption``) and the quarter's headline
(``headline``). Every function is pure: it takes pandas objects with the canonical store
columns (``docs/data-formats.md``) and returns a small frozen dataclass (``results``, with
``to_dict()``) or a tidy DataFrame. No database access, no plotting. Quarter arguments and time
windows are handled the same way everywhere (``inputs``).
"""

from .adoption import adoption, adoption_by_quarter
from .headline import headline, headline_trend
from .results import (
    AdoptionResult,
    CesResult,
    ClvResult,
    NpsChange,
    NpsResult,
    RetentionResult,
    ShareResult,
    TicketTimesResult,
)
from .revenue import (
    DEFAULT_GROSS_MARGIN,
    churn_by_quarter,
    clv,
    clv_for_quarter,
    retention_by_quarter,
    revenue_retention,
)
from .support import ticket_times, ticket_times_by_quarter
from .survey import (
    by_quarter,
    ces,
    ces_by_quarter,
    csat,
    csat_by_quarter,
    nps,
    nps_by_quarter,
    nps_change_test,
)

__all__ = [
    "DEFAULT_GROSS_MARGIN",
    "AdoptionResult",
    "CesResult",
    "ClvResult",
    "NpsChange",
    "NpsResult",
    "RetentionResult",
    "ShareResult",
    "TicketTimesResult",
    "adoption",
    "adoption_by_quarter",
    "by_quarter",
    "ces",
    "ces_by_quarter",
    "churn_by_quarter",
    "clv",
    "clv_for_quarter",
    "csat",
    "csat_by_quarter",
    "headline",
    "headline_trend",
    "nps",
    "nps_by_quarter",
    "nps_change_test",
    "retention_by_quarter",
    "revenue_retention",
    "ticket_times",
    "ticket_times_by_quarter",
]
