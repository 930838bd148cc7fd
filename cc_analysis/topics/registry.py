"""Stable topic ids across quarterly runs.

Owns ``TopicRegistry``: each theme's id, label and centroid, kept in a JSON file
(``Workspace.topic_registry_path``); a new run's topics are matched to known themes by centroid
similarity, so a theme keeps its id (and trend line) from quarter to quarter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .model import TopicModel


class TopicRegistry:
    """Persistent topic identities: id, label and centroid per theme, matched run to run.

    A new model's topics are matched one-to-one to known themes (Hungarian assignment on the
    centroids' cosine similarity); a match needs similarity >= ``threshold``. Unmatched new
    topics get fresh ids and are flagged ``new``; known themes without a match are ``vanished``
    for that run but kept, so they can come back under the same id.
    """

    def __init__(self, path: str | Path | None = None, threshold: float = 0.8):
        self.path = Path(path) if path else None
        self.threshold = threshold
        self.themes: list[dict[str, Any]] = []
        if self.path and self.path.is_file():
            self.themes = json.loads(self.path.read_text(encoding="utf-8"))["themes"]

    def match(self, model: TopicModel, quarter: str) -> pd.DataFrame:
        """Map the model's topic ids to stable theme ids; updates the registry in memory."""
        summary = model.summary()
        k = len(summary)
        known = np.array([t["centroid"] for t in self.themes], dtype=np.float32)
        mapping: dict[int, int] = {}
        similarity: dict[int, float] = {}
        if len(known) and k:
            a = model.centroids_ / np.linalg.norm(model.centroids_, axis=1, keepdims=True)
            b = known / np.linalg.norm(known, axis=1, keepdims=True)
            sims = a @ b.T
            rows, cols = linear_sum_assignment(-sims)
            for r, c in zip(rows, cols, strict=True):
                if sims[r, c] >= self.threshold:
                    mapping[int(r)] = int(self.themes[c]["theme_id"])
                    similarity[int(r)] = float(sims[r, c])
        next_id = max((t["theme_id"] for t in self.themes), default=-1) + 1
        by_id = {t["theme_id"]: t for t in self.themes}
        out = []
        for _, row in summary.iterrows():
            t = int(row["topic_id"])
            is_new = t not in mapping
            if is_new:
                mapping[t] = next_id
                by_id[next_id] = {"theme_id": next_id, "label": row["label"],
                                  "first_seen": quarter}
                next_id += 1
            theme = by_id[mapping[t]]
            theme.update(centroid=[round(float(x), 6) for x in model.centroids_[t]],
                         last_seen=quarter)
            if row.get("from_codebook"):
                theme["label"] = row["label"]  # codebook names always win
            out.append({"topic_id": t, "theme_id": mapping[t], "theme": theme["label"],
                        "status": "new" if is_new else "matched",
                        "similarity": similarity.get(t, float("nan"))})
        matched = set(mapping.values())
        self.vanished_ = [t["label"] for t in by_id.values() if t["theme_id"] not in matched]
        self.themes = sorted(by_id.values(), key=lambda t: t["theme_id"])
        return pd.DataFrame(out)

    def save(self) -> None:
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"themes": self.themes}), encoding="utf-8")
            tmp.replace(self.path)
