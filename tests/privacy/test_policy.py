"""The [pii] policy of workspace.toml (cc_analysis.privacy.policy)."""

from __future__ import annotations

import pytest

from cc_analysis.config import ConfigError
from cc_analysis.privacy import KINDS, PiiPolicy, Redactor


def test_policy_from_dict() -> None:
    p = PiiPolicy.from_dict({"kinds": ["email", "phone"], "allow_names": ["Northwind"],
                             "extra_patterns": {"employee_id": r"EMP-\d{6}"}})
    r = Redactor(p)
    assert r.redact("Jennifer Smith (EMP-123456) jo@x.com 415-555-0123 4111111111111111") == \
        "Jennifer Smith ([EMPLOYEE_ID]) [EMAIL] [PHONE] 4111111111111111"
    assert r.counts == {"employee_id": 1, "email": 1, "phone": 1}
    assert PiiPolicy.from_dict({"phone": False}).kinds == frozenset(KINDS) - {"phone"}
    assert PiiPolicy.from_dict(None) == PiiPolicy() and PiiPolicy().kinds == frozenset(KINDS)
    for bad in ({"kinds": ["emails"]}, {"colour": 1}, {"extra_patterns": {"x": "("}},
                {"phone": "no"}, {"allow_names": "Northwind"}):
        with pytest.raises(ConfigError):
            PiiPolicy.from_dict(bad)

