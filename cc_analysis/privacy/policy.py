"""What to redact, and the vocabulary the detectors share to say where personal data sits.

Owns the kinds of personal data (``KINDS``), their replacement tokens, the ``[pii]`` policy of
``workspace.toml`` (:class:`PiiPolicy`), the :class:`Span` the public API returns and
:func:`mask_spans`, which blanks out what one detector found before the next one looks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..config import ConfigError

KINDS: tuple[str, ...] = ("email", "phone", "card", "url", "iban", "address", "postcode",
                          "national_id", "ip", "birth_date", "handle", "name")
NAME_TOKEN = "[NAME]"


def token_for(kind: str) -> str:
    """Replacement text for a kind: ``email`` -> ``[EMAIL]``."""
    return f"[{kind.upper()}]"


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


def mask_spans(text: str, spans: Iterable[tuple[int, int, Any]]) -> str:
    """Blank out spans (same length, so offsets stay valid) before looking for names."""
    chars = list(text)
    for s, e, *_ in spans:
        chars[s:e] = "#" * (e - s)
    return "".join(chars)
