"""The report's theme tables, and the sentences written from them.

Owns ``theme_table`` (one row per theme of the quarter: size, share with interval, trend,
sentiment, NPS impact, reach, quotes), ``save_report_tables`` (every table notebook 04 and
readers use) and the Markdown written from the ``themes`` table: ``moving_theme_bullets`` (the
emerging and declining themes, notebooks 02 and 04), ``largest_theme_bullets``,
``nps_detractor_bullets`` and ``feedback_volume_sentence`` (notebook 04).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..outputs import RunOutputs
from ..periods import Quarter
from .feedback import FeedbackTopics

MOVING_KINDS = ("emerging", "declining")
NOTHING_MOVED = "No theme moved significantly."


def theme_table(ft: FeedbackTopics) -> pd.DataFrame:
    """One row per theme for the quarter: size, share with CI, trend, sentiment, NPS impact,
    reach and the three most representative (redacted) quotes."""
    prev = ft.prevalence[ft.prevalence["quarter"] == ft.quarter].set_index("theme")
    trend = ft.trends.set_index("theme") if not ft.trends.empty else pd.DataFrame()
    impact = ft.nps_impact.set_index("theme") if not ft.nps_impact.empty else pd.DataFrame()
    reach_t = ft.reach.set_index("theme") if not ft.reach.empty else pd.DataFrame()
    t = ft.topics[~ft.topics["boilerplate"]].set_index("theme")

    def col(frame: pd.DataFrame, name: str) -> pd.Series:
        return frame[name].reindex(t.index) if name in frame else pd.Series(np.nan, t.index)

    out = pd.DataFrame({
        "theme_id": t["theme_id"], "status": t["status"],
        "docs": col(prev, "docs").fillna(0).astype(int), "share": col(prev, "share"),
        "share_ci_low": col(prev, "ci_low"), "share_ci_high": col(prev, "ci_high"),
        "baseline_share": col(trend, "baseline_share"), "trend": col(trend, "trend"),
        "trend_p": col(trend, "p_adjusted"), "sentiment": t["sentiment"],
        "nps_impact": col(impact, "nps_impact"), "nps_impact_ci_low": col(impact, "ci_low"),
        "nps_impact_ci_high": col(impact, "ci_high"), "score_effect": col(impact, "effect"),
        "accounts": col(reach_t, "accounts"), "arr": col(reach_t, "arr"),
        "keywords": t["keywords"].map(lambda k: ", ".join(k[:6])),
        "subtopics": t["subtopics"].map(lambda k: " | ".join(k[:4])),
        "quote_1": t["quotes"].map(lambda q: q[0] if len(q) > 0 else ""),
        "quote_2": t["quotes"].map(lambda q: q[1] if len(q) > 1 else ""),
        "quote_3": t["quotes"].map(lambda q: q[2] if len(q) > 2 else ""),
    })
    return out.rename_axis("theme").reset_index().sort_values("docs", ascending=False)


def save_report_tables(ft: FeedbackTopics, out: RunOutputs) -> pd.DataFrame:
    """Write every table notebook 04 and readers use through a ``RunOutputs``."""
    themes = theme_table(ft)
    out.save_table("themes", themes)
    out.save_table("theme_prevalence", ft.prevalence)
    out.save_table("theme_trends", ft.trends)
    out.save_table("theme_nps_impact", ft.nps_impact)
    out.save_table("theme_csat_impact", ft.csat_impact)
    out.save_table("theme_rating_impact", ft.rating_impact)
    out.save_table("theme_by_stage", ft.stages, index=True)
    out.save_table("theme_subtopics", ft.subtopics)
    out.save_table("doc_themes", ft.doc_themes)  # notebook 03 links themes to churn
    for name in ("by_source", "by_plan", "by_segment", "by_channel"):
        frame = getattr(ft, name)
        if not frame.empty:
            out.save_table(f"theme_{name}", frame, index=True)
    out.save_json("topics_run", {**ft.params, "quarter": ft.quarter,
                                 "themes": len(themes), "vanished": ft.vanished})
    return themes


def moving_theme_bullets(themes: pd.DataFrame, kinds: Sequence[str] = MOVING_KINDS, *,
                         empty: str = NOTHING_MOVED) -> str:
    """The themes whose ``trend`` is one of ``kinds``, as Markdown bullets in the order of
    ``themes`` (a ``theme_table``, or the ``themes`` table read back): name, trend, share
    against the baseline share, and the most representative quote (left out when the theme
    has none). ``empty`` when no theme moved.
    """
    moving = themes[themes["trend"].isin(list(kinds))]
    return "\n".join(
        f"- **{r.theme}** ({r.trend}): {r.share:.1%} of feedback vs {r.baseline_share:.1%} "
        f"before.{_quoted(r.quote_1)}" for r in moving.itertuples()) or empty


def _quoted(quote: object) -> str:
    """' *"quote"*', or nothing for a blank cell ("" or, read back from CSV, NaN)."""
    return "" if pd.isna(quote) or not str(quote) else f' *"{quote}"*'


def largest_theme_bullets(themes: pd.DataFrame, n: int = 5) -> str:
    """The first ``n`` themes of a ``themes`` table (largest first): share of feedback and the
    accounts raising them, as Markdown bullets."""
    return "\n".join(f"- **{r.theme}**: {r.share:.1%} of feedback ({r.accounts:.0f} accounts)"
                     for r in themes.head(n).itertuples())


def nps_detractor_bullets(themes: pd.DataFrame, n: int = 3) -> str:
    """The ``n`` themes with the most NPS points at stake, with their 95% interval and most
    representative quote, as Markdown bullets ("" when no theme has an NPS impact)."""
    hurt = themes.dropna(subset=["nps_impact"]).nlargest(n, "nps_impact")
    return "\n".join(
        f"- **{r.theme}**: {r.nps_impact:.1f} NPS points at stake (95% CI "
        f"{r.nps_impact_ci_low:.1f} to {r.nps_impact_ci_high:.1f}).{_quoted(r.quote_1)}"
        for r in hurt.itertuples())


def feedback_volume_sentence(volume: pd.DataFrame, quarter: str) -> str:
    """How much feedback came in this quarter and the one before, from the ``feedback_volume``
    table (a ``quarter`` column and one count column per source); the previous quarter is
    found by its label and counts 0 when the table lacks it."""
    totals = volume.set_index("quarter").sum(axis=1)
    before = int(totals.get((Quarter.parse(quarter) - 1).label, 0))
    return (f"**Feedback:** {int(totals[quarter]):,} documents this quarter "
            f"(previous quarter {before:,}). See *Customer feedback*.")
