"""Churn: who leaves, how fast, why (with honest uncertainty), and who is at risk now.

Owns every churn analysis beyond the headline rates, whose definitions live in
``metrics.churn_by_quarter`` and are reused, never restated. One file per step: ``features``
(windows, labels, account themes), ``panel`` (the leak-free account-month table), ``design``
(covariates), ``solver`` and ``cox`` (``ChurnCoxFitter``), ``survival`` (Kaplan-Meier,
log-rank), ``classifier`` (gradient boosting, out-of-sample ``evaluate``), ``voice``
(voice to churn), ``risk`` (at-risk accounts), ``descriptive`` (breakdowns, cohorts),
``charts``, ``narrative`` (every sentence), ``analysis`` (``analyze`` on the store's tables)
and ``from_file`` (``cc-analysis churn FILE`` on any account export).
"""

from .analysis import ChurnAnalysis, analyze, driver_table
from .charts import plot_calibration, plot_cohort_heatmap, plot_forest, plot_km, plot_voice
from .classifier import (
    CLASSIFIER_FEATURES,
    ChurnClassifier,
    Evaluation,
    calibration_bins,
    classification_scores,
    evaluate,
)
from .cox import TENURE_BINS, ChurnCoxFitter
from .descriptive import churn_breakdown, churn_by_quarter_and, cohort_matrix, cohort_retention
from .design import PANEL_COVARIATES, Covariate, Design, theme_covariates
from .features import (
    BREAKDOWNS,
    FEATURE_LABELS,
    FEATURES,
    HORIZON_MONTHS,
    MAX_THEMES,
    MIN_THEME_ACCOUNTS,
    NPS_LEVELS,
    NPS_WINDOW,
    SLOW_RESOLUTION_H,
    SUPPORT_WINDOW,
    TICKET_WINDOW,
    UNRESOLVED_MIN,
    USAGE_DECLINE,
    USAGE_WINDOW,
    VOICE_WINDOW,
    account_themes,
    feature_label,
)
from .from_file import DAYS_PER_MONTH, AccountTable, analyze_account_file, prepare_account_table
from .narrative import (
    account_months_sentence,
    clear_driver_sentences,
    driver_sentence,
    highest_churn_sentence,
    markdown_bullets,
    ph_check_sentence,
    quarter_churn_sentence,
    revenue_at_risk_sentence,
    voice_markdown,
)
from .panel import AccountPeriods, account_periods, data_end
from .risk import at_risk_accounts, risk_summary
from .solver import THREADS, WARM_START_ROWS, blas_threads
from .survival import kaplan_meier, km_table, logrank_test
from .voice import voice_to_churn

__all__ = [
    "BREAKDOWNS",
    "CLASSIFIER_FEATURES",
    "DAYS_PER_MONTH",
    "FEATURES",
    "FEATURE_LABELS",
    "HORIZON_MONTHS",
    "MAX_THEMES",
    "MIN_THEME_ACCOUNTS",
    "NPS_LEVELS",
    "NPS_WINDOW",
    "PANEL_COVARIATES",
    "SLOW_RESOLUTION_H",
    "SUPPORT_WINDOW",
    "TENURE_BINS",
    "THREADS",
    "TICKET_WINDOW",
    "UNRESOLVED_MIN",
    "USAGE_DECLINE",
    "USAGE_WINDOW",
    "VOICE_WINDOW",
    "WARM_START_ROWS",
    "AccountPeriods",
    "AccountTable",
    "ChurnAnalysis",
    "ChurnClassifier",
    "ChurnCoxFitter",
    "Covariate",
    "Design",
    "Evaluation",
    "account_months_sentence",
    "account_periods",
    "account_themes",
    "analyze",
    "analyze_account_file",
    "at_risk_accounts",
    "blas_threads",
    "calibration_bins",
    "churn_breakdown",
    "churn_by_quarter_and",
    "classification_scores",
    "clear_driver_sentences",
    "cohort_matrix",
    "cohort_retention",
    "data_end",
    "driver_sentence",
    "driver_table",
    "evaluate",
    "feature_label",
    "kaplan_meier",
    "km_table",
    "logrank_test",
    "markdown_bullets",
    "ph_check_sentence",
    "plot_calibration",
    "plot_cohort_heatmap",
    "plot_forest",
    "plot_km",
    "plot_voice",
    "prepare_account_table",
    "quarter_churn_sentence",
    "revenue_at_risk_sentence",
    "highest_churn_sentence",
    "risk_summary",
    "theme_covariates",
    "voice_markdown",
    "voice_to_churn",
]
