"""The text building blocks of the sample workspace, kept as YAML under ``resources/``.

Phrasings, snippets, names and sentence templates are data, not code: each module that uses them
reads its file once, at import. The order of every list is part of the seeded output (draws pick
by position), so reordering a list changes the generated files.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

RESOURCE_FILES = ("feedback_themes.yaml", "feedback_text.yaml", "interviews.yaml", "people.yaml")


def read_resource(name: str) -> dict[str, Any]:
    """The parsed YAML file ``resources/<name>`` of this package."""
    text = resources.files(__package__).joinpath("resources", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def as_tuples(value: Any) -> Any:
    """Lists (at any depth, also inside dicts) as tuples: the blocks are read-only."""
    if isinstance(value, list):
        return tuple(as_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: as_tuples(v) for k, v in value.items()}
    return value
