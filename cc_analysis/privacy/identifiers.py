"""Identifiers beyond contact details: national ids, IP addresses, dates of birth, handles and
profile links, spelled-out e-mails, postcodes and addresses outside the US.

Owns the candidates these kinds add to the pattern layer (:mod:`.patterns` resolves overlaps):

- ``national_id``: US social security numbers (dashed, or any form after "SSN"), UK national
  insurance numbers, and passport, identity card, driving licence and tax numbers after the
  word that names them (a bare run of letters and digits says nothing by itself);
- ``ip``: public IPv4 (every octet 0-255, not a version number) and IPv6 addresses; private,
  loopback and link-local ones name machines inside a network, not people, and stay;
- ``birth_date``: a date right after "date of birth", "DOB", "born (on)", "birthday";
- ``handle``: ``@name`` handles (not e-mails), and profile links on the social, code and
  booking sites people share (``linkedin.com/in/...``, ``twitter.com/...``,
  ``calendly.com/...``), with or without ``https://``;
- ``email``: addresses spelled out to dodge filters ("jane.doe at acme dot com");
- ``card`` and ``iban``: dotted card numbers (Luhn-checked) and IBANs written in lower case
  (mod-97-checked);
- ``postcode``: UK and Canadian postcodes, and a US ZIP code after a state;
- ``address``: street addresses as Germany, the Netherlands, Scandinavia (``Hauptstraße 5``),
  France (``12 rue de la Paix``), Spain, Italy and Portugal (``Calle Mayor 5``) write them.

Each pattern was written from the formats' published rules, not from any data set.
"""

from __future__ import annotations

import ipaddress
import re

# (priority, start, end, kind): a match the pattern layer resolves overlaps among
Candidate = tuple[int, int, int, str]

_SSN_DASHED_RE = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
_SSN_CUED_RE = re.compile(
    r"\b(?:SSN|social security(?: number| no\.?)?)\b[\s#:.-]{0,4}(?:is\s+)?"
    r"(?P<v>\d{3}[ .-]?\d{2}[ .-]?\d{4})\b", re.IGNORECASE)
_NINO_RE = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
    re.IGNORECASE)
_ID_CUED_RE = re.compile(
    r"\b(?:passport|national id|national identity|identity card|id card|id number|"
    r"driver'?s licen[cs]e|driving licen[cs]e|licen[cs]e number|tax id|tax number|tin|"
    r"aadhaar|personnummer|bsn|dni|nie|nif|pesel|sin)\b"
    r"(?:\s+(?:no\.?|number|num|#))?[\s#:.-]{0,4}(?:is\s+)?"
    r"(?P<v>(?=[A-Z0-9 -]*\d)[A-Z0-9](?:[A-Z0-9 -]{3,18})[A-Z0-9])\b", re.IGNORECASE)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4_RE = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w.]\d|\w)")
_VERSION_BEFORE_RE = re.compile(r"(?:\bv|version\s*|release\s*)$", re.IGNORECASE)
_HEX = r"[0-9A-Fa-f]{1,4}"
_IPV6_RE = re.compile(
    rf"(?<![\w:])(?:(?:{_HEX}:){{7}}{_HEX}|(?:{_HEX}:){{1,6}}:(?:{_HEX}:){{0,5}}{_HEX}?"
    rf"|::(?:{_HEX}:){{0,6}}{_HEX})(?![\w:])")
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})")
_BIRTH_RE = re.compile(
    rf"\b(?:date of birth|birth ?date|d\.?o\.?b\.?|born(?: on)?|birthday)\b[\s:,-]{{0,3}}"
    rf"(?:is\s+|was\s+)?(?P<v>{_DATE})", re.IGNORECASE)
_HANDLE_RE = re.compile(r"(?<![\w.@/+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?\b")
_PROFILE_HOSTS = (
    r"linkedin\.com/(?:in|pub)|(?:twitter|x)\.com|facebook\.com|fb\.com|instagram\.com|"
    r"tiktok\.com/@|github\.com|gitlab\.com|calendly\.com|medium\.com/@|youtube\.com/(?:@|c/|"
    r"user/|channel/)|t\.me|wa\.me|reddit\.com/(?:u|user)|threads\.net/@|behance\.net|"
    r"dribbble\.com|about\.me|linktr\.ee|cal\.com")
_PROFILE_RE = re.compile(
    rf"(?<![\w.@/])(?:https?://)?(?:www\.|m\.|[a-z]{{2}}\.)?(?:{_PROFILE_HOSTS})/?"
    r"[A-Za-z0-9_.%@-]{2,80}(?:/[A-Za-z0-9_.%-]+)*/?", re.IGNORECASE)
_SPELLED_EMAIL_RE = re.compile(
    r"(?<![\w.])(?P<local>[A-Za-z0-9][\w.+-]*)\s+(?:at|AT)\s+"
    r"(?P<domain>[A-Za-z0-9-]+(?:(?:\s+(?:dot|DOT)\s+|\.)[A-Za-z0-9-]+)*"
    r"(?:\s+(?:dot|DOT)\s+|\.)(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|ca|au|info|biz|me|"
    r"app|dev|ai|us|eu|in|jp|br|ch|se|no|dk|fi|be|at|ie|nz|pl|pt)\b)")
_DOTTED_CARD_RE = re.compile(r"(?<![\w.])\d{4}\.\d{4}\.\d{4}\.\d{1,7}(?![\w.]\d|\w)")
_IBAN_ANY_CASE_RE = re.compile(
    r"(?<!\w)[a-zA-Z]{2}\d{2}(?: ?[a-zA-Z0-9]{4}){2,7}(?: ?[a-zA-Z0-9]{1,3})?\b")
_UK_POSTCODE_RE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b")
_UK_POSTCODE_LOWER_RE = re.compile(
    r"\b(?:[a-pr-uwyz][a-hk-y]?\d[a-hjkpstuw\d]?) \d[abd-hjlnp-uw-z]{2}\b")
_CA_POSTCODE_RE = re.compile(
    r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.IGNORECASE)
_US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|"
              "NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY")
_POSTCODE_AFTER_ADDRESS_RE = re.compile(
    r",?\s*(?P<v>(?:[A-Z]{1,2}-)?\d{4,5}(?: ?[A-Z]{2})?)(?=\s+[A-ZÀ-Ý])")
_US_ZIP_RE = re.compile(rf"(?<=\b(?:{_US_STATES}) )\d{{5}}(?:-\d{{4}})?\b")
_COMPOUND_STREET_RE = re.compile(
    r"\b[A-ZÄÖÜÅØÆ][a-zäöüßåøæé-]+(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|"
    r"ufer|straat|laan|gracht|plein|kade|singel|gatan|vägen|gade|vej|veien|gata)"
    r"\s+\d{1,4}\s?[a-zA-Z]?\b")
_ROMANCE_STREET_BEFORE_RE = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|allee|"
    r"impasse|quai|route|cours)\s+(?:de la |de l'|du |des |de |d')?"
    r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3}", re.IGNORECASE)
_ROMANCE_STREET_AFTER_RE = re.compile(
    r"\b(?:Calle|C/|Avenida|Avda\.|Paseo|Plaza|Carrer|Via|Viale|Piazza|Corso|Largo|Rua|"
    r"Travessa|Praça)\s+(?:de la |del |de |dos |das |da |do |di |della )?"
    r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3},?\s+(?:n\.?º\s*)?\d{1,4}\b")


def luhn_ok(digits: str) -> bool:
    """The Luhn check digit of a card number holds."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(raw: str) -> bool:
    """An IBAN (spaces allowed, any case) of a valid length whose mod-97 check holds."""
    s = raw.replace(" ", "").upper()
    if not 15 <= len(s) <= 34 or not s.isalnum():
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _public_ip(address: str) -> bool:
    """An address that can point at a customer: not private, loopback, link-local or
    reserved ("10.0.0.12" names a server inside a company's network, nobody outside it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


def _street_words(low: str, runs: list[tuple[int, int]]) -> bool:
    """Whether a (lower-cased) text holds a word that European street addresses use: a
    street word ("rue", "calle"), or a name ending like one ("lindenstraße") right before a
    house number (``runs``: where the digit runs are)."""
    if not _STREET_WORDS.isdisjoint(low.split()):
        return True
    for start, _ in runs:
        before = low[max(0, start - 30):start].split()
        if before and before[-1].rstrip(",").endswith(_STREET_SUFFIXES):
            return True
    return False


def _group(rx: re.Pattern[str], text: str, priority: int, kind: str) -> list[Candidate]:
    return [(priority, m.start("v"), m.end("v"), kind) for m in rx.finditer(text)]


# substrings a text must hold before the patterns that need them run (most feedback has none)
_ID_HINTS = ("passport", "national", "identity", "id card", "id number", "licen", "tax ",
             "tax:", "aadhaar", "personnummer")
_ID_ACRONYMS = ("SIN", "TIN", "BSN", "DNI", "NIE", "NIF", "PESEL")
_BIRTH_HINTS = ("birth", "dob", "d.o.b", "born")
_TLD_HINT_RE = re.compile(r"\.(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|ca|au|info|me|app|"
                          r"dev|ai|us|eu|in|jp|br|ch|se|no|dk|fi|be|at|ie|nz|pl|pt)\b")
_DIGITS_RE = re.compile(r"\d+")
_ID_HINT_RE = re.compile("|".join(re.escape(h) for h in _ID_HINTS))
_ID_ACRONYM_RE = re.compile("|".join(_ID_ACRONYMS))
_BIRTH_HINT_RE = re.compile("|".join(re.escape(h) for h in _BIRTH_HINTS))
_NINO_HINT_RE = re.compile(r"[A-Za-z] ?\d\d ?\d\d ?\d\d ?[A-Da-d]\b")
_STREET_WORDS = frozenset({
    "rue", "avenue", "boulevard", "bd", "place", "chemin", "allée", "allee", "impasse", "quai",
    "route", "cours", "calle", "c/", "avda.", "paseo", "plaza", "carrer", "via", "viale",
    "piazza", "corso", "largo", "rua", "travessa", "praça"})
_STREET_SUFFIXES = ("straße", "strasse", "str.", "weg", "gasse", "allee", "platz", "damm", "ufer",
                    "laan", "gracht", "plein", "kade", "singel", "gatan", "vägen", "gade", "vej",
                    "veien", "gata")
_STATE_ZIP_HINT_RE = re.compile(r"\b[A-Z]{2} \d{5}")
_CA_ANY_CASE = (_CA_POSTCODE_RE.pattern
                .replace("[ABCEGHJ-NPRSTVXY]", "[ABCEGHJ-NPRSTVXYabceghj-nprstvxy]")
                .replace("[ABCEGHJ-NPRSTV-Z]", "[ABCEGHJ-NPRSTV-Zabceghj-nprstv-z]"))
_POSTCODE_RE = re.compile(
    "|".join(rx.pattern for rx in (_UK_POSTCODE_RE, _UK_POSTCODE_LOWER_RE)) + "|" + _CA_ANY_CASE)


def identifier_candidates(text: str, kinds: frozenset[str]) -> list[Candidate]:
    """Candidates of the kinds above that ``kinds`` asks for. Cheap tests (a digit, a cue
    word) come first: most feedback holds none of these, and ingest reads every text."""
    out: list[Candidate] = []
    runs = [(m.start(), m.end()) for m in _DIGITS_RE.finditer(text)]
    digits = bool(runs)
    low = text.lower()
    # what the digit runs say, read once: six digits in a row or in separated groups (ids,
    # cards, IBANs), groups joined by dots (IPs), a digit next to a letter (postcodes)
    six = dotted = lettered = False
    for k, (start, end) in enumerate(runs):
        if end - start >= 6:
            six = True
        if k and start - runs[k - 1][1] == 1:
            sep = text[start - 1]
            if sep == ".":
                dotted = True
            if sep in " .-" and end - runs[k - 1][0] >= 5:
                six = True
        if (start and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
            lettered = True
    if "national_id" in kinds and digits:
        if six and "-" in text:
            out += [(3, m.start(), m.end(), "national_id") for m in _SSN_DASHED_RE.finditer(text)]
        if six and _NINO_HINT_RE.search(text):
            out += [(3, m.start(), m.end(), "national_id") for m in _NINO_RE.finditer(text)]
        if "ssn" in low or "social security" in low:
            out += _group(_SSN_CUED_RE, text, 3, "national_id")
        if _ID_HINT_RE.search(low) or _ID_ACRONYM_RE.search(text):
            out += _group(_ID_CUED_RE, text, 3, "national_id")
    if "ip" in kinds:
        if dotted:
            out += [(3, m.start(), m.end(), "ip") for m in _IPV4_RE.finditer(text)
                    if not _VERSION_BEFORE_RE.search(text, max(0, m.start() - 9), m.start())
                    and _public_ip(m.group())]
        if "::" in text or text.count(":") >= 7:
            out += [(3, m.start(), m.end(), "ip") for m in _IPV6_RE.finditer(text)
                    if sum(c.isalnum() for c in m.group()) >= 4 and _public_ip(m.group())]
    if "birth_date" in kinds and digits and _BIRTH_HINT_RE.search(low):
        out += _group(_BIRTH_RE, text, 3, "birth_date")
    if "handle" in kinds:
        if "@" in text:
            out += [(2, m.start(), m.end(), "handle") for m in _HANDLE_RE.finditer(text)]
        if "/" in text and "." in text:
            out += [(1, m.start(), m.end(), "handle") for m in _PROFILE_RE.finditer(text)]
    if "email" in kinds and " at " in low and (" dot " in low or _TLD_HINT_RE.search(low)):
        out += [(2, m.start(), m.end(), "email") for m in _SPELLED_EMAIL_RE.finditer(text)
                if re.search(r"[._\d]", m.group("local")) or re.search(r"\sdot\s", m.group(
                    "domain"), re.IGNORECASE)]
    if "card" in kinds and six and "." in text:
        out += [(4, m.start(), m.end(), "card") for m in _DOTTED_CARD_RE.finditer(text)
                if 13 <= sum(c.isdigit() for c in m.group()) <= 19
                and luhn_ok(re.sub(r"\D", "", m.group()))]
    if "iban" in kinds and six:
        out += [(3, m.start(), m.end(), "iban") for m in _IBAN_ANY_CASE_RE.finditer(text)
                if not m.group().isupper() and iban_ok(m.group())]
    if "postcode" in kinds and lettered:
        out += [(7, m.start(), m.end(), "postcode") for m in _POSTCODE_RE.finditer(text)]
    if "postcode" in kinds and digits and _STATE_ZIP_HINT_RE.search(text):
        out += [(7, m.start(), m.end(), "postcode") for m in _US_ZIP_RE.finditer(text)]
    if "address" in kinds and digits and _street_words(low, runs):
        for rx in (_COMPOUND_STREET_RE, _ROMANCE_STREET_BEFORE_RE, _ROMANCE_STREET_AFTER_RE):
            for m in rx.finditer(text):
                out.append((6, m.start(), m.end(), "address"))
                # the postcode after it: "Hauptstraße 5, 10115 Berlin", "..., 75002 Paris"
                after = _POSTCODE_AFTER_ADDRESS_RE.match(text, m.end())
                if after and "postcode" in kinds:
                    out.append((7, after.start("v"), after.end("v"), "postcode"))
    return out
