"""Journey stages: where in the customer journey a segment sits.

Owns the default stages (each described by comma-separated phrases of how customers talk about
that stage) and tagging each segment with the stage whose description its embedding is closest
to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..embeddings import DEFAULT_BACKEND, embed

# Written from the customer journey in general (how customers describe each stage), not from
# any one dataset. Only the descriptions are embedded: the stage names are labels for tables.
DEFAULT_STAGES: dict[str, str] = {
    "Onboarding": "onboarding a new customer, signing up for an account, first-time setup and "
                  "activation, verifying identity before first use, migrating existing records "
                  "from a previous provider, learning the basics as a new user, a welcome email "
                  "and an introductory tour",
    "Everyday use": "routine day-to-day use of the product, a feature that works well or behaves "
                    "unexpectedly, the app freezing or crashing during normal work, navigating "
                    "the screens and menus, using it on a phone or a computer, connecting it with "
                    "other software",
    "Support": "asking customer service for help, waiting on a reply from an agent, an "
               "unresolved support case, escalating a problem to a specialist, help articles "
               "and live chat",
    "Billing": "billing and payment questions, the amount charged on a bill or statement, fees "
               "and unexpected charges, a failed payment, getting money refunded, what the "
               "subscription costs, receipts and tax documents, a paid upgrade to the full "
               "version",
    "Renewal & cancellation": "the end of the contract term, renewing or not renewing the "
                              "subscription, cancelling a subscription and closing the account "
                              "for good, leaving for a competing product, downgrading to a "
                              "cheaper tier, an offer to win the customer back",
}


def assign_stages(embeddings: np.ndarray, stage_embeddings: np.ndarray,
                  stages: Sequence[str]) -> np.ndarray:
    """The journey stage whose description is most similar to each segment."""
    sims = np.asarray(embeddings) @ np.asarray(stage_embeddings).T
    return np.asarray(stages, dtype=object)[sims.argmax(axis=1)]


def tag_stages(embeddings: np.ndarray, stages: Mapping[str, str] | None = None,
               backend: str = DEFAULT_BACKEND) -> np.ndarray:
    """The journey stage of each segment embedding; ``stages`` maps each stage to a
    description (default ``DEFAULT_STAGES``), embedded with the segments' ``backend``. Only
    the descriptions are embedded: a one-word name ("Support") would pull every sentence that
    merely uses the word."""
    stage_map = dict(stages or DEFAULT_STAGES)
    stage_emb = embed(list(stage_map.values()), backend)
    return assign_stages(embeddings, stage_emb, list(stage_map))
