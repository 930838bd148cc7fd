"""The topic registry: themes keep their ids from one quarter's run to the next."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cc_analysis import topics


def test_registry_keeps_ids_and_flags_new_themes(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    def fake_model(cents: np.ndarray, labels: list[str]) -> topics.TopicModel:
        m = topics.TopicModel()
        m.centroids_ = cents
        m.topics_ = pd.DataFrame({"topic_id": range(len(labels)), "label": labels,
                                  "from_codebook": False})
        return m

    reg = topics.TopicRegistry(tmp_path / "reg.json")
    first = reg.match(fake_model(centres[:2], ["a", "b"]), "2026Q2")
    reg.save()
    reg2 = topics.TopicRegistry(tmp_path / "reg.json")
    second = reg2.match(fake_model(centres[[1, 2, 0]] + 0.01, ["b2", "c", "a2"]), "2026Q3")
    assert list(first["theme_id"]) == [0, 1]
    assert list(second["theme_id"]) == [1, 2, 0]  # same themes keep their ids
    assert list(second["status"]) == ["matched", "new", "matched"]
