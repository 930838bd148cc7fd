"""The last check before anything is published: no personal value the workspace knows and no
personal-data pattern in the files of a report.

Owns the fingerprints of the personal values ingest knows from structured fields (ticket
requesters, interview speakers): salted sha256 digests of their words, kept in the store's
``personal_fingerprints`` table so the store never holds the values themselves, and the scan
of the files a notebook is about to publish (HTML, CSV, JSON, notebooks, text). A scan reports
the file and the kind of what it found, never the value.

What a fingerprint covers: a known name whole ("maria gonzalez", any case, accents folded) and
each of its words that is no everyday word ("Gonzalez", not "Will" or "May"), so a surname left
beside a pseudonym ("P69 Hardin") is caught. The patterns are the redactor's own
(:mod:`.patterns`): e-mails, phones, payment cards, IBANs, personal URLs, street addresses.
Embedded images (``data:`` URIs, long base64 runs) are not text and are skipped.
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .lexicon import fold, load_lexicon
from .patterns import PatternFinder
from .policy import KINDS

FINGERPRINT_TABLE = "personal_fingerprints"
FINGERPRINT_COLUMNS = ["salt", "fingerprint"]
PUBLISHED_SUFFIXES = frozenset({".html", ".htm", ".csv", ".tsv", ".json", ".ipynb", ".md",
                                ".txt"})
MIN_WORD = 3  # "Li" alone would match too much; the whole name still covers it
MAX_NAME_WORDS = 4
# what is not text: embedded images and the styles and scripts of an HTML page
_NOT_TEXT = re.compile(
    r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s\\n]+|[A-Za-z0-9+/]{120,}={0,2}"
    r"|<style\b.*?</style>|<script\b.*?</script>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,2000}>")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
PATTERN_KINDS = tuple(k for k in KINDS if k != "name")


_POSSESSIVE = re.compile(r"['’][sS]$")


def _words(text: str) -> list[str]:
    """Lookup keys of the words of ``text``; a possessive counts as its name ("Yılmaz's")."""
    return [fold(_POSSESSIVE.sub("", w).replace("’", "'")) for w in _WORD.findall(text)]


def name_keys(name: str) -> set[str]:
    """What a known name is looked for as: the whole name and its uncommon words."""
    lex = load_lexicon()
    words = _words(name)
    keys = {" ".join(words)} if len(words) > 1 else set()
    everyday = lex.common | lex.english | lex.ambiguous
    keys.update(w for w in words if len(w) >= MIN_WORD and w not in everyday)
    return keys


@dataclass(frozen=True)
class Fingerprints:
    """Salted digests of known personal values; ``found_in`` tells whether a text holds one."""

    salt: str
    digests: frozenset[str]

    @classmethod
    def of_names(cls, names: Iterable[str], salt: str | None = None) -> Fingerprints:
        salt = salt or secrets.token_hex(16)
        keys = set().union(*(name_keys(n) for n in names if isinstance(n, str)))
        return cls(salt, frozenset(_digest(salt, k) for k in keys))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> Fingerprints:
        if frame is None or frame.empty:
            return cls("", frozenset())
        return cls(str(frame["salt"].iat[0]), frozenset(frame["fingerprint"].astype(str)))

    def frame(self) -> pd.DataFrame:
        """The store's table: one row per digest (the salt repeated)."""
        return pd.DataFrame({"salt": [self.salt] * len(self.digests),
                             "fingerprint": sorted(self.digests)}, columns=FINGERPRINT_COLUMNS)

    def found_in(self, text: str) -> bool:
        if not self.digests:
            return False
        words = _words(text)
        for n in range(1, MAX_NAME_WORDS + 1):
            for i in range(len(words) - n + 1):
                if _digest(self.salt, " ".join(words[i:i + n])) in self.digests:
                    return True
        return False


def _digest(salt: str, key: str) -> str:
    return hashlib.sha256(f"{salt}\x00{key}".encode()).hexdigest()


def readable_text(path: Path) -> str:
    """A published file's text as a reader would see it (tags, styles, images left out)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    raw = _NOT_TEXT.sub(" ", raw)
    if path.suffix.lower() in {".html", ".htm"}:
        raw = html.unescape(_TAG.sub(" ", raw))
    elif path.suffix.lower() in {".json", ".ipynb"}:
        raw = raw.replace("\\n", " ").replace('\\"', '"')
    return raw


@dataclass(frozen=True)
class Finding:
    """A published file holding personal data of one kind (never the value)."""

    path: Path
    kind: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.kind}" if self.kind else str(self.path)


PACKAGE_DIR = Path(__file__).resolve().parents[1]
NOT_VOCABULARY = frozenset({"privacy", "sample_data", "transcripts"})


@lru_cache(maxsize=1)
def tool_vocabulary() -> frozenset[str]:
    """The words the tool itself writes: its package's source. A surname among them ("Cox"
    of the Cox model, "Wilson" of the Wilson interval, "Gross" of gross churn) is the report's
    own word, not a person; the whole name is still looked for. Notebooks are left out: one a
    researcher edits could hold a name, and it would then pass."""
    words: set[str] = set()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        # the modules about names and the sample generator write example names
        if not NOT_VOCABULARY & set(path.relative_to(PACKAGE_DIR).parts):
            words.update(_words(path.read_text(encoding="utf-8", errors="replace")))
    return frozenset(words)


class PublicationCheck:
    """Scans files about to be published for known personal values and personal patterns;
    the package's own words are never taken alone for a name (:func:`tool_vocabulary`)."""

    def __init__(self, fingerprints: Fingerprints | None = None,
                 kinds: Iterable[str] = PATTERN_KINDS) -> None:
        fp = fingerprints or Fingerprints("", frozenset())
        if fp.digests:
            own = {_digest(fp.salt, w) for w in tool_vocabulary()}
            fp = Fingerprints(fp.salt, fp.digests - own)
        self.fingerprints = fp
        self.patterns = PatternFinder(frozenset(kinds) - {"name"}, {})

    def scan_text(self, text: str) -> list[str]:
        """The kinds of personal data in ``text``: "known name" and pattern kinds."""
        kinds = {kind for _, _, kind in self.patterns.find(text)}
        if self.fingerprints.found_in(text):
            kinds.add("known name")
        return sorted(kinds)

    def scan(self, paths: Iterable[Path]) -> list[Finding]:
        """Findings in every published file among ``paths`` (other files are not read)."""
        out = []
        for path in sorted(paths):
            if path.is_file() and path.suffix.lower() in PUBLISHED_SUFFIXES:
                out += [Finding(path, kind) for kind in self.scan_text(readable_text(path))]
        return out


def findings_message(findings: list[Finding], root: Path) -> str:
    """One line for a failed publication: each file (relative to ``root``) and its kinds."""
    by_file: dict[str, list[str]] = {}
    for f in findings:
        name = str(f.path.relative_to(root)) if f.path.is_relative_to(root) else str(f.path)
        by_file.setdefault(name, []).append(f.kind)
    listed = "; ".join(f"{name} ({', '.join(kinds)})" for name, kinds in by_file.items())
    return f"personal data in files about to be published, so they were not: {listed}"
