"""The churn hazard model: ``ChurnCoxFitter``, Cox proportional hazards in lifelines' style.

Owns what a fitted churn model says: hazard ratios with intervals and p values, which of them
are clear (for feedback signals after a false-discovery correction), plain-words sentences,
the proportional-hazards check, absolute churn probabilities over a horizon and the reasons
one account's risk is above typical. One class serves both shapes of data the package
analyses: the account-month table (tenure in months; late entry; time-varying features) and
one row per account (``cc-analysis churn FILE``: duration, event). ``solver`` does the fitting.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines.statistics import proportional_hazard_test
from matplotlib.figure import Figure
from scipy import stats

from ..stats import bh_adjust, z_value
from .charts import plot_forest
from .design import PANEL_COVARIATES, Covariate, Design, level_text, theme_covariates
from .features import HORIZON_MONTHS
from .narrative import chance_sentence, driver_sentence, format_value, reason_phrase
from .solver import (
    blas_threads,
    fit_counting_process,
    fit_right_censored,
    lifelines_frame,
    one_period_terms,
)

TENURE_BINS = (0, 3, 6, 12, 24, np.inf)
TimeScale = Literal["account-months", "accounts"]


def safe_exp(x: float) -> float:
    """exp that saturates at inf instead of raising (a separated covariate has a huge coef)."""
    return math.exp(x) if x < 700 else math.inf


class ChurnCoxFitter:
    """Cox proportional-hazards model of churn, in lifelines' style.

    ``fit(frame)`` takes either an account-period table (``AccountPeriods.frame``: rows
    (tenure_start, tenure_stop] with ``event``; tenure in months is the time scale, so
    accounts older than the window enter late and active ones are censored) or one row per
    account (``duration`` in months from the start, ``event``). On the account-month table the
    estimates equal lifelines' ``CoxTimeVaryingFitter`` (Efron ties, same ridge ``penalizer``;
    checked in the tests) but come from a solver that exploits the one-month rows, which makes
    millions of account-months practical; one row per account goes to lifelines' CoxPHFitter.
    Then ``summary`` (hazard ratios, CIs, p values, plain-words sentences),
    ``check_assumptions`` (proportional hazards), ``predict_risk`` (absolute churn probability
    over a horizon: on account-months from a piecewise-constant Breslow baseline by tenure
    band, on accounts from lifelines' Breslow step function), ``predict_hazard`` (one
    month, account-months only), ``reasons`` and ``plot`` (forest plot).
    """

    def __init__(
        self,
        covariates: Sequence[Covariate] | None = None,
        penalizer: float = 0.0,
        alpha: float = 0.05,
    ):
        self.covariates = covariates
        self.penalizer = penalizer
        self.alpha = alpha

    # -- fitting ------------------------------------------------------------------------------
    def fit(
        self, frame: pd.DataFrame, themes: Sequence[str] = (),
        theme_labels: Mapping[str, str] | None = None, *, design: Design | None = None,
    ) -> ChurnCoxFitter:
        """Fit on ``frame``. ``design``: an already fitted ``Design`` to use as it is (its
        columns that do not vary in ``frame`` left out), e.g. one design for every
        cross-validation fold; by default the covariates' design is fitted on ``frame``."""
        self.time_scale_: TimeScale = "account-months" if "tenure_stop" in frame else "accounts"
        if design is not None:
            self.design_ = design.varying(frame)
        else:
            self.design_ = Design(self._covariates(frame, themes, theme_labels)).fit(frame)
        if self.time_scale_ == "account-months":
            self._fit_account_months(frame)
        else:
            self._fit_accounts(frame)
        self.n_rows_, self.n_events_ = len(frame), int(frame["event"].sum())
        self.n_accounts_ = int(frame["account_id"].nunique())
        return self

    def _covariates(self, frame: pd.DataFrame, themes: Sequence[str],
                    theme_labels: Mapping[str, str] | None) -> list[Covariate]:
        if self.covariates is not None:
            return list(self.covariates)
        if not themes:
            themes = [c.removeprefix("theme:") for c in frame.columns if c.startswith("theme:")]
        return [*PANEL_COVARIATES, *theme_covariates(themes, theme_labels or {})]

    def _store(self, params: np.ndarray, se: np.ndarray, variance: np.ndarray,
               log_likelihood: float) -> None:
        names = self.design_.names
        self.params_ = pd.Series(params, index=names, name="coef")
        self.standard_errors_ = pd.Series(se, index=names, name="se")
        self.variance_matrix_ = pd.DataFrame(variance, index=names, columns=names)
        self.log_likelihood_ = log_likelihood

    def _fit_account_months(self, frame: pd.DataFrame) -> None:
        stop = frame["tenure_stop"].to_numpy(float)
        order = np.argsort(stop, kind="stable")
        X = self.design_.matrix(frame, order)
        event = frame["event"].to_numpy(float)[order]
        res = fit_counting_process(X, frame["tenure_start"].to_numpy(float)[order], stop[order],
                                   event, self.penalizer, self.design_.names)
        self._store(res.params, res.se, res.variance, res.log_likelihood)
        self.means_ = X.mean(0)
        self._banded_baseline(X, stop[order], event)

    def _banded_baseline(self, X: np.ndarray, tenure: np.ndarray, event: np.ndarray) -> None:
        """Breslow estimate of the monthly baseline hazard, pooled within tenure bands."""
        lp = X @ self.params_.to_numpy()
        band = np.digitize(tenure, TENURE_BINS[1:-1], right=True)
        risk = np.bincount(band, weights=np.exp(lp), minlength=len(TENURE_BINS) - 1)
        events = np.bincount(band, weights=event, minlength=len(TENURE_BINS) - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            h0 = np.where(risk > 0, events / risk, np.nan)
        # an empty band borrows its neighbour's rate
        self.baseline_hazard_ = pd.Series(h0).ffill().bfill().to_numpy()

    def _fit_accounts(self, frame: pd.DataFrame) -> None:
        X = self.design_.transform(frame)
        res = fit_right_censored(X, frame["duration"].to_numpy(), frame["event"].to_numpy(),
                                 self.penalizer)
        self._store(res.params, res.se, res.variance, res.log_likelihood)
        self.means_ = X.to_numpy().mean(0)
        self.lifelines_model_ = res.model
        # Breslow's cumulative baseline hazard at the average account of the fit
        self.baseline_cumulative_hazard_ = res.model.baseline_cumulative_hazard_.iloc[:, 0]

    # -- results ------------------------------------------------------------------------------
    @property
    def summary(self) -> pd.DataFrame:
        """One row per covariate column: driver, covariate, label, group, reference,
        hazard_ratio, ci_low, ci_high, p, coef, se, significant, sentence, q.

        ``significant``: the interval excludes 1 and, for the voice group (themes, NPS, CSAT),
        also the Benjamini-Hochberg ``q`` within that group is below ``alpha``."""
        z = z_value(1 - self.alpha)
        level = 1 - self.alpha
        rows = []
        for col in self.design_.columns:
            coef = float(self.params_[col.column])
            se = float(self.standard_errors_[col.column])
            hr, lo, hi = safe_exp(coef), safe_exp(coef - z * se), safe_exp(coef + z * se)
            rows.append(
                {
                    "driver": col.column,
                    "covariate": col.covariate.name,
                    "label": col.label,
                    "group": col.covariate.group,
                    "reference": col.reference or "",
                    "hazard_ratio": hr,
                    "ci_low": lo,
                    "ci_high": hi,
                    "p": float(2 * stats.norm.sf(abs(coef / se))) if se > 0 else np.nan,
                    "coef": coef,
                    "se": se,
                    "significant": bool(lo > 1 or hi < 1),
                    "sentence": driver_sentence(col.label, hr, lo, hi,
                                                col.covariate.unit_label, level),
                }
            )
        out = pd.DataFrame(rows)
        # Feedback themes and survey answers are an exploratory family (a dozen themes or
        # more): one of them will often clear a 95% interval by chance, so these need a
        # Benjamini-Hochberg q < alpha as well. Account and behaviour drivers are few and
        # chosen in advance; their intervals stand as they are.
        out["q"] = np.nan
        voice = (out["group"] == "voice").to_numpy()
        if voice.any():
            out.loc[voice, "q"] = bh_adjust(out.loc[voice, "p"].to_numpy())
            chance = voice & out["significant"].to_numpy() & (out["q"] >= self.alpha).to_numpy()
            out.loc[chance, "significant"] = False
            out.loc[chance, "sentence"] = [
                chance_sentence(s, int(voice.sum()), q)
                for s, q in zip(out.loc[chance, "sentence"], out.loc[chance, "q"], strict=True)
            ]
        return out

    @property
    def hazard_ratios_(self) -> pd.Series:
        return np.exp(self.params_)

    def check_assumptions(
        self, frame: pd.DataFrame, p_threshold: float = 0.01, material_ratio: float = 1.25,
    ) -> pd.DataFrame:
        """Proportional-hazards check: does each hazard ratio drift with tenure?

        On the account-month table, a score test (as R's ``cox.zph``) of adding
        ``covariate x log(tenure)`` for each covariate, evaluated at the fitted model, so no
        refit is needed: on this table all rows of a risk set share its tenure, so the extended
        model's score and information follow from per-month terms. Columns:
        ``drift_per_log_month`` (one-step estimate of the interaction), ``p``, ``q``
        (Benjamini-Hochberg over the drivers: with 30 tests one small p is expected by chance),
        ``hr_late_vs_early`` (how much the hazard ratio would change between the 25th and 75th
        percentile tenure at churn) and ``violated``: q below ``p_threshold`` AND a change
        beyond ``material_ratio`` either way, since with millions of rows trivial drifts are
        "significant". The last row is the global test.

        On one row per account (``frame`` the table the model was fitted on), lifelines'
        Schoenfeld-residual test on ranked durations: columns driver, p, q and ``violated``
        (q below ``p_threshold``).
        """
        if self.time_scale_ == "accounts":
            return self._schoenfeld_test(frame, p_threshold)
        stop = frame["tenure_stop"].to_numpy(float)
        order = np.argsort(stop, kind="stable")
        stop, event = stop[order], frame["event"].to_numpy(float)[order]
        X = self.design_.matrix(frame, order)
        with blas_threads():
            terms = one_period_terms(X, stop, event, self.params_.to_numpy())
        # the test does not depend on centring log(t); centring only keeps the sums tame
        g = np.log(np.array([t for t, _, _, _ in terms]))
        g = g - np.average(g, weights=[d for _, d, _, _ in terms])
        k = X.shape[1]
        U = sum(gi * sc for gi, (_, _, sc, _) in zip(g, terms, strict=True))
        i_xx = sum(info for _, _, _, info in terms)
        i_xz = sum(gi * info for gi, (_, _, _, info) in zip(g, terms, strict=True))
        i_zz = sum(gi**2 * info for gi, (_, _, _, info) in zip(g, terms, strict=True))
        n = len(stop)
        scale = X.std(0) if n else np.ones(k)
        i_xx = i_xx + np.diag(self.penalizer * n * np.where(scale > 0, scale, 1.0) ** 2)
        V = i_zz - i_xz.T @ np.linalg.pinv(i_xx) @ i_xz
        diag = np.clip(np.diag(V), 1e-300, None)
        drift = U / diag
        p = stats.chi2.sf(U**2 / diag, 1)
        t_dead = stop[event > 0]
        spread = float(np.log(np.percentile(t_dead, 75)) - np.log(np.percentile(t_dead, 25))) \
            if len(t_dead) else 0.0
        ratio = np.exp(drift * spread)
        out = pd.DataFrame({"driver": self.design_.names,
                            "label": [c.label for c in self.design_.columns],
                            "drift_per_log_month": drift, "p": p, "hr_late_vs_early": ratio})
        glob = float(U @ np.linalg.pinv(V) @ U)
        out.loc[len(out)] = ["GLOBAL", "all drivers (score test)", np.nan,
                             float(stats.chi2.sf(glob, k)), np.nan]
        out["q"] = np.append(bh_adjust(p), np.nan)
        material = (out["hr_late_vs_early"] > material_ratio) | (
            out["hr_late_vs_early"] < 1 / material_ratio)
        glob_row = out["driver"] == "GLOBAL"
        out["violated"] = np.where(glob_row, out["p"] < p_threshold,
                                   (out["q"] < p_threshold) & material)
        self.ph_test_ = out
        return out

    def _schoenfeld_test(self, frame: pd.DataFrame, p_threshold: float) -> pd.DataFrame:
        data = lifelines_frame(self.design_.transform(frame), frame["duration"].to_numpy(),
                               frame["event"].to_numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = proportional_hazard_test(self.lifelines_model_, data, time_transform="rank")
        ph = res.summary
        q = bh_adjust(ph["p"].to_numpy())
        out = pd.DataFrame({
            "driver": [str(i[0] if isinstance(i, tuple) else i) for i in ph.index],
            "p": ph["p"].to_numpy(float), "q": q, "violated": q < p_threshold,
        })
        self.ph_test_ = out
        return out

    # -- prediction ---------------------------------------------------------------------------
    def predict_log_hazard_ratio(self, frame: pd.DataFrame) -> np.ndarray:
        """Log hazard ratio of each row vs the design's reference (levels, medians)."""
        return self.design_.matrix(frame) @ self.params_.to_numpy()

    def _h0(self, tenure: np.ndarray) -> np.ndarray:
        band = np.digitize(tenure, TENURE_BINS[1:-1], right=True)
        return self.baseline_hazard_[band]

    def _cumulative_baseline(self, t: np.ndarray) -> np.ndarray:
        """Cumulative baseline hazard at times ``t`` (step function), extended linearly past the
        last observed time at the average rate of the last quarter of follow-up, so the longest
        tenured accounts do not get zero risk."""
        bch = self.baseline_cumulative_hazard_
        times, H = bch.index.to_numpy(float), bch.to_numpy(float)
        idx = np.searchsorted(times, t, side="right") - 1
        out = np.where(idx >= 0, H[np.clip(idx, 0, None)], 0.0)
        t_max = times[-1]
        lo = np.searchsorted(times, 0.75 * t_max)
        rate = (H[-1] - H[lo]) / max(t_max - times[lo], 1e-9) if lo < len(times) - 1 else \
            H[-1] / max(t_max, 1e-9)
        return np.where(t > t_max, H[-1] + rate * (t - t_max), out)

    def predict_hazard(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of churning within each row's month (account-month tables)."""
        if self.time_scale_ != "account-months":
            raise ValueError("predict_hazard needs a model fitted on account-months")
        lp = self.predict_log_hazard_ratio(frame)
        return 1 - np.exp(-self._h0(frame["tenure_stop"].to_numpy()) * np.exp(lp))

    def predict_risk(self, frame: pd.DataFrame, horizon_months: int = HORIZON_MONTHS) -> np.ndarray:
        """Probability of churning within ``horizon_months`` from each row's month (account-month
        tables) or from each account's ``duration`` (one row per account), holding the features
        as they are (a customer-success view, not a forecast of the features)."""
        if self.time_scale_ == "accounts":
            t = frame["duration"].to_numpy(float)
            cum = self._cumulative_baseline(t + horizon_months) - self._cumulative_baseline(t)
            # the baseline is that of the average account: hazard ratios vs the same average
            centred = (self.design_.matrix(frame) - self.means_) @ self.params_.to_numpy()
            return 1 - np.exp(-cum * np.exp(centred))
        lp = np.exp(self.predict_log_hazard_ratio(frame))
        ten = frame["tenure_stop"].to_numpy()
        cum = sum(self._h0(ten + k) for k in range(horizon_months))
        return 1 - np.exp(-cum * lp)

    def reasons(
        self, frame: pd.DataFrame, top: int = 3, min_ratio: float = 1.1
    ) -> list[list[str]]:
        """For each row, up to ``top`` credible reasons its risk is above typical.

        A reason is a driver whose interval excludes 1 and that multiplies this row's hazard by
        at least ``min_ratio`` compared with the average account of the fit, largest first,
        e.g. "Monthly billing (1.6x vs average)" or "Tickets opened in the last 3 months: 9
        (1.3x vs average)". Comparing with the average rather than with the reference level
        lets a risky reference level (say, month-to-month contracts) count.
        """
        credible = set(self.summary.loc[lambda d: d["significant"], "covariate"])
        design = self.design_
        parts = (design.matrix(frame) - self.means_) * self.params_.to_numpy()
        n = len(frame)
        by_cov: dict[str, list[int]] = {}
        for j, col in enumerate(design.columns):
            by_cov.setdefault(col.covariate.name, []).append(j)
        scores, texts = [], []
        for name, idx in by_cov.items():
            cov = design.columns[idx[0]].covariate
            if name not in credible:
                continue
            contrib = parts[:, idx].sum(1)
            if cov.kind == "numeric":
                what = [f"{cov.label}: {format_value(v)}" for v in frame[name].to_numpy()]
            elif cov.kind == "flag":
                what = [cov.label] * n
            else:
                what = [level_text(cov, str(v)) for v in frame[name].to_numpy()]
            scores.append(np.where(contrib >= math.log(min_ratio), contrib, -np.inf))
            texts.append(np.array([reason_phrase(w, r)
                                   for w, r in zip(what, np.exp(contrib), strict=True)]))
        if not scores:
            return [[] for _ in range(n)]
        score, text = np.column_stack(scores), np.column_stack(texts)
        order = np.argsort(-score, axis=1)[:, :top]
        return [[text[i, j] for j in order[i] if np.isfinite(score[i, j])] for i in range(n)]

    # -- chart --------------------------------------------------------------------------------
    def plot(self, ax: plt.Axes | None = None, groups: Sequence[str] | None = None,
             title: str = "What moves the churn hazard") -> Figure:
        """Forest plot: hazard ratio and CI per driver (log scale), significant ones coloured."""
        s = self.summary
        if groups is not None:
            s = s[s["group"].isin(groups)]
        return plot_forest(s, ax=ax, title=title)
