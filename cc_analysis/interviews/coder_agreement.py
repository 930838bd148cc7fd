"""Agreement of the automatic coding with a human coder.

Owns mapping a human coder's segments onto snippets (the unit of agreement; shared word 3-grams)
and per-code precision, recall, F1 and Cohen's kappa, pooled and macro-averaged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .snippets import WORD


def _grams(text: str, n: int) -> Counter[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    n = min(n, len(words)) or 1
    return Counter(tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1)))


def align_segments(
    snippets: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    text_col: str = "segment",
    code_col: str = "code",
    participant_col: str | None = "participant",
    min_overlap: float = 0.5,
) -> pd.DataFrame:
    """Human-coded segments mapped onto snippets (the unit of agreement).

    A snippet carries a segment's code when they share word 3-grams covering at least
    ``min_overlap`` of the segment (a short segment inside the snippet) or of the snippet (a
    snippet inside a long segment). With ``participant_col``, only the same participant's
    snippets are compared. Returns ``snippet_id, code, segment``; ``.attrs["unmatched"]``
    counts segments no snippet matched.
    """
    grams = {sid: _grams(t, 3) for sid, t in zip(snippets["snippet_id"], snippets["text"],
                                                 strict=True)}
    by_participant = (snippets.groupby("participant")["snippet_id"].agg(list)
                      if participant_col else None)
    rows, unmatched = [], 0
    for k, seg in enumerate(segments.itertuples(index=False)):
        seg_d = seg._asdict()
        g = _grams(str(seg_d[text_col]), 3)
        seg_n = sum(g.values())
        if not seg_n:
            unmatched += 1
            continue
        if by_participant is not None:
            candidates = by_participant.get(seg_d[participant_col], [])
        else:
            candidates = list(grams)
        hit = False
        for sid in candidates:
            sg = grams[sid]
            shared = sum((g & sg).values())
            if shared and (shared / seg_n >= min_overlap
                           or shared / max(1, sum(sg.values())) >= min_overlap):
                rows.append({"snippet_id": sid, "code": seg_d[code_col], "segment": k})
                hit = True
        unmatched += not hit
    out = pd.DataFrame(rows, columns=["snippet_id", "code", "segment"]).drop_duplicates(
        ["snippet_id", "code"])
    out.attrs["unmatched"] = unmatched
    return out.reset_index(drop=True)


def agreement(
    auto: pd.DataFrame,
    human: pd.DataFrame,
    units: Sequence[str],
    codes: Sequence[str] | None = None,
    unit_col: str = "snippet_id",
    code_col: str = "code",
) -> pd.DataFrame:
    """Agreement of automatic with human coding, per code and overall.

    ``auto`` and ``human`` are long tables (unit, code); ``units`` are all coded units (a unit
    missing from a table carries no code there). Per code: human and automatic counts, true
    positives, precision, recall, F1 and Cohen's kappa (scikit-learn) of the two binary codings
    over all units. Row ``all codes (pooled)`` pools every unit x code decision; ``macro mean``
    averages the per-code values. Codes nobody applied get NaN.
    """
    from sklearn.metrics import cohen_kappa_score  # scikit-learn is slow to import

    units = list(dict.fromkeys(units))
    codes = list(codes) if codes is not None else sorted(
        set(auto[code_col]) | set(human[code_col]))
    pos = {u: i for i, u in enumerate(units)}

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        m = np.zeros((len(units), len(codes)), dtype=bool)
        cidx = {c: j for j, c in enumerate(codes)}
        for u, c in zip(frame[unit_col], frame[code_col], strict=True):
            if u in pos and c in cidx:
                m[pos[u], cidx[c]] = True
        return m

    a, h = matrix(auto), matrix(human)

    def stats(av: np.ndarray, hv: np.ndarray) -> dict[str, float]:
        tp = int((av & hv).sum())
        na, nh = int(av.sum()), int(hv.sum())
        prec = tp / na if na else np.nan
        rec = tp / nh if nh else np.nan
        f1 = 2 * prec * rec / (prec + rec) if na and nh and (prec + rec) else (
            0.0 if na or nh else np.nan)
        if not na and not nh:
            kappa = np.nan
        elif (av == hv).all():
            kappa = 1.0
        else:
            kappa = float(cohen_kappa_score(hv, av))
        return {"human": nh, "auto": na, "both": tp, "precision": prec, "recall": rec,
                "f1": f1, "kappa": kappa}

    rows = [{"code": c, **stats(a[:, j], h[:, j])} for j, c in enumerate(codes)]
    out = pd.DataFrame(rows)
    pooled = {"code": "all codes (pooled)", **stats(a.ravel(), h.ravel())}
    macro = {"code": "macro mean", **out[["precision", "recall", "f1", "kappa"]].mean()
             .to_dict(), "human": out["human"].sum(), "auto": out["auto"].sum(),
             "both": out["both"].sum()}
    out = pd.concat([out, pd.DataFrame([pooled, macro])], ignore_index=True)
    for c in ("precision", "recall", "f1", "kappa"):
        out[c] = out[c].astype(float).round(3)
    return out
