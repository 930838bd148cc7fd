"""The report's sentences: emerging and declining themes as Markdown bullets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cc_analysis import topics

THEMES = pd.DataFrame({
    "theme": ["Slow · loading", "Login · sign", "Billing · invoice"],
    "trend": ["emerging", "stable", "declining"],
    "share": [0.228, 0.115, 0.02], "baseline_share": [0.1, 0.11, 0.05],
    "quote_1": ["Everything is sluggish", "SSO loops", np.nan],  # a blank cell read from CSV
})


def test_moving_theme_bullets() -> None:
    assert topics.moving_theme_bullets(THEMES) == (
        '- **Slow · loading** (emerging): 22.8% of feedback vs 10.0% before. '
        '*"Everything is sluggish"*\n'
        '- **Billing · invoice** (declining): 2.0% of feedback vs 5.0% before.')
    assert topics.moving_theme_bullets(THEMES, kinds=("emerging",)).count("\n") == 0
    stable = THEMES.assign(trend="stable")
    assert topics.moving_theme_bullets(stable) == "No theme moved significantly."
    assert topics.moving_theme_bullets(stable, empty="") == ""
