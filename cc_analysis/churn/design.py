"""Model design: account-table columns -> numeric covariates with references and plain labels.

Owns ``Covariate`` (a candidate driver, its kind and how to say it), the covariates of the
account-month table (``PANEL_COVARIATES``, ``theme_covariates``) and ``Design``, which turns a
frame into the covariate matrix the Cox model fits: categories as indicators against a
reference level (the commonest unless set), flags as 0/1, numbers centred on their median
(per ``unit``, optionally log2), missing values read as typical. The same design scores new
rows, so a model fitted once applies to the accounts active today.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Covariate:
    """A candidate driver and how to say it in plain words."""

    name: str  # column of the account-period table
    kind: Literal["category", "flag", "numeric"]
    label: str  # "Plan", "Active users fell 30%+ ..."
    group: Literal["account", "behaviour", "voice"]
    level_label: str = "{label} {level}"  # for categories: "{level} billing", ...
    unit: float = 1.0  # numeric: the hazard ratio is per this many units (after transform)
    unit_label: str = ""  # "per extra ticket opened in the last 3 months"
    transform: Literal["log2"] | None = None
    reference: str | None = None  # category reference level (default: the commonest)
    feature: str | None = None  # matching classifier feature (for importances)


PANEL_COVARIATES: tuple[Covariate, ...] = (
    Covariate("billing_term", "category", "Billing term", "account", "{Level} billing"),
    Covariate("plan", "category", "Plan", "account", "{level} plan"),
    Covariate("segment", "category", "Segment", "account", "{level} segment"),
    Covariate("region", "category", "Region", "account", "Region {level}"),
    Covariate("arr", "numeric", "ARR", "account", unit_label="per doubling of ARR",
              transform="log2"),
    Covariate("usage_decline", "flag",
              "Active users fell 30%+ (last 3 months vs the 3 before)", "behaviour",
              feature="usage_change"),
    Covariate("seat_utilisation", "numeric", "Seat utilisation", "behaviour", unit=0.1,
              unit_label="per 10 points more seat utilisation"),
    Covariate("features_used", "numeric", "Key features used", "behaviour",
              unit_label="per extra key feature used"),
    Covariate("tickets_3m", "numeric", "Tickets opened in the last 3 months", "behaviour",
              unit_label="per extra ticket opened in the last 3 months"),
    Covariate("unresolved_2plus", "flag",
              "2+ tickets from the last 3 months still unresolved", "behaviour",
              feature="unresolved_3m"),
    Covariate("slow_resolution", "flag",
              "Tickets took over 3 days to resolve on average (last 6 months)", "behaviour",
              feature="resolution_h_6m"),
    Covariate("poor_csat", "flag", "Rated support 1-2 (CSAT) in the last 6 months", "voice",
              feature="csat_6m"),
    Covariate("nps_category", "category", "NPS", "voice", "NPS {level}",
              reference="promoter", feature="nps_score"),
)


def theme_covariates(themes: Iterable[str], labels: Mapping[str, str]) -> list[Covariate]:
    """One flag covariate per feedback theme: raised in the last 6 months (voice group)."""
    return [
        Covariate(f"theme:{t}", "flag",
                  f"Raised '{labels.get(t, t.replace('_', ' '))}' in the last 6 months",
                  "voice")
        for t in themes
    ]


def level_text(cov: Covariate, level: str) -> str:
    """A category level in words, per the covariate's ``level_label`` ("Monthly billing")."""
    return cov.level_label.format(label=cov.label, level=level,
                                  Level=level[:1].upper() + level[1:])


@dataclass
class DesignColumn:
    """One design-matrix column and where it came from."""

    column: str
    covariate: Covariate
    level: str | None = None
    reference: str | None = None
    center: float = 0.0

    @property
    def label(self) -> str:
        cov = self.covariate
        if cov.kind == "category":
            return f"{level_text(cov, str(self.level))} (vs {self.reference})"
        return cov.label


class Design:
    """Turns a frame into a numeric covariate matrix; remembers references and centres."""

    def __init__(self, covariates: Sequence[Covariate]):
        self.covariates = list(covariates)
        self.columns: list[DesignColumn] = []
        self.dropped: list[str] = []

    @staticmethod
    def _numeric(frame: pd.DataFrame, cov: Covariate) -> np.ndarray:
        x = pd.to_numeric(frame[cov.name], errors="coerce").to_numpy(dtype=float)
        if cov.transform == "log2":
            with np.errstate(divide="ignore", invalid="ignore"):
                x = np.where(x > 0, np.log2(np.where(x > 0, x, 1.0)), np.nan)
        return x / cov.unit

    def fit(self, frame: pd.DataFrame) -> Design:
        self.columns, self.dropped = [], []
        for cov in self.covariates:
            if cov.name not in frame:
                continue
            if cov.kind == "category":
                counts = frame[cov.name].value_counts()
                counts = counts[counts > 0]
                counts.index = counts.index.astype(str)
                if len(counts) < 2:
                    self.dropped.append(f"{cov.name}: a single value")
                    continue
                ref = cov.reference if cov.reference in counts.index else str(counts.index[0])
                self.columns += [DesignColumn(f"{cov.name}[{lv}]", cov, str(lv), ref)
                                 for lv in counts.index if lv != ref]
            elif cov.kind == "flag":
                self.columns.append(DesignColumn(cov.name, cov))
            else:
                x = self._numeric(frame, cov)
                centre = float(np.nanmedian(x)) if np.isfinite(x).any() else 0.0
                self.columns.append(DesignColumn(cov.name, cov, center=centre))
        # a constant column cannot be estimated (e.g. a theme nobody raised in the fit window)
        const = [c.column for c, v in zip(self.columns, self._vectors(frame), strict=True)
                 if np.std(v) == 0]
        self.dropped += [f"{c}: no variation" for c in const]
        self.columns = [c for c in self.columns if c.column not in const]
        return self

    def varying(self, frame: pd.DataFrame) -> Design:
        """A copy keeping only the columns that vary in ``frame`` (references and centres
        unchanged): what a model fitted on a subset of rows, e.g. a cross-validation fold, can
        estimate."""
        out = copy.copy(self)
        out.columns = [c for c, v in zip(self.columns, self._vectors(frame), strict=True)
                       if np.std(v) > 0]
        return out

    @property
    def names(self) -> list[str]:
        return [c.column for c in self.columns]

    def _vectors(self, frame: pd.DataFrame) -> Iterable[np.ndarray]:
        cache: dict[str, tuple[np.ndarray, dict[str, int]]] = {}
        for col in self.columns:
            cov = col.covariate
            if cov.name not in frame:  # e.g. a theme nobody had raised yet: absent = typical
                yield np.zeros(len(frame))
            elif cov.kind == "category":
                if cov.name not in cache:
                    # integer codes: comparing millions of strings per level is slow
                    cat = pd.Categorical(frame[cov.name])
                    levels = {str(v): i for i, v in enumerate(cat.categories)}
                    cache[cov.name] = (np.asarray(cat.codes), levels)
                codes, levels = cache[cov.name]
                yield (codes == levels.get(str(col.level), -2)).astype(float)
            elif cov.kind == "flag":
                yield frame[cov.name].fillna(False).to_numpy().astype(float)
            else:
                x = self._numeric(frame, cov) - col.center
                yield np.where(np.isfinite(x), x, 0.0)  # missing = typical

    def matrix(self, frame: pd.DataFrame, order: np.ndarray | None = None) -> np.ndarray:
        """The covariate matrix (rows optionally reordered by ``order``), filled in place."""
        n = len(frame) if order is None else len(order)
        X = np.empty((n, len(self.columns)))
        for j, v in enumerate(self._vectors(frame)):
            X[:, j] = v if order is None else v[order]
        return X

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The covariate matrix as a frame: one column per design column, ``frame``'s index."""
        return pd.DataFrame(self.matrix(frame), columns=self.names, index=frame.index)


def drop_aliased_columns(design: Design, frame: pd.DataFrame, excluded: list[str],
                         max_rows: int = 20_000, seed: int = 0) -> None:
    """Drop design columns that repeat the information of earlier ones (e.g. 'OnlineSecurity =
    No internet service' is exactly 'InternetService = No'): the hazard model cannot separate
    them. Checked by rank on a row sample; each dropped column is noted in ``excluded``."""
    X = design.matrix(frame)
    if len(X) > max_rows:
        X = X[np.random.default_rng(seed).choice(len(X), max_rows, replace=False)]
    sd = X.std(0)
    Z = (X - X.mean(0)) / np.where(sd > 0, sd, 1.0)
    kept: list[int] = []
    for j, col in enumerate(design.columns):
        trial = [*kept, j]
        if np.linalg.matrix_rank(Z[:, trial], tol=1e-8 * len(Z)) == len(trial):
            kept.append(j)
        else:
            excluded.append(f"{col.label}: same information as other columns (aliased)")
    design.columns = [design.columns[j] for j in kept]
