"""Fitting Cox proportional-hazards models: the fast one-month solver and lifelines.

Owns the estimation behind ``ChurnCoxFitter``: an Efron-ties Newton-Raphson solver for
counting-process rows that each span one month (the account-month table: one pass over the
rows per iteration, warm-started on a row sample for large tables), the per-month score and
information terms the proportional-hazards check needs, lifelines' ``CoxTimeVaryingFitter``
for (start, stop] rows of other shapes, and lifelines' ``CoxPHFitter`` for one row per account
followed from time 0. It also caps BLAS / OpenMP threads for the heavy steps.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, CoxTimeVaryingFitter

WARM_START_ROWS = 400_000
THREADS = 1  # BLAS / OpenMP threads for the heavy steps, see ``blas_threads``
# lifelines' duration and event columns; a design column is a driver's name or "name[level]"
DURATION_COL, EVENT_COL = "_duration", "_event"


@dataclass
class CoxResult:
    """Estimates of one fit; ``model`` is the lifelines fitter when lifelines did the fitting."""

    params: np.ndarray
    se: np.ndarray
    variance: np.ndarray
    log_likelihood: float
    model: Any = None


def blas_threads(n: int | None = None) -> Any:
    """Cap BLAS and OpenMP threads (default ``THREADS``).

    Why: on a small shared machine, busy-waiting BLAS threads that compete with other processes
    made one Cox iteration on 3 million rows 6x slower with 2 threads than with 1.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(THREADS if n is None else n)


def _cox_one_period(
    X: np.ndarray, stop: np.ndarray, event: np.ndarray, penalizer: float = 0.0,
    max_iter: int = 50, tol: float = 1e-9, initial: np.ndarray | None = None,
) -> CoxResult:
    """Cox partial likelihood with Efron ties, by Newton-Raphson, for counting-process rows that
    each span exactly one time unit, sorted by ``stop``.

    Why not lifelines' CoxTimeVaryingFitter: it rescans every row at every event time. When
    each row covers (stop - 1, stop] on an integer time scale, the risk set at time t is exactly
    the rows with stop == t, so the likelihood splits into one term per tenure month and one pass
    over the rows suffices: the same estimates (checked in the tests), many times faster on
    millions of account-months. ``penalizer`` is lifelines' ridge (on standardised coefficients,
    scaled by the number of rows).
    """
    n, p = X.shape
    ev = event.astype(bool)
    _, first = np.unique(stop, return_index=True)
    bounds = np.append(first, n)
    groups = [(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True) if ev[lo:hi].any()]
    deaths = [np.flatnonzero(ev[lo:hi]) + lo for lo, hi in groups]
    scale = X.std(0) if n else np.ones(p)
    pen = penalizer * n * np.where(scale > 0, scale, 1.0) ** 2  # lifelines: n * lambda / 2 * b^2
    x_dead = X[ev].sum(0)

    def evaluate(beta: np.ndarray, full: bool) -> tuple[float, np.ndarray, np.ndarray]:
        eta = X @ beta
        shift = float(eta.max()) if n else 0.0  # exp() without overflow; cancels in the ratio
        w = np.exp(eta - shift)
        ll, grad, hess = float(eta[ev].sum()), x_dead.copy(), np.zeros((p, p))
        for (lo, hi), di in zip(groups, deaths, strict=True):
            wg, wd = w[lo:hi], w[di]
            d = len(di)
            r = np.arange(d) / d  # Efron: tied deaths leave the risk set a fraction at a time
            den = wg.sum() - r * wd.sum()
            ll -= float(np.log(den).sum()) + d * shift
            if not full:
                continue
            Xg, Xd = X[lo:hi], X[di]
            u = (wg @ Xg - r[:, None] * (wd @ Xd)) / den[:, None]
            grad -= u.sum(0)
            s2 = Xg.T @ (Xg * wg[:, None])
            s2d = Xd.T @ (Xd * wd[:, None])
            hess -= s2 * (1 / den).sum() - s2d * (r / den).sum() - u.T @ u
        ll -= 0.5 * float((pen * beta**2).sum())
        return ll, grad - pen * beta, hess - np.diag(pen)

    beta = np.zeros(p) if initial is None else np.asarray(initial, dtype=float).copy()
    ll, grad, hess = evaluate(beta, True)
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(-hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(-hess, grad, rcond=None)[0]
        t = 1.0
        while True:  # step halving keeps every iteration uphill; no Hessian needed to check
            new_ll = evaluate(beta + t * step, False)[0]
            if new_ll >= ll - 1e-10 * (1 + abs(ll)) or t < 1e-4:
                break
            t /= 2
        beta = beta + t * step
        done = abs(new_ll - ll) < tol * (1 + abs(ll)) or np.max(np.abs(t * step), initial=0) < 1e-8
        ll, grad, hess = evaluate(beta, True)
        if done:
            break
    try:
        var = np.linalg.inv(-hess)
    except np.linalg.LinAlgError:
        var = np.linalg.pinv(-hess)
    return CoxResult(beta, np.sqrt(np.clip(np.diag(var), 0, None)), var, ll)


def one_period_terms(
    X: np.ndarray, stop: np.ndarray, event: np.ndarray, beta: np.ndarray
) -> list[tuple[float, int, np.ndarray, np.ndarray]]:
    """Per event time of one-period rows sorted by stop: (time, deaths, score, information) of the
    Efron partial likelihood at ``beta`` (information = minus the Hessian)."""
    n = len(stop)
    ev = event.astype(bool)
    times, first = np.unique(stop, return_index=True)
    bounds = np.append(first, n)
    eta = X @ beta
    w = np.exp(eta - (eta.max() if n else 0.0))
    out = []
    for t, lo, hi in zip(times, bounds[:-1], bounds[1:], strict=True):
        di = np.flatnonzero(ev[lo:hi]) + lo
        if not len(di):
            continue
        wg, wd, Xg, Xd = w[lo:hi], w[di], X[lo:hi], X[di]
        r = np.arange(len(di)) / len(di)
        den = wg.sum() - r * wd.sum()
        u = (wg @ Xg - r[:, None] * (wd @ Xd)) / den[:, None]
        score = Xd.sum(0) - u.sum(0)
        info = (Xg.T @ (Xg * wg[:, None])) * (1 / den).sum() \
            - (Xd.T @ (Xd * wd[:, None])) * (r / den).sum() - u.T @ u
        out.append((float(t), len(di), score, info))
    return out


def _cox_warm(X: np.ndarray, stop: np.ndarray, event: np.ndarray, penalizer: float,
              seed: int = 0) -> CoxResult:
    """On large tables, start Newton from a fit on a random ~200,000 rows (each row is a member
    of one risk set, so a row sample estimates the same coefficients): the full data then needs
    two or three iterations instead of six to eight."""
    initial = None
    if len(stop) > WARM_START_ROWS:
        keep = np.random.default_rng(seed).random(len(stop)) < WARM_START_ROWS / len(stop) / 2
        initial = _cox_one_period(X[keep], stop[keep], event[keep], penalizer, tol=1e-6).params
    return _cox_one_period(X, stop, event, penalizer, initial=initial)


def fit_counting_process(
    X: np.ndarray, start: np.ndarray, stop: np.ndarray, event: np.ndarray, penalizer: float,
    names: Sequence[str],
) -> CoxResult:
    """Cox PH on (start, stop] rows sorted by stop: the one-period solver when it applies,
    lifelines' CoxTimeVaryingFitter otherwise."""
    if len(stop) and np.all(stop - start == 1) and np.all(stop == np.round(stop)):
        with blas_threads():
            return _cox_warm(X, stop, event, penalizer)
    df = pd.DataFrame(X, columns=list(names)).assign(_start=start, _stop=stop, _event=event)
    cph = CoxTimeVaryingFitter(penalizer=penalizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' low-variance notes; constants are dropped
        cph.fit(df, event_col="_event", start_col="_start", stop_col="_stop")
    var = cph.variance_matrix_.to_numpy()
    return CoxResult(cph.params_.to_numpy(), cph.standard_errors_.to_numpy(), var,
                     float(cph.log_likelihood_))


def fit_right_censored(X: pd.DataFrame, duration: np.ndarray, event: np.ndarray,
                       penalizer: float) -> CoxResult:
    """Cox PH on one row per subject followed from time 0 to ``duration`` (lifelines'
    ``CoxPHFitter``: Efron ties, ridge ``penalizer``); the fitter is kept in ``model`` for its
    Breslow baseline and its Schoenfeld-residual test. Raises what lifelines raises when the
    fit does not converge."""
    names = list(X.columns)
    cph = CoxPHFitter(penalizer=penalizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' low-variance notes; constants are dropped
        cph.fit(lifelines_frame(X, duration, event), duration_col=DURATION_COL,
                event_col=EVENT_COL)
    return CoxResult(cph.params_[names].to_numpy(), cph.standard_errors_[names].to_numpy(),
                     cph.variance_matrix_.loc[names, names].to_numpy(),
                     float(cph.log_likelihood_), cph)


def lifelines_frame(X: pd.DataFrame, duration: np.ndarray, event: np.ndarray) -> pd.DataFrame:
    """The frame ``fit_right_censored`` hands lifelines (what its residual tests take)."""
    return X.assign(**{DURATION_COL: np.asarray(duration, float), EVENT_COL: np.asarray(event)})
