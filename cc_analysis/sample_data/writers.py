"""One writer per export file: ``accounts.csv``, ``usage_monthly.parquet``, ``tickets.json``,
``nps_responses.csv``, ``app_reviews.csv`` and ``interviews/*.vtt|*.txt``.

The writers run in that order on one ``GenerationRun`` and share its random streams: each
writer's draws depend on the writers before it, so their order is part of the seeded output.
Each also records the personal data it writes and the planted themes of its documents.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .accounts import PLANS, REGIONS, SEGMENTS, Accounts
from .calendar import EXPORT_TIME, N_HISTORY_MONTHS, QUARTERS, iso_utc, month_start
from .feedback_text import (
    append_sentence,
    nps_comment,
    review_author,
    review_text,
    review_title,
    ticket_description,
    ticket_text,
)
from .interviews import (
    INTERVIEW_FILE_RE,
    INTERVIEW_THEME_WEIGHTS,
    INTERVIEW_THEMES,
    INTERVIEWER,
    PARTICIPANT,
    interview_days,
    interview_turns,
    render_interview,
)
from .models import (
    CSAT_EFFECTS,
    CSAT_NOISE_SD,
    CSAT_SLOW_PENALTY,
    NPS_BASE,
    NPS_EFFECTS,
    NPS_NOISE_SD,
    RATING_BASE,
    RATING_EFFECTS,
    RATING_NOISE_SD,
    ThemeModel,
    csat_scores,
    draw_theme_sets,
    nps_scores,
)
from .people import NameSource, PiiPlanter, slug
from .simulate import CHANNELS, FEATURES, Simulation
from .themes import theme_ids


@dataclass
class GenerationRun:
    """State shared by the writers of one ``generate`` call."""

    out_dir: Path
    seed: int
    scale: float  # n_accounts / 2000: document volumes scale with it
    names: NameSource
    researchers: list[str]
    theme_model: ThemeModel
    accounts: Accounts
    simulation: Simulation
    score_rng: np.random.Generator  # score noise
    text_rng: random.Random  # text choices
    pii_planter: PiiPlanter
    pii: list[dict[str, Any]]  # every planted piece of personal data (= pii_planter.entries)
    truth_documents: list[tuple[str, str, str]]  # (source, source_id, ;-joined theme ids)
    end_dates: list[str]  # per account, "" when it did not churn (filled by write_accounts)


def _pii(kind: str, value: str, file: str, record_id: str, field: str) -> dict[str, Any]:
    return {"kind": kind, "value": value, "file": file, "record_id": record_id, "field": field}


def write_accounts(run: GenerationRun) -> None:
    """accounts.csv (fills ``run.end_dates``)."""
    acc, sim = run.accounts, run.simulation
    for i in range(acc.n):
        if sim.churn_month[i] >= 0:
            d = month_start(int(sim.churn_month[i])).replace(day=int(sim.end_day[i]))
            run.end_dates.append(d.isoformat())
        else:
            run.end_dates.append("")
    start_dates = [month_start(int(m)).replace(day=int(d)).isoformat()
                   for m, d in zip(acc.start_month, acc.start_day, strict=True)]
    accounts_df = pd.DataFrame({
        "Account ID": acc.ids,
        "Account Name": acc.names,
        "Plan": [PLANS[p] for p in acc.plan],
        "Billing Term": np.where(acc.monthly, "monthly", "annual"),
        "Segment": [SEGMENTS[s] for s in acc.segment],
        "Region": [REGIONS[x] for x in acc.region],
        "ARR": np.round(sim.final_mrr * 12.0, 2),
        "Start Date": start_dates,
        "End Date": run.end_dates,
        "Owner Email": acc.owner_email,
    })
    accounts_df.to_csv(run.out_dir / "accounts.csv", index=False, float_format="%.2f",
                       lineterminator="\n")
    for aid, em in zip(acc.ids, acc.owner_email, strict=True):
        run.pii.append(_pii("email", em, "accounts.csv", aid, "Owner Email"))


def write_usage(run: GenerationRun) -> int:
    """usage_monthly.parquet; returns the row count."""
    acc, us = run.accounts, run.simulation.usage
    order = np.lexsort((us["m"], us["acc"]))
    months = np.array([month_start(m) for m in range(N_HISTORY_MONTHS)], dtype="datetime64[D]")
    cols: dict[str, pa.Array] = {
        "account_id": pa.array([acc.ids[i] for i in us["acc"][order]], type=pa.string()),
        "month": pa.array(months[us["m"][order]], type=pa.date32()),
        "active_users": pa.array(us["active"][order].astype(np.int64)),
        "licensed_seats": pa.array(us["seats"][order].astype(np.int64)),
        "mrr": pa.array(us["mrr"][order].astype(np.float64)),
    }
    for j, f in enumerate(FEATURES):
        cols[f] = pa.array(us["flags"][order][:, j].astype(bool))
    pq.write_table(pa.table(cols), run.out_dir / "usage_monthly.parquet", compression="snappy")
    return int(len(order))


def write_tickets(run: GenerationRun) -> int:
    """tickets.json; returns the ticket count."""
    acc, r, tk = run.accounts, run.text_rng, run.simulation.tickets
    t_order = np.lexsort((tk["acc"], tk["created"]))
    n_t = len(t_order)
    csat_draw = run.score_rng.random(n_t)
    csat_noise = run.score_rng.normal(0.0, CSAT_NOISE_SD, n_t)
    tickets_out = []
    for new_i, j in enumerate(t_order):
        tid = 100001 + new_i
        a = int(tk["acc"][j])
        themes = tk["themes"][j]
        contacts = acc.contacts[a]
        requester = contacts[r.randrange(len(contacts))]
        subject, body = ticket_text(r, themes, PLANS[acc.plan[a]])
        pii_sent = run.pii_planter.maybe_sentence(contacts, "tickets.json", str(tid),
                                                  "description")
        description = ticket_description(r, body, pii_sent)
        solved = tk["solved"][j]
        is_solved = bool(np.isfinite(solved))
        status = "solved" if is_solved else ("pending" if r.random() < 0.4 else "open")
        rating = None
        if is_solved and csat_draw[j] < 0.40:
            eff = float(sum(CSAT_EFFECTS[i] for i in themes))
            slow = CSAT_SLOW_PENALTY if (solved - tk["created"][j]) > 72 * 3600 else 0.0
            rating = {"score": int(csat_scores(eff, slow, csat_noise[j]))}
        fr = tk["first_reply"][j]
        tickets_out.append({
            "id": tid,
            "organization": {"external_id": acc.ids[a]},
            "created_at": iso_utc(tk["created"][j]),
            "first_reply_at": iso_utc(fr) if np.isfinite(fr) else None,
            "solved_at": iso_utc(solved) if is_solved else None,
            "status": status,
            "via": {"channel": CHANNELS[int(tk["channel"][j])]},
            "subject": subject,
            "description": description,
            "requester": {"name": requester.name, "email": requester.email},
            "satisfaction_rating": rating,
        })
        run.pii.append(_pii("person_name", requester.name, "tickets.json", str(tid),
                            "requester.name"))
        run.pii.append(_pii("email", requester.email, "tickets.json", str(tid),
                            "requester.email"))
        run.truth_documents.append(("ticket", str(tid), theme_ids(themes)))
    with open(run.out_dir / "tickets.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump({"export": {"generated_at": EXPORT_TIME, "count": n_t},
                   "tickets": tickets_out}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return n_t


def write_nps(run: GenerationRun) -> int:
    """nps_responses.csv; returns the response count."""
    acc, r, nv = run.accounts, run.text_rng, run.simulation.nps
    n_order = np.lexsort((nv["contact"], nv["acc"], nv["submitted"]))
    n_n = len(n_order)
    nps_noise = run.score_rng.normal(0.0, NPS_NOISE_SD, n_n)
    ces_draw = run.score_rng.random(n_n)
    ces_noise = run.score_rng.normal(0.0, 1.0, n_n)
    nps_rows = []
    for new_i, j in enumerate(n_order):
        rid = f"R-{new_i + 1:06d}"
        a = int(nv["acc"][j])
        themes = nv["themes"][j]
        contact = acc.contacts[a][int(nv["contact"][j])]
        base = NPS_BASE[SEGMENTS[acc.segment[a]]]
        score = int(nps_scores(base, sum(NPS_EFFECTS[i] for i in themes), nps_noise[j]))
        ces: int | None = None
        if ces_draw[j] < 0.30:
            ces = int(np.clip(round(4.6 + 0.35 * (score - 7.5) + ces_noise[j]), 1, 7))
        comment = ""
        if nv["has_comment"][j]:
            others = [c for c in acc.contacts[a] if c is not contact]
            comment = nps_comment(r, themes)
            comment = append_sentence(comment, run.pii_planter.maybe_sentence(
                others, "nps_responses.csv", rid, "Comment"))
            run.truth_documents.append(("nps", rid, theme_ids(themes)))
        nps_rows.append((rid, acc.ids[a], iso_utc(nv["submitted"][j]), score, comment, ces,
                         contact.email))
        run.pii.append(_pii("email", contact.email, "nps_responses.csv", rid,
                            "Respondent Email"))
    nps_df = pd.DataFrame(nps_rows, columns=["Response ID", "Account ID", "Submitted At", "Score",
                                             "Comment", "CES", "Respondent Email"])
    nps_df["CES"] = nps_df["CES"].astype("Int64")
    nps_df.to_csv(run.out_dir / "nps_responses.csv", index=False, lineterminator="\n")
    return n_n


def write_reviews(run: GenerationRun) -> int:
    """app_reviews.csv; returns the review count."""
    r = run.text_rng
    rv_rng = np.random.default_rng([run.seed, 5])
    raw_reviews = []
    for qi, q in enumerate(QUARTERS):
        k = int(rv_rng.poisson(300 * run.scale))
        span = (q.end - q.start).days + 1
        days = np.sort(rv_rng.integers(0, span, k))
        themes_q = draw_theme_sets(rv_rng, k, run.theme_model.weights["review"][qi])
        noise = rv_rng.normal(0.0, RATING_NOISE_SD, k)
        store = rv_rng.random(k) < 0.55
        for j in range(k):
            raw_reviews.append((q.start.toordinal() + int(days[j]), themes_q[j], noise[j],
                                "ios" if store[j] else "android"))
    review_rows = []
    for new_i, (ordinal, themes, noise, store) in enumerate(raw_reviews):
        rid = f"RV-{new_i + 1:05d}"
        rating = int(np.clip(round(RATING_BASE + sum(RATING_EFFECTS[i] for i in themes) + noise),
                             1, 5))
        text = append_sentence(review_text(r, themes), run.pii_planter.maybe_sentence(
            None, "app_reviews.csv", rid, "text"))
        author = review_author(r, run.names)
        run.pii.append(_pii("person_name", author, "app_reviews.csv", rid, "author"))
        review_rows.append((rid, date.fromordinal(ordinal).isoformat(), store, rating,
                            review_title(r, rating, themes), text, author))
        run.truth_documents.append(("review", rid, theme_ids(themes)))
    pd.DataFrame(review_rows, columns=["review_id", "date", "store", "rating", "title", "text",
                                       "author"]).to_csv(run.out_dir / "app_reviews.csv",
                                                         index=False, lineterminator="\n")
    return len(review_rows)


def write_interviews(run: GenerationRun) -> list[dict[str, Any]]:
    """interviews/*.vtt|*.txt (stale ones removed first); returns the truth entry per interview.

    Each quarter interviews ``10 x scale`` (at least 4) customers, each account at most once
    while others remain, on weekdays when it has been a customer for over 30 days.
    """
    acc = run.accounts
    iv_dir = run.out_dir / "interviews"
    iv_dir.mkdir(exist_ok=True)
    for old in sorted(iv_dir.iterdir()):
        if old.is_file() and INTERVIEW_FILE_RE.match(old.name):
            old.unlink()
    iv_rng = np.random.default_rng([run.seed, 6])
    ir = random.Random(int(iv_rng.integers(2**62)))
    per_q = max(4, int(round(10 * run.scale)))
    used_accounts: set[int] = set()
    interviews: list[dict[str, Any]] = []
    it_ids = [t for t, _ in INTERVIEW_THEMES]
    it_w = np.array(INTERVIEW_THEME_WEIGHTS) / sum(INTERVIEW_THEME_WEIGHTS)
    start_ord = np.array([month_start(int(m)).replace(day=int(d)).toordinal()
                          for m, d in zip(acc.start_month, acc.start_day, strict=True)])
    end_ord = np.array([date.fromisoformat(e).toordinal() if e else 10**9 for e in run.end_dates])
    for q in QUARTERS:
        days = interview_days(iv_rng, q, per_q)
        fmts = ["vtt", "txt"] * ((per_q + 1) // 2)
        fmts = [fmts[i] for i in iv_rng.permutation(per_q)]
        for d_ord, fmt in zip(days, fmts, strict=True):
            active = np.flatnonzero((start_ord < d_ord - 30) & (end_ord > d_ord))
            cands = [i for i in active if int(i) not in used_accounts] or list(active)
            a = int(cands[int(iv_rng.integers(len(cands)))])
            used_accounts.add(a)
            contacts = acc.contacts[a]
            participant = contacts[int(iv_rng.integers(len(contacts)))]
            colleagues = [c for c in contacts if c is not participant]
            interviewer = run.researchers[int(iv_rng.integers(3))]
            n_th = int(iv_rng.choice([2, 3, 4], p=[0.4, 0.4, 0.2]))
            th_idx = sorted(iv_rng.choice(len(it_ids), size=n_th, replace=False, p=it_w))
            themes = [it_ids[i] for i in th_idx]
            target = int(iv_rng.integers(25, 51))
            order_themes = [themes[i] for i in iv_rng.permutation(n_th)]
            turns = interview_turns(ir, run.names, participant, interviewer, acc.names[a],
                                    order_themes, target, colleagues)
            stamps = fmt == "txt" and iv_rng.random() < 0.5
            d = date.fromordinal(d_ord)
            fname = f"{d.isoformat()}_{slug(acc.names[a])}.{fmt}"
            speakers = {INTERVIEWER: interviewer, PARTICIPANT: participant.name}
            text = render_interview(ir, turns, speakers, fmt, stamps)
            (iv_dir / fname).write_text(text, encoding="utf-8", newline="\n")
            rel = f"interviews/{fname}"
            for t_no, (role, _txt, said) in enumerate(turns, start=1):
                run.pii.append(_pii("person_name", speakers[role], rel, fname, "speaker")
                               | {"turn": t_no})
                for kind, value in said:
                    run.pii.append(_pii(kind, value, rel, fname, "text") | {"turn": t_no})
            interviews.append({
                "file": rel, "date": d.isoformat(), "quarter": q.label,
                "participant_name": participant.name, "participant_title": participant.title,
                "company": acc.names[a], "account_id": acc.ids[a], "interviewer": interviewer,
                "themes": themes, "format": fmt, "n_turns": len(turns),
            })
    return interviews
