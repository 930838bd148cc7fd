"""A flexible comparison for the Cox model, and the honest test of both on later months.

Owns ``ChurnClassifier`` (gradient-boosted trees: no proportional-hazards or linearity
assumption, missing values and categories handled natively, permutation importances), the
scores both models are judged by (ROC AUC, Brier, calibration by decile with Wilson
intervals, calibration slope) and ``evaluate``: both models fitted on the months before the
last ``holdout_months`` and scored on those months, as they will be used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from lifelines.utils import concordance_index
from matplotlib.figure import Figure
from tqdm import tqdm  # plain bars: tqdm.auto warns inside papermill kernels without ipywidgets

from .. import plots
from ..stats import wilson_interval
from .cox import ChurnCoxFitter
from .design import Covariate
from .features import feature_label
from .panel import AccountPeriods

CLASSIFIER_FEATURES = (
    "tenure_stop", "billing_term", "plan", "segment", "region", "arr", "active_users_3m",
    "usage_change", "seat_utilisation", "features_used", "tickets_3m", "unresolved_3m",
    "resolution_h_6m", "csat_6m", "nps_score",
)


class ChurnClassifier:
    """Gradient-boosted trees (scikit-learn HistGradientBoosting) for churn in the next period.

    A flexible comparison for the Cox model: no proportional-hazards or linearity assumption,
    missing values handled natively, categories used as such. ``fit`` / ``predict_proba`` /
    ``permutation_importance`` / ``summary`` / ``plot``. Large tables are fitted on a random
    sample of ``max_train_rows`` rows (the loss is an average, so this keeps calibration).
    ``n_threads`` caps OpenMP threads: on a shared 2-core machine one thread is often faster,
    as busy-waiting threads contend with other processes.
    """

    def __init__(self, features: Sequence[str] | None = None, seed: int = 42,
                 max_iter: int = 300, learning_rate: float = 0.05,
                 max_train_rows: int = 300_000, n_threads: int | None = 1):
        self.features = features
        self.seed = seed
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_train_rows = max_train_rows
        self.n_threads = n_threads

    def _threads(self) -> Any:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(self.n_threads, user_api="openmp")

    def _matrix(self, frame: pd.DataFrame) -> np.ndarray:
        """Float matrix; categories as integer codes (unknown levels and blanks -> NaN)."""
        X = np.empty((len(frame), len(self.features_)))
        for j, f in enumerate(self.features_):
            col = frame[f] if f in frame else pd.Series(np.nan, index=frame.index)
            if f in self.categories_:
                cat = pd.Categorical(col)
                lookup = {v: i for i, v in enumerate(self.categories_[f])}
                remap = np.array([lookup.get(str(v), -1) for v in cat.categories] + [-1])
                codes = remap[np.asarray(cat.codes)]  # code -1 (missing) picks the last slot
                X[:, j] = np.where(codes >= 0, codes, np.nan)
            else:
                X[:, j] = pd.to_numeric(col, errors="coerce").astype(float).to_numpy()
        return X

    def fit(self, frame: pd.DataFrame, y: Any = None) -> ChurnClassifier:
        from sklearn.ensemble import HistGradientBoostingClassifier

        if self.features is None:
            extra = [c for c in frame.columns if c.startswith("theme:")]
            self.features_ = [f for f in (*CLASSIFIER_FEATURES, *extra) if f in frame]
        else:
            self.features_ = [f for f in self.features if f in frame]
        y = frame["event"] if y is None else y
        y = np.asarray(y).astype(int)
        if len(frame) > self.max_train_rows:
            keep = np.sort(np.random.default_rng(self.seed).choice(
                len(frame), self.max_train_rows, replace=False))
            frame, y = frame.iloc[keep], y[keep]
        self.categories_ = {
            f: sorted(str(v) for v in pd.unique(frame[f].dropna()))
            for f in self.features_
            if not (pd.api.types.is_numeric_dtype(frame[f]) or pd.api.types.is_bool_dtype(frame[f]))
        }
        self.model_ = HistGradientBoostingClassifier(
            # shallow, heavily regularised trees: churn months are rare events
            learning_rate=self.learning_rate, max_iter=self.max_iter, max_leaf_nodes=8,
            min_samples_leaf=100, l2_regularization=5.0,
            categorical_features=[f in self.categories_ for f in self.features_],
            early_stopping=True, validation_fraction=0.15, n_iter_no_change=25,
            random_state=self.seed,
        )
        with self._threads():
            self.model_.fit(self._matrix(frame), y)
        return self

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of churning in each row's period."""
        with self._threads():
            return self.model_.predict_proba(self._matrix(frame))[:, 1]

    def permutation_importance(
        self, frame: pd.DataFrame, y: Any = None, n_repeats: int = 5, max_rows: int = 20_000
    ) -> pd.DataFrame:
        """Drop in out-of-sample ROC AUC when each feature is shuffled (mean and sd), on at
        most ``max_rows`` random rows."""
        from sklearn.metrics import roc_auc_score

        y = np.asarray(frame["event"] if y is None else y).astype(int)
        rng = np.random.default_rng(self.seed)
        if len(frame) > max_rows:
            keep = np.sort(rng.choice(len(frame), max_rows, replace=False))
            frame, y = frame.iloc[keep], y[keep]
        if len(np.unique(y)) < 2:
            self.importances_ = pd.DataFrame(
                columns=["feature", "label", "importance", "importance_sd"])
            return self.importances_
        X = self._matrix(frame)
        rows = []
        with self._threads():
            base = roc_auc_score(y, self.model_.predict_proba(X)[:, 1])
            for j, f in enumerate(self.features_):
                original = X[:, j].copy()
                drops = []
                for _ in range(n_repeats):
                    X[:, j] = original[rng.permutation(len(X))]
                    drops.append(base - roc_auc_score(y, self.model_.predict_proba(X)[:, 1]))
                X[:, j] = original
                rows.append({"feature": f, "label": feature_label(f),
                             "importance": float(np.mean(drops)),
                             "importance_sd": float(np.std(drops))})
        self.importances_ = pd.DataFrame(rows).sort_values(
            "importance", ascending=False, ignore_index=True)
        return self.importances_

    @property
    def summary(self) -> pd.DataFrame:
        """The permutation importances (after ``permutation_importance``)."""
        return self.importances_

    def plot(self, top: int = 15, title: str = "What the classifier relies on") -> Figure:
        """The ``top`` permutation importances as horizontal bars."""
        s = self.importances_.head(top).set_index("label")["importance"]
        fig = plots.hbar(s, title=title, xlabel="drop in out-of-sample ROC AUC when shuffled",
                         annotate=False)
        return fig


@dataclass
class Evaluation:
    """Out-of-sample comparison of the Cox model and the classifier."""

    metrics: dict[str, Any]
    calibration: pd.DataFrame  # model, bin, n, predicted, observed, ci_low, ci_high
    importances: pd.DataFrame
    classifier: ChurnClassifier
    cox: ChurnCoxFitter

    def table(self) -> pd.DataFrame:
        """One row per model: the headline metrics."""
        rows = []
        for model in ("cox", "classifier"):
            m = self.metrics[model]
            rows.append({"model": model, **{k: v for k, v in m.items() if np.isscalar(v)}})
        return pd.DataFrame(rows)


def calibration_bins(model: str, p: np.ndarray, y: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Predicted vs observed event rate per ``bins`` equal-size bins of predicted risk, with
    Wilson 95% intervals of the observed rate (columns: model, bin, n, predicted, observed,
    ci_low, ci_high)."""
    ranks = pd.Series(p).rank(method="first")
    b = pd.qcut(ranks, q=min(bins, max(1, len(p))), labels=False)
    rows = []
    for i, idx in pd.Series(np.arange(len(p))).groupby(b.to_numpy()):
        yy = y[idx.to_numpy()]
        lo, hi = wilson_interval(int(yy.sum()), len(yy))
        rows.append({"model": model, "bin": int(i) + 1, "n": len(yy),
                     "predicted": float(p[idx.to_numpy()].mean()), "observed": float(yy.mean()),
                     "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def classification_scores(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """ROC AUC, Brier score, expected / observed events and calibration slope (1 = ideal) of
    predicted probabilities ``p`` for outcomes ``y``; AUC and slope NaN with one class."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score

    both = len(np.unique(y)) == 2
    logit = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
    slope = np.nan
    if both:
        slope = float(LogisticRegression(C=1e6).fit(logit[:, None], y).coef_[0, 0])
    return {
        "auc": float(roc_auc_score(y, p)) if both else np.nan,
        "brier": float(brier_score_loss(y, p)),
        "expected_over_observed": float(p.sum() / y.sum()) if y.sum() else np.nan,
        "calibration_slope": slope,
    }


def evaluate(
    periods: AccountPeriods,
    *,
    holdout_months: int = 6,
    seed: int = 42,
    covariates: Sequence[Covariate] | None = None,
    importance_rows: int = 20_000,
    progress: bool = False,
) -> Evaluation:
    """Fit both models on the months before the last ``holdout_months`` and score those months.

    A temporal split is the honest test for a churn model: it predicts later months from
    earlier ones, as it will be used. Metrics per model on the held-out account-months:
    ROC AUC of next-month churn, Brier score, calibration (deciles; expected/observed events;
    calibration slope, 1 = ideal); and per account, scored in the first held-out month:
    Harrell's concordance with the time to churn and the ROC AUC of churning within the
    holdout. Permutation importances are computed for the classifier on held-out rows.
    """
    f = periods.frame
    months = np.sort(f["month"].unique())
    if len(months) <= holdout_months:
        raise ValueError(f"need more than {holdout_months} months to hold out, have {len(months)}")
    cut = months[-holdout_months]
    train, test = f[f["month"] < cut], f[f["month"] >= cut]
    steps = tqdm(total=4, desc="evaluate", disable=not progress, leave=False)
    cox = ChurnCoxFitter(covariates).fit(train, periods.themes, periods.theme_labels)
    steps.update()
    clf = ChurnClassifier(seed=seed).fit(train)
    steps.update()
    y = test["event"].to_numpy().astype(int)
    preds = {"cox": cox.predict_hazard(test), "classifier": clf.predict_proba(test)}
    first = (test["month"] == cut).to_numpy()
    per_acc = test.groupby("account_id", observed=True).agg(
        months=("month", "size"), churned=("event", "max"))
    ids = test.loc[first, "account_id"].astype(str).to_numpy()
    per_acc.index = per_acc.index.astype(str)
    window = per_acc.reindex(ids)
    metrics: dict[str, Any] = {
        "holdout_months": holdout_months,
        "holdout_start": pd.Timestamp(cut).date().isoformat(),
        "train_rows": len(train), "train_events": int(train["event"].sum()),
        "test_rows": len(test), "test_events": int(y.sum()),
        "test_accounts": len(ids),
    }
    calib = []
    for name, p in preds.items():
        m = classification_scores(p, y)
        s = p[first]
        m["concordance"] = float(concordance_index(window["months"], -s, window["churned"]))
        churned = window["churned"].to_numpy().astype(int)
        m["auc_window"] = classification_scores(s, churned)["auc"]
        metrics[name] = m
        calib.append(calibration_bins(name, p, y))
    steps.update()
    imp = clf.permutation_importance(test, max_rows=importance_rows)
    steps.update()
    steps.close()
    return Evaluation(metrics, pd.concat(calib, ignore_index=True), imp, clf, cox)

