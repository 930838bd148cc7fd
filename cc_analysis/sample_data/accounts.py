"""The customer base: accounts with their firmographics, start dates, pricing, propensities and
contacts, drawn before the month-by-month simulation runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .calendar import FIRST_DATA_MONTH, N_HISTORY_MONTHS, days_in_month
from .people import (
    JOB_TITLES,
    VENDOR_DOMAIN,
    WEB_SUFFIXES,
    Contact,
    NameSource,
    company_names,
    email_local,
    slug,
)

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
PLANS = ("Starter", "Growth", "Enterprise")
REGIONS = ("NA", "EMEA", "APAC", "LATAM")


@dataclass
class Accounts:
    """One entry per account (arrays and lists of length ``n``, sorted by start date)."""

    n: int
    ids: list[str]
    names: list[str]
    domains: list[str]
    segment: np.ndarray  # index into SEGMENTS
    plan: np.ndarray  # index into PLANS
    monthly: np.ndarray  # billed monthly (else annual)
    region: np.ndarray  # index into REGIONS
    start_month: np.ndarray  # history month index (see calendar)
    start_day: np.ndarray
    initial_seats: np.ndarray
    seat_price: np.ndarray  # USD per seat per month
    utilisation: np.ndarray  # share of seats active when engaged
    ticket_propensity: np.ndarray
    resolution_slowdown: np.ndarray  # resolution-time multiplier
    troubled: np.ndarray
    contacts: list[list[Contact]]
    owner_email: list[str]


def make_accounts(rng: np.random.Generator, names: NameSource, n: int,
                  companies: list[str] | None = None) -> Accounts:
    """Draw ``n`` accounts. ``companies`` replaces the drawn company names (then no draws are
    spent on them, so every later draw differs from a run that draws them)."""
    n_pre = int(round(0.6 * n))
    pre_w = np.linspace(1.0, 2.0, FIRST_DATA_MONTH)
    new_w = np.linspace(1.0, 1.4, N_HISTORY_MONTHS - FIRST_DATA_MONTH)
    start_month = np.concatenate([
        rng.choice(FIRST_DATA_MONTH, size=n_pre, p=pre_w / pre_w.sum()),
        FIRST_DATA_MONTH + rng.choice(N_HISTORY_MONTHS - FIRST_DATA_MONTH, size=n - n_pre,
                                      p=new_w / new_w.sum()),
    ])
    start_day = np.array([1 + rng.integers(days_in_month(int(m))) for m in start_month])
    order = np.lexsort((start_day, start_month))
    start_month, start_day = start_month[order], start_day[order]

    seg = rng.choice(3, size=n, p=[0.55, 0.30, 0.15])
    plan_p = np.array([[0.65, 0.33, 0.02], [0.15, 0.65, 0.20], [0.0, 0.30, 0.70]])
    plan = np.array([rng.choice(3, p=plan_p[s]) for s in seg])
    monthly_p = np.where(plan == 2, 0.05, np.array([0.62, 0.32, 0.10])[seg])
    monthly = rng.random(n) < monthly_p
    region = rng.choice(4, size=n, p=[0.50, 0.28, 0.15, 0.07])
    med = np.array([8.0, 45.0, 250.0])[seg]
    sig = np.array([0.6, 0.5, 0.6])[seg]
    floor = np.array([2, 10, 60])[seg]
    seats0 = np.maximum(floor, np.round(med * rng.lognormal(0.0, sig))).astype(float)
    list_price = np.array([12.0, 25.0, 45.0])[plan]
    disc_lo = np.array([0.85, 0.75, 0.65])[seg]
    price = np.round(list_price * rng.uniform(disc_lo, 1.0), 2)
    util = rng.beta(7.0, 3.0, size=n)
    ticket_prop = rng.gamma(1.0, 1.0, size=n)
    # ~20% 'troubled' accounts (messy integrations, data issues) file 3x the tickets, their
    # tickets take much longer to resolve and more of them are never solved
    troubled = rng.random(n) < 0.20
    ticket_prop = np.where(troubled, 3.0, 1.0) * ticket_prop
    slow = np.where(troubled, rng.lognormal(np.log(6.0), 0.5, size=n), 1.0)

    if companies is None:
        companies = company_names(rng, n)
    tld_idx = rng.integers(len(WEB_SUFFIXES), size=n)
    domains = [slug(c).replace("-", "") + WEB_SUFFIXES[t]
               for c, t in zip(companies, tld_idx, strict=True)]
    styles = rng.integers(4, size=n)
    n_contacts = np.array([2, 3, 4])[seg] + rng.integers(0, np.array([2, 3, 4])[seg] + 1)

    reps = [names.take() for _ in range(max(6, min(30, n // 70)))]
    rep_emails = [f"{email_local(f, la, 0)}@{VENDOR_DOMAIN}" for f, la in reps]
    rep_idx = rng.integers(len(reps), size=n)

    contacts: list[list[Contact]] = []
    for i in range(n):
        cs = []
        for _ in range(int(n_contacts[i])):
            f, la = names.take()
            email = f"{email_local(f, la, int(styles[i]))}@{domains[i]}"
            cs.append(Contact(f, la, email, JOB_TITLES[rng.integers(len(JOB_TITLES))]))
        contacts.append(cs)
    return Accounts(
        n=n, ids=[f"ACC-{i + 1:05d}" for i in range(n)], names=companies, domains=domains,
        segment=seg, plan=plan, monthly=monthly, region=region, start_month=start_month,
        start_day=start_day, initial_seats=seats0, seat_price=price, utilisation=util,
        ticket_propensity=ticket_prop, resolution_slowdown=slow, troubled=troubled,
        contacts=contacts, owner_email=[rep_emails[j] for j in rep_idx],
    )
