"""Personal data found by its shape: emails, URLs, payment cards, IBANs, phones, addresses.

Owns the first, cheapest layer of redaction: the regular expressions, the checks that make a
match personal data (Luhn for cards, mod-97 for IBANs, the digit count and the words before a
phone number, the keys and tokens of a URL) and the choice among overlapping matches. Phone
numbers: North American, ``+``-prefixed international and trunk-``0`` national formats; bare
digit runs count only after a cue ("call me at"). A Luhn-valid 13-19 digit id is taken for a card.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .identifiers import Candidate, iban_ok, identifier_candidates, luhn_ok

_DIGIT_RE = re.compile(r"\d")
_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])")
_EMAIL_OBFUSCATED_RE = re.compile(
    r"(?<![\w.])[A-Za-z0-9][\w.+-]*\s?[\[({]\s?at\s?[\])}]\s?[A-Za-z0-9-]+"
    r"(?:(?:\s?[\[({]\s?dot\s?[\])}]\s?|\.)[A-Za-z0-9-]+)+", re.IGNORECASE)
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_QUERY_KEY_RE = re.compile(r"[?&#;]([^=&#;/?]{1,40})=")
_URL_SENSITIVE_KEY_RE = re.compile(
    r"token|e-?mail|mail|key|sess|sid|sig|auth|code|reset|user|uid|login|pass|pwd|secret|otp|"
    r"jwt|name|phone|invite|nonce|account|customer|member|contact", re.IGNORECASE)
# a path segment that looks like a random credential: 20+ chars mixing letters and digits
_URL_PATH_TOKEN_RE = re.compile(
    r"/(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}(?:[/?#]|$)")
# Number patterns start with a plain character class and check their left boundary with a
# lookbehind placed after it: the regex engine then skips straight to candidate characters,
# several times faster than a leading lookbehind.
_CARD_RE = re.compile(
    r"\d(?<![\w.,/#$-]\d)(?:\d{12,18}"
    r"|\d{3}(?P<b>[ -])\d{4}(?P=b)\d{4}(?P=b)\d{4}(?P=b)\d{1,3}"
    r"|\d{3}(?P<a>[ -])\d{4}(?P=a)\d{4}(?P=a)\d{1,7}"
    r"|\d{3}(?P<c>[ -])\d{6}(?P=c)\d{4,5})"
    r"(?!\w|[.,/-]\d)")
_IBAN_RE = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
# A phone number ends where no word character follows, nor a separator and a digit that would
# make it part of a longer number ("415-555-0123.5", "020 7946 0958/2").
_PHONE_END = r"(?!\w|[.,:/-]\d)"
# North American numbers: (415) 555-0123, 415-555-0123, 415.555.0123, +1 415 555 0123, x123.
# The regex finds the 10-digit core; a "+1", "1" or "001" before it is added in code.
_PHONE_NANP_RE = re.compile(
    r"[(\d](?:(?<=\()\d{3}\)[ .-]?|(?<=\d)\d{2}[ .-])\d{3}[ .-]\d{4}"
    r"(?: ?(?:x|ext\.?|extension) ?\d{1,6})?" + _PHONE_END)
_NANP_PREFIX_RE = re.compile(r"(?:\+1|\b001|\b1)[ .-]?$")
_NUMBER_LEFT_STOP = frozenset("#$€£@/+.,-_")
# +44 20 7946 0958, +49 (30) 1234 5678, +33 6 12 34 56 78; digits are counted afterwards
_PHONE_INTL_RE = re.compile(
    r"\+(?<![\w#$€£@/+.-]\+)\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{2,5}){1,4}"
    + _PHONE_END)
# national formats with a trunk 0: 020 7946 0958, (020) 7946 0958, 07700 900123, 06 12 34 56 78
_PHONE_NATIONAL_RE = re.compile(
    r"[(0](?<![\w#$€£@/+.,-][(0])"
    r"(?:(?<=\()0\d{1,4}\)[ -]\d{3,4}[ -]?\d{3,4}|(?<=0)\d{1,4}[ -]\d{3,4}[ -]?\d{3,4}"
    r"|(?<=0)\d(?:[ .]\d{2}){4})" + _PHONE_END)
# formats whose prefix is part of the match, with the digits a number of each has (fewest, most)
_PREFIXED_PHONES = ((_PHONE_INTL_RE, 8, 15), (_PHONE_NATIONAL_RE, 10, 12))
# bare digit runs count only after a phone cue ("call me at 4155550123")
_BARE_DIGITS_RE = re.compile(r"[+\d](?<![\w+.-][+\d])(?:(?<=\+)\d{10,13}|(?<=\d)\d{9,12})(?!\w)")
PHONE_CUES = ("call", "call me", "call at", "call on", "call me at", "call me on", "phone", "tel",
              "telephone", "mobile", "cell", "text", "text me", "text at", "text me at", "sms",
              "whatsapp", "fax", "ph", "mob", "number is")
# order, ticket and invoice numbers that happen to look like phone numbers
NOT_PHONE_CUES = ("order", "invoice", "inv", "ticket", "case", "ref", "reference", "po", "sku",
                  "tracking", "serial", "confirmation", "id", "account", "acct")


def phrase_alternatives(phrases: tuple[str, ...]) -> str:
    """Phrases as one regex alternation, longest first (a cue list built into a regex)."""
    return "|".join(re.escape(p).replace(r"\ ", " ")
                    for p in sorted(phrases, key=len, reverse=True))


_PHONE_CUE_BEFORE_RE = re.compile(
    rf"\b(?:{phrase_alternatives(PHONE_CUES)})\b[\s:#.-]{{0,3}}$", re.IGNORECASE)
_NOT_PHONE_BEFORE_RE = re.compile(
    rf"\b(?:{phrase_alternatives(NOT_PHONE_CUES)})\b(?:\s*(?:no\.?|number|#|id))?[\s#:.-]*$",
    re.IGNORECASE)
_STREET_SUFFIXES = ("Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|"
                    "Place|Pl|Terrace|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Plaza|"
                    "Alley|Crescent")
_ADDRESS_RE = re.compile(
    r"\d(?<![\w$#.,/:-]\d)\d{0,5}[A-Za-z]?(?:-\d{1,4})? +"
    r"(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.? +)?"
    r"(?:(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th)) +){1,3}"
    rf"(?:{_STREET_SUFFIXES})\b\.?"
    r"(?:,? +(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?"
    r"(?:,? +(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|Rm|#)\.? *#?[A-Za-z0-9-]{1,6})?"
    r"(?:,? +[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}, *[A-Z]{2} +\d{5}(?:-\d{4})?)?")
_PO_BOX_RE = re.compile(r"P(?<!\wP)\.? ?O\.? +Box +\d{1,6}\b")


def url_is_personal(url: str) -> bool:
    """A URL carries personal data: an ``@``, a query key such as ``token`` or ``email``, or a
    path segment that looks like a random credential."""
    if "@" in url or "%40" in url:
        return True
    if any(_URL_SENSITIVE_KEY_RE.search(k) for k in _URL_QUERY_KEY_RE.findall(url)):
        return True
    return bool(_URL_PATH_TOKEN_RE.search(url))


# (priority, start, end, kind): of overlapping matches the smaller priority number wins, then the
# longer match. Extra patterns of the policy 0, URL and profile links 1, email and handles 2,
# IBAN, national ids, IPs and birth dates 3, card 4, phone 5, address 6, postcode 7
# (:mod:`.identifiers` adds the kinds beyond contact details).


class PatternFinder:
    """Finds the pattern kinds a policy asks for, plus its ``extra_patterns``."""

    def __init__(self, kinds: frozenset[str], extra_patterns: Mapping[str, str]) -> None:
        self.kinds = kinds
        self.extra = [(kind, re.compile(p)) for kind, p in extra_patterns.items()]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, kind), sorted by start."""
        kinds = self.kinds
        cands: list[Candidate] = []
        for kind, rx in self.extra:
            cands.extend((0, m.start(), m.end(), kind) for m in rx.finditer(text)
                         if m.end() > m.start())
        if "email" in kinds and "@" in text:
            cands.extend((2, m.start(), m.end(), "email") for m in _EMAIL_RE.finditer(text))
        if "email" in kinds and ("at]" in text or "at)" in text or "at}" in text):
            cands.extend((2, m.start(), m.end(), "email")
                         for m in _EMAIL_OBFUSCATED_RE.finditer(text))
        if "url" in kinds and ("://" in text or "www." in text):
            cands.extend(_urls(text))
        if _DIGIT_RE.search(text):
            self._numbers(text, cands)
        cands.extend(identifier_candidates(text, kinds))
        return _resolve(cands)

    def _numbers(self, text: str, cands: list[Candidate]) -> None:
        kinds = self.kinds
        if "card" in kinds:
            for m in _CARD_RE.finditer(text):
                digits = re.sub(r"\D", "", m.group())
                if 13 <= len(digits) <= 19 and luhn_ok(digits):
                    cands.append((4, m.start(), m.end(), "card"))
        if "iban" in kinds:
            cands.extend((3, m.start(), m.end(), "iban") for m in _IBAN_RE.finditer(text)
                         if iban_ok(m.group()))
        if "phone" in kinds:
            for m in _PHONE_NANP_RE.finditer(text):
                start = m.start()
                prefix = _NANP_PREFIX_RE.search(text, max(0, start - 5), start)
                if prefix:
                    start = prefix.start()
                _add_phone(text, start, m.end(), 10, 16, cands)
            for rx, fewest, most in _PREFIXED_PHONES:
                for m in rx.finditer(text):
                    _add_phone(text, m.start(), m.end(), fewest, most, cands)
            for m in _BARE_DIGITS_RE.finditer(text):
                if _PHONE_CUE_BEFORE_RE.search(text, max(0, m.start() - 25), m.start()):
                    cands.append((5, m.start(), m.end(), "phone"))
        if "address" in kinds:
            cands.extend((6, m.start(), m.end(), "address") for m in _ADDRESS_RE.finditer(text))
            cands.extend((6, m.start(), m.end(), "address") for m in _PO_BOX_RE.finditer(text))


def _urls(text: str) -> list[Candidate]:
    out = []
    for m in _URL_RE.finditer(text):
        url = m.group()
        trimmed = url.rstrip(".,;:!?'\"")
        if trimmed.endswith(")") and "(" not in trimmed:
            trimmed = trimmed.rstrip(")")
        if url_is_personal(trimmed):
            out.append((1, m.start(), m.start() + len(trimmed), "url"))
    return out


def _add_phone(text: str, start: int, end: int, fewest: int, most: int,
               cands: list[Candidate]) -> None:
    """A phone candidate when nothing number-like sits before it, it has fewest..most digits and
    no "order", "invoice" ... precedes it."""
    if start and (text[start - 1].isalnum() or text[start - 1] in _NUMBER_LEFT_STOP):
        return
    n = sum(ch.isdigit() for ch in text[start:end])
    if fewest <= n <= most and not _NOT_PHONE_BEFORE_RE.search(text, max(0, start - 30), start):
        cands.append((5, start, end, "phone"))


def _resolve(cands: list[Candidate]) -> list[tuple[int, int, str]]:
    """Keep the highest-priority (then longest) candidates that do not overlap."""
    if not cands:
        return []
    cands.sort(key=lambda c: (c[0], c[1] - c[2]))
    kept: list[tuple[int, int, str]] = []
    for _p, s, e, kind in cands:
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, kind))
    kept.sort()
    return kept
