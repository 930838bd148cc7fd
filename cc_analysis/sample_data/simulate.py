"""The month-by-month simulation: engagement, seats and MRR, feature usage, tickets, the
quarterly NPS survey and churn, from the first account's start to the end of the data.

Churn follows the hazard model of ``models`` (drivers evaluated from data before the month);
usage decline comes from a latent disengaged state that the exports never show directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .accounts import SEGMENTS, Accounts
from .calendar import (
    DATA_END_EXCLUSIVE_TS,
    FIRST_DATA_MONTH,
    N_HISTORY_MONTHS,
    days_in_month,
    epoch_seconds,
    month_start,
)
from .models import (
    CHURN_BASE_MONTHLY_HAZARD,
    CHURN_HAZARD_RATIOS,
    DISENGAGE_ENTRY_RATE,
    DISENGAGE_EXIT_RATE,
    ThemeModel,
    draw_theme_sets,
)
from .themes import THEME_INDEX

FEATURES = ("used_reports", "used_integrations", "used_automations", "used_mobile")
ADOPTION_P = np.array([[0.50, 0.18, 0.08, 0.30],  # Starter
                       [0.72, 0.48, 0.35, 0.36],  # Growth
                       [0.85, 0.72, 0.58, 0.42]])  # Enterprise
TICKET_RATE_BY_SEGMENT = np.array([0.6, 1.3, 2.4])
TICKET_BASE_RATE = 0.235  # tickets per account-month before the multipliers
NPS_RATE_BY_SEGMENT = np.array([0.8, 1.2, 1.6])
NPS_BASE_RATE = 0.48  # responses per account per survey before the multiplier
CHANNELS = ("email", "web", "chat", "phone")
CHANNEL_P = [0.45, 0.25, 0.22, 0.08]


@dataclass
class Simulation:
    """What happened: churn month and day per account, and the usage, ticket and NPS events
    as column arrays (``themes``: one tuple of theme indices per ticket or response)."""

    churn_month: np.ndarray  # -1: never churned
    end_day: np.ndarray
    usage: dict[str, np.ndarray]
    final_mrr: np.ndarray
    tickets: dict[str, Any]
    nps: dict[str, Any]
    stats: dict[str, Any]  # at-risk account-months, churn events, driver exposure


def simulate(rng: np.random.Generator, acc: Accounts, tm: ThemeModel) -> Simulation:
    n = acc.n
    base_h = np.array([CHURN_BASE_MONTHLY_HAZARD[s] for s in SEGMENTS])[acc.segment]
    p_enter = np.array([DISENGAGE_ENTRY_RATE[s] for s in SEGMENTS])[acc.segment]
    hr = CHURN_HAZARD_RATIOS
    pricing_i = THEME_INDEX["pricing_value"]

    churn_m = np.full(n, -1)
    end_day = np.zeros(n, dtype=int)
    seats = acc.initial_seats.copy()
    diseng = np.zeros(n, dtype=bool)
    eng = np.ones(n)
    adopted = rng.random((n, 4)) < ADOPTION_P[acc.plan]
    active_hist = np.full((n, N_HISTORY_MONTHS), np.nan)
    last_pricing = np.full(n, -10_000)
    tickets_by_month: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    u_rows: dict[str, list[np.ndarray]] = {k: [] for k in
                                           ("acc", "m", "active", "seats", "mrr", "flags")}
    tk: dict[str, list[Any]] = {k: [] for k in ("acc", "created", "first_reply", "solved",
                                                "never", "channel", "themes", "diseng")}
    nps: dict[str, list[Any]] = {k: [] for k in ("acc", "contact", "submitted", "has_comment",
                                                 "themes")}
    stats = {"account_months_at_risk": 0, "churn_events": 0,
             "driver_account_months": {k: 0 for k in hr}}

    for m in range(N_HISTORY_MONTHS):
        alive = (acc.start_month <= m) & (churn_m < 0)
        existing = alive & (acc.start_month < m)
        months_in = m - acc.start_month
        renewal = existing & ~acc.monthly & (months_in % 12 == 0)

        # latent engagement
        u = rng.random(n)
        enter = existing & ~diseng & (u < p_enter)
        leave = existing & diseng & (u < DISENGAGE_EXIT_RATE)
        diseng = (diseng | enter) & ~leave
        decay = rng.uniform(0.70, 0.82, n)
        eng = np.where(diseng, np.maximum(eng * decay, 0.12), np.minimum(1.0, eng + 0.2))

        # seats: expansion / contraction (annual accounts mostly at renewal)
        u1, u2 = rng.random(n), rng.random(n)
        grow = rng.uniform(1.1, 1.5, n)
        shrink = rng.uniform(0.65, 0.9, n)
        p_exp = np.where(acc.monthly, 0.016, np.where(renewal, 0.28, 0.008))
        p_con = np.where(acc.monthly, 0.006, np.where(renewal, 0.08, 0.0))
        p_con = p_con + diseng * np.where(acc.monthly | renewal, 0.05, 0.0)
        expand = existing & (u1 < p_exp) & ~diseng
        contract = existing & ~expand & (u2 < p_con)
        seats = np.where(expand, np.ceil(seats * grow), seats)
        seats = np.where(contract, np.maximum(1.0, np.floor(seats * shrink)), seats)

        noise = rng.lognormal(0.0, 0.07, n)
        active = np.minimum(seats, np.round(seats * acc.utilisation * eng * noise))
        active_hist[alive, m] = active[alive]
        adopted |= rng.random((n, 4)) < 0.012 * ADOPTION_P[acc.plan]
        use_p = np.where(diseng, 0.45, 0.92)[:, None]
        flags = adopted & (rng.random((n, 4)) < use_p) & (active[:, None] > 0)

        # churn
        churn_now = np.zeros(n, dtype=bool)
        if m >= FIRST_DATA_MONTH:
            if m >= 6:
                win = active_hist[:, m - 6:m]
                full = ~np.isnan(win).any(axis=1)
                prev3 = np.where(full, np.nan_to_num(win[:, :3]).mean(axis=1), 0.0)
                last3 = np.where(full, np.nan_to_num(win[:, 3:]).mean(axis=1), 0.0)
                decline = full & (prev3 > 0) & (last3 <= 0.7 * prev3)
            else:
                decline = np.zeros(n, dtype=bool)
            unres = np.zeros(n, dtype=int)
            month_ts = epoch_seconds(month_start(m))
            for mm in range(m - 3, m):
                if mm in tickets_by_month:
                    t_acc, t_solved = tickets_by_month[mm]
                    unres += np.bincount(t_acc[t_solved >= month_ts], minlength=n)
            drivers = {
                "billing_term_monthly": acc.monthly,
                "usage_decline": decline,
                "unresolved_tickets": unres >= 2,
                "pricing_complaint": last_pricing >= m - 6,
                "plan_enterprise": acc.plan == 2,
            }
            h = base_h.copy()
            for name, on in drivers.items():
                h = h * np.where(on, hr[name], 1.0)
            eligible = existing
            churn_now = eligible & (rng.random(n) < h)
            churn_m[churn_now] = m
            dim = days_in_month(m)
            rand_day = 1 + rng.integers(0, dim, n)
            end_day = np.where(churn_now, rand_day, end_day)
            stats["account_months_at_risk"] += int(eligible.sum())
            stats["churn_events"] += int(churn_now.sum())
            for name, on in drivers.items():
                stats["driver_account_months"][name] += int((eligible & on).sum())

        idx_alive = np.flatnonzero(alive)
        u_rows["acc"].append(idx_alive)
        u_rows["m"].append(np.full(len(idx_alive), m))
        u_rows["active"].append(active[idx_alive])
        u_rows["seats"].append(seats[idx_alive])
        u_rows["mrr"].append(np.round(seats[idx_alive] * acc.seat_price[idx_alive], 2))
        u_rows["flags"].append(flags[idx_alive])

        if m < FIRST_DATA_MONTH:
            continue
        qi = (m - FIRST_DATA_MONTH) // 3
        month_ts = epoch_seconds(month_start(m))
        dim = days_in_month(m)
        open_acc = alive & ~churn_now

        # tickets
        lam = (TICKET_BASE_RATE * TICKET_RATE_BY_SEGMENT[acc.segment] * acc.ticket_propensity
               * np.where(diseng, 1.8, 1.0))
        cnt = rng.poisson(lam) * open_acc
        t_acc = np.repeat(np.arange(n), cnt)
        k = len(t_acc)
        # not before the account's start day in its start month
        lo = np.where(acc.start_month[t_acc] == m, acc.start_day[t_acc] - 1, 0)
        day = lo + np.floor(rng.random(k) * (dim - lo)).astype(np.int64)
        hour = np.mod(rng.normal(16.0, 3.5, k), 24.0)
        created = month_ts + day * 86400 + np.floor(hour * 3600).astype(np.int64)
        themes = draw_theme_sets(rng, k, tm.weights["ticket"][qi])
        never = rng.random(k) < (0.03 + 0.10 * acc.troubled[t_acc] + 0.08 * diseng[t_acc])
        fr_h = rng.lognormal(np.log(4.0), 1.1, k)
        res_h = fr_h + rng.lognormal(np.log(20.0), 1.1, k) * acc.resolution_slowdown[t_acc]
        first_reply = created + np.round(fr_h * 3600)
        solved = created + np.round(res_h * 3600)
        solved = np.where(never | (solved >= DATA_END_EXCLUSIVE_TS), np.inf, solved)
        no_reply = (never & (rng.random(k) < 0.15)) | (first_reply >= DATA_END_EXCLUSIVE_TS)
        first_reply = np.where(no_reply, np.inf, first_reply)
        channel = rng.choice(4, size=k, p=CHANNEL_P)
        tickets_by_month[m] = (t_acc, solved)
        for j in range(k):
            if pricing_i in themes[j]:
                last_pricing[t_acc[j]] = m
        tk["acc"].append(t_acc)
        tk["created"].append(created)
        tk["first_reply"].append(first_reply)
        tk["solved"].append(solved)
        tk["never"].append(never)
        tk["channel"].append(channel)
        tk["themes"].extend(themes)
        tk["diseng"].append(diseng[t_acc])

        # quarterly NPS survey in the middle month of each quarter
        if (m - FIRST_DATA_MONTH) % 3 == 1:
            n_contacts = np.array([len(c) for c in acc.contacts])
            cnt = np.minimum(rng.poisson(NPS_BASE_RATE * NPS_RATE_BY_SEGMENT[acc.segment]),
                             n_contacts)
            cnt = cnt * (open_acc & (acc.start_month < m))  # new accounts: surveyed next time
            r_acc = np.repeat(np.arange(n), cnt)
            k = len(r_acc)
            contact = np.concatenate(
                [rng.permutation(n_contacts[i])[: cnt[i]] for i in np.flatnonzero(cnt)]
            ) if k else np.zeros(0, dtype=int)
            rday = np.minimum(4 + np.floor(rng.exponential(5.0, k)), 27).astype(np.int64)
            rhour = np.mod(rng.normal(15.0, 4.0, k), 24.0)
            submitted = month_ts + rday * 86400 + np.floor(rhour * 3600).astype(np.int64)
            has_comment = rng.random(k) < 0.75
            themes = draw_theme_sets(rng, k, tm.weights["nps"][qi])
            themes = [t if c else () for t, c in zip(themes, has_comment, strict=True)]
            for j in range(k):
                if pricing_i in themes[j]:
                    last_pricing[r_acc[j]] = m
            nps["acc"].append(r_acc)
            nps["contact"].append(contact)
            nps["submitted"].append(submitted)
            nps["has_comment"].append(has_comment)
            nps["themes"].extend(themes)

    usage = {
        "acc": np.concatenate(u_rows["acc"]), "m": np.concatenate(u_rows["m"]),
        "active": np.concatenate(u_rows["active"]), "seats": np.concatenate(u_rows["seats"]),
        "mrr": np.concatenate(u_rows["mrr"]), "flags": np.concatenate(u_rows["flags"]),
    }
    final_mrr = np.zeros(n)
    final_mrr[usage["acc"]] = usage["mrr"]  # rows are in month order: the last one wins
    tickets = {key: (np.concatenate(v) if key != "themes" else v) for key, v in tk.items()}
    nps_out = {key: (np.concatenate(v) if key != "themes" else v) for key, v in nps.items()}
    return Simulation(churn_m, end_day, usage, final_mrr, tickets, nps_out, stats)
