"""The people and companies of the sample workspace, and the personal data planted in it.

Person names come from a seeded ``Faker``, filtered so that none is also a common English word
("Will", "Rose", "Hunter": a redactor could not tell them from text); company names are
"Head+tail Noun" from curated parts. Planted personal data (emails, phones, names, Luhn-valid
card numbers, URLs with tokens) is recorded with its exact location for ``_truth.json``.
Word lists and sentence templates live in ``resources/people.yaml``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from faker import Faker

from .resource_files import as_tuples, read_resource

VENDOR_NAME = "Northwind Cloud"  # matches data/workspace.toml
VENDOR_DOMAIN = "northwindcloud.com"

_PEOPLE = as_tuples(read_resource("people.yaml"))
WORD_FIRST_NAMES = frozenset(_PEOPLE["word_first_names"])
WORD_LAST_NAMES = frozenset(_PEOPLE["word_last_names"])
JOB_TITLES: tuple[str, ...] = _PEOPLE["job_titles"]
WEB_SUFFIXES: tuple[str, ...] = _PEOPLE["web_suffixes"]
_NAME_RE = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?$")

PII_RATE = 0.06  # share of free-text documents carrying one planted piece of personal data
PII_KIND_PROBS = (("email", 0.26), ("phone", 0.24), ("person_name", 0.26), ("card_number", 0.10),
                  ("url_token", 0.14))


class NameSource(Protocol):
    """Where account contacts, researchers and planted names come from."""

    def take(self) -> tuple[str, str]: ...


class PersonNamePool:
    """Unique, filtered (First, Last) names from a seeded Faker."""

    def __init__(self, fake: Faker) -> None:
        self.fake = fake
        self.used: set[str] = set()

    def take(self) -> tuple[str, str]:
        while True:
            first, last = self.fake.first_name(), self.fake.last_name()
            full = f"{first} {last}"
            if (first in WORD_FIRST_NAMES or last in WORD_LAST_NAMES or full in self.used
                    or not _NAME_RE.match(first) or not _NAME_RE.match(last)):
                continue
            self.used.add(full)
            return first, last


@dataclass
class Contact:
    first: str
    last: str
    email: str
    title: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def email_local(first: str, last: str, style: int) -> str:
    """The part before ``@`` in one of five house styles (0: first.last ... 4: first_last)."""
    f, la = re.sub(r"[^a-z]", "", first.lower()), re.sub(r"[^a-z]", "", last.lower())
    return (f"{f}.{la}", f"{f[0]}{la}", f"{f}", f"{f}{la[0]}", f"{f}_{la}")[style]


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct "Head+tail Noun" names, never the vendor's own ("Northwind ...")."""
    heads, tails, nouns = (_PEOPLE[k] for k in ("company_heads", "company_tails", "company_nouns"))
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = (heads[rng.integers(len(heads))] + tails[rng.integers(len(tails))] + " "
                + nouns[rng.integers(len(nouns))])
        if name not in seen and not name.startswith("Northwind "):
            seen.add(name)
            out.append(name)
    return out


def luhn_check_digit(digits: list[int]) -> int:
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def card_number(r: random.Random) -> str:
    """A Luhn-valid 16-digit Visa/Mastercard-like number in groups of four."""
    prefix = [4] if r.random() < 0.6 else [5, r.randint(1, 5)]
    digits = prefix + [r.randint(0, 9) for _ in range(15 - len(prefix))]
    digits.append(luhn_check_digit(digits))
    s = "".join(map(str, digits))
    sep = " " if r.random() < 0.6 else "-"
    return sep.join(s[i:i + 4] for i in range(0, 16, 4))


def phone_number(r: random.Random) -> str:
    """A fictional phone number (US 555-01xx or UK drama range) in one of five formats."""
    if r.random() < 0.12:
        return f"+44 20 7946 0{r.randint(0, 999):03d}"
    area, line = r.choice(_PEOPLE["us_area_codes"]), f"01{r.randint(0, 99):02d}"
    fmt = r.randrange(4)
    if fmt == 0:
        return f"({area}) 555-{line}"
    if fmt == 1:
        return f"{area}-555-{line}"
    if fmt == 2:
        return f"+1 {area} 555 {line}"
    return f"{area}.555.{line}"


@dataclass
class PiiPlanter:
    """Plants personal data into free text and records every planted value in ``entries``."""

    names: NameSource
    r: random.Random
    entries: list[dict[str, Any]]

    def value(self, kind: str, contacts: list[Contact] | None) -> str:
        """A value of ``kind``; emails and names are often the account's own contacts'."""
        r = self.r
        free_domains = _PEOPLE["free_email_domains"]
        if kind == "email":
            if contacts and r.random() < 0.6:
                return r.choice(contacts).email
            f, la = self.names.take()
            dom = r.choice(free_domains)
            return f"{email_local(f, la, r.randrange(5))}{r.randint(1, 99)}@{dom}"
        if kind == "phone":
            return phone_number(r)
        if kind == "person_name":
            if contacts and r.random() < 0.5:
                return r.choice(contacts).name
            f, la = self.names.take()
            return f"{f} {la}"
        if kind == "card_number":
            return card_number(r)
        token = "".join(r.choice("0123456789abcdef") for _ in range(32))
        style = r.randrange(3)
        if style == 0:
            f, la = self.names.take()
            return (f"https://app.example.com/reset?token={token}&email="
                    f"{email_local(f, la, 0)}%40{r.choice(free_domains[:2])}")
        if style == 1:
            return f"https://app.{VENDOR_DOMAIN}/invite/accept?token={token[:24]}"
        return f"https://app.example.com/login/magic?token={token}&uid={r.randint(10000, 99999)}"

    def maybe_sentence(self, contacts: list[Contact] | None, file: str, record_id: str,
                       field: str) -> str | None:
        """With probability PII_RATE a sentence carrying one recorded piece of PII."""
        r = self.r
        if r.random() >= PII_RATE:
            return None
        x, kind = r.random(), PII_KIND_PROBS[-1][0]
        for k, p in PII_KIND_PROBS:
            if x < p:
                kind = k
                break
            x -= p
        value = self.value(kind, contacts)
        self.entries.append({"kind": kind, "value": value, "file": file, "record_id": record_id,
                             "field": field})
        return r.choice(_PEOPLE["pii_sentences"][kind]).format(v=value)
