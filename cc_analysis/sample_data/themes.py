"""The feedback-theme catalogue: what is planted in NPS comments, tickets and app reviews.

The themes themselves (labels, score effects, mention weights, phrasings, ticket subjects) are
data in ``resources/feedback_themes.yaml``; this module gives them a type and holds the rules of
the document model: how often each source mentions each theme, how many themes a document
carries, the share of off-topic chatter, and the emerging and trending themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .calendar import QUARTERS
from .resource_files import read_resource


@dataclass(frozen=True)
class Theme:
    """A planted feedback theme. ``phrasings`` are ``(voice, text)`` with voice neg|pos|req."""

    id: str
    label: str
    description: str
    kind: str  # complaint | praise | request
    nps_effect: float
    rating_effect: float
    csat_effect: float
    weight_first: float  # relative mention weight in 2024Q4 ...
    weight_last: float  # ... and in 2026Q3 (linear in between)
    phrasings: tuple[tuple[str, str], ...]
    subjects: tuple[str, ...]


def _theme(entry: dict[str, Any]) -> Theme:
    phrasings = tuple((voice, text) for item in entry["phrasings"] for voice, text in item.items())
    numbers = ("nps_effect", "rating_effect", "csat_effect", "weight_first", "weight_last")
    return Theme(entry["id"], entry["label"], entry["description"], entry["kind"],
                 *(entry[k] for k in numbers), phrasings, tuple(entry["subjects"]))


THEMES: tuple[Theme, ...] = tuple(_theme(t)
                                  for t in read_resource("feedback_themes.yaml")["themes"])
THEME_INDEX = {t.id: i for i, t in enumerate(THEMES)}
N_THEMES = len(THEMES)

EMERGING_THEME = "sso_login_failures"  # its weight in the last quarter is solved for (models.py)
EMERGING_QUARTER = QUARTERS[-1].label
EMERGING_TARGET_PREVALENCE = 0.12
TRENDING = {"performance_slowness": "up", "onboarding_setup": "down"}

SOURCES = ("nps", "ticket", "review")
# Multipliers on theme weights per source (tickets rarely praise, reviews talk about mobile...).
SOURCE_MULTIPLIERS: dict[str, dict[str, float]] = {
    "nps": {"ease_of_use_praise": 1.6, "support_responsiveness": 1.2, "billing_invoices": 0.7,
            "data_export_api": 0.6},
    "ticket": {"ease_of_use_praise": 0.08, "billing_invoices": 1.8, "pricing_value": 0.7,
               "integrations": 1.3, "data_export_api": 1.3, "permissions_roles": 1.4,
               "sso_login_failures": 1.3},
    "review": {"ease_of_use_praise": 1.6, "mobile_app": 3.5, "billing_invoices": 0.5,
               "permissions_roles": 0.4, "data_export_api": 0.3, "integrations": 0.6},
}
# Nominal documents per quarter per 2,000 accounts (NPS: responses with a comment).
NOMINAL_DOCS = {"nps": 525.0, "ticket": 1500.0, "review": 300.0}
K_PROBS = (0.68, 0.24, 0.08)  # a non-chatter document mentions 1, 2 or 3 themes
CHATTER_RATE = 0.08
TYPO_RATE = 0.06  # per eligible word (4+ letters)


def theme_ids(themes: tuple[int, ...]) -> str:
    """The ``;``-joined ids of theme indices, as written to ``_truth_documents.csv``."""
    return ";".join(THEMES[i].id for i in themes)
