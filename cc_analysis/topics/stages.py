"""Journey stages: where in the customer journey a segment sits.

Owns the default stages (each described in words customers use) and tagging each segment with
the stage whose description its embedding is closest to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..embeddings import DEFAULT_BACKEND, embed

DEFAULT_STAGES: dict[str, str] = {
    "Onboarding": "getting started, setting up the account, importing data, training the team, "
                  "implementation and first configuration",
    "Everyday use": "using the product day to day: features, dashboards, reports, speed, the "
                    "mobile app, integrations and workflows",
    "Support": "contacting support, waiting for a reply, tickets, getting an issue resolved",
    "Billing": "invoices, charges, payment, price, plans and subscription costs",
    "Renewal & cancellation": "renewing the contract, downgrading, cancelling, switching to a "
                              "competitor, leaving",
}


def assign_stages(embeddings: np.ndarray, stage_embeddings: np.ndarray,
                  stages: Sequence[str]) -> np.ndarray:
    """The journey stage whose description is most similar to each segment."""
    sims = np.asarray(embeddings) @ np.asarray(stage_embeddings).T
    return np.asarray(stages, dtype=object)[sims.argmax(axis=1)]


def tag_stages(embeddings: np.ndarray, stages: Mapping[str, str] | None = None,
               backend: str = DEFAULT_BACKEND) -> np.ndarray:
    """The journey stage of each segment embedding; ``stages`` maps each stage to a
    description (default ``DEFAULT_STAGES``), embedded with the segments' ``backend``."""
    stage_map = dict(stages or DEFAULT_STAGES)
    stage_emb = embed([f"{k}: {v}" for k, v in stage_map.items()], backend)
    return assign_stages(embeddings, stage_emb, list(stage_map))
