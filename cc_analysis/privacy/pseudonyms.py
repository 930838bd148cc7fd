"""Stable speaker pseudonyms: the same person gets the same code in every table.

Owns :class:`Pseudonymizer`; ingest gives participants ``P01``, ``P02`` ... and interviewers
``R1``, ``R2`` ... in order of first appearance, and redacts the real names with its mapping.
"""

from __future__ import annotations


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

