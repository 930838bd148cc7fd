"""The models behind the planted numbers: scores, churn hazard and theme mentions.

* score models: NPS, CSAT and review rating are a base plus the themes' effects plus noise;
* churn hazard model: a discrete-time monthly hazard, a base rate per segment times the hazard
  ratio of every active driver (``CHURN_RULE`` says it in words, ``_truth.json`` records it);
* theme model: mention weights per source and quarter, and the exact planted prevalence they
  imply (``P(document mentions theme)``), with the emerging theme's last-quarter weight solved
  so that its pooled prevalence hits ``EMERGING_TARGET_PREVALENCE``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .calendar import QUARTERS
from .themes import (
    CHATTER_RATE,
    EMERGING_TARGET_PREVALENCE,
    EMERGING_THEME,
    K_PROBS,
    N_THEMES,
    NOMINAL_DOCS,
    SOURCE_MULTIPLIERS,
    SOURCES,
    THEME_INDEX,
    THEMES,
)

# ---------------------------------------------------------------------------------------------
# Score models
# ---------------------------------------------------------------------------------------------
NPS_BASE = {"SMB": 8.6, "Mid-Market": 8.4, "Enterprise": 8.1}
NPS_NOISE_SD = 1.4
CSAT_BASE, CSAT_NOISE_SD, CSAT_SLOW_PENALTY = 4.7, 0.8, -0.6
RATING_BASE, RATING_NOISE_SD = 4.3, 0.9
NPS_EFFECTS = np.array([t.nps_effect for t in THEMES])
CSAT_EFFECTS = np.array([t.csat_effect for t in THEMES])
RATING_EFFECTS = np.array([t.rating_effect for t in THEMES])


def csat_scores(theme_effect: Any, slow_penalty: Any, noise: Any) -> Any:
    """The CSAT (1-5) a customer gives a solved ticket: the base, the effects of the ticket's
    themes, the slow-resolution penalty and noise, rounded half to even. Scalars or arrays."""
    return np.clip(np.round(CSAT_BASE + theme_effect + slow_penalty + noise), 1, 5)


def nps_scores(segment_base: Any, theme_effect: Any, noise: Any) -> Any:
    """The NPS answer (0-10): the segment's base, the effects of the themes in the comment and
    noise, rounded half to even. Scalars or arrays."""
    return np.clip(np.round(segment_base + theme_effect + noise), 0, 10)

# ---------------------------------------------------------------------------------------------
# Churn hazard model
# ---------------------------------------------------------------------------------------------
CHURN_BASE_MONTHLY_HAZARD = {"SMB": 0.011, "Mid-Market": 0.008, "Enterprise": 0.005}
CHURN_HAZARD_RATIOS = {
    "billing_term_monthly": 2.0,
    "usage_decline": 2.5,
    "unresolved_tickets": 1.8,
    "pricing_complaint": 1.6,
    "plan_enterprise": 0.5,
}
CHURN_DEFINITIONS = {
    "billing_term_monthly": "Billing Term is 'monthly' (reference: 'annual').",
    "usage_decline": (
        "Mean active_users over the 3 months before the month is at least 30% below the mean "
        "over the 3 months before those (needs 6 usage rows before the month)."
    ),
    "unresolved_tickets": (
        "At least 2 of the account's tickets created in the 3 calendar months before the month "
        "are unresolved on the first day of the month (solved_at null or on/after that day). "
        "No tickets exist before 2024-10-01."
    ),
    "pricing_complaint": (
        "An NPS comment (Submitted At) or ticket (created_at) of the account in the 6 calendar "
        "months before the month mentions pricing_value (planted labels in "
        "_truth_documents.csv). No feedback exists before 2024-10-01."
    ),
    "plan_enterprise": "Plan is 'Enterprise'.",
}
CHURN_RULE = (
    "Per account-month from 2024-10 to 2026-09: h = base_monthly_hazard[Segment] x product of "
    "hazard_ratios of the active drivers. No churn before 2024-10 (accounts active on "
    "2024-10-01 are survivors) and never in an account's start month. Every account at risk "
    "churns in a month with probability h, whatever its billing term (annual accounts are NOT "
    "restricted to renewal months; renewal months only drive seat changes). A churned "
    "account's End Date lies in the churn month and that month is its last usage row; drivers "
    "are evaluated from data before the month."
)
# Latent disengagement: the hidden state behind usage decline (not a hazard driver itself).
DISENGAGE_ENTRY_RATE = {"SMB": 0.014, "Mid-Market": 0.011, "Enterprise": 0.008}
DISENGAGE_EXIT_RATE = 0.08

# ---------------------------------------------------------------------------------------------
# Theme model: weights per source/quarter and the exact planted prevalence
# ---------------------------------------------------------------------------------------------
_ORDERED_DRAWS = {k: np.array(list(itertools.permutations(range(N_THEMES), k))) for k in (1, 2, 3)}


def inclusion_probabilities(w: np.ndarray, k: int) -> np.ndarray:
    """P(theme i among the first k draws of weighted sampling without replacement)."""
    perms = _ORDERED_DRAWS[k]
    p = np.ones(len(perms))
    rem = np.full(len(perms), w.sum())
    for j in range(k):
        wj = w[perms[:, j]]
        p = p * np.divide(wj, rem, out=np.zeros_like(wj), where=rem > 0)
        rem = rem - wj
    out = np.zeros(len(w))
    for j in range(k):
        np.add.at(out, perms[:, j], p)
    return out


def document_prevalence(w: np.ndarray) -> np.ndarray:
    """P(a document mentions theme i) under weights ``w``, chatter included."""
    inc = sum(pk * inclusion_probabilities(w, k + 1) for k, pk in enumerate(K_PROBS))
    return (1.0 - CHATTER_RATE) * inc


@dataclass
class ThemeModel:
    weights: dict[str, np.ndarray]  # source -> (8 quarters, n themes)
    prevalence_by_source: dict[str, np.ndarray]  # source -> (8, n themes)
    prevalence: np.ndarray  # pooled over sources with NOMINAL_DOCS shares (8, n themes)


def build_theme_model() -> ThemeModel:
    nq = len(QUARTERS)
    base = np.array([[t.weight_first + (t.weight_last - t.weight_first) * qi / (nq - 1)
                      for t in THEMES] for qi in range(nq)])
    mult = {s: np.array([SOURCE_MULTIPLIERS[s].get(t.id, 1.0) for t in THEMES]) for s in SOURCES}
    total = sum(NOMINAL_DOCS.values())
    share = {s: NOMINAL_DOCS[s] / total for s in SOURCES}
    e = THEME_INDEX[EMERGING_THEME]
    last = nq - 1

    def pooled_emerging(we: float) -> float:
        out = 0.0
        for s in SOURCES:
            w = base[last] * mult[s]
            w[e] = we * mult[s][e]
            out += share[s] * document_prevalence(w)[e]
        return out

    lo, hi = 0.0, 2.0  # bisection on the emerging theme's last-quarter weight
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if pooled_emerging(mid) < EMERGING_TARGET_PREVALENCE else (lo, mid)
    base[last, e] = round((lo + hi) / 2, 6)
    weights = {s: base * mult[s][None, :] for s in SOURCES}
    prev_src = {s: np.array([document_prevalence(weights[s][qi]) for qi in range(nq)])
                for s in SOURCES}
    pooled = sum(share[s] * prev_src[s] for s in SOURCES)
    return ThemeModel(weights, prev_src, pooled)


def draw_theme_sets(rng: np.random.Generator, n: int, w: np.ndarray) -> list[tuple[int, ...]]:
    """Gumbel-top-k == sequential weighted sampling without replacement; k from K_PROBS."""
    if n == 0:
        return []
    with np.errstate(divide="ignore"):
        logw = np.log(w)
    keys = logw[None, :] + rng.gumbel(size=(n, len(w)))
    order = np.argsort(-keys, axis=1, kind="stable")
    k = rng.choice(len(K_PROBS), size=n, p=np.array(K_PROBS)) + 1
    k[rng.random(n) < CHATTER_RATE] = 0
    return [tuple(int(x) for x in order[i, : k[i]]) for i in range(n)]
