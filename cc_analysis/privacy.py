"""Personal-data redaction: everything that enters the workspace passes through here first.

Owns detection and replacement of personal data in free text at ingest, before anything is
stored, embedded or reported, plus stable speaker pseudonyms. Nothing in this module logs or keeps
a detected value: :class:`Redactor` counts redactions by kind, never what was redacted.

Layers, cheapest and most certain first:

1. Patterns: emails, phone numbers (North American and ``+``/``0``-prefixed international
   formats), payment cards (13-19 digits, Luhn-checked), URLs that carry personal tokens (query
   keys such as ``token``, ``email``, ``session``, an ``@``, a long random path segment), IBANs
   (mod-97 checked), US street addresses, and any ``extra_patterns`` from the config.
2. Names the caller knows (ticket requesters, interview speakers): always replaced, also as a
   first name alone and in the possessive, by a pseudonym when one is given.
3. Other person names, from gazetteers: a first name from the US Census 1990 lists (``names``
   package) plus a supplement, followed by a capitalised surname-like token; an unambiguous first
   name alone; after a cue ("my name is", "ask for", "thanks,", "Dr.") also ambiguous first names
   ("Will", "Grace") and capitalised tokens the gazetteer does not know.

Limits of the method: it is gazetteer- and pattern-based and tuned for English text. Names must be
capitalised (known names written in full match in any case); all-caps names, unknown surnames
alone without a title, and nicknames or handles ("kim77", unless known) are missed, and first
names outside the gazetteers are caught only after a cue. A first name that is also an everyday
word ("Will", "May", "Grace") is redacted only with a frequent surname or a cue, so "Mark White"
(two everyday words) is missed; a known name that is such a word is skipped at a sentence start
and before another capitalised word ("Reports Will Not Load"). Some capitalised non-names next to
a first name are over-redacted ("Morgan Stanley"); add product and company names to
``allow_names``. Bare digit runs count as phone numbers only after a cue ("call me at"), and a
Luhn-valid 13-19 digit id is taken for a card.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from .config import ConfigError

KINDS: tuple[str, ...] = ("email", "phone", "card", "url", "iban", "address", "name")
NAME_TOKEN = "[NAME]"


def token_for(kind: str) -> str:
    """Replacement text for a kind: ``email`` -> ``[EMAIL]``."""
    return f"[{kind.upper()}]"


# ---------------------------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------------------------
@dataclass
class PiiPolicy:
    """What to redact. All kinds are on by default.

    ``extra_patterns`` maps a kind name to a regular expression (``employee_id = "EMP-\\d{6}"``);
    matches become ``[EMPLOYEE_ID]``. ``allow_names`` are words or phrases never taken as person
    names (product and company names such as "Northwind" or "Jasper Reports").
    """

    kinds: frozenset[str] = frozenset(KINDS)
    extra_patterns: dict[str, str] = field(default_factory=dict)
    allow_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.kinds = frozenset(self.kinds)
        unknown = sorted(self.kinds - set(KINDS))
        if unknown:
            raise ConfigError(f"[pii] unknown kind(s) {unknown}; known: {list(KINDS)}")
        self.allow_names = tuple(self.allow_names)
        self.extra_patterns = dict(self.extra_patterns)
        for kind, pattern in self.extra_patterns.items():
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", kind):
                raise ConfigError(f"[pii] extra_patterns: '{kind}' is not a valid kind name")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"[pii] extra_patterns.{kind}: invalid regex: {exc}") from exc

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> PiiPolicy:
        """Build from the ``[pii]`` table of ``workspace.toml``.

        Keys: ``kinds`` (list of kinds to redact), or per-kind booleans (``phone = false``),
        ``extra_patterns`` (table kind -> regex) and ``allow_names`` (list of words).
        """
        d = dict(d or {})
        kinds_in = d.pop("kinds", KINDS)
        kinds = {kinds_in} if isinstance(kinds_in, str) else set(kinds_in)
        for kind in KINDS:
            if kind in d:
                flag = d.pop(kind)
                if not isinstance(flag, bool):
                    raise ConfigError(f"[pii] {kind} must be true or false, got {flag!r}")
                (kinds.add if flag else kinds.discard)(kind)
        extra = d.pop("extra_patterns", {}) or {}
        allow = d.pop("allow_names", []) or []
        if d:
            raise ConfigError(f"[pii] unknown key(s) {sorted(d)}; known: kinds, "
                              f"extra_patterns, allow_names, {', '.join(KINDS)}")
        if not isinstance(extra, Mapping) or not all(isinstance(v, str) for v in extra.values()):
            raise ConfigError("[pii] extra_patterns must be a table of kind = \"regex\"")
        if isinstance(allow, str) or not all(isinstance(v, str) for v in allow):
            raise ConfigError("[pii] allow_names must be a list of strings")
        return cls(kinds=frozenset(kinds), extra_patterns=dict(extra), allow_names=tuple(allow))


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of personal data sits in a text (offsets only, never the value)."""

    kind: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# Lexicons (loaded once, on first use)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Lexicon:
    first: frozenset[str]  # all keys are upper-case ASCII
    ambiguous: frozenset[str]  # first names that are also everyday words / places / products
    surnames: frozenset[str]
    frequent_surnames: frozenset[str]  # the 10,000 most frequent, for "Will Turner"-type pairs
    common: frozenset[str]  # never part of a name
    english: frozenset[str]  # everyday words; a surname only right after a sure first name


def _read_words(text: str) -> set[str]:
    out: set[str] = set()
    for line in text.splitlines():
        out.update(w.upper() for w in line.split("#", 1)[0].split())
    return out


def _census(name: str, top: int | None = None) -> set[str]:
    # Census files: rows "NAME  freq cumfreq rank", most frequent first.
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    lines = [line for line in text.splitlines() if line.strip()][:top]
    return {line.split(None, 1)[0] for line in lines}


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    res = resources.files("cc_analysis").joinpath("resources")

    def own(name: str) -> set[str]:
        return _read_words(res.joinpath(name).read_text(encoding="utf-8"))

    common, english = own("pii_common_words.txt"), own("pii_english_words.txt")
    first = _census("dist.male.first") | _census("dist.female.first")
    first |= own("pii_extra_first_names.txt")
    ambiguous = own("pii_ambiguous_first_names.txt") | (first & (common | english))
    return _Lexicon(first=frozenset(first), ambiguous=frozenset(ambiguous & first),
                    surnames=frozenset(_census("dist.all.last")),
                    frequent_surnames=frozenset(_census("dist.all.last", 10_000)),
                    common=frozenset(common),
                    english=frozenset(english - common))


def _fold(word: str) -> str:
    """Lexicon key: upper-case ASCII without accents or apostrophes ("O'Brien" -> "OBRIEN")."""
    if not word.isascii():
        word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    if "'" in word:
        word = word.replace("'", "")
    return word.upper()


# common words that are also frequent surnames, accepted right after an unambiguous first name
_WORD_SURNAMES = frozenset(
    "MARCH MAY JUNE AUGUST APPLE BANK BERLIN BEST BILL BOARD BOSTON BOX CASE DEAL EAST EDGE FIELD "
    "FIELDS GOOD HEAD HIGH IRELAND JENKINS KEY KEYS LINK LIST LOCK LONDON LOVE MONTANA NORTH PAGE "
    "PATCH POST PRICE RULE SALES SOUTH SPAIN WASHINGTON WEST YORK".split())
_PROPER_WORD_SURNAMES = frozenset(
    "BERLIN BOSTON IRELAND JENKINS LONDON MONTANA SPAIN WASHINGTON YORK".split())
_MONTHS = frozenset("JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER "
                    "NOVEMBER DECEMBER".split())

# ---------------------------------------------------------------------------------------------
# Patterns (all compiled once at import)
# ---------------------------------------------------------------------------------------------
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
# North American numbers: (415) 555-0123, 415-555-0123, 415.555.0123, +1 415 555 0123, x123.
# The regex finds the 10-digit core; a "+1", "1" or "001" before it is added in code.
_PHONE_NANP_RE = re.compile(
    r"[(\d](?:(?<=\()\d{3}\)[ .-]?|(?<=\d)\d{2}[ .-])\d{3}[ .-]\d{4}"
    r"(?: ?(?:x|ext\.?|extension) ?\d{1,6})?(?!\w|[.,:/-]\d)")
_NANP_PREFIX_RE = re.compile(r"(?:\+1|\b001|\b1)[ .-]?$")
_NUMBER_LEFT_STOP = frozenset("#$€£@/+.,-_")
# +44 20 7946 0958, +49 (30) 1234 5678, +33 6 12 34 56 78; digits are counted afterwards
_PHONE_INTL_RE = re.compile(
    r"\+(?<![\w#$€£@/+.-]\+)\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{2,5}){1,4}"
    r"(?!\w|[.,:/-]\d)")
# national formats with a trunk 0: 020 7946 0958, (020) 7946 0958, 07700 900123, 06 12 34 56 78
_PHONE_NATIONAL_RE = re.compile(
    r"[(0](?<![\w#$€£@/+.,-][(0])"
    r"(?:(?<=\()0\d{1,4}\)[ -]\d{3,4}[ -]?\d{3,4}|(?<=0)\d{1,4}[ -]\d{3,4}[ -]?\d{3,4}"
    r"|(?<=0)\d(?:[ .]\d{2}){4})(?!\w|[.,:/-]\d)")
# bare digit runs count only after a phone cue ("call me at 4155550123")
_BARE_DIGITS_RE = re.compile(r"[+\d](?<![\w+.-][+\d])(?:(?<=\+)\d{10,13}|(?<=\d)\d{9,12})(?!\w)")
_PHONE_CUE_BEFORE_RE = re.compile(
    r"\b(?:call(?: me)?(?: (?:at|on))?|phone|tel|telephone|mobile|cell|text(?: me)?(?: at)?|sms|"
    r"whatsapp|fax|ph|mob|number is)\b[\s:#.-]{0,3}$", re.IGNORECASE)
# order, ticket and invoice numbers that happen to look like phone numbers
_NOT_PHONE_BEFORE_RE = re.compile(
    r"\b(?:order|invoice|inv|ticket|case|ref|reference|po|sku|tracking|serial|confirmation|"
    r"id|account|acct)\b(?:\s*(?:no\.?|number|#|id))?[\s#:.-]*$", re.IGNORECASE)
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

# Capitalised, name-shaped tokens (Latin-1 and Latin Extended-A letters), with a possessive.
_UP, _LO = "A-ZÀ-ÖØ-ÞĀ-ſ", "a-zß-öø-ÿĀ-ſ"
_TOKEN_RE = re.compile(
    rf"(?=[{_UP}])(?<![\w@./\\-])(?P<core>(?:[OD]['’])?(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|Du|Fitz)?"
    rf"[{_UP}][{_LO}]+(?:-(?:[OD]['’])?(?:Mc|Mac)?[{_UP}][{_LO}]+)?)"
    rf"(?P<poss>['’]s)?(?!\w|['’][{_LO}])")
# what may sit between the parts of one name: a space, a middle initial or a particle
_GAP_RE = re.compile(
    rf"[ \t]+(?:[{_UP}]\.?[ \t]+|(?:de la|de los|van der|van den|von der|de|del|della|da|das|"
    r"dos|do|du|van|von|der|den|di|le|la|bin|ibn|al|el|ter|st\.?)[ \t]+)?")
# Cues before a name. title: "Dr." (surnames welcome); greet/signoff: "Hi", "Thanks," (the
# name must then end at punctuation or the line end: "Hello, Lately we ..." is a sentence);
# strong: "my name is", "ask for"; weak: "I'm", "met with" (only gazetteer names, or two unknown
# capitalised tokens).
_CUE_RE = re.compile(
    r"\b(?=[abcdehikmnprstwy])(?:(?P<title>\b(?-i:Mr|Mrs|Ms|Mx|Dr|Prof|Mister|Miss|Madam|Mme)\b\.?)"
    r"|(?P<signoff>\b(?:(?:thanks|thank you|many thanks|cheers|best|best wishes|sincerely|yours|"
    r"signed|warmly)[ \t]*(?:,|!|\r?\n|--?)|(?:kind |best |warm )?regards\b[ \t]*[,!]?))"
    r"|(?P<greet>\b(?:hi|hello|hey|dear)\b[ \t]*,?)"
    r"|(?P<strong>\b(?:my name is|my name's|my name’s|ask(?:ed|ing)? for"
    r"|talk(?:ed|ing)? (?:to|with)|speak(?:ing)? (?:to|with)|spoke(?:n)? (?:to|with)"
    r"|chat(?:ted|ting)? with|attn)\b[,:]?)"
    r"|(?P<weak>\b(?:i'm|i’m|i am|this is|call me|named|thanks|thank you|met with|meeting with|"
    r"worked with|working with|contact(?:ed)?|emailed|introduced|my (?:manager|boss|colleague|"
    r"coworker|co-worker|lead|director|admin|contact))\b))"
    r"[ \t]*(?:\r?\n[ \t]*){0,2}", re.IGNORECASE)
# how a name after a greeting or sign-off ends: "Hi Will," "Thanks, Zorblax!" "Regards,\nAl Ng"
_NAME_END_RE = re.compile(r"[ \t]*(?:[,.!?:;)\r\n]|$|--?[ \t]|[–—]|(?:from|at|and|here)\b)")
_PLACE_SUFFIXES = frozenset("HILLS BEACH SPRINGS FALLS HEIGHTS VALLEY HARBOR HARBOUR BAY ISLAND "
                            "CREEK".split())  # "Beverly Hills", "Virginia Beach"
# "St. Louis", "San Francisco", "Fort Collins", "Lake Charles" are places
_PLACE_BEFORE_RE = re.compile(
    r"\b(?:St|Ste|Saint|San|Santa|Fort|Ft|Port|Mount|Mt|Lake|Cape)\.?[ \t]+$")
_TITLE_BEFORE_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Mister|Miss|Madam|Mme)\.?[ \t]+$")
_ORG_SUFFIXES = frozenset("INC CORP CORPORATION LLC LTD LIMITED GMBH PLC CO COMPANY GROUP HOLDINGS "
                          "LABS TECHNOLOGIES TECH SYSTEMS SOLUTIONS PARTNERS SOFTWARE TEAM SUPPORT "
                          "BANK UNIVERSITY COLLEGE FOUNDATION INSTITUTE AGENCY CONSULTING".split())
_SUFFIX_RE = re.compile(r",? (?:Jr\.?|Sr\.?|II|III|IV|MD|DDS|PhD|DVM|Esq\.?)(?![\w])")
_TITLE_CASE_NEXT_RE = re.compile(r" [A-Z][a-z]")
_HANDLE_RE = re.compile(r"[\d_@]")  # user names and handles rather than person names
_ANYWORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = frozenset(".!?\n\r:;…")
_OPENERS = frozenset(" \t\"“‘'([*•>-–—")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(raw: str) -> bool:
    s = raw.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _sentence_initial(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END


# ---------------------------------------------------------------------------------------------
# Known names
# ---------------------------------------------------------------------------------------------
class _KnownNames:
    """Caller-supplied names: matched through a word scan and dict lookups, not a huge regex
    alternation (thousands of ticket requesters would make that slow)."""

    def __init__(self, known: Mapping[str, str] | Iterable[str], lex: _Lexicon) -> None:
        if isinstance(known, str):
            known = [known]
        items = list(known.items()) if isinstance(known, Mapping) else [(n, None) for n in known]
        explicit: dict[tuple[str, ...], str] = {}
        derived: dict[tuple[str, ...], set[str]] = {}
        handles: dict[str, str] = {}
        for name, alias in items:
            repl = str(alias) if alias else NAME_TOKEN
            if _HANDLE_RE.search(str(name)):  # "kim77", "j_doe": matched as written
                handles[str(name).strip().casefold()] = repl
                continue
            words = tuple(w.casefold() for w in _ANYWORD_RE.findall(str(name)))
            if not words:
                continue
            explicit[words] = repl
            if len(words) > 1:  # first name alone; surname alone unless an everyday word
                if len(words[0]) > 2:
                    derived.setdefault(words[:1], set()).add(repl)
                last = _fold(words[-1])
                if len(words[-1]) > 2 and not (last in lex.common or last in lex.english
                                               or last in lex.ambiguous):
                    derived.setdefault(words[-1:], set()).add(repl)
        entries = {k: (next(iter(v)) if len(v) == 1 else NAME_TOKEN) for k, v in derived.items()}
        entries.update(explicit)
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for words, repl in sorted(entries.items(), key=lambda kv: -len(kv[0])):
            self.by_first.setdefault(words[0], []).append((words, repl))
        self.handles = handles
        self.handles_re = re.compile(
            r"(?<![\w.@-])(?:" + "|".join(map(re.escape, sorted(handles, key=len, reverse=True)))
            + r")(?![\w@-])", re.IGNORECASE) if handles else None
        # single words that are also everyday words are skipped at a sentence start
        self.wordlike = {k[0] for k in entries if len(k) == 1 and (
            _fold(k[0]) in lex.ambiguous or _fold(k[0]) in lex.common
            or _fold(k[0]) in lex.english)}

    def __bool__(self) -> bool:
        return bool(self.by_first or self.handles)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        if self.handles_re is not None:
            out.extend((m.start(), m.end(), self.handles[m.group().casefold()])
                       for m in self.handles_re.finditer(text))
            if out:
                text = _mask(text, out)
        words = list(_ANYWORD_RE.finditer(text))
        n, i = len(words), 0
        while i < n:
            w = words[i].group().casefold()
            poss = False
            cands = self.by_first.get(w)
            if cands is None and w.endswith(("'s", "’s")):  # "Priya's"
                poss, cands = True, self.by_first.get(w[:-2])
            hit = None
            for cand, repl in cands or ():
                end = self._match(text, words, i, cand, poss)
                if end is not None:
                    hit = (end, repl, len(cand))
                    break
            if hit is None:
                i += 1
                continue
            end, repl, used = hit
            out.append((words[i].start(), end, repl))
            i += used
        return out

    def _match(self, text: str, words: list[re.Match[str]], i: int, cand: tuple[str, ...],
               poss: bool) -> int | None:
        m = words[i]
        if len(cand) == 1:
            word = m.group()
            # single words only when capitalised: "Grace" the person, not "grace" the word
            if not word[0].isupper():
                return None
            core_end = m.end() - 2 if poss else m.end()
            if cand[0] in self.wordlike and not poss:
                # "Will you ...?" and "Reports Will Not Load" are the word; "Will:" and
                # "asked Will." the person
                if _sentence_initial(text, m.start()) and text[core_end:core_end + 1] not in ",:":
                    return None
                if _TITLE_CASE_NEXT_RE.match(text, core_end):
                    return None
            return core_end
        if poss or i + len(cand) > len(words):
            return None
        for k in range(1, len(cand)):
            prev, cur = words[i + k - 1], words[i + k]
            if not text[prev.end():cur.start()].isspace():
                return None
            w = cur.group().casefold()
            last = k == len(cand) - 1
            if w != cand[k] and not (last and w.endswith(("'s", "’s")) and w[:-2] == cand[k]):
                return None
        last_m = words[i + len(cand) - 1]
        return last_m.end() - 2 if last_m.group().casefold() != cand[-1] else last_m.end()


# ---------------------------------------------------------------------------------------------
# Redactor
# ---------------------------------------------------------------------------------------------
class Redactor:
    """Finds and replaces personal data; counts redactions by kind (never values).

    ``known_names``: names the caller knows (speakers, ticket requesters). A mapping gives each a
    replacement ("Maria Gonzalez" -> "P07"); an iterable replaces them with ``[NAME]``. A full
    name also covers its first name alone and, when that is not an everyday word, its surname.
    """

    def __init__(self, policy: PiiPolicy | None = None,
                 known_names: Mapping[str, str] | Iterable[str] = ()) -> None:
        self.policy = policy or PiiPolicy()
        self.counts: Counter[str] = Counter()
        self._lex = _lexicon()
        self._kinds = self.policy.kinds
        self._extra = [(kind, re.compile(p)) for kind, p in self.policy.extra_patterns.items()]
        single = [a for a in self.policy.allow_names if len(a.split()) == 1]
        multi = [a for a in self.policy.allow_names if len(a.split()) > 1]
        self._allow = frozenset(_fold(a.strip()) for a in single)
        self._allow_phrases = (re.compile(r"\b(?:" + "|".join(
            r"\s+".join(map(re.escape, a.split())) for a in sorted(multi, key=len, reverse=True))
            + r")\b") if multi else None)
        self._known = _KnownNames(known_names, self._lex) if "name" in self._kinds else None

    # -- public API -----------------------------------------------------------------------
    def find(self, text: str) -> list[Span]:
        """Spans of personal data in ``text``, sorted by position."""
        return [Span(kind, s, e) for s, e, kind, _ in self._detect(text)]

    def redact(self, text: str | None) -> str | None:
        """``text`` with personal data replaced; None, NaN and other non-strings pass through."""
        if not isinstance(text, str) or not text:
            return text
        spans = self._detect(text)
        if not spans:
            return text
        parts, pos = [], 0
        for s, e, kind, repl in spans:
            parts.append(text[pos:s])
            parts.append(repl)
            self.counts[kind] += 1
            pos = e
        parts.append(text[pos:])
        return "".join(parts)

    def redact_series(self, s: pd.Series) -> pd.Series:
        """Redact every string of a Series; missing values and the index are kept."""
        out = s.map(self.redact, na_action="ignore")
        return out.astype(s.dtype) if s.dtype != object else out

    def reset_counts(self) -> None:
        self.counts.clear()

    # -- detection ------------------------------------------------------------------------
    def _detect(self, text: str) -> list[tuple[int, int, str, str]]:
        """Non-overlapping (start, end, kind, replacement), sorted by start."""
        kinds = self._kinds
        cands: list[tuple[int, int, int, str]] = []  # (priority, start, end, kind)
        for kind, rx in self._extra:
            cands.extend((0, m.start(), m.end(), kind) for m in rx.finditer(text)
                         if m.end() > m.start())
        if "email" in kinds and "@" in text:
            cands.extend((2, m.start(), m.end(), "email") for m in _EMAIL_RE.finditer(text))
        if "email" in kinds and ("at]" in text or "at)" in text or "at}" in text):
            cands.extend((2, m.start(), m.end(), "email")
                         for m in _EMAIL_OBFUSCATED_RE.finditer(text))
        if "url" in kinds and ("://" in text or "www." in text):
            cands.extend(self._urls(text))
        if _DIGIT_RE.search(text):
            self._numbers(text, cands)
        accepted = _resolve(cands)
        out = [(s, e, kind, token_for(kind)) for s, e, kind in accepted]

        if "name" in kinds:
            masked = _mask(text, accepted) if accepted else text
            if self._allow_phrases is not None:
                masked = _mask(masked, [(m.start(), m.end(), "")
                                        for m in self._allow_phrases.finditer(masked)])
            if self._known:
                known = self._known.find(masked)
                if known:
                    out.extend((s, e, "name", repl) for s, e, repl in known)
                    masked = _mask(masked, known)
            out.extend((s, e, "name", NAME_TOKEN) for s, e in self._names(masked))
        out.sort()
        return out

    def _urls(self, text: str) -> list[tuple[int, int, int, str]]:
        out = []
        for m in _URL_RE.finditer(text):
            url = m.group()
            trimmed = url.rstrip(".,;:!?'\"")
            if trimmed.endswith(")") and "(" not in trimmed:
                trimmed = trimmed.rstrip(")")
            if _url_is_personal(trimmed):
                out.append((1, m.start(), m.start() + len(trimmed), "url"))
        return out

    def _numbers(self, text: str, cands: list[tuple[int, int, int, str]]) -> None:
        kinds = self._kinds
        if "card" in kinds:
            for m in _CARD_RE.finditer(text):
                digits = re.sub(r"\D", "", m.group())
                if 13 <= len(digits) <= 19 and _luhn_ok(digits):
                    cands.append((4, m.start(), m.end(), "card"))
        if "iban" in kinds:
            cands.extend((3, m.start(), m.end(), "iban") for m in _IBAN_RE.finditer(text)
                         if _iban_ok(m.group()))
        if "phone" in kinds:
            for m in _PHONE_NANP_RE.finditer(text):
                start = m.start()
                prefix = _NANP_PREFIX_RE.search(text, max(0, start - 5), start)
                if prefix:
                    start = prefix.start()
                self._phone(text, start, m.end(), 10, 16, cands)
            for m in _PHONE_INTL_RE.finditer(text):
                self._phone(text, m.start(), m.end(), 8, 15, cands)
            for m in _PHONE_NATIONAL_RE.finditer(text):
                self._phone(text, m.start(), m.end(), 10, 12, cands)
            for m in _BARE_DIGITS_RE.finditer(text):
                if _PHONE_CUE_BEFORE_RE.search(text, max(0, m.start() - 25), m.start()):
                    cands.append((5, m.start(), m.end(), "phone"))
        if "address" in kinds:
            cands.extend((6, m.start(), m.end(), "address") for m in _ADDRESS_RE.finditer(text))
            cands.extend((6, m.start(), m.end(), "address") for m in _PO_BOX_RE.finditer(text))

    @staticmethod
    def _phone(text: str, start: int, end: int, lo: int, hi: int,
               cands: list[tuple[int, int, int, str]]) -> None:
        if start and (text[start - 1].isalnum() or text[start - 1] in _NUMBER_LEFT_STOP):
            return
        n = sum(ch.isdigit() for ch in text[start:end])
        if lo <= n <= hi and not _NOT_PHONE_BEFORE_RE.search(text, max(0, start - 30), start):
            cands.append((5, start, end, "phone"))

    def _names(self, text: str) -> list[tuple[int, int]]:
        """Person names by gazetteer and cues (text has other spans masked out)."""
        toks = [(m.start(), m.end("core"), m.group("core"), m.end())
                for m in _TOKEN_RE.finditer(text)]
        if not toks:
            return []
        lex, allow = self._lex, self._allow
        first, ambiguous, common = lex.first, lex.ambiguous, lex.common
        out: list[tuple[int, int]] = []
        cues: dict[int, str] | None = None
        n, i = len(toks), 0
        while i < n:
            s, e, core, _pe = toks[i]
            if not core[0].isupper():
                i += 1
                continue
            key = _fold(core)
            if key in allow:
                i += 1
                continue
            if key in common and key not in first:
                # a word ("Price", "Good") is a name only right after a title: "Dr. Price"
                if key in lex.surnames and _TITLE_BEFORE_RE.search(text, max(0, s - 8), s):
                    j = self._extend(text, toks, i, strong=True)
                    out.append((s, self._with_suffix(text, toks[j][1])))
                    i = j + 1
                    continue
                i += 1
                continue
            if key in first and _PLACE_BEFORE_RE.search(text, max(0, s - 7), s):
                i += 1
                continue
            if key in first:
                amb = key in ambiguous
                j = self._extend(text, toks, i, strong=not amb)
                if j > i:
                    out.append((s, self._with_suffix(text, toks[j][1])))
                    i = j + 1
                    continue
                if not amb and len(core) > 2:
                    out.append((s, e))
                    i += 1
                    continue
            # everything else needs a cue right before it
            if cues is None:
                cues = {m.end(): _cue_kind(m) for m in _CUE_RE.finditer(text)}
            cue = cues.get(s)
            if cue:
                j = self._cued(text, toks, i, key, cue)
                if j >= i:
                    out.append((s, self._with_suffix(text, toks[j][1])))
                    i = j + 1
                    continue
            i += 1
        return out

    def _cued(self, text: str, toks: list[tuple[int, int, str, str]], i: int, key: str,
              cue: str) -> int:
        """Index of the last token of a name starting at token i after a cue, or -1."""
        lex = self._lex
        if key in lex.first:  # an ambiguous first name ("thanks, Will"; "Hi June")
            if cue in ("weak", "greet_weak") and key in _MONTHS:
                return -1
            j = self._extend(text, toks, i, strong=True)
        elif key in self._allow:
            return -1
        elif cue == "title":  # "Mr. Long", "Dr. Price": surnames welcome
            if key in lex.common and key not in lex.surnames:
                return -1
            return self._extend(text, toks, i, strong=True)
        elif key in lex.common or key in lex.english:
            return -1
        else:
            j = self._extend(text, toks, i, strong=True, unknown_only=True)
            if cue in ("weak", "greet_weak") and j == i:
                return -1  # "I'm Canadian", "Hello, Frakly, ...": one unknown word is not enough
            if j + 1 < len(toks) and _fold(toks[j + 1][2]) in _ORG_SUFFIXES \
                    and text[toks[j][3]:toks[j + 1][0]] == " ":
                return -1  # "thanks, Acme Corp"
        if cue in ("greet", "greet_weak", "signoff") and not _NAME_END_RE.match(text, toks[j][3]):
            return -1
        return j

    def _extend(self, text: str, toks: list[tuple[int, int, str, str]], i: int, *,
                strong: bool, unknown_only: bool = False) -> int:
        """Index of the last surname-like token following token i (i itself if none)."""
        lex, allow = self._lex, self._allow
        j, n = i, len(toks)
        while j + 1 < n and j - i < 3:
            _s, e, _core, pe = toks[j]
            if pe != e:  # a possessive ends the name
                break
            ns, ne, ncore, _npe = toks[j + 1]
            gap = text[e:ns]
            if gap != " " and not _GAP_RE.fullmatch(gap):
                break
            key = _fold(ncore)
            if key in allow or key in _PLACE_SUFFIXES or not ncore[0].isupper():
                break
            if unknown_only:
                ok = key not in lex.common and key not in lex.english
            elif key in lex.common:
                # "Jennifer Price" and "Jennifer May" are names, "Jennifer May 3rd" is not;
                # after "Mark" only a place-like one ("Mark Washington", not "Mark Price")
                ok = (j == i and key in _WORD_SURNAMES and key in lex.frequent_surnames
                      and (strong or key in _PROPER_WORD_SURNAMES)
                      and not (key in _MONTHS and text[ne:ne + 2].strip()[:1].isdigit()))
            elif strong:
                ok = (key in lex.surnames or key not in lex.english
                      or ("-" in key and any(p in lex.surnames for p in key.split("-"))))
            else:  # after "Will", "Spring", "Grace": only a frequent surname ("Spring Boot")
                ok = (key in lex.frequent_surnames and key not in lex.english) or (
                    "-" in key and any(p in lex.frequent_surnames for p in key.split("-")))
            if not ok:
                break
            j += 1
        return j

    @staticmethod
    def _with_suffix(text: str, end: int) -> int:
        m = _SUFFIX_RE.match(text, end)
        return m.end() if m else end


def _cue_kind(m: re.Match[str]) -> str:
    kind = m.lastgroup or ""
    if kind == "greet" and ("," in m.group() or "\n" in m.group()):
        return "greet_weak"  # "Hello, Frakly, ..." (a typo) vs "Hi Zorblax," (a name)
    return kind


def _url_is_personal(url: str) -> bool:
    if "@" in url or "%40" in url:
        return True
    if any(_URL_SENSITIVE_KEY_RE.search(k) for k in _URL_QUERY_KEY_RE.findall(url)):
        return True
    return bool(_URL_PATH_TOKEN_RE.search(url))


def _resolve(cands: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
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


def _mask(text: str, spans: Iterable[tuple[int, int, Any]]) -> str:
    """Blank out spans (same length, so offsets stay valid) before looking for names."""
    chars = list(text)
    for s, e, *_ in spans:
        chars[s:e] = "#" * (e - s)
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# Pseudonyms and convenience
# ---------------------------------------------------------------------------------------------
class Pseudonymizer:
    """Stable pseudonyms (``P01``, ``P02`` ...) in first-seen order.

    Names are compared case- and whitespace-insensitively. ``mapping`` holds real names: use it
    to redact, never log or store it.
    """

    def __init__(self, prefix: str = "P", width: int = 2) -> None:
        self.prefix, self.width = prefix, width
        self._codes: dict[str, str] = {}
        self._names: dict[str, str] = {}

    @staticmethod
    def _key(name: str) -> str:
        return " ".join(name.split()).casefold()

    def get(self, name: str) -> str:
        key = self._key(name)
        code = self._codes.get(key)
        if code is None:
            code = f"{self.prefix}{len(self._codes) + 1:0{self.width}d}"
            self._codes[key] = code
            self._names[key] = " ".join(name.split())
        return code

    @property
    def mapping(self) -> dict[str, str]:
        """Real name (as first seen) -> pseudonym."""
        return {self._names[k]: c for k, c in self._codes.items()}

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) in self._codes


@lru_cache(maxsize=1)
def _default_redactor() -> Redactor:
    return Redactor()


def find_pii(text: str, policy: PiiPolicy | None = None,
             known_names: Mapping[str, str] | Iterable[str] = ()) -> list[Span]:
    """Spans of personal data in ``text`` (see :class:`Redactor` for the options)."""
    if policy is None and not known_names:
        return _default_redactor().find(text)
    return Redactor(policy, known_names).find(text)

