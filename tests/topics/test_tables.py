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


def test_largest_and_nps_detractor_bullets() -> None:
    themes = THEMES.assign(accounts=[362, 211, 40], nps_impact=[10.1, np.nan, 2.1],
                           nps_impact_ci_low=[8.0, np.nan, 1.1],
                           nps_impact_ci_high=[12.0, np.nan, 3.1])
    assert topics.largest_theme_bullets(themes, n=2) == (
        "- **Slow · loading**: 22.8% of feedback (362 accounts)\n"
        "- **Login · sign**: 11.5% of feedback (211 accounts)")
    # the theme without an NPS impact is left out; a blank quote is not printed as *""*
    assert topics.nps_detractor_bullets(themes) == (
        '- **Slow · loading**: 10.1 NPS points at stake (95% CI 8.0 to 12.0). '
        '*"Everything is sluggish"*\n'
        "- **Billing · invoice**: 2.1 NPS points at stake (95% CI 1.1 to 3.1).")
    assert topics.nps_detractor_bullets(themes.assign(nps_impact=np.nan)) == ""


def test_feedback_volume_sentence_finds_the_previous_quarter_by_label() -> None:
    # rows out of order: the previous quarter is 2026Q2 whatever its position
    volume = pd.DataFrame({"quarter": ["2026Q3", "2025Q4", "2026Q2"], "nps": [500, 9, 450],
                           "ticket": [2000, 9, 1900], "review": [65, 9, 94]})
    assert topics.feedback_volume_sentence(volume, "2026Q3") == (
        "**Feedback:** 2,565 documents this quarter (previous quarter 2,444). "
        "See *Customer feedback*.")
    assert "(previous quarter 0)" in topics.feedback_volume_sentence(volume, "2025Q4")
