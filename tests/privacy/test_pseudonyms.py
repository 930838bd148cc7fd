"""Stable speaker pseudonyms (cc_analysis.privacy.pseudonyms)."""

from __future__ import annotations

from cc_analysis.privacy import Pseudonymizer, Redactor


def test_pseudonymizer_is_stable_in_first_seen_order() -> None:
    p = Pseudonymizer()
    assert [p.get(n) for n in ("Maria Gonzalez", "Sam Whitfield", "maria  gonzalez")] == \
        ["P01", "P02", "P01"]
    assert p.mapping == {"Maria Gonzalez": "P01", "Sam Whitfield": "P02"}
    assert len(p) == 2 and "SAM WHITFIELD" in p and "Ann Lee" not in p
    r = Pseudonymizer("R", 1)
    assert [r.get("A B"), r.get("C D")] == ["R1", "R2"]
    assert Redactor(known_names=p.mapping).redact("Sam said hi to Maria") == "P02 said hi to P01"

