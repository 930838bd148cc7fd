"""Codebooks: the researcher's named, versioned list of known themes, for topics and interviews.

Owns one ``Codebook`` (a tuple of ``Code``: id, label, definition, examples, keywords; a
version; the file's sha256 so a report records exactly which codebook shaped it) and reading
it from the files researchers keep:

- **Code lists** (YAML / JSON mapping with ``version`` and ``codes``, or CSV with columns
  ``code,label,definition[,examples,keywords,version,threshold]``; list cells ``|``-separated).
  A code list must carry a version: it is how a report says which codes coded it.
- **Theme lists** (CSV ``name,description,seed_words``, seed words ``;``-separated, or YAML
  ``themes:`` entries with those keys), the lighter format for guiding feedback topics: the
  name is the label, the description the definition, the seed words the keywords; the id is
  made from the name, and a theme list without a version is version ``1``. Names must differ
  (two themes with one name would be one theme in every table).

Errors raise :class:`CodebookError` (a ``ValueError``) naming the file and the entry.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .files import line_of_bad_byte

# The cosine similarity (MiniLM) a text needs to a code to take it, when the codebook sets
# none. Calibrated on the real coded studies of ../shared (benchmarks/interviews_bench.py,
# codebooks written from the researchers' code names and descriptions; pooled kappa with the
# researchers at 0.25/0.30/0.35/0.40/0.45/0.50): PDPilot 0.238/0.242/0.253/0.226/0.237/0.211,
# usability sessions 0.195/0.195/0.186/0.150/0.113/0.070. 0.35 has the best mean (0.220; 0.219
# at 0.30) and is the more cautious of the two. A codebook with examples close to its
# interviews' words can set a higher one of its own (``threshold:``).
DEFAULT_THRESHOLD = 0.35
UNVERSIONED_THEME_LIST = "1"


class CodebookError(ValueError):
    """A codebook file is missing, unreadable or inconsistent; the message names the entry."""


@dataclass(frozen=True)
class Code:
    """One code: an id, a short label, a definition and example phrases / keywords."""

    code: str
    label: str
    definition: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def prompt(self) -> str:
        """The code as one text to embed: "Label. Definition keyword, keyword"."""
        return f"{self.label}. {self.definition} {', '.join(self.keywords)}".strip()


@dataclass(frozen=True)
class Codebook:
    """A versioned set of codes.

    ``threshold`` is the similarity a text needs to take a code (interview coding reads it; a
    file may set its own). ``version`` is the researcher's version string; ``sha256``
    fingerprints the file it was read from.
    """

    name: str
    version: str
    codes: tuple[Code, ...]
    threshold: float = DEFAULT_THRESHOLD
    path: Path | None = None
    sha256: str = ""

    @classmethod
    def load(cls, path: str | Path) -> Codebook:
        """Read a codebook file (see :func:`load_codebook`)."""
        return load_codebook(path)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], source: str = "codebook") -> Codebook:
        """Build from a parsed YAML / JSON document: a code list (``version``, ``codes``) or a
        theme list (``themes``)."""
        if not isinstance(d, Mapping):
            raise CodebookError(f"{source}: expected a mapping with 'version' and 'codes'")
        if "codes" not in d and isinstance(d.get("themes"), list):
            themes = _with_ids([_theme_from(e, f"{source}: theme {i}")
                                for i, e in enumerate(d["themes"], 1)])
            version = str(d.get("version", UNVERSIONED_THEME_LIST)).strip()
            return _book(str(d.get("name", "codebook")), version, themes,
                         d.get("threshold"), source)
        version = d.get("version")
        if version is None or not str(version).strip():
            raise CodebookError(f"{source}: no 'version' (codebooks are versioned)")
        raw_codes = d.get("codes")
        if not isinstance(raw_codes, list) or not raw_codes:
            raise CodebookError(f"{source}: 'codes' must be a non-empty list")
        codes = [_code_from(entry, f"{source}: codes[{i}]") for i, entry in enumerate(raw_codes)]
        return _book(str(d.get("name", "codebook")), str(version).strip(), codes,
                     d.get("threshold"), source)

    @property
    def version_tag(self) -> str:
        return f"{self.version} (sha256 {self.sha256[:8]})" if self.sha256 else self.version

    @property
    def source(self) -> str:
        """Where the codebook came from: its file, or its name when built in memory."""
        return str(self.path) if self.path else self.name

    @property
    def ids(self) -> list[str]:
        return [c.code for c in self.codes]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.codes]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "code": c.code,
                    "label": c.label,
                    "definition": c.definition,
                    "examples": len(c.examples),
                    "keywords": ", ".join(c.keywords),
                }
                for c in self.codes
            ]
        )


def _book(name: str, version: str, codes: Sequence[Code], threshold: Any,
          source: str) -> Codebook:
    if not codes:
        raise CodebookError(f"{source}: codebook has no themes")
    _check_unique(codes, source)
    return Codebook(name, version, tuple(codes), _threshold(threshold, source))


def _threshold(value: Any, source: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_THRESHOLD
    try:
        threshold = float(value)
    except (TypeError, ValueError) as exc:
        raise CodebookError(f"{source}: threshold {value!r} is not a number") from exc
    if not 0 < threshold < 1.5:
        raise CodebookError(f"{source}: threshold must be between 0 and 1.5, got {threshold}")
    return threshold


def _as_list(value: Any, where: str, separators: str = r"[|\n]") -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in re.split(rf"\s*{separators}\s*", value) if p.strip())
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise CodebookError(f"{where}: expected a list of strings, got {type(value).__name__}")


def _code_from(entry: Any, where: str) -> Code:
    if not isinstance(entry, Mapping):
        raise CodebookError(f"{where}: expected a mapping with code, label, definition")
    missing = [k for k in ("code", "label", "definition") if not str(entry.get(k) or "").strip()]
    if missing:
        raise CodebookError(f"{where}: missing {', '.join(missing)}")
    code = str(entry["code"]).strip()
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]*", code):
        raise CodebookError(f"{where}: code {code!r} must be letters, digits, '_', '-' or '.'")
    return Code(
        code,
        str(entry["label"]).strip(),
        " ".join(str(entry["definition"]).split()),
        _as_list(entry.get("examples"), f"{where} ({code}) examples"),
        _as_list(entry.get("keywords"), f"{where} ({code}) keywords"),
    )


def _theme_from(entry: Any, where: str) -> Code:
    """A theme-list entry (name, description, seed_words) as a code; its id is set later."""
    if not isinstance(entry, Mapping):
        raise CodebookError(f"{where}: expected a mapping with name, description, seed_words")
    name = str(entry.get("name") or "").strip()
    if not name:
        raise CodebookError(f"{where} has no name")
    return Code("", name, str(entry.get("description") or "").strip(),
                keywords=_as_list(entry.get("seed_words"), f"{where} seed_words", ";"))


def _with_ids(themes: Sequence[Code]) -> list[Code]:
    """Ids for a theme list, made from the names (any script: "价格" stays "价格"); names
    that make the same id ("SSO login", "sso-login") are told apart by a number."""
    out, taken = [], set()
    for t in themes:
        base = re.sub(r"\W+", "_", t.label.casefold()).strip("_") or "theme"
        code, n = base, 1
        while code in taken:
            n += 1
            code = f"{base}_{n}"
        taken.add(code)
        out.append(replace(t, code=code))
    return out


def _check_unique(codes: Sequence[Code], source: str) -> None:
    for attr in ("code", "label"):
        dup = [k for k, n in Counter(getattr(c, attr) for c in codes).items() if n > 1]
        if dup:
            raise CodebookError(f"{source}: duplicate {attr}(s) {dup}")


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook from YAML (``.yaml``/``.yml``), JSON or CSV (see the module docstring
    for the two layouts). The result carries the file's path and sha256."""
    path = Path(path)
    if not path.is_file():
        raise CodebookError(f"{path}: codebook file not found")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = line_of_bad_byte(data, exc)
        raise CodebookError(f"{path.name}: line {line}: not valid UTF-8 text") from exc
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise CodebookError(f"{path.name}: {where}not valid YAML: {exc}") from exc
        book = Codebook.from_dict(doc if doc is not None else {}, path.name)
    elif suffix == ".json":
        try:
            book = Codebook.from_dict(json.loads(text), path.name)
        except json.JSONDecodeError as exc:
            raise CodebookError(f"{path.name}: line {exc.lineno}: invalid JSON: {exc.msg}") from exc
    elif suffix == ".csv":
        book = _from_csv(text, path.name)
    else:
        raise CodebookError(f"{path.name}: unsupported codebook format (use .yaml, .json or .csv)")
    return replace(book, path=path, sha256=digest)


def _from_csv(text: str, name: str) -> Codebook:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    given = [v for v in frame.get("threshold", pd.Series(dtype=str)) if v.strip()]
    threshold = given[0] if given else None
    versions = [v.strip() for v in frame.get("version", pd.Series(dtype=str)) if v.strip()]
    if "name" in frame and "code" not in frame and "label" not in frame:
        themes = _with_ids([_theme_from(row, f"{name}: theme {i}")
                            for i, row in enumerate(frame.to_dict("records"), 1)])
        return _book(Path(name).stem, versions[0] if versions else UNVERSIONED_THEME_LIST,
                     themes, threshold, name)
    missing = [c for c in ("code", "label", "definition") if c not in frame]
    if missing:
        raise CodebookError(f"{name}: missing column(s) {missing}; found {list(frame.columns)}")
    if not versions:
        raise CodebookError(f"{name}: no 'version' column value (codebooks are versioned)")
    codes = [
        _code_from(row, f"{name}: row {i + 1} (line {i + 2})")
        for i, row in enumerate(frame.to_dict("records"))
    ]
    return _book(Path(name).stem, versions[0], codes, threshold, name)
