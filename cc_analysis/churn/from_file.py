"""Any account export: ``cc-analysis churn FILE`` and the cleaning it needs.

Owns the driver analysis of a one-row-per-account table (CSV, TSV, Parquet, JSON or Excel):
``prepare_account_table`` reads the churn flag and the duration, coerces text-typed numbers and
messy categories into candidate drivers and says what it changed and what it left out (leaky
totals, identifiers, dates); ``analyze_account_file`` fits the same ``ChurnCoxFitter`` the
account-month analysis uses, cross-validates it and a gradient-boosted classifier, ranks the
active accounts with the shared at-risk scoring and writes drivers.csv, model_metrics.json and
at_risk.csv.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from lifelines.utils import concordance_index
from scipy import stats
from tqdm import tqdm  # plain bars: tqdm.auto warns inside papermill kernels without ipywidgets

from ..coerce import CHURNED_WORDS, RETAINED_WORDS, is_blank_word, parse_numbers
from ..files import read_table_file
from ..outputs import json_safe
from .analysis import driver_table
from .classifier import ChurnClassifier, calibration_bins, classification_scores
from .cox import ChurnCoxFitter
from .design import Covariate, Design, drop_aliased_columns
from .features import HORIZON_MONTHS, tidy_category
from .narrative import format_value
from .risk import ranked, risk_scores

MAX_CATEGORY_LEVELS = 25  # more distinct values than this reads as an identifier
DAYS_PER_MONTH = 365.25 / 12
DRIVER_COLUMNS = ["driver", "level", "reference", "label", "hazard_ratio", "ci_low", "ci_high",
                  "p", "significant", "importance", "importance_sd", "sentence"]


def _resolve_column(df: pd.DataFrame, name: str | None, what: str,
                    notes: list[str]) -> str | None:
    """The column called ``name``, matched case- and space-insensitively if need be."""
    if name is None:
        return None
    if name in df.columns:
        return name
    key = re.sub(r"[\s_]+", "", name).lower()
    hits = [c for c in df.columns if re.sub(r"[\s_]+", "", c).lower() == key]
    if len(hits) == 1:
        notes.append(f"{what} column '{name}' matched to '{hits[0]}'")
        return hits[0]
    raise KeyError(f"no {what} column '{name}'; the file has: {', '.join(df.columns)}")


def _round_step(x: float) -> float:
    """A round step near ``x`` (1, 2, 2.5 or 5 times a power of ten): the unit a numeric
    driver's hazard ratio is given per ("per +25 MonthlyCharges")."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(x))
    return min((m * e for m in (1, 2, 2.5, 5, 10)), key=lambda v: abs(math.log(v / x)))


def _level_name(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


@dataclass
class AccountTable:
    """An account export cleaned for the driver models (``prepare_account_table``)."""

    frame: pd.DataFrame  # account_id, duration, event, cleaned drivers
    covariates: list[Covariate]
    features: list[str]  # classifier features (raw cleaned columns)
    coercions: list[str]
    excluded: list[str]
    as_of: str | None


def prepare_account_table(
    df: pd.DataFrame,
    id_col: str,
    churn_col: str,
    tenure_col: str | None = None,
    start_col: str | None = None,
    end_col: str | None = None,
    *,
    as_of: Any = None,
    drop_cols: Sequence[str] = (),
    keep_cols: Sequence[str] = (),
    notes: list[str] | None = None,
) -> AccountTable:
    """Clean a one-row-per-account table for the driver models and say what was changed.

    Churn: 1/0, true/false, yes/no (and churned/active, ...). Duration in months from
    ``tenure_col`` or from ``start_col`` to ``end_col`` (blank end = still a customer at
    ``as_of``, default the latest date in the file). Every other column is a candidate
    driver: numbers (text-typed ones coerced; blanks filled with the median plus a
    "<col> is blank" flag), categories (trimmed; case variants merged; blanks kept as
    '(blank)'; rare levels pooled as 'Other'). Left out, with the reason: identifier-like
    columns, constant columns, date columns and numeric totals that grow with tenure
    (|Spearman| >= 0.8 with the duration: a total at churn measures time as a customer, not
    a driver). ``keep_cols`` overrides the last two checks; ``drop_cols`` removes columns.
    """
    coercions = list(notes or [])
    excluded: list[str] = []
    id_col = _resolve_column(df, id_col, "id", coercions)
    churn_col = _resolve_column(df, churn_col, "churn", coercions)
    tenure_col = _resolve_column(df, tenure_col, "tenure", coercions)
    start_col = _resolve_column(df, start_col, "start", coercions)
    end_col = _resolve_column(df, end_col, "end", coercions)
    if (tenure_col is None) == (start_col is None):
        raise ValueError("give either a tenure column (months) or a start column (with an "
                         "optional end column), not both")
    if end_col is not None and start_col is None:
        raise ValueError("an end column needs a start column")
    n0 = len(df)
    df = df.copy()
    dup = df[id_col].astype(str).str.strip().duplicated(keep="last")
    if dup.any():
        coercions.append(f"{id_col}: {int(dup.sum())} duplicate ids, kept the last row of each")
        df = df[~dup]

    flag = df[churn_col].astype(str).str.strip().str.lower().str.replace(r"\.0+$", "", regex=True)
    event = pd.Series(np.where(flag.isin(CHURNED_WORDS), 1.0,
                               np.where(flag.isin(RETAINED_WORDS), 0.0, np.nan)), index=df.index)
    if event.isna().any():
        bad = sorted(set(df.loc[event.isna(), churn_col].astype(str)))[:5]
        coercions.append(f"{churn_col}: {int(event.isna().sum())} rows with an unreadable churn "
                         f"value ({', '.join(repr(b) for b in bad)}) left out")

    as_of_text = None
    if tenure_col is not None:
        duration, c = parse_numbers(df[tenure_col])
        if c["blank"] or c["unreadable"]:
            coercions.append(f"{tenure_col}: {c['blank'] + c['unreadable']} blank or unreadable "
                             "tenures, rows left out")
    else:
        start = pd.to_datetime(df[start_col].where(~is_blank_word(df[start_col])),
                               errors="coerce", format="mixed")
        end = pd.to_datetime(df[end_col].where(~is_blank_word(df[end_col])), errors="coerce",
                             format="mixed") if end_col else pd.Series(pd.NaT, index=df.index)
        stamp = pd.Timestamp(as_of) if as_of is not None else max(start.max(), end.max())
        as_of_text = stamp.date().isoformat()
        if as_of is None:
            coercions.append(f"as-of date {as_of_text} (the latest date in the file)")
        if start.isna().any():
            coercions.append(f"{start_col}: {int(start.isna().sum())} blank or unreadable start "
                             "dates, rows left out")
        lost = (event == 1) & end.isna()
        if lost.any():
            coercions.append(f"{end_col or 'end'}: {int(lost.sum())} churned accounts without an "
                             f"end date, followed to {as_of_text}")
        odd = (event == 0) & end.notna() & (end <= stamp)
        if odd.any():
            coercions.append(f"{end_col}: {int(odd.sum())} accounts marked active have a past "
                             "end date; the churn column wins (followed to the as-of date)")
        stop = end.where(event == 1).fillna(stamp)
        duration = (stop - start).dt.days / DAYS_PER_MONTH
    neg = duration < 0
    if neg.any():
        coercions.append(f"{int(neg.sum())} negative durations, rows left out")
    duration = duration.where(~neg)
    zero = duration == 0
    if zero.any():
        # lifelines needs time > 0; tenure 0 means "less than a month"
        coercions.append(f"{int(zero.sum())} accounts with tenure 0 counted as half a month")
        duration = duration.where(~zero, 0.5)
    ok = event.notna() & duration.notna()
    df, event, duration = df[ok], event[ok], duration[ok]
    if len(df) < n0 - int(dup.sum()):
        coercions.append(f"{len(df):,} of {n0:,} rows analysed")
    if event.sum() < 10 or (event == 0).sum() < 10:
        raise ValueError(f"need at least 10 churned and 10 active accounts; have "
                         f"{int(event.sum())} and {int((event == 0).sum())}")

    used = {id_col, churn_col, tenure_col, start_col, end_col}
    keep = set(keep_cols)
    drops = {_resolve_column(df, c, "drop", coercions) for c in drop_cols}
    frame = pd.DataFrame({"account_id": df[id_col].astype(str).str.strip(),
                          "duration": duration.astype(float), "event": event.astype(int)})
    covs: list[Covariate] = []
    features: list[str] = []
    n = len(df)
    for col in df.columns:
        if col in used or col in drops:
            continue
        raw = df[col]
        nonblank = ~is_blank_word(raw)
        if not nonblank.any():
            excluded.append(f"{col}: empty")
            continue
        num, c = parse_numbers(raw)
        if c["unreadable"] <= 0.05 * nonblank.sum() and num.notna().any():
            what = []
            if c["blank"]:
                what.append(f"{c['blank']} blank")
            if c["unreadable"]:
                what.append(f"{c['unreadable']} unreadable")
            values = num.dropna().unique()
            if len(values) <= 1:
                excluded.append(f"{col}: a single value")
                continue
            if len(values) == 2:  # a 0/1 style column reads best as two groups
                lv = num.map(lambda v: "(blank)" if pd.isna(v) else _level_name(v))
                frame[col] = lv
                covs.append(Covariate(col, "category", col, "account", "{label} = {level}"))
                features.append(col)
                if what:
                    coercions.append(f"{col}: {' and '.join(what)} values kept as '(blank)'")
                continue
            if c["reformatted"] or what:
                parts = ([f"{c['reformatted']} values stripped of signs/separators"]
                         if c["reformatted"] else [])
                if what:
                    parts.append(f"{' and '.join(what)} values read as missing")
                coercions.append(f"{col}: text read as numbers ({'; '.join(parts)})")
            rho = stats.spearmanr(num, duration, nan_policy="omit")[0]
            if abs(rho) >= 0.8 and col not in keep:
                excluded.append(f"{col}: grows with tenure (Spearman {rho:.2f} with duration), "
                                "so it measures time as a customer rather than a driver; "
                                "pass it in keep_cols to use it anyway")
                continue
            if num.isna().any():
                med = float(num.median())
                coercions.append(f"{col}: {int(num.isna().sum())} missing values filled with "
                                 f"the median {format_value(med)} for the hazard model, with a "
                                 f"'{col} is blank' flag")
                frame[f"{col} is blank"] = num.isna()
                covs.append(Covariate(f"{col} is blank", "flag", f"{col} is blank", "account",
                                      feature=col))
            frame[col] = num
            sd = float(num.std())
            unit = _round_step(sd)
            covs.append(Covariate(col, "numeric", col, "account", unit=unit,
                                  unit_label=f"per +{format_value(unit)} {col}"))
            features.append(col)
            continue
        # dates are not drivers
        dates = pd.to_datetime(raw.where(nonblank), errors="coerce", format="mixed")
        if dates.notna().sum() >= 0.95 * nonblank.sum() and raw.str.contains(r"\d").all():
            excluded.append(f"{col}: dates (give it as --start-col/--end-col to use it)")
            continue
        cat = tidy_category(raw.where(nonblank, None))
        merged = raw.where(nonblank, "").astype(str).str.strip().nunique() - cat.nunique()
        if merged > 0:
            coercions.append(f"{col}: {merged} spelling variants (case, spaces) merged")
        counts = cat.value_counts()
        rare = counts[counts < max(10, 0.01 * n)].index
        if len(rare) and len(counts) - len(rare) >= 1:
            cat = cat.where(~cat.isin(rare), "Other")
            coercions.append(f"{col}: {len(rare)} rare values pooled as 'Other'")
        levels = cat.nunique()
        if (levels > MAX_CATEGORY_LEVELS or raw.nunique() > 0.5 * n) and col not in keep:
            excluded.append(f"{col}: {raw.nunique():,} distinct values (identifier-like)")
            continue
        if levels < 2:
            excluded.append(f"{col}: a single value")
            continue
        if (~nonblank).any():
            coercions.append(f"{col}: {int((~nonblank).sum())} blank values kept as '(blank)'")
        frame[col] = cat.to_numpy()
        covs.append(Covariate(col, "category", col, "account", "{label} = {level}"))
        features.append(col)
    if not covs:
        raise ValueError("no usable driver columns left; see the excluded list")
    return AccountTable(frame.reset_index(drop=True), covs, features, coercions, excluded,
                        as_of_text)


def _fit_cox(frame: pd.DataFrame, design: Design, notes: list[str]) -> ChurnCoxFitter:
    """The hazard model with a mild ridge (real exports have near-duplicate and sparse
    columns), a stronger one if that does not converge."""
    try:
        return ChurnCoxFitter(penalizer=0.01).fit(frame, design=design)
    except Exception:  # lifelines raises several convergence error types
        notes.append("Cox model did not converge with ridge 0.01; used 0.1")
        return ChurnCoxFitter(penalizer=0.1).fit(frame, design=design)


def _concordance(cox: ChurnCoxFitter, frame: pd.DataFrame) -> float:
    """Harrell's concordance of the model's risk with the time to churn."""
    lp = cox.predict_log_hazard_ratio(frame)
    return float(concordance_index(frame["duration"], -lp, frame["event"]))


def account_driver_table(cox: ChurnCoxFitter, importances: pd.DataFrame) -> pd.DataFrame:
    """``driver_table`` in the file command's columns: the driver is the file's column (a
    category's level in ``level``), with the classifier's importance of that column."""
    d = driver_table(cox, importances)
    columns = {c.column: c for c in cox.design_.columns}
    d["level"] = [columns[x].level if columns[x].level is not None else "" for x in d["driver"]]
    d["driver"] = [columns[x].covariate.feature or columns[x].covariate.name
                   for x in d["driver"]]
    return d.reindex(columns=DRIVER_COLUMNS)


def analyze_account_file(
    path: str | Path,
    id_col: str,
    churn_col: str,
    tenure_col: str | None = None,
    start_col: str | None = None,
    end_col: str | None = None,
    out_dir: str | Path = "churn-out",
    seed: int = 42,
    *,
    as_of: Any = None,
    value_col: str | None = None,
    horizon_months: int = HORIZON_MONTHS,
    drop_cols: Sequence[str] = (),
    keep_cols: Sequence[str] = (),
    folds: int = 5,
    progress: bool = False,
) -> dict[str, Any]:
    """Churn drivers of any one-row-per-account export; the ``cc-analysis churn`` command.

    Writes to ``out_dir``: ``drivers.csv`` (driver, level, hazard ratio with CI, p, the
    classifier's permutation importance, plain-words sentence), ``model_metrics.json``
    (cross-validated ROC AUC, Brier and calibration of a gradient-boosted classifier;
    cross-validated and in-sample concordance of a Cox model; the proportional-hazards test;
    what was coerced and left out) and ``at_risk.csv`` (accounts still active ranked by the
    probability of churning within ``horizon_months``, with top reasons and, given
    ``value_col``, the value at stake). Returns a summary with the file paths, headline
    numbers, ``coercions`` and ``excluded``.
    """
    from sklearn.model_selection import StratifiedKFold, train_test_split

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    raw, notes = read_table_file(path)
    id_col = _resolve_column(raw, id_col, "id", notes)
    value_by_id = None
    if value_col is not None:
        value_col = _resolve_column(raw, value_col, "value", notes)
        value, _ = parse_numbers(raw[value_col])
        value_by_id = pd.Series(value.to_numpy(), index=raw[id_col].astype(str).str.strip())
        value_by_id = value_by_id[~value_by_id.index.duplicated(keep="last")]
    prep = prepare_account_table(raw, id_col, churn_col, tenure_col, start_col, end_col,
                                 as_of=as_of, drop_cols=drop_cols, keep_cols=keep_cols,
                                 notes=notes)
    frame = prep.frame
    design = Design(prep.covariates).fit(frame)
    drop_aliased_columns(design, frame, prep.excluded, seed=seed)
    cox = _fit_cox(frame, design, prep.coercions)

    # cross-validated concordance (Cox) and predictions (classifier), same folds
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof = np.zeros(len(frame))
    conc = []
    feats = ["duration", *prep.features]
    for tr, te in tqdm(list(skf.split(frame, frame["event"])), desc="cross-validation",
                       leave=False, disable=not progress):
        train, test = frame.iloc[tr], frame.iloc[te]
        conc.append(_concordance(ChurnCoxFitter(penalizer=cox.penalizer).fit(
            train, design=design), test))
        clf = ChurnClassifier(features=feats, seed=seed).fit(train)
        oof[te] = clf.predict_proba(test)
    y = frame["event"].to_numpy()
    cls_metrics = classification_scores(oof, y)
    calib = calibration_bins("classifier", oof, y)
    tr, te = train_test_split(np.arange(len(frame)), test_size=0.25, random_state=seed,
                              stratify=y)
    clf = ChurnClassifier(features=feats, seed=seed).fit(frame.iloc[tr])
    imp = clf.permutation_importance(frame.iloc[te], n_repeats=5)
    drivers = account_driver_table(cox, imp)

    ph_rows: list[dict[str, Any]] = []
    try:
        ph_rows = cox.check_assumptions(frame).to_dict("records")
    except Exception as exc:  # a diagnostic must not stop the analysis
        prep.coercions.append(f"proportional-hazards test skipped: {exc}")

    active = frame[frame["event"] == 0]
    scores = risk_scores(cox, active, horizon_months)
    prob = scores["churn_probability"]
    risk = pd.DataFrame({
        id_col: active["account_id"].to_numpy(),
        "tenure_months": np.round(active["duration"].to_numpy(), 1),
        f"churn_probability_{horizon_months}m": prob,
        "risk_vs_typical": scores["risk_vs_typical"],
    })
    if value_by_id is not None:
        risk[value_col] = active["account_id"].map(value_by_id).to_numpy()
        risk["expected_value_at_risk"] = risk[value_col] * prob
    risk["top_reasons"] = scores["top_reasons"]
    risk = ranked(risk, f"churn_probability_{horizon_months}m")

    metrics = {
        "file": str(path),
        "accounts": len(frame),
        "churned": int(y.sum()),
        "churn_share": float(y.mean()),
        "duration": f"tenure column '{tenure_col}' (months)" if tenure_col else
        f"from '{start_col}' to '{end_col or 'as-of'}' (months)",
        "as_of": prep.as_of,
        "drivers_considered": prep.features,
        "classifier": {
            "model": "HistGradientBoostingClassifier (features: duration + drivers)",
            "cv_folds": folds, **cls_metrics,
            "calibration": calib.drop(columns="model").to_dict("records"),
            "importances": imp.to_dict("records"),
        },
        "cox": {
            "penalizer": cox.penalizer,
            "concordance_cv": float(np.mean(conc)),
            "concordance_cv_sd": float(np.std(conc)),
            "concordance_in_sample": _concordance(cox, frame),
            "ph_test": ph_rows,
            "ph_violations": [r["driver"] for r in ph_rows if r["violated"]],
        },
        "at_risk": {
            "horizon_months": horizon_months,
            "accounts": len(risk),
            "expected_churners": float(prob.sum()),
            **({"value_column": value_col,
                "expected_value_at_risk": float(np.nansum(risk["expected_value_at_risk"]))}
               if value_by_id is not None else {}),
        },
        "coercions": prep.coercions,
        "excluded": prep.excluded,
    }
    paths = {"drivers": out / "drivers.csv", "model_metrics": out / "model_metrics.json",
             "at_risk": out / "at_risk.csv"}
    drivers.to_csv(paths["drivers"], index=False)
    risk.to_csv(paths["at_risk"], index=False)
    paths["model_metrics"].write_text(json.dumps(json_safe(metrics), indent=2), encoding="utf-8")
    return {
        "files": {k: str(v) for k, v in paths.items()},
        "accounts": len(frame),
        "churned": int(y.sum()),
        "auc": cls_metrics["auc"],
        "concordance": float(np.mean(conc)),
        "drivers": len(drivers),
        "top_drivers": drivers.loc[drivers["significant"], "sentence"].head(5).tolist(),
        "coercions": prep.coercions,
        "excluded": prep.excluded,
    }
