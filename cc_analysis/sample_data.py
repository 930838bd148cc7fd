"""Seeded sample workspace: writes realistic raw exports plus the planted truth behind them.

This module owns ``cc-analysis sample-data``: it writes, into ``out_dir`` (normally
``data/raw/``), the raw exports described in ``docs/data-formats.md`` for a fictional B2B
project-management / analytics SaaS vendor ("Northwind Cloud"):

* ``accounts.csv``, ``usage_monthly.parquet``, ``tickets.json``, ``nps_responses.csv``,
  ``app_reviews.csv`` and ``interviews/*.vtt|*.txt``;
* ``_truth.json`` and ``_truth_documents.csv``: what was planted (feedback themes with
  per-quarter prevalence and score effects, the emerging theme, the churn hazard model,
  interview themes per participant and every planted piece of personal data with its exact
  location). Ingest never reads files starting with ``_``; tests and notebooks compare
  analysis results against them.

Everything is driven by ``numpy.random.default_rng`` sub-streams derived from ``seed`` and a
seeded ``Faker`` instance, never by wall-clock time, so the same seed gives byte-identical files.
Churn is simulated month by month as a discrete-time hazard (see ``_truth.json`` ->
``churn_model`` for the exact rule); feedback text is assembled from paraphrased phrasings with
fillers, light typos, casing variation and off-topic chatter.
"""

from __future__ import annotations

import calendar
import itertools
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from faker import Faker

from cc_analysis.periods import Quarter, quarter_range

__all__ = [
    "CHURN_BASE_MONTHLY_HAZARD",
    "CHURN_HAZARD_RATIOS",
    "DATA_END",
    "DATA_START",
    "INTERVIEW_THEMES",
    "QUARTERS",
    "QUARTER_LABELS",
    "THEMES",
    "Theme",
    "VENDOR_DOMAIN",
    "VENDOR_NAME",
    "generate",
]

# ---------------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------------
VENDOR_NAME = "Northwind Cloud"  # matches data/workspace.toml
VENDOR_DOMAIN = "northwindcloud.com"

QUARTERS: list[Quarter] = quarter_range(Quarter(2024, 4), Quarter(2026, 3))
QUARTER_LABELS: list[str] = [q.label for q in QUARTERS]
DATA_START: date = QUARTERS[0].start  # 2024-10-01
DATA_END: date = QUARTERS[-1].end  # 2026-09-30
HISTORY_START = date(2022, 1, 1)
N_MONTHS = (DATA_END.year - HISTORY_START.year) * 12 + DATA_END.month - HISTORY_START.month + 1
WIN0 = (DATA_START.year - HISTORY_START.year) * 12 + DATA_START.month - HISTORY_START.month
EXPORT_TIME = "2026-10-01T00:00:00Z"

_SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
_PLANS = ("Starter", "Growth", "Enterprise")
_REGIONS = ("NA", "EMEA", "APAC", "LATAM")
_CHANNELS = ("email", "web", "chat", "phone")


def _month_start(m: int) -> date:
    return date(HISTORY_START.year + m // 12, m % 12 + 1, 1)


def _days_in_month(m: int) -> int:
    d = _month_start(m)
    return calendar.monthrange(d.year, d.month)[1]


def _epoch(d: date) -> int:
    return (d - date(1970, 1, 1)).days * 86400


_DATA_END_EXCL_TS = _epoch(QUARTERS[-1].end_exclusive)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Feedback themes
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Theme:
    """A planted feedback theme. ``phrasings`` are ``(voice, text)`` with voice neg|pos|req."""

    id: str
    label: str
    description: str
    kind: str  # complaint | praise | request
    nps_effect: float
    rating_effect: float
    csat_effect: float
    weight_first: float  # relative mention weight in 2024Q4 ...
    weight_last: float  # ... and in 2026Q3 (linear in between)
    phrasings: tuple[tuple[str, str], ...]
    subjects: tuple[str, ...]


def _neg(*texts: str) -> tuple[tuple[str, str], ...]:
    return tuple(("neg", t) for t in texts)


def _pos(*texts: str) -> tuple[tuple[str, str], ...]:
    return tuple(("pos", t) for t in texts)


def _req(*texts: str) -> tuple[tuple[str, str], ...]:
    return tuple(("req", t) for t in texts)


EMERGING_THEME = "sso_login_failures"
EMERGING_QUARTER = QUARTERS[-1].label
EMERGING_TARGET_PREVALENCE = 0.12
TRENDING = {"performance_slowness": "up", "onboarding_setup": "down"}

THEMES: tuple[Theme, ...] = (
    Theme(
        "performance_slowness", "Performance / slowness",
        "Pages, boards and dashboards load slowly, freeze or time out.",
        "complaint", -2.5, -1.3, -0.8, 0.09, 0.22,
        _neg(
            "the dashboards take forever to load",
            "boards are painfully slow once a project has a few hundred tasks",
            "everything has gotten sluggish since the last release",
            "reports time out before they finish loading",
            "the app freezes for several seconds every time I switch projects",
            "page loads are really slow, especially in the mornings",
            "the timeline view lags so badly it's almost unusable",
            "search takes ages to return anything",
            "we keep getting spinning wheels and timeouts",
            "opening a big project takes close to a minute now",
        ),
        ("App very slow", "Dashboard timing out", "Slow page loads", "Timeline view lagging",
         "Performance issues since update", "Boards not loading"),
    ),
    Theme(
        "reporting_dashboards", "Reporting & dashboards",
        "Building, customising, scheduling and sharing reports and dashboards.",
        "request", 0.0, 0.0, 0.0, 0.12, 0.12,
        _req(
            "I wish we could build custom reports without exporting to Excel",
            "we need more chart types in the dashboards",
            "please let us schedule dashboard snapshots by email",
            "would love cross-project roll-up reports",
        )
        + _neg(
            "the reporting module is too rigid for what our leadership asks for",
            "filters on shared reports don't stick",
        )
        + _pos(
            "the new dashboards are great for our weekly reviews",
            "reporting is the main reason we picked this tool",
        ),
        ("Custom report question", "Dashboard filter not saving",
         "Feature request: scheduled reports", "Roll-up reporting", "Report chart options"),
    ),
    Theme(
        "integrations", "Integrations",
        "Connecting to Slack, Salesforce, Jira, Google Drive, Teams and other tools.",
        "request", -0.5, -0.3, -0.2, 0.10, 0.10,
        _neg(
            "the Salesforce integration keeps dropping records",
            "the Slack integration stopped posting updates to our channel",
            "Google Drive attachments fail to sync half the time",
            "integrations are the weak spot, we still copy data around by hand",
        )
        + _req(
            "please add a proper two-way Jira sync",
            "we need a HubSpot integration",
            "the Zapier connector is missing the triggers we need",
            "a Microsoft Teams integration would make this a no-brainer for us",
        ),
        ("Salesforce sync failing", "Slack integration stopped", "Jira integration request",
         "Google Drive sync error", "Teams integration?"),
    ),
    Theme(
        "pricing_value", "Pricing & value",
        "Price level, seat-based pricing and perceived value for money.",
        "complaint", -1.0, -0.6, -0.2, 0.08, 0.08,
        _neg(
            "it's getting too expensive for a team our size",
            "the price increase at renewal was hard to justify",
            "paying per seat for occasional viewers makes no sense",
            "we're looking at cheaper alternatives because of the cost",
            "the Growth plan is overpriced for what we actually use",
            "we pay for features we never touch",
            "it's hard to justify the cost to finance this year",
            "the jump from Starter to Growth is way too steep",
        ),
        ("Question about pricing", "Renewal price increase", "Seat pricing for viewers",
         "Downgrade options", "Cheaper plan?"),
    ),
    Theme(
        "billing_invoices", "Billing & invoices",
        "Wrong invoices, double charges, failed payments, missing tax details.",
        "complaint", -2.0, -1.0, -0.6, 0.07, 0.07,
        _neg(
            "we were charged twice this month",
            "the invoice shows the wrong number of seats",
            "I can't download past invoices from the billing page",
            "the payment failed but the charge still went through",
            "VAT is missing from our invoices again",
            "billing keeps charging us for users we removed",
            "the invoice went to an old address and now we're flagged as overdue",
            "the proration on our upgrade makes no sense",
        ),
        ("Double charged", "Invoice incorrect", "Billing issue", "Refund request",
         "Can't download invoice"),
    ),
    Theme(
        "onboarding_setup", "Onboarding & setup",
        "Getting started: importing data, initial configuration, learning the basics.",
        "complaint", -0.8, -0.5, -0.3, 0.14, 0.05,
        _neg(
            "setting up our workspace took much longer than expected",
            "the import from our old tool mangled all the dates",
            "onboarding was confusing, we didn't know where to start",
            "the setup wizard skips the things that actually matter",
            "it took weeks before the team was comfortable using it",
            "the CSV importer kept rejecting our file with no useful error",
        )
        + _req("templates would have helped a lot during setup"),
        ("Help with initial setup", "Import failed", "CSV import error", "Onboarding question",
         "Workspace setup"),
    ),
    Theme(
        "support_responsiveness", "Support responsiveness",
        "Slow, repetitive or unhelpful answers from the support team.",
        "complaint", -1.5, -0.8, -1.2, 0.07, 0.07,
        _neg(
            "support takes days to reply",
            "I've been waiting a week for an answer on my ticket",
            "every reply from support is a canned response",
            "we keep getting bounced between agents",
            "nobody from support followed up after closing my ticket",
            "the chat support is never online when we need it",
            "support asked me the same questions three times",
        ),
        ("No response on my ticket", "Still waiting for an answer", "Escalation request",
         "Follow-up on previous ticket"),
    ),
    Theme(
        "mobile_app", "Mobile app",
        "The iOS / Android app: crashes, log-outs, missing features, offline use.",
        "complaint", -0.5, -0.8, -0.2, 0.06, 0.06,
        _neg(
            "the mobile app crashes when I open attachments",
            "the iPhone app logs me out constantly",
            "half the features are missing on Android",
            "the mobile app doesn't work offline at all",
            "push notifications on mobile never arrive",
            "the phone version is clunky compared to desktop",
        )
        + _req("please let us comment on tasks from the phone"),
        ("Mobile app crashing", "Android app missing features", "iOS app logs out",
         "Mobile notifications"),
    ),
    Theme(
        "data_export_api", "Data export & API",
        "Exporting data, API rate limits, webhooks and warehouse exports.",
        "request", 0.0, 0.0, 0.0, 0.06, 0.06,
        _req(
            "we need a full-account data export for our warehouse",
            "please document the API better, the examples are outdated",
            "would love a native Snowflake or BigQuery export",
        )
        + _neg(
            "the API rate limits are too low for our sync",
            "exports to CSV drop the custom fields",
            "webhooks fire late or not at all",
        )
        + _pos("the API is solid and easy to work with"),
        ("API rate limit", "CSV export missing fields", "Webhook delays", "Bulk export request"),
    ),
    Theme(
        "ease_of_use_praise", "Ease of use (praise)",
        "Intuitive, clean interface that is quick to learn.",
        "praise", 1.5, 1.2, 0.4, 0.12, 0.12,
        _pos(
            "super easy to use, the team picked it up in a day",
            "the interface is clean and intuitive",
            "love how simple it is to set up a new project",
            "honestly the easiest tool we've rolled out",
            "everyone on the team actually likes using it",
            "drag and drop planning just works",
            "it's so much easier than our old tool",
            "new hires figure it out without any training",
        ),
        ("Thank you!", "Love the product", "Kudos to the team"),
    ),
    Theme(
        "permissions_roles", "Permissions & roles",
        "Access control, guest users, admin and custom roles.",
        "request", -0.3, -0.2, -0.1, 0.05, 0.05,
        _req(
            "we need more granular permissions per project",
            "there's no read-only role for clients",
            "please add custom roles",
        )
        + _neg(
            "guests can see things they shouldn't",
            "admins can't delegate user management",
            "permission changes take a long time to apply",
        ),
        ("Permissions question", "Guest access issue", "Custom roles request",
         "Read-only role"),
    ),
    Theme(
        "notifications_noise", "Notification noise",
        "Too many, irrelevant or unmutable notification emails and alerts.",
        "complaint", -0.5, -0.4, -0.1, 0.05, 0.05,
        _neg(
            "way too many notification emails",
            "I get notified about every tiny change",
            "there's no way to mute a busy project",
            "the daily digest is just noise",
            "notification settings reset after every update",
            "people have started ignoring alerts because there are so many",
        ),
        ("Too many notifications", "Notification settings reset",
         "Mute project notifications"),
    ),
    Theme(
        "sso_login_failures", "SSO login failures",
        "Single sign-on (Okta, Azure AD, Google) login loops and errors after an update.",
        "complaint", -2.0, -1.5, -0.8, 0.0, 0.0,  # weight in the emerging quarter is solved for
        _neg(
            "SSO login loop after the update",
            "can't sign in with Okta anymore",
            "Azure AD sign-in just redirects back to the login page",
            "since the last release our SSO users get an invalid SAML response",
            "half the team is locked out because single sign-on broke",
            "Google sign-in fails with an error 500",
            "after the update SSO keeps kicking us back to the login screen",
            "our IdP login worked for years and now it loops",
        ),
        ("SSO login loop", "Can't log in with Okta", "SAML error after update",
         "Locked out - SSO"),
    ),
)
_THEME_IDX = {t.id: i for i, t in enumerate(THEMES)}
_T = len(THEMES)

# Multipliers on theme weights per source (tickets rarely praise, reviews talk about mobile...).
_SOURCE_MULT: dict[str, dict[str, float]] = {
    "nps": {"ease_of_use_praise": 1.6, "support_responsiveness": 1.2, "billing_invoices": 0.7,
            "data_export_api": 0.6},
    "ticket": {"ease_of_use_praise": 0.08, "billing_invoices": 1.8, "pricing_value": 0.7,
               "integrations": 1.3, "data_export_api": 1.3, "permissions_roles": 1.4,
               "sso_login_failures": 1.3},
    "review": {"ease_of_use_praise": 1.6, "mobile_app": 3.5, "billing_invoices": 0.5,
               "permissions_roles": 0.4, "data_export_api": 0.3, "integrations": 0.6},
}
_SOURCES = ("nps", "ticket", "review")
# Nominal documents per quarter per 2,000 accounts (NPS: responses with a comment).
_NOMINAL_DOCS = {"nps": 525.0, "ticket": 1500.0, "review": 300.0}
K_PROBS = (0.68, 0.24, 0.08)  # a non-chatter document mentions 1, 2 or 3 themes
CHATTER_RATE = 0.08
TYPO_RATE = 0.06  # per eligible word (4+ letters)
PII_RATE = 0.06

# ---------------------------------------------------------------------------------------------
# Score models
# ---------------------------------------------------------------------------------------------
NPS_BASE = {"SMB": 8.6, "Mid-Market": 8.4, "Enterprise": 8.1}
NPS_NOISE_SD = 1.4
CSAT_BASE, CSAT_NOISE_SD, CSAT_SLOW_PENALTY = 4.7, 0.8, -0.6
RATING_BASE, RATING_NOISE_SD = 4.3, 0.9

# ---------------------------------------------------------------------------------------------
# Churn model
# ---------------------------------------------------------------------------------------------
CHURN_BASE_MONTHLY_HAZARD = {"SMB": 0.011, "Mid-Market": 0.008, "Enterprise": 0.005}
CHURN_HAZARD_RATIOS = {
    "billing_term_monthly": 2.0,
    "usage_decline": 2.5,
    "unresolved_tickets": 1.8,
    "pricing_complaint": 1.6,
    "plan_enterprise": 0.5,
}
_CHURN_DEFINITIONS = {
    "billing_term_monthly": "Billing Term is 'monthly' (reference: 'annual').",
    "usage_decline": (
        "Mean active_users over the 3 months before the month is at least 30% below the mean "
        "over the 3 months before those (needs 6 usage rows before the month)."
    ),
    "unresolved_tickets": (
        "At least 2 of the account's tickets created in the 3 calendar months before the month "
        "are unresolved on the first day of the month (solved_at null or on/after that day). "
        "No tickets exist before 2024-10-01."
    ),
    "pricing_complaint": (
        "An NPS comment (Submitted At) or ticket (created_at) of the account in the 6 calendar "
        "months before the month mentions pricing_value (planted labels in "
        "_truth_documents.csv). No feedback exists before 2024-10-01."
    ),
    "plan_enterprise": "Plan is 'Enterprise'.",
}
_CHURN_RULE = (
    "Per account-month from 2024-10 to 2026-09: h = base_monthly_hazard[Segment] x product of "
    "hazard_ratios of the active drivers. No churn before 2024-10 (accounts active on "
    "2024-10-01 are survivors) and never in an account's start month. Every account at risk "
    "churns in a month with probability h, whatever its billing term (annual accounts are NOT "
    "restricted to renewal months; renewal months only drive seat changes). A churned "
    "account's End Date lies in the churn month and that month is its last usage row; drivers "
    "are evaluated from data before the month."
)
_DISENGAGE_ENTER = {"SMB": 0.014, "Mid-Market": 0.011, "Enterprise": 0.008}
_DISENGAGE_EXIT = 0.08

# ---------------------------------------------------------------------------------------------
# Interview themes
# ---------------------------------------------------------------------------------------------
INTERVIEW_THEMES: tuple[tuple[str, str], ...] = (
    ("reporting_needs", "Reporting needs"),
    ("integration_gaps", "Integration gaps"),
    ("onboarding_pain", "Onboarding pain"),
    ("pricing_concerns", "Pricing concerns"),
    ("performance_issues", "Performance issues"),
    ("collaboration_workflows", "Collaboration workflows"),
    ("mobile_access", "Mobile access"),
    ("praise_ease_of_use", "Praise: ease of use"),
)
_INTERVIEW_THEME_WEIGHTS = (1.3, 1.2, 0.9, 1.0, 1.1, 1.0, 0.7, 1.0)
_INTERVIEW_SNIPPETS: dict[str, tuple[str, ...]] = {
    "reporting_needs": (
        "The big thing for us is reporting. My leadership wants a weekly roll-up across all "
        "projects and right now I build that by hand in a spreadsheet.",
        "I'd love to be able to build a custom report without exporting everything first.",
        "The dashboards are close, but I can't slice them by client, which is how we think "
        "about the business.",
        "Every Monday I spend maybe two hours pulling numbers together for the exec meeting.",
        "If the reports could be scheduled and emailed automatically, that would save me a ton "
        "of time.",
        "We need to see time spent versus budget per project, and there's no good view for that.",
    ),
    "integration_gaps": (
        "We live in Salesforce, and the sync only goes one way, so the sales team never sees "
        "project status.",
        "The Jira connection is the missing piece. Our engineers won't leave Jira, so we end up "
        "double entering everything.",
        "We tried the Slack integration, but it posts so much that people muted the channel.",
        "I'd really like it to talk to our data warehouse directly instead of going through CSV "
        "exports.",
        "Half of my job is copying things between systems, which feels like something an "
        "integration should handle.",
        "Someone on the team built a Zapier workaround but it breaks every few weeks.",
    ),
    "onboarding_pain": (
        "Getting started was rough. We imported from our old tool and a lot of the dates came "
        "through wrong.",
        "It took us about six weeks before people really trusted it.",
        "Nobody told us about templates until month two, and that would have saved us so much "
        "time.",
        "The first week, I was basically the help desk for my whole team.",
        "The setup wizard asked a lot of questions that didn't really matter, and skipped the "
        "permissions stuff that did.",
    ),
    "pricing_concerns": (
        "Cost comes up every renewal. Finance asks me why we pay for seats that people log into "
        "once a month.",
        "The jump to the next plan is steep, and we'd only use one or two of the extra features.",
        "If there were a cheaper viewer seat, we'd roll it out to the whole company.",
        "We did look at alternatives last quarter, mostly because of price.",
        "It's not that it isn't worth it, it's that it's hard to prove the value to finance.",
    ),
    "performance_issues": (
        "It's gotten slower. Big projects take a long time to open, and the timeline view "
        "especially just lags.",
        "In the mornings when everyone logs in, it's noticeably sluggish.",
        "A couple of times the dashboard just timed out during a client meeting, which was "
        "embarrassing.",
        "People have started keeping their own lists because the board takes too long to load.",
        "Search is slow enough that I just scroll instead.",
    ),
    "collaboration_workflows": (
        "Most of our work is handoffs between design and engineering, and comments get lost in "
        "the threads.",
        "We'd love approvals built in. Right now we do sign-offs over email.",
        "Working with external clients is awkward because guests either see too much or too "
        "little.",
        "The comment threads are good, but there's no way to assign a follow-up from a comment.",
        "We have three teams in different time zones and the handoff at the end of the day is "
        "where things slip.",
    ),
    "mobile_access": (
        "Our field team only has phones, and the mobile app doesn't let them update tasks "
        "offline.",
        "I check things on my phone between meetings, and the app is pretty limited compared to "
        "desktop.",
        "The mobile app logs me out all the time, so I just don't use it.",
        "If I could approve things from my phone, that would change my day.",
        "Notifications on mobile are hit or miss.",
    ),
    "praise_ease_of_use": (
        "The thing I like most is how easy it is. New people pick it up in a day.",
        "Compared to what we had before, it's so much cleaner. People actually use it.",
        "I didn't have to train anyone, which never happens with tools like this.",
        "The drag and drop planning is great, our project managers love it.",
        "It just stays out of the way, which is what you want.",
    ),
}
_INTERVIEW_THEME_QUESTIONS: dict[str, tuple[str, ...]] = {
    "reporting_needs": ("How do you handle reporting for your leadership today?",
                        "What does reporting look like on your team?"),
    "integration_gaps": ("What other tools does it need to work with for you?",
                         "How does it fit with the rest of your stack?"),
    "onboarding_pain": ("Think back to when you first rolled it out. How did that go?",
                        "What was getting started like?"),
    "pricing_concerns": ("How do you think about the cost of the product?",
                         "How do renewal conversations go internally?"),
    "performance_issues": ("How has the product been feeling lately in terms of speed?",
                           "Any issues with speed or reliability recently?"),
    "collaboration_workflows": ("How do handoffs work between your teams?",
                                "Who else do you collaborate with in the tool?"),
    "mobile_access": ("Do you or your team use it on mobile at all?",
                      "How much of your work happens away from a desk?"),
    "praise_ease_of_use": ("What do you like most about it?", "What's working well for you?"),
}
_GENERIC_QUESTIONS = (
    "What's the most frustrating part of your week when it comes to tracking work?",
    "If you could change one thing about the product, what would it be?",
    "Walk me through a typical week with the tool.",
    "What's been on your mind about the product lately?",
    "Where does the tool help you most, and where does it get in the way?",
)
_FOLLOW_UPS = {  # follow-up questions that invite another on-theme answer
    "neg": ("Can you say more about that?", "Can you give me a recent example?",
            "Interesting. Why do you think that is?", "Tell me more about that.",
            "What else comes up there?"),
    "pos": ("Nice. Anything else you like?", "That's great to hear. Can you say more?",
            "What makes that work for you?"),
}
_ELABORATIONS = {  # (question, answer) pairs that do not carry a theme
    "neg": (
        ("How often does that happen?", "Yeah, it's pretty much every week."),
        ("What do you do today as a workaround?",
         "Mostly spreadsheets and a lot of copy and paste, honestly."),
        ("How does that affect the rest of the team?",
         "It slows everyone down a bit. It's friction more than a blocker."),
        ("Who else runs into that?", "Mostly me, but sometimes the team leads too."),
        ("Is that a big deal for you?", "It's not a deal breaker, but it adds up."),
        ("Have you raised that with us before?",
         "I think we mentioned it to our account rep once."),
    ),
    "pos": (
        ("Has that changed how the team works?", "Yeah, people actually update their tasks now."),
        ("Was that true from day one?", "Pretty much, yeah."),
    ),
}
_BACKCHANNEL_I = ("Yeah.", "Mm-hmm.", "Right.", "Got it.", "Okay.", "That makes sense.",
                  "Uh-huh.", "Interesting.")
_BACKCHANNEL_P = ("Yeah.", "Right, exactly.", "Mm-hmm.", "Yeah, yeah.")
_DISFLUENCY = ("", "", "", "Um, ", "So, ", "Yeah, so ", "I mean, ", "Uh, ", "Honestly, ")
_SMALL_TALK = (
    ("How's your week going so far?", "Busy, but good. We just wrapped up quarterly planning."),
    ("Is it still raining over there?", "Ha, it finally stopped this morning."),
    ("Did you get any time off recently?", "I did, we went hiking. My legs are still sore."),
    ("Thanks for squeezing this in, I know it's a busy time.",
     "No problem, this week is actually a bit quieter."),
    ("Can you hear me okay?", "Yep, loud and clear."),
    ("How's the new office working out?", "It's great, much more light than the old one."),
)
_OFF_TOPIC = (
    ("Sorry, give me one second, my dog is barking at the delivery guy.",
     "No worries at all, take your time."),
    ("Sorry, someone just walked into my office. Okay, I'm back.", "No problem."),
    ("By the way, we're moving offices next month, so everything here is in boxes.",
     "Oh nice, exciting. Hopefully the new place has better coffee."),
    ("Oh, my camera might freeze, the wifi here is terrible.", "All good, audio is what matters."),
)
_CONTEXT_ANSWERS = (
    "Sure. We're about {n} people, mostly {dept}. We use it to plan and track all of our "
    "projects.",
    "So I run a team of {n}. Everything from intake to delivery goes through it.",
    "We started with just my team, and now it's maybe {n} people across {dept} and operations.",
    "We're {n} people in {dept}. It's basically where all our work lives.",
)
_DEPTS = ("marketing", "engineering", "client services", "operations", "product", "design")
_CLOSING_ANSWERS = (
    "No, I think that covers it. Overall we're happy with it.",
    "Just that we'd love to be involved in any beta programs.",
    "I think I said everything. Thanks for listening.",
    "Not really, that was the main stuff.",
)

# ---------------------------------------------------------------------------------------------
# Text building blocks
# ---------------------------------------------------------------------------------------------
_OPENERS = {
    "neg": ("", "", "", "Honestly, ", "Lately ", "Frankly, ", "One thing: ", "Biggest issue: "),
    "pos": ("", "", "", "Honestly, ", "Overall, ", "To be fair, ", "Really happy - "),
    "req": ("", "", "", "Feature request: ", "One wish - ", "Suggestion: "),
}
_CONNECT_SAME = ("Also, ", "And ", "Plus ", "On top of that, ", "", "Another thing: ")
_CONNECT_TURN = ("But ", "That said, ", "On the other hand, ", "However, ")
_CLOSERS = {
    "neg": ("Please fix this.", "Really frustrating.", "Hope this gets better soon.",
            "Otherwise it's fine.", "It's been like this for weeks."),
    "pos": ("Keep it up!", "Great work.", "Thanks!", "Happy customer."),
    "req": ("That would make a big difference.", "Thanks for listening.",
            "Would make our lives easier."),
}
_CHATTER_NPS = ("n/a", "no comment", "-", "nothing to add", "Happy holidays!",
                "Our team moved offices this month, anyway", "ok", "Not sure yet.",
                "no", "Just started using it.", "N/A", "see previous survey")
_CHATTER_TICKET = (
    ("Quick question", "Our team moved offices this month, anyway. Nothing else for now."),
    ("Hello", "Just checking in, nothing urgent. Have a good week."),
    ("Happy holidays", "Happy holidays to the whole support team!"),
    ("Please ignore", "Sorry, this was sent by mistake. Please ignore."),
    ("Out of office", "I am out of the office until Monday with limited access to email."),
    ("FYI", "Just a heads up that I'll be on vacation next week."),
)
_CHATTER_REVIEW = ("Downloaded for work.", "ok", "It's an app.", "Use it every day.",
                   "My company makes me use it", "no complaints no praise", "Fine.")
_TICKET_GREETINGS = ("Hi team,", "Hello,", "Hi support,", "Hi there,", "Hey,", "", "Hi,")
_TICKET_DETAILS = (
    "This has been happening since last week.", "It affects most of our team.",
    "We're on the {plan} plan if that matters.",
    "I've already tried clearing the cache and logging out and back in.",
    "Can someone take a look?", "This is blocking our weekly review.",
    "Screenshots attached.", "It happened again this morning.",
    "Could you let me know the status?", "Is there a workaround in the meantime?",
    "Several people on my team reported the same thing.", "Any update would be appreciated.",
)
_TICKET_SIGNOFFS = ("Thanks", "Thanks!", "Regards", "Best", "Cheers", "Thank you", "")
_REVIEW_OPENERS = ("", "", "Been using this for a year. ", "Use this daily for work. ",
                   "Our company switched to it recently. ", "Update: ")
_REVIEW_TITLES = {
    "high": ("Great app", "Love it", "Does the job", "Solid tool", "Works great"),
    "mid": ("It's okay", "Mixed feelings", "Decent but...", "Could be better"),
    "low": ("Frustrating", "Needs work", "Getting worse", "Disappointed", "Not great"),
}

_PII_TEMPLATES = {
    "email": ("You can reach me at {v}.", "Please reply to {v}, not the account owner.",
              "cc {v} on any updates.", "My email is {v} if you need details."),
    "phone": ("Call me at {v}.", "My direct line is {v}.", "Best number to reach me: {v}.",
              "Text or call {v} anytime."),
    "person_name": ("Please ask for {v} if I'm out.", "Thanks, {v}",
                    "My manager {v} asked me to send this.",
                    "{v} on our side can share more details.",
                    "Loop in {v} from our finance team."),
    "card_number": ("We tried the card {v} and it was declined.", "Please charge {v} instead.",
                    "Our card on file should be {v}, not the old one."),
    "url_token": ("The reset link {v} doesn't work.", "Here's the link I got: {v} (it just spins).",
                  "This link {v} shows an error."),
}
_PII_KIND_P = (("email", 0.26), ("phone", 0.24), ("person_name", 0.26), ("card_number", 0.10),
               ("url_token", 0.14))

# ---------------------------------------------------------------------------------------------
# Names and companies
# ---------------------------------------------------------------------------------------------
_WORD_FIRST_NAMES = frozenset(
    "Will May June Hope Mark Grace Bill Joy Art Chase Faith Rose Summer Penny Dawn Ivy Crystal "
    "April Amber Autumn Holly Iris Jade Lily Pearl Ruby Sky Sunny Destiny Heather Daisy Violet "
    "Olive Ginger Honey Star Storm River Rain Robin Jack Frank Drew Dean Guy Rich Rusty Buck "
    "Hunter Sandy Cliff Gene Miles Ernest Earnest Patience Prudence Precious Miracle Harmony "
    "Melody Charity Trinity Justice Sterling Royal King Major Price Cash Don Pat Sue Ray Rob Nick "
    "Bob Carol Lane Reed Wade Brook Brooke Forest Glen Heath Clay Stone Page Paige Lance Mason "
    "Taylor Angel Eve Kay Sage Willow Brandy Candy Misty Serenity Journey Haven Bishop Dash Duke "
    "Ace Carter Cooper Parker Porter Hardy Marsh Gay Hazel Coral Jasmine Scarlett Noble".split()
)
_WORD_LAST_NAMES = frozenset(
    "Young King Hill Wood Woods Stone Rice Bush Park Long Little Price Cash Bell Lane Hall Love "
    "Best Major Glass Banks Field Fields Frost Snow Day May West Strong Rich Sharp Small Short "
    "Free Hardy Mills Rivers Wells Page Black White Green Gray Grey Brown Reed Rose Fox Wolf Lamb "
    "Bird Crane Swan Pope Bishop Dean Duke Knight Chase Cook Baker Mason Porter Carpenter Potter "
    "Hunter Walker Turner Cross Ware House Church Castle Lake Ball Marsh Head Hope Lord Sparks "
    "Power Powers Bond Case Weeks Person Holiday Law Noble Sweet Hood Moss Burns Savage Steele "
    "Steel Good Mercy Miles Summers Winter Spring Storm Drake Parks Rhodes Gates Waters Golden "
    "Silver Carter Cole Coles Perry Cannon Barber Butler Hunt Hart Wise Lucky Joy Beach Pierce "
    "Stark Flowers Flores Sanders Nichols Dyer Fisher Fletcher Glover Tanner Shepherd Singer "
    "Wheeler Weaver Cooper Parker Taylor Miller Harper Archer Chambers Sutton Brooks Lowe "
    "Booker Bush Frank Guy Jack Mark Bill Bass Haley Rowe".split()
)
_NAME_RE = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?$")

_COMPANY_HEADS = ("North", "Blue", "Silver", "Red", "Bright", "Iron", "Clear", "Stone", "Green",
                  "Gold", "East", "West", "High", "Oak", "Pine", "Maple", "Sun", "Star", "River",
                  "Lake", "Cedar", "Copper", "Summit", "Harbor", "Birch", "Falcon", "Amber",
                  "Crystal", "Ever", "True")
_COMPANY_TAILS = ("wind", "peak", "line", "wood", "water", "bridge", "path", "field", "gate",
                  "crest", "haven", "ridge", "brook", "light", "view", "point", "vale", "forge",
                  "leaf", "rock", "stream", "spring")
_COMPANY_NOUNS = ("Logistics", "Analytics", "Health", "Foods", "Labs", "Systems", "Partners",
                  "Media", "Robotics", "Energy", "Consulting", "Retail", "Capital", "Studios",
                  "Manufacturing", "Networks", "Software", "Biotech", "Freight", "Insurance",
                  "Dental", "Architects", "Marketing", "Engineering", "Travel", "Learning",
                  "Clinics", "Brewing", "Outdoors", "Properties", "Security", "Solar",
                  "Pharma", "Agency", "Interactive", "Builders", "Supply", "Telecom",
                  "Apparel", "Legal")
_TLDS = (".com", ".com", ".com", ".io", ".co")
_JOB_TITLES = (
    "Head of Operations", "Product Manager", "Data Analyst", "VP Engineering",
    "Marketing Operations Lead", "Customer Success Manager", "Finance Director",
    "IT Administrator", "Project Manager", "Chief Operating Officer", "Program Manager",
    "Director of Client Services", "Engineering Manager", "Operations Analyst",
    "Head of Marketing", "PMO Lead", "Design Lead", "Business Analyst",
)
_US_AREA = ("415", "212", "312", "646", "617", "206", "303", "512", "404", "213", "702", "919",
            "503", "612", "720", "305", "215", "202")


class _NamePool:
    """Unique, filtered (First, Last) names from a seeded Faker."""

    def __init__(self, fake: Faker) -> None:
        self.fake = fake
        self.used: set[str] = set()

    def take(self) -> tuple[str, str]:
        while True:
            first, last = self.fake.first_name(), self.fake.last_name()
            full = f"{first} {last}"
            if (first in _WORD_FIRST_NAMES or last in _WORD_LAST_NAMES or full in self.used
                    or not _NAME_RE.match(first) or not _NAME_RE.match(last)):
                continue
            self.used.add(full)
            return first, last


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _email_local(first: str, last: str, style: int) -> str:
    f, la = re.sub(r"[^a-z]", "", first.lower()), re.sub(r"[^a-z]", "", last.lower())
    return (f"{f}.{la}", f"{f[0]}{la}", f"{f}", f"{f}{la[0]}", f"{f}_{la}")[style]


def _luhn_check_digit(digits: list[int]) -> int:
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def _card_number(r: random.Random) -> str:
    prefix = [4] if r.random() < 0.6 else [5, r.randint(1, 5)]
    digits = prefix + [r.randint(0, 9) for _ in range(15 - len(prefix))]
    digits.append(_luhn_check_digit(digits))
    s = "".join(map(str, digits))
    sep = " " if r.random() < 0.6 else "-"
    return sep.join(s[i:i + 4] for i in range(0, 16, 4))


def _phone(r: random.Random) -> str:
    if r.random() < 0.12:
        return f"+44 20 7946 0{r.randint(0, 999):03d}"
    area, line = r.choice(_US_AREA), f"01{r.randint(0, 99):02d}"
    fmt = r.randrange(4)
    if fmt == 0:
        return f"({area}) 555-{line}"
    if fmt == 1:
        return f"{area}-555-{line}"
    if fmt == 2:
        return f"+1 {area} 555 {line}"
    return f"{area}.555.{line}"


# ---------------------------------------------------------------------------------------------
# Theme model: weights per source/quarter and the exact planted prevalence
# ---------------------------------------------------------------------------------------------
_PERMS = {k: np.array(list(itertools.permutations(range(_T), k))) for k in (1, 2, 3)}


def _inclusion(w: np.ndarray, k: int) -> np.ndarray:
    """P(theme i among the first k draws of weighted sampling without replacement)."""
    perms = _PERMS[k]
    p = np.ones(len(perms))
    rem = np.full(len(perms), w.sum())
    for j in range(k):
        wj = w[perms[:, j]]
        p = p * np.divide(wj, rem, out=np.zeros_like(wj), where=rem > 0)
        rem = rem - wj
    out = np.zeros(len(w))
    for j in range(k):
        np.add.at(out, perms[:, j], p)
    return out


def _doc_prevalence(w: np.ndarray) -> np.ndarray:
    inc = sum(pk * _inclusion(w, k + 1) for k, pk in enumerate(K_PROBS))
    return (1.0 - CHATTER_RATE) * inc


@dataclass
class _ThemeModel:
    weights: dict[str, np.ndarray]  # source -> (8 quarters, T)
    prevalence_by_source: dict[str, np.ndarray]  # source -> (8, T)
    prevalence: np.ndarray  # pooled (8, T)


def _theme_model() -> _ThemeModel:
    nq = len(QUARTERS)
    base = np.array([[t.weight_first + (t.weight_last - t.weight_first) * qi / (nq - 1)
                      for t in THEMES] for qi in range(nq)])
    mult = {s: np.array([_SOURCE_MULT[s].get(t.id, 1.0) for t in THEMES]) for s in _SOURCES}
    total = sum(_NOMINAL_DOCS.values())
    share = {s: _NOMINAL_DOCS[s] / total for s in _SOURCES}
    e = _THEME_IDX[EMERGING_THEME]
    last = nq - 1

    def pooled_emerging(we: float) -> float:
        out = 0.0
        for s in _SOURCES:
            w = base[last] * mult[s]
            w[e] = we * mult[s][e]
            out += share[s] * _doc_prevalence(w)[e]
        return out

    lo, hi = 0.0, 2.0
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if pooled_emerging(mid) < EMERGING_TARGET_PREVALENCE else (lo, mid)
    base[last, e] = round((lo + hi) / 2, 6)
    weights = {s: base * mult[s][None, :] for s in _SOURCES}
    prev_src = {s: np.array([_doc_prevalence(weights[s][qi]) for qi in range(nq)])
                for s in _SOURCES}
    pooled = sum(share[s] * prev_src[s] for s in _SOURCES)
    return _ThemeModel(weights, prev_src, pooled)


def _draw_theme_sets(rng: np.random.Generator, n: int, w: np.ndarray) -> list[tuple[int, ...]]:
    """Gumbel-top-k == sequential weighted sampling without replacement; k from K_PROBS."""
    if n == 0:
        return []
    with np.errstate(divide="ignore"):
        logw = np.log(w)
    keys = logw[None, :] + rng.gumbel(size=(n, len(w)))
    order = np.argsort(-keys, axis=1, kind="stable")
    k = rng.choice(len(K_PROBS), size=n, p=np.array(K_PROBS)) + 1
    k[rng.random(n) < CHATTER_RATE] = 0
    return [tuple(int(x) for x in order[i, : k[i]]) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------
@dataclass
class _Contact:
    first: str
    last: str
    email: str
    title: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class _Accounts:
    n: int
    ids: list[str]
    names: list[str]
    domains: list[str]
    seg: np.ndarray
    plan: np.ndarray
    monthly: np.ndarray
    region: np.ndarray
    start_m: np.ndarray
    start_day: np.ndarray
    seats0: np.ndarray
    price: np.ndarray  # USD per seat per month
    util: np.ndarray
    ticket_prop: np.ndarray
    slow: np.ndarray  # resolution-time multiplier
    troubled: np.ndarray
    contacts: list[list[_Contact]]
    owner_email: list[str]


def _company_names(rng: np.random.Generator, n: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = (_COMPANY_HEADS[rng.integers(len(_COMPANY_HEADS))]
                + _COMPANY_TAILS[rng.integers(len(_COMPANY_TAILS))] + " "
                + _COMPANY_NOUNS[rng.integers(len(_COMPANY_NOUNS))])
        if name not in seen and not name.startswith("Northwind "):  # the vendor's own name
            seen.add(name)
            out.append(name)
    return out


def _make_accounts(rng: np.random.Generator, names: _NamePool, n: int) -> _Accounts:
    n_pre = int(round(0.6 * n))
    pre_w = np.linspace(1.0, 2.0, WIN0)
    new_w = np.linspace(1.0, 1.4, N_MONTHS - WIN0)
    start_m = np.concatenate([
        rng.choice(WIN0, size=n_pre, p=pre_w / pre_w.sum()),
        WIN0 + rng.choice(N_MONTHS - WIN0, size=n - n_pre, p=new_w / new_w.sum()),
    ])
    start_day = np.array([1 + rng.integers(_days_in_month(int(m))) for m in start_m])
    order = np.lexsort((start_day, start_m))
    start_m, start_day = start_m[order], start_day[order]

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

    companies = _company_names(rng, n)
    tld_idx = rng.integers(len(_TLDS), size=n)
    domains = [_slug(c).replace("-", "") + _TLDS[t]
               for c, t in zip(companies, tld_idx, strict=True)]
    styles = rng.integers(4, size=n)
    n_contacts = np.array([2, 3, 4])[seg] + rng.integers(0, np.array([2, 3, 4])[seg] + 1)

    reps = [names.take() for _ in range(max(6, min(30, n // 70)))]
    rep_emails = [f"{_email_local(f, la, 0)}@{VENDOR_DOMAIN}" for f, la in reps]
    rep_idx = rng.integers(len(reps), size=n)

    contacts: list[list[_Contact]] = []
    for i in range(n):
        cs = []
        for _ in range(int(n_contacts[i])):
            f, la = names.take()
            email = f"{_email_local(f, la, int(styles[i]))}@{domains[i]}"
            cs.append(_Contact(f, la, email, _JOB_TITLES[rng.integers(len(_JOB_TITLES))]))
        contacts.append(cs)
    return _Accounts(
        n=n, ids=[f"ACC-{i + 1:05d}" for i in range(n)], names=companies, domains=domains,
        seg=seg, plan=plan, monthly=monthly, region=region, start_m=start_m,
        start_day=start_day, seats0=seats0, price=price, util=util, ticket_prop=ticket_prop,
        slow=slow, troubled=troubled,
        contacts=contacts, owner_email=[rep_emails[j] for j in rep_idx],
    )


# ---------------------------------------------------------------------------------------------
# Monthly simulation: usage, seats/MRR, tickets, NPS, churn
# ---------------------------------------------------------------------------------------------
_FEATURES = ("used_reports", "used_integrations", "used_automations", "used_mobile")
_ADOPT_P = np.array([[0.50, 0.18, 0.08, 0.30],  # Starter
                     [0.72, 0.48, 0.35, 0.36],  # Growth
                     [0.85, 0.72, 0.58, 0.42]])  # Enterprise
_TICKET_SEG = np.array([0.6, 1.3, 2.4])
_TICKET_BASE = 0.235
_NPS_SEG = np.array([0.8, 1.2, 1.6])
_NPS_BASE_RATE = 0.48


@dataclass
class _Sim:
    churn_m: np.ndarray
    end_day: np.ndarray
    usage: dict[str, np.ndarray]
    final_mrr: np.ndarray
    tickets: dict[str, Any]
    nps: dict[str, Any]
    stats: dict[str, Any]


def _simulate(rng: np.random.Generator, acc: _Accounts, tm: _ThemeModel) -> _Sim:
    n = acc.n
    base_h = np.array([CHURN_BASE_MONTHLY_HAZARD[s] for s in _SEGMENTS])[acc.seg]
    p_enter = np.array([_DISENGAGE_ENTER[s] for s in _SEGMENTS])[acc.seg]
    hr = CHURN_HAZARD_RATIOS
    pricing_i = _THEME_IDX["pricing_value"]

    churn_m = np.full(n, -1)
    end_day = np.zeros(n, dtype=int)
    seats = acc.seats0.copy()
    diseng = np.zeros(n, dtype=bool)
    eng = np.ones(n)
    adopted = rng.random((n, 4)) < _ADOPT_P[acc.plan]
    active_hist = np.full((n, N_MONTHS), np.nan)
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

    for m in range(N_MONTHS):
        alive = (acc.start_m <= m) & (churn_m < 0)
        existing = alive & (acc.start_m < m)
        months_in = m - acc.start_m
        renewal = existing & ~acc.monthly & (months_in % 12 == 0)

        # latent engagement
        u = rng.random(n)
        enter = existing & ~diseng & (u < p_enter)
        leave = existing & diseng & (u < _DISENGAGE_EXIT)
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
        active = np.minimum(seats, np.round(seats * acc.util * eng * noise))
        active_hist[alive, m] = active[alive]
        adopted |= rng.random((n, 4)) < 0.012 * _ADOPT_P[acc.plan]
        use_p = np.where(diseng, 0.45, 0.92)[:, None]
        flags = adopted & (rng.random((n, 4)) < use_p) & (active[:, None] > 0)

        # churn
        churn_now = np.zeros(n, dtype=bool)
        if m >= WIN0:
            if m >= 6:
                win = active_hist[:, m - 6:m]
                full = ~np.isnan(win).any(axis=1)
                prev3 = np.where(full, np.nan_to_num(win[:, :3]).mean(axis=1), 0.0)
                last3 = np.where(full, np.nan_to_num(win[:, 3:]).mean(axis=1), 0.0)
                decline = full & (prev3 > 0) & (last3 <= 0.7 * prev3)
            else:
                decline = np.zeros(n, dtype=bool)
            unres = np.zeros(n, dtype=int)
            month_ts = _epoch(_month_start(m))
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
            dim = _days_in_month(m)
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
        u_rows["mrr"].append(np.round(seats[idx_alive] * acc.price[idx_alive], 2))
        u_rows["flags"].append(flags[idx_alive])

        if m < WIN0:
            continue
        qi = (m - WIN0) // 3
        month_ts = _epoch(_month_start(m))
        dim = _days_in_month(m)
        open_acc = alive & ~churn_now

        # tickets
        lam = _TICKET_BASE * _TICKET_SEG[acc.seg] * acc.ticket_prop * np.where(diseng, 1.8, 1.0)
        cnt = rng.poisson(lam) * open_acc
        t_acc = np.repeat(np.arange(n), cnt)
        k = len(t_acc)
        lo = np.where(acc.start_m[t_acc] == m, acc.start_day[t_acc] - 1, 0)  # not before start
        day = lo + np.floor(rng.random(k) * (dim - lo)).astype(np.int64)
        hour = np.mod(rng.normal(16.0, 3.5, k), 24.0)
        created = month_ts + day * 86400 + np.floor(hour * 3600).astype(np.int64)
        themes = _draw_theme_sets(rng, k, tm.weights["ticket"][qi])
        never = rng.random(k) < (0.03 + 0.10 * acc.troubled[t_acc] + 0.08 * diseng[t_acc])
        fr_h = rng.lognormal(np.log(4.0), 1.1, k)
        res_h = fr_h + rng.lognormal(np.log(20.0), 1.1, k) * acc.slow[t_acc]
        first_reply = created + np.round(fr_h * 3600)
        solved = created + np.round(res_h * 3600)
        solved = np.where(never | (solved >= _DATA_END_EXCL_TS), np.inf, solved)
        no_reply = (never & (rng.random(k) < 0.15)) | (first_reply >= _DATA_END_EXCL_TS)
        first_reply = np.where(no_reply, np.inf, first_reply)
        channel = rng.choice(4, size=k, p=[0.45, 0.25, 0.22, 0.08])
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
        if (m - WIN0) % 3 == 1:
            n_contacts = np.array([len(c) for c in acc.contacts])
            cnt = np.minimum(rng.poisson(_NPS_BASE_RATE * _NPS_SEG[acc.seg]), n_contacts)
            cnt = cnt * (open_acc & (acc.start_m < m))  # new accounts are surveyed next time
            r_acc = np.repeat(np.arange(n), cnt)
            k = len(r_acc)
            contact = np.concatenate(
                [rng.permutation(n_contacts[i])[: cnt[i]] for i in np.flatnonzero(cnt)]
            ) if k else np.zeros(0, dtype=int)
            rday = np.minimum(4 + np.floor(rng.exponential(5.0, k)), 27).astype(np.int64)
            rhour = np.mod(rng.normal(15.0, 4.0, k), 24.0)
            submitted = month_ts + rday * 86400 + np.floor(rhour * 3600).astype(np.int64)
            has_comment = rng.random(k) < 0.75
            themes = _draw_theme_sets(rng, k, tm.weights["nps"][qi])
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
    return _Sim(churn_m, end_day, usage, final_mrr, tickets, nps_out, stats)


# ---------------------------------------------------------------------------------------------
# Text generation
# ---------------------------------------------------------------------------------------------
def _typos(r: random.Random, text: str, rate: float = TYPO_RATE) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        core = w.rstrip(".,!?;:")
        tail = w[len(core):]
        if len(core) >= 4 and core.isalpha() and r.random() < rate:
            j = r.randrange(1, len(core) - 1)
            if r.random() < 0.5:
                core = core[:j] + core[j + 1] + core[j] + core[j + 2:]
            else:
                core = core[:j] + core[j + 1:]
            words[i] = core + tail
    return " ".join(words)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _vary_case(r: random.Random, text: str, negative: bool) -> str:
    x = r.random()
    if x < 0.12:
        return text.lower()
    if negative and x < 0.135:
        return text.upper()
    return text


def _pick_phrase(r: random.Random, theme: Theme, source: str) -> tuple[str, str]:
    options = list(theme.phrasings)
    if source == "ticket":
        non_pos = [p for p in options if p[0] != "pos"]
        options = non_pos or options
    elif theme.kind == "request":
        # mixed themes: praise voice only now and then
        if r.random() < 0.7:
            options = [p for p in options if p[0] != "pos"] or options
    return r.choice(options)


def _theme_sentences(r: random.Random, themes: tuple[int, ...], source: str) -> tuple[list[str],
                                                                                    list[str]]:
    sentences, voices = [], []
    prev = None
    for n_done, ti in enumerate(themes):
        voice, phrase = _pick_phrase(r, THEMES[ti], source)
        if n_done == 0:
            lead = r.choice(_OPENERS[voice])
        elif (prev == "pos") != (voice == "pos"):
            lead = r.choice(_CONNECT_TURN)
        else:
            lead = r.choice(_CONNECT_SAME)
        if source == "ticket" and voice == "pos":
            lead = "Just wanted to say: "
        body = lead + phrase if lead else phrase
        end = "!" if voice == "pos" and r.random() < 0.4 else "."
        sentences.append(_cap(body) + end)
        voices.append(voice)
        prev = voice
    return sentences, voices


@dataclass
class _PiiCtx:
    names: _NamePool
    r: random.Random
    entries: list[dict[str, Any]]


def _pii_value(ctx: _PiiCtx, kind: str, contacts: list[_Contact] | None) -> str:
    r = ctx.r
    if kind == "email":
        if contacts and r.random() < 0.6:
            return r.choice(contacts).email
        f, la = ctx.names.take()
        dom = r.choice(("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me"))
        return f"{_email_local(f, la, r.randrange(5))}{r.randint(1, 99)}@{dom}"
    if kind == "phone":
        return _phone(r)
    if kind == "person_name":
        if contacts and r.random() < 0.5:
            return r.choice(contacts).name
        f, la = ctx.names.take()
        return f"{f} {la}"
    if kind == "card_number":
        return _card_number(r)
    token = "".join(r.choice("0123456789abcdef") for _ in range(32))
    style = r.randrange(3)
    if style == 0:
        f, la = ctx.names.take()
        return (f"https://app.example.com/reset?token={token}&email="
                f"{_email_local(f, la, 0)}%40{r.choice(('gmail.com', 'outlook.com'))}")
    if style == 1:
        return f"https://app.{VENDOR_DOMAIN}/invite/accept?token={token[:24]}"
    return f"https://app.example.com/login/magic?token={token}&uid={r.randint(10000, 99999)}"


def _maybe_pii(ctx: _PiiCtx, contacts: list[_Contact] | None, file: str, record_id: str,
               field: str) -> str | None:
    """With probability PII_RATE return a sentence carrying one recorded piece of PII."""
    r = ctx.r
    if r.random() >= PII_RATE:
        return None
    x, kind = r.random(), _PII_KIND_P[-1][0]
    for k, p in _PII_KIND_P:
        if x < p:
            kind = k
            break
        x -= p
    value = _pii_value(ctx, kind, contacts)
    ctx.entries.append({"kind": kind, "value": value, "file": file, "record_id": record_id,
                        "field": field})
    return r.choice(_PII_TEMPLATES[kind]).format(v=value)


def _nps_comment(r: random.Random, themes: tuple[int, ...]) -> str:
    if not themes:
        return r.choice(_CHATTER_NPS)
    sentences, voices = _theme_sentences(r, themes, "nps")
    if r.random() < 0.35:
        sentences.append(r.choice(_CLOSERS[voices[-1]]))
    text = _typos(r, " ".join(sentences))
    return _vary_case(r, text, "neg" in voices)


def _ticket_text(r: random.Random, themes: tuple[int, ...], plan: str) -> tuple[str, str]:
    if not themes:
        subject, body = r.choice(_CHATTER_TICKET)
        return subject, body
    th = THEMES[themes[0]]
    subject = r.choice(th.subjects)
    x = r.random()
    if x < 0.05:
        subject = "Re: " + subject
    elif x < 0.08 and th.kind == "complaint":
        subject = "URGENT: " + subject
    elif x < 0.15:
        subject = subject.lower()
    sentences, voices = _theme_sentences(r, themes, "ticket")
    details = r.sample(_TICKET_DETAILS, k=1 + r.randrange(3))
    body_sents = []
    for i, s in enumerate(sentences):
        body_sents.append(s)
        if i < len(details):
            body_sents.append(details[i].format(plan=plan))
    body_sents.extend(d.format(plan=plan) for d in details[len(sentences):])
    body = _typos(r, " ".join(body_sents))
    body = _vary_case(r, body, "neg" in voices)
    return subject, body


def _ticket_body_with_greeting(r: random.Random, body: str, pii: str | None) -> str:
    greeting = r.choice(_TICKET_GREETINGS)
    signoff = r.choice(_TICKET_SIGNOFFS)
    parts = [greeting] if greeting else []
    parts.append(body)
    if pii:
        parts.append(pii)
    if signoff:
        parts.append(signoff)
    sep = "\n\n" if r.random() < 0.6 else " "
    return sep.join(parts)


def _review_text(r: random.Random, themes: tuple[int, ...]) -> str:
    if not themes:
        return r.choice(_CHATTER_REVIEW)
    sentences, voices = _theme_sentences(r, themes, "review")
    if r.random() < 0.3:
        sentences.append(r.choice(_CLOSERS[voices[-1]]))
    text = r.choice(_REVIEW_OPENERS) + _typos(r, " ".join(sentences))
    return _vary_case(r, text, "neg" in voices)


def _review_title(r: random.Random, rating: int, themes: tuple[int, ...]) -> str:
    if themes and r.random() < 0.35 and THEMES[themes[0]].kind != "praise":
        return r.choice(THEMES[themes[0]].subjects)
    bucket = "high" if rating >= 4 else ("mid" if rating == 3 else "low")
    return r.choice(_REVIEW_TITLES[bucket])


def _review_author(r: random.Random, names: _NamePool) -> str:
    f, la = names.take()
    x = r.random()
    if x < 0.45:
        return f"{f} {la}"
    if x < 0.75:
        return f"{f} {la[0]}."
    return f"{f[0].lower()}{re.sub(r'[^a-z]', '', la.lower())}{r.randint(1, 99)}"


# ---------------------------------------------------------------------------------------------
# Interviews
# ---------------------------------------------------------------------------------------------
def _strip_lead(snippet: str, lead: str) -> str:
    """Prefix a spoken answer with a disfluency ("Um, ", "So, ") without doubling words."""
    if not lead:
        return snippet
    if snippet.split(" ")[0].rstrip(",").lower() == lead.split(" ")[0].rstrip(",").lower():
        return snippet
    if snippet.startswith(("I ", "I'")):
        return lead + snippet
    return lead + snippet[:1].lower() + snippet[1:]


def _interview_turns(r: random.Random, names: _NamePool, participant: _Contact,
                     interviewer: str, company: str, themes: list[str], target: int,
                     colleagues: list[_Contact]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Turns as (role I|P, text, [(kind, value) planted in text])."""
    P, I = "P", "I"  # noqa: E741
    Turn = tuple[str, str, list[tuple[str, str]]]
    turns: list[Turn] = []

    def add(role: str, text: str, pii: list[tuple[str, str]] | None = None) -> None:
        turns.append((role, text, pii or []))

    add(I, r.choice((
        f"Hi, thanks so much for making time today. I'm {interviewer} from the research team "
        f"at {VENDOR_NAME}.",
        f"Hey, thanks for joining! I'm {interviewer}, I do user research here at {VENDOR_NAME}.",
        f"Hi there. I'm {interviewer} on the {VENDOR_NAME} research team, thanks for doing this.",
    )), [("person_name", interviewer)])
    add(P, r.choice(("Happy to help.", "Sure, no problem.", "Of course, glad to do it.")))
    add(I, "Before we start, is it okay if I record this? It's just for our notes.")
    add(P, r.choice(("Yeah, that's fine.", "Sure, go ahead.", "Yep, no problem.")))
    add(I, f"Great. So just to confirm, you're {participant.name}, {participant.title} at "
           f"{company}?", [("person_name", participant.name)])
    add(P, r.choice(("That's right.", "Yep, that's me.", "Correct.")))
    for q, a in r.sample(_SMALL_TALK, k=1 + r.randrange(2)):
        add(I, q)
        add(P, a)
    add(I, f"So to kick things off, can you tell me a bit about your team and how you use "
           f"{VENDOR_NAME}?")
    add(P, r.choice(_CONTEXT_ANSWERS).format(n=r.choice((6, 8, 12, 15, 20, 30, 45)),
                                             dept=r.choice(_DEPTS)))
    if r.random() < 0.35:  # planted: a colleague's full name
        col = r.choice(colleagues) if colleagues else None
        name = col.name if col else "{} {}".format(*names.take())
        add(I, r.choice(("Got it.", "Okay, great.", "Nice.")))
        add(P, r.choice((
            f"If you want more detail, {name} on our ops team is the real power user. You "
            "should talk to them too.",
            f"My manager {name} was the one who pushed for it originally.",
            f"Actually {name} set most of it up, so they'd know the history better than me.",
        )), [("person_name", name)])
    contact_pii: tuple[str, list[tuple[str, str]]] | None = None
    x = r.random()
    if x < 0.15:
        contact_pii = (f"Sure, you can send the follow-up to {participant.email}.",
                       [("email", participant.email)])
    elif x < 0.25:
        ph = _phone(r)
        contact_pii = (f"Sure. If it's easier, just call my cell, it's {ph}.", [("phone", ph)])

    has_off_topic = r.random() < 0.6
    tail = 4 + (2 if contact_pii else 0) + (2 if has_off_topic else 0)
    budget = max(2 * len(themes), target - len(turns) - tail)
    pool = {t: r.sample(_INTERVIEW_SNIPPETS[t], k=len(_INTERVIEW_SNIPPETS[t])) for t in themes}
    blocks: list[list[Turn]] = []
    for t in themes:
        q = (r.choice(_INTERVIEW_THEME_QUESTIONS[t]) if r.random() < 0.6
             else r.choice(_GENERIC_QUESTIONS))
        blocks.append([(I, q, []), (P, _strip_lead(pool[t].pop(), r.choice(_DISFLUENCY)), [])])
    remaining = budget - 2 * len(themes)
    bi = 0
    while remaining > 0:
        t = themes[bi % len(themes)]
        block = blocks[bi % len(themes)]
        tone = "pos" if t == "praise_ease_of_use" else "neg"
        x = r.random()
        if x < 0.25 or remaining == 1:
            role = I if block[-1][0] == P else P
            block.append((role, r.choice(_BACKCHANNEL_I if role == I else _BACKCHANNEL_P), []))
            remaining -= 1
        else:
            if block[-1][0] == I:
                block.append((P, r.choice(_BACKCHANNEL_P), []))
                remaining -= 1
                if remaining < 2:
                    continue
            if pool[t] and x < 0.8:
                q, ans = r.choice(_FOLLOW_UPS[tone]), pool[t].pop()
            else:
                q, ans = r.choice(_ELABORATIONS[tone])
            block.append((I, q, []))
            block.append((P, _strip_lead(ans, r.choice(_DISFLUENCY)), []))
            remaining -= 2
        bi += 1
    off_at = r.randrange(len(blocks)) if has_off_topic else -1
    for b_i, block in enumerate(blocks):
        for t_i, (role, text, pii) in enumerate(block):
            add(role, text, pii)
            if b_i == off_at and t_i == 0:  # interruption right after the question
                p_line, i_line = r.choice(_OFF_TOPIC)
                add(P, p_line)
                add(I, i_line)
    add(I, "That's really helpful. Is there anything else you think we should know?")
    add(P, r.choice(_CLOSING_ANSWERS))
    if contact_pii:
        add(I, "Would it be okay if we followed up with a couple of questions later?")
        add(P, contact_pii[0], contact_pii[1])
    add(I, r.choice(("Thanks so much for your time, this was super helpful.",
                     "Great, thank you. This was really useful.")))
    add(P, r.choice(("Thanks, take care!", "Bye!", "Thank you, have a good one.")))
    return turns


def _fmt_vtt_ts(s: float) -> str:
    ms = int(round(s * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    sec, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{sec:02d}.{ms:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _render_interview(r: random.Random, turns: list[tuple[str, str, list[tuple[str, str]]]],
                      speakers: dict[str, str], fmt: str, stamps: bool) -> str:
    t = r.uniform(1.0, 4.0)
    out: list[str] = ["WEBVTT", ""] if fmt == "vtt" else []
    for role, text, pii in turns:
        dur = max(0.8, len(text.split()) * r.uniform(0.32, 0.42))
        start, end = t, t + dur
        t = end + r.uniform(0.2, 1.2)
        name = speakers[role]
        if fmt == "vtt":
            body = _vtt_escape(text)
            if not pii and len(body) > 60 and r.random() < 0.6:
                mid = len(body) // 2
                cut = body.rfind(" ", 0, mid)
                cut = cut if cut > 0 else body.find(" ", mid)
                if cut > 0:
                    body = body[:cut] + "\n" + body[cut + 1:]
            out.append(f"{_fmt_vtt_ts(start)} --> {_fmt_vtt_ts(end)}")
            out.append(f"<v {name}>{body}</v>")
            out.append("")
        else:
            prefix = ""
            if stamps:
                s = int(start)
                prefix = f"[{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}] "
            out.append(f"{prefix}{name}: {text}")
            out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
_INTERVIEW_FILE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}_[a-z0-9-]+\.(vtt|txt)$")


_NPS_EFF = np.array([t.nps_effect for t in THEMES])
_CSAT_EFF = np.array([t.csat_effect for t in THEMES])
_RATING_EFF = np.array([t.rating_effect for t in THEMES])


def _theme_ids(ts: tuple[int, ...]) -> str:
    return ";".join(THEMES[i].id for i in ts)


@dataclass
class _Run:
    """State shared by the writers of one ``generate`` call."""

    out_dir: Path
    seed: int
    scale: float
    names: _NamePool
    researchers: list[str]
    tm: _ThemeModel
    acc: _Accounts
    sim: _Sim
    srng: np.random.Generator  # score noise
    r: random.Random  # text choices
    ctx: _PiiCtx
    pii: list[dict[str, Any]]
    doc_rows: list[tuple[str, str, str]]
    end_dates: list[str]


def _write_accounts(run: _Run) -> None:
    """accounts.csv (fills ``run.end_dates``)."""
    out_dir, acc, sim, pii = run.out_dir, run.acc, run.sim, run.pii
    end_dates = run.end_dates
    for i in range(acc.n):
        if sim.churn_m[i] >= 0:
            d = _month_start(int(sim.churn_m[i])).replace(day=int(sim.end_day[i]))
            end_dates.append(d.isoformat())
        else:
            end_dates.append("")
    start_dates = [_month_start(int(m)).replace(day=int(d)).isoformat()
                   for m, d in zip(acc.start_m, acc.start_day, strict=True)]
    accounts_df = pd.DataFrame({
        "Account ID": acc.ids,
        "Account Name": acc.names,
        "Plan": [_PLANS[p] for p in acc.plan],
        "Billing Term": np.where(acc.monthly, "monthly", "annual"),
        "Segment": [_SEGMENTS[s] for s in acc.seg],
        "Region": [_REGIONS[x] for x in acc.region],
        "ARR": np.round(sim.final_mrr * 12.0, 2),
        "Start Date": start_dates,
        "End Date": end_dates,
        "Owner Email": acc.owner_email,
    })
    accounts_df.to_csv(out_dir / "accounts.csv", index=False, float_format="%.2f",
                       lineterminator="\n")
    for aid, em in zip(acc.ids, acc.owner_email, strict=True):
        pii.append({"kind": "email", "value": em, "file": "accounts.csv", "record_id": aid,
                    "field": "Owner Email"})


def _write_usage(run: _Run) -> int:
    """usage_monthly.parquet; returns the row count."""
    acc, us = run.acc, run.sim.usage
    order = np.lexsort((us["m"], us["acc"]))
    months = np.array([_month_start(m) for m in range(N_MONTHS)], dtype="datetime64[D]")
    cols: dict[str, pa.Array] = {
        "account_id": pa.array([acc.ids[i] for i in us["acc"][order]], type=pa.string()),
        "month": pa.array(months[us["m"][order]], type=pa.date32()),
        "active_users": pa.array(us["active"][order].astype(np.int64)),
        "licensed_seats": pa.array(us["seats"][order].astype(np.int64)),
        "mrr": pa.array(us["mrr"][order].astype(np.float64)),
    }
    for j, f in enumerate(_FEATURES):
        cols[f] = pa.array(us["flags"][order][:, j].astype(bool))
    pq.write_table(pa.table(cols), run.out_dir / "usage_monthly.parquet", compression="snappy")
    return int(len(order))


def _write_tickets(run: _Run) -> int:
    """tickets.json; returns the ticket count."""
    acc, srng, r, ctx, pii, doc_rows = run.acc, run.srng, run.r, run.ctx, run.pii, run.doc_rows
    tk = run.sim.tickets
    t_order = np.lexsort((tk["acc"], tk["created"]))
    n_t = len(t_order)
    csat_draw = srng.random(n_t)
    csat_noise = srng.normal(0.0, CSAT_NOISE_SD, n_t)
    tickets_out = []
    for new_i, j in enumerate(t_order):
        tid = 100001 + new_i
        a = int(tk["acc"][j])
        themes = tk["themes"][j]
        contacts = acc.contacts[a]
        requester = contacts[r.randrange(len(contacts))]
        subject, body = _ticket_text(r, themes, _PLANS[acc.plan[a]])
        pii_sent = _maybe_pii(ctx, contacts, "tickets.json", str(tid), "description")
        description = _ticket_body_with_greeting(r, body, pii_sent)
        solved = tk["solved"][j]
        is_solved = bool(np.isfinite(solved))
        status = "solved" if is_solved else ("pending" if r.random() < 0.4 else "open")
        rating = None
        if is_solved and csat_draw[j] < 0.40:
            eff = float(sum(_CSAT_EFF[i] for i in themes))
            slow = CSAT_SLOW_PENALTY if (solved - tk["created"][j]) > 72 * 3600 else 0.0
            rating = {"score": int(np.clip(round(CSAT_BASE + eff + slow + csat_noise[j]), 1, 5))}
        fr = tk["first_reply"][j]
        tickets_out.append({
            "id": tid,
            "organization": {"external_id": acc.ids[a]},
            "created_at": _iso(tk["created"][j]),
            "first_reply_at": _iso(fr) if np.isfinite(fr) else None,
            "solved_at": _iso(solved) if is_solved else None,
            "status": status,
            "via": {"channel": _CHANNELS[int(tk["channel"][j])]},
            "subject": subject,
            "description": description,
            "requester": {"name": requester.name, "email": requester.email},
            "satisfaction_rating": rating,
        })
        pii.append({"kind": "person_name", "value": requester.name, "file": "tickets.json",
                    "record_id": str(tid), "field": "requester.name"})
        pii.append({"kind": "email", "value": requester.email, "file": "tickets.json",
                    "record_id": str(tid), "field": "requester.email"})
        doc_rows.append(("ticket", str(tid), _theme_ids(themes)))
    with open(run.out_dir / "tickets.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump({"export": {"generated_at": EXPORT_TIME, "count": n_t},
                   "tickets": tickets_out}, fh, ensure_ascii=False, indent=1)
        fh.write("\n")

    return n_t


def _write_nps(run: _Run) -> int:
    """nps_responses.csv; returns the response count."""
    acc, srng, r, ctx, pii, doc_rows = run.acc, run.srng, run.r, run.ctx, run.pii, run.doc_rows
    nv = run.sim.nps
    n_order = np.lexsort((nv["contact"], nv["acc"], nv["submitted"]))
    n_n = len(n_order)
    nps_noise = srng.normal(0.0, NPS_NOISE_SD, n_n)
    ces_draw = srng.random(n_n)
    ces_noise = srng.normal(0.0, 1.0, n_n)
    nps_rows = []
    for new_i, j in enumerate(n_order):
        rid = f"R-{new_i + 1:06d}"
        a = int(nv["acc"][j])
        themes = nv["themes"][j]
        contact = acc.contacts[a][int(nv["contact"][j])]
        base = NPS_BASE[_SEGMENTS[acc.seg[a]]]
        score = int(np.clip(round(base + sum(_NPS_EFF[i] for i in themes) + nps_noise[j]), 0, 10))
        ces: int | None = None
        if ces_draw[j] < 0.30:
            ces = int(np.clip(round(4.6 + 0.35 * (score - 7.5) + ces_noise[j]), 1, 7))
        comment = ""
        if nv["has_comment"][j]:
            comment = _nps_comment(r, themes)
            others = [c for c in acc.contacts[a] if c is not contact]
            sent = _maybe_pii(ctx, others, "nps_responses.csv", rid, "Comment")
            if sent:
                comment = f"{comment} {sent}" if comment.rstrip()[-1:] in ".!?" else \
                    f"{comment}. {sent}"
            doc_rows.append(("nps", rid, _theme_ids(themes)))
        nps_rows.append((rid, acc.ids[a], _iso(nv["submitted"][j]), score, comment, ces,
                         contact.email))
        pii.append({"kind": "email", "value": contact.email, "file": "nps_responses.csv",
                    "record_id": rid, "field": "Respondent Email"})
    nps_df = pd.DataFrame(nps_rows, columns=["Response ID", "Account ID", "Submitted At", "Score",
                                             "Comment", "CES", "Respondent Email"])
    nps_df["CES"] = nps_df["CES"].astype("Int64")
    nps_df.to_csv(run.out_dir / "nps_responses.csv", index=False, lineterminator="\n")

    return n_n


def _write_reviews(run: _Run) -> int:
    """app_reviews.csv; returns the review count."""
    r, ctx, pii, doc_rows, names = run.r, run.ctx, run.pii, run.doc_rows, run.names
    rv_rng = np.random.default_rng([run.seed, 5])
    review_rows = []
    raw_reviews = []
    for qi, q in enumerate(QUARTERS):
        k = int(rv_rng.poisson(300 * run.scale))
        span = (q.end - q.start).days + 1
        days = np.sort(rv_rng.integers(0, span, k))
        themes_q = _draw_theme_sets(rv_rng, k, run.tm.weights["review"][qi])
        noise = rv_rng.normal(0.0, RATING_NOISE_SD, k)
        store = rv_rng.random(k) < 0.55
        for j in range(k):
            raw_reviews.append((q.start.toordinal() + int(days[j]), themes_q[j], noise[j],
                                "ios" if store[j] else "android"))
    for new_i, (ordinal, themes, noise, store) in enumerate(raw_reviews):
        rid = f"RV-{new_i + 1:05d}"
        rating = int(np.clip(round(RATING_BASE + sum(_RATING_EFF[i] for i in themes) + noise),
                             1, 5))
        text = _review_text(r, themes)
        sent = _maybe_pii(ctx, None, "app_reviews.csv", rid, "text")
        if sent:
            text = f"{text} {sent}" if text.rstrip()[-1:] in ".!?" else f"{text}. {sent}"
        author = _review_author(r, names)
        pii.append({"kind": "person_name", "value": author, "file": "app_reviews.csv",
                    "record_id": rid, "field": "author"})
        review_rows.append((rid, date.fromordinal(ordinal).isoformat(), store, rating,
                            _review_title(r, rating, themes), text, author))
        doc_rows.append(("review", rid, _theme_ids(themes)))
    pd.DataFrame(review_rows, columns=["review_id", "date", "store", "rating", "title", "text",
                                       "author"]).to_csv(run.out_dir / "app_reviews.csv",
                                                         index=False, lineterminator="\n")

    return len(review_rows)


def _write_interviews(run: _Run) -> list[dict[str, Any]]:
    """interviews/*.vtt|*.txt; returns the truth entry per interview."""
    acc, pii, names, researchers = run.acc, run.pii, run.names, run.researchers
    iv_dir = run.out_dir / "interviews"
    iv_dir.mkdir(exist_ok=True)
    for old in sorted(iv_dir.iterdir()):
        if old.is_file() and _INTERVIEW_FILE_RE.match(old.name):
            old.unlink()
    iv_rng = np.random.default_rng([run.seed, 6])
    ir = random.Random(int(iv_rng.integers(2**62)))
    per_q = max(4, int(round(10 * run.scale)))
    used_accounts: set[int] = set()
    interviews: list[dict[str, Any]] = []
    it_ids = [t for t, _ in INTERVIEW_THEMES]
    it_w = np.array(_INTERVIEW_THEME_WEIGHTS) / sum(_INTERVIEW_THEME_WEIGHTS)
    start_ord = np.array([_month_start(int(m)).replace(day=int(d)).toordinal()
                          for m, d in zip(acc.start_m, acc.start_day, strict=True)])
    end_ord = np.array([date.fromisoformat(e).toordinal() if e else 10**9 for e in run.end_dates])
    for q in QUARTERS:
        weekdays = [q.start.toordinal() + i for i in range((q.end - q.start).days + 1)
                    if date.fromordinal(q.start.toordinal() + i).weekday() < 5]
        picked = np.sort(iv_rng.choice(len(weekdays), size=per_q, replace=False))
        fmts = ["vtt", "txt"] * ((per_q + 1) // 2)
        fmts = [fmts[i] for i in iv_rng.permutation(per_q)]
        for k_i, wi in enumerate(picked):
            d_ord = weekdays[int(wi)]
            active = np.flatnonzero((start_ord < d_ord - 30) & (end_ord > d_ord))
            cands = [i for i in active if int(i) not in used_accounts] or list(active)
            a = int(cands[int(iv_rng.integers(len(cands)))])
            used_accounts.add(a)
            contacts = acc.contacts[a]
            p_i = int(iv_rng.integers(len(contacts)))
            participant = contacts[p_i]
            colleagues = [c for c in contacts if c is not participant]
            interviewer = researchers[int(iv_rng.integers(3))]
            n_th = int(iv_rng.choice([2, 3, 4], p=[0.4, 0.4, 0.2]))
            th_idx = sorted(iv_rng.choice(len(it_ids), size=n_th, replace=False, p=it_w))
            themes = [it_ids[i] for i in th_idx]
            target = int(iv_rng.integers(25, 51))
            order_themes = [themes[i] for i in iv_rng.permutation(n_th)]
            turns = _interview_turns(ir, names, participant, interviewer, acc.names[a],
                                     order_themes, target, colleagues)
            fmt = fmts[k_i]
            stamps = fmt == "txt" and iv_rng.random() < 0.5
            d = date.fromordinal(d_ord)
            fname = f"{d.isoformat()}_{_slug(acc.names[a])}.{fmt}"
            speakers = {"I": interviewer, "P": participant.name}
            text = _render_interview(ir, turns, speakers, fmt, stamps)
            (iv_dir / fname).write_text(text, encoding="utf-8", newline="\n")
            rel = f"interviews/{fname}"
            for t_no, (role, _txt, tpii) in enumerate(turns, start=1):
                pii.append({"kind": "person_name", "value": speakers[role], "file": rel,
                            "record_id": fname, "field": "speaker", "turn": t_no})
                for kind, value in tpii:
                    pii.append({"kind": kind, "value": value, "file": rel, "record_id": fname,
                                "field": "text", "turn": t_no})
            interviews.append({
                "file": rel, "date": d.isoformat(), "quarter": q.label,
                "participant_name": participant.name, "participant_title": participant.title,
                "company": acc.names[a], "account_id": acc.ids[a], "interviewer": interviewer,
                "themes": themes, "format": fmt, "n_turns": len(turns),
            })

    return interviews


def _write_truth_documents(run: _Run) -> int:
    """_truth_documents.csv; returns the row count."""
    doc_rows = run.doc_rows
    src_rank = {"nps": 0, "review": 1, "ticket": 2}
    doc_rows.sort(key=lambda x: (src_rank[x[0]], x[1]))
    pd.DataFrame(doc_rows, columns=["source", "source_id", "themes"]).to_csv(
        run.out_dir / "_truth_documents.csv", index=False, lineterminator="\n")

    return len(doc_rows)


def _truth(run: _Run, interviews: list[dict[str, Any]], counts: dict[str, int]) -> dict:
    """The planted truth written to _truth.json."""
    theme_list = []
    for ti, t in enumerate(THEMES):
        theme_list.append({
            "id": t.id, "label": t.label, "description": t.description, "kind": t.kind,
            "prevalence": {ql: round(float(run.tm.prevalence[qi, ti]), 4)
                           for qi, ql in enumerate(QUARTER_LABELS)},
            "prevalence_by_source": {
                s: {ql: round(float(run.tm.prevalence_by_source[s][qi, ti]), 4)
                    for qi, ql in enumerate(QUARTER_LABELS)} for s in _SOURCES},
            "nps_effect": t.nps_effect, "rating_effect": t.rating_effect,
            "csat_effect": t.csat_effect,
            "phrasings": [p for _, p in t.phrasings],
        })
    st = run.sim.stats
    truth: dict[str, Any] = {
        "seed": run.seed,
        "n_accounts": run.acc.n,
        "vendor": {"name": VENDOR_NAME, "domain": VENDOR_DOMAIN},
        "data_start": DATA_START.isoformat(),
        "data_end": DATA_END.isoformat(),
        "quarters": QUARTER_LABELS,
        "themes": theme_list,
        "emerging_theme": {"id": EMERGING_THEME, "quarter": EMERGING_QUARTER},
        "trending": dict(TRENDING),
        "document_model": {
            "sources": {"nps": "nps_responses.csv Comment (non-blank only)",
                        "ticket": "tickets.json subject + description",
                        "review": "app_reviews.csv title + text"},
            "n_themes_probs": {"1": K_PROBS[0], "2": K_PROBS[1], "3": K_PROBS[2]},
            "chatter_rate": CHATTER_RATE, "typo_rate_per_long_word": TYPO_RATE,
            "pii_rate": PII_RATE,
            "prevalence_note": ("prevalence = P(document mentions theme) in that quarter, "
                                "chatter included; pooled over sources with nominal shares "
                                + ", ".join(f"{s} {v:g}" for s, v in _NOMINAL_DOCS.items())),
        },
        "score_models": {
            "nps": {"formula": "clip(round(base[Segment] + sum(nps_effect) + N(0, sd)), 0, 10)",
                    "base": NPS_BASE, "noise_sd": NPS_NOISE_SD, "comment_share": 0.75,
                    "ces": "on ~30% of responses: clip(round(4.6 + 0.35*(score-7.5) + N(0,1)),"
                           " 1, 7)"},
            "csat": {"formula": ("on ~40% of solved tickets: clip(round(base + sum(csat_effect)"
                                 " + slow + N(0, sd)), 1, 5); slow applies when resolution "
                                 "> 72h"),
                     "base": CSAT_BASE, "slow": CSAT_SLOW_PENALTY, "noise_sd": CSAT_NOISE_SD},
            "review_rating": {"formula": "clip(round(base + sum(rating_effect) + N(0, sd)), 1, 5)",
                              "base": RATING_BASE, "noise_sd": RATING_NOISE_SD},
        },
        "churn_model": {
            "base_monthly_hazard": dict(CHURN_BASE_MONTHLY_HAZARD),
            "hazard_ratios": dict(CHURN_HAZARD_RATIOS),
            "definitions": dict(_CHURN_DEFINITIONS),
            "rule": _CHURN_RULE,
            "annual_renewal_only": False,
            "latent_disengagement": {
                "monthly_entry_rate": dict(_DISENGAGE_ENTER),
                "monthly_exit_rate": _DISENGAGE_EXIT,
                "effect": ("active users x U(0.70, 0.82) per month while disengaged (floor 12% "
                           "of normal); 1.6x ticket rate; more unsolved tickets; no expansion"),
            },
            "realised": {
                "account_months_at_risk": st["account_months_at_risk"],
                "churn_events": st["churn_events"],
                "driver_account_months": st["driver_account_months"],
            },
        },
        "researchers": run.researchers,
        "interview_themes": [{"id": i, "label": lab} for i, lab in INTERVIEW_THEMES],
        "interviews": interviews,
        "pii": run.pii,
        "counts": counts,
    }
    return truth


def generate(out_dir: Path, seed: int = 7, n_accounts: int = 2000) -> dict:
    """Write the sample raw exports into ``out_dir`` and return the planted truth.

    Files written: ``accounts.csv``, ``usage_monthly.parquet``, ``tickets.json``,
    ``nps_responses.csv``, ``app_reviews.csv``, ``interviews/*.vtt|*.txt``, ``_truth.json``
    (the returned dict) and ``_truth_documents.csv``. Interview files left over from an
    earlier run (``YYYY-MM-DD_<slug>.vtt|.txt``) are removed first. Same ``seed`` and
    ``n_accounts`` give byte-identical files. Prints nothing.
    """
    if n_accounts < 50:
        raise ValueError("n_accounts must be at least 50")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    fake = Faker("en_US")
    fake.seed_instance(seed)
    names = _NamePool(fake)
    researchers = ["{} {}".format(*names.take()) for _ in range(3)]
    tm = _theme_model()
    acc = _make_accounts(np.random.default_rng([seed, 1]), names, n_accounts)
    sim = _simulate(np.random.default_rng([seed, 2]), acc, tm)
    r = random.Random(int(np.random.default_rng([seed, 4]).integers(2**62)))
    pii: list[dict[str, Any]] = []
    run = _Run(out_dir=out_dir, seed=seed, scale=n_accounts / 2000.0, names=names,
               researchers=researchers, tm=tm, acc=acc, sim=sim,
               srng=np.random.default_rng([seed, 3]), r=r, ctx=_PiiCtx(names, r, pii), pii=pii,
               doc_rows=[], end_dates=[])

    _write_accounts(run)
    counts = {"accounts.csv": acc.n, "usage_monthly.parquet": _write_usage(run)}
    counts["tickets.json"] = _write_tickets(run)
    counts["nps_responses.csv"] = _write_nps(run)
    counts["app_reviews.csv"] = _write_reviews(run)
    interviews = _write_interviews(run)
    counts["interviews"] = len(interviews)
    counts["_truth_documents.csv"] = _write_truth_documents(run)
    counts["pii"] = len(pii)

    truth = _truth(run, interviews, counts)
    with open(out_dir / "_truth.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return truth
