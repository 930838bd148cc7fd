"""Redaction of personal data in free text: the layers put together, and the counts they leave.

Owns :class:`Redactor` and :func:`find_pii`. Everything that enters the workspace passes through
here at ingest, before anything is stored, embedded or reported. Nothing here logs or keeps a
detected value: a redactor counts redactions by kind, never what was redacted.

Layers, cheapest and most certain first, each looking only at what the previous ones left:

1. Patterns (:mod:`.patterns`): emails, phone numbers, payment cards, URLs that carry personal
   tokens, IBANs, US street addresses, and any ``extra_patterns`` from the config.
2. Names the caller knows (:mod:`.known_names`): always replaced, by a pseudonym when given.
3. Other person names (:mod:`.names`), from gazetteers and cues; the policy's ``allow_names``
   are never taken for names.

Limits of the method: it is gazetteer- and pattern-based and tuned for English text; see each
layer's module for what it misses and what it over-redacts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pandas as pd

from .known_names import KnownNames
from .lexicon import fold, load_lexicon
from .names import NameFinder
from .patterns import PatternFinder
from .policy import NAME_TOKEN, PiiPolicy, Span, mask_spans, token_for


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
        lexicon = load_lexicon()
        self._kinds = self.policy.kinds
        self._patterns = PatternFinder(self._kinds, self.policy.extra_patterns)
        single = [a for a in self.policy.allow_names if len(a.split()) == 1]
        multi = [a for a in self.policy.allow_names if len(a.split()) > 1]
        self._allow_phrases = (re.compile(r"\b(?:" + "|".join(
            r"\s+".join(map(re.escape, a.split())) for a in sorted(multi, key=len, reverse=True))
            + r")\b") if multi else None)
        self._names = NameFinder(lexicon, frozenset(fold(a.strip()) for a in single))
        self._known = KnownNames(known_names, lexicon) if "name" in self._kinds else None

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

    def _detect(self, text: str) -> list[tuple[int, int, str, str]]:
        """Non-overlapping (start, end, kind, replacement), sorted by start."""
        accepted = self._patterns.find(text)
        out = [(s, e, kind, token_for(kind)) for s, e, kind in accepted]
        if "name" in self._kinds:
            masked = mask_spans(text, accepted) if accepted else text
            if self._allow_phrases is not None:
                masked = mask_spans(masked, [(m.start(), m.end(), "")
                                             for m in self._allow_phrases.finditer(masked)])
            if self._known:
                known = self._known.find(masked)
                if known:
                    out.extend((s, e, "name", repl) for s, e, repl in known)
                    masked = mask_spans(masked, known)
            out.extend((s, e, "name", NAME_TOKEN) for s, e in self._names.find(masked))
        out.sort()
        return out


@lru_cache(maxsize=1)
def _default_redactor() -> Redactor:
    return Redactor()


def find_pii(text: str, policy: PiiPolicy | None = None,
             known_names: Mapping[str, str] | Iterable[str] = ()) -> list[Span]:
    """Spans of personal data in ``text`` (see :class:`Redactor` for the options)."""
    if policy is None and not known_names:
        return _default_redactor().find(text)
    return Redactor(policy, known_names).find(text)
