"""Fixtures of the privacy tests: one default redactor per test module."""

from __future__ import annotations

import pytest

from cc_analysis.privacy import Redactor


@pytest.fixture(scope="module")
def red() -> Redactor:
    return Redactor()
