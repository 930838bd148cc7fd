"""Workspace configuration: reads ``workspace.toml`` and resolves every path it names.

A workspace is a folder holding ``workspace.toml``; paths inside it are relative to that folder.
The file names each source (path, kind, format, column mapping, and for text sources the text
normalisation, ``normalise = { hashtags = false }``: see ``cc_analysis.normalise``), the
fiscal-year start month, the PII policy, the interviewers, the report folder and the schedule.
``data/workspace.toml`` is the bundled sample workspace and documents every key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .normalise import DEFAULT as DEFAULT_NORMALISE
from .normalise import NormaliseOptions

DEFAULT_SEED = 42
CONFIG_NAME = "workspace.toml"
CACHE_DIR_NAME = "cache"


class ConfigError(ValueError):
    """``workspace.toml`` is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class SourceConfig:
    """One raw export: where it is, what it holds and how its columns map to canonical names."""

    name: str
    kind: str
    path: Path
    format: str
    columns: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    records_path: str | None = None  # JSON: key of the list of records, e.g. "tickets"
    options: dict[str, Any] = field(default_factory=dict)
    normalise: NormaliseOptions = DEFAULT_NORMALISE  # text sources: what is taken out of text


@dataclass(frozen=True)
class InterviewsConfig:
    """The ``[interviews]`` table: who the interviewers are and which files guide the coding.

    Paths are resolved against the workspace folder; a configured file that does not exist is
    kept as configured (the synthesis says so in the report instead of failing the run).
    """

    interviewers: tuple[str, ...] = ()
    codebook: Path | None = None  # versioned codebook (YAML / JSON / CSV)
    participants: Path | None = None  # CSV of plan, segment, role per interview or participant
    codebook_setting: str | None = None  # the values as written, for messages
    participants_setting: str | None = None


@dataclass(frozen=True)
class Workspace:
    """A parsed ``workspace.toml``."""

    root: Path
    name: str
    fy_start_month: int
    store_path: Path
    reports_dir: Path
    seed: int
    sources: dict[str, SourceConfig]
    pii: dict[str, Any]
    interviews: InterviewsConfig
    schedule: dict[str, Any]
    raw: dict[str, Any]

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def cache_dir(self) -> Path:
        """Derived state that can be rebuilt from the store: embeddings, topic registry."""
        return self.root / CACHE_DIR_NAME

    @property
    def embedding_cache(self) -> Path:
        return self.cache_dir / "embeddings.duckdb"

    @property
    def topic_registry_path(self) -> Path:
        return self.cache_dir / "topic_registry.json"

    def sources_of_kind(self, kind: str) -> list[SourceConfig]:
        return [s for s in self.sources.values() if s.kind == kind]

    @property
    def normalise_options(self) -> dict[str, NormaliseOptions]:
        """Text normalisation per ``source`` of the feedback table (``ticket``, ``nps``,
        ``review``), as ``topics.analyze_feedback(normalise=...)`` takes it."""
        return {FEEDBACK_SOURCES[s.kind]: s.normalise for s in self.sources.values()
                if s.kind in FEEDBACK_SOURCES}


SOURCE_KINDS = ("accounts", "usage_monthly", "tickets", "nps", "reviews", "interviews")
# the kinds whose text goes into the feedback table, and the ``source`` their rows get there
FEEDBACK_SOURCES = {"nps": "nps", "tickets": "ticket", "reviews": "review"}
_FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "jsonl"}


def load_workspace(where: str | Path) -> Workspace:
    """Load a workspace from its folder or from the path of its ``workspace.toml``."""
    where = Path(where).expanduser()
    cfg_path = where if where.suffix == ".toml" else where / CONFIG_NAME
    if not cfg_path.is_file():
        raise ConfigError(f"{cfg_path}: no workspace config found (expected {CONFIG_NAME})")
    try:
        raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{cfg_path}: not valid TOML: {exc}") from exc
    root = cfg_path.parent.resolve()
    ws = raw.get("workspace", {})
    fy = int(ws.get("fiscal_year_start_month", 1))
    if not 1 <= fy <= 12:
        raise ConfigError(f"{cfg_path}: fiscal_year_start_month must be 1-12, got {fy}")

    sources: dict[str, SourceConfig] = {}
    for name, spec in raw.get("sources", {}).items():
        kind = spec.get("kind", name)
        if kind not in SOURCE_KINDS:
            raise ConfigError(
                f"{cfg_path}: source '{name}' has unknown kind '{kind}' "
                f"(one of {', '.join(SOURCE_KINDS)})"
            )
        if "path" not in spec:
            raise ConfigError(f"{cfg_path}: source '{name}' has no path")
        path = (root / spec["path"]).resolve()
        fmt = spec.get("format") or (
            "folder" if kind == "interviews" else _FORMATS.get(path.suffix)
        )
        if fmt is None:
            raise ConfigError(f"{cfg_path}: source '{name}': cannot tell the format of {path.name}")
        known = {"kind", "path", "format", "columns", "encoding", "records_path", "normalise"}
        sources[name] = SourceConfig(
            name=name,
            kind=kind,
            path=path,
            format=fmt,
            columns=dict(spec.get("columns", {})),
            encoding=spec.get("encoding", "utf-8"),
            records_path=spec.get("records_path"),
            options={k: v for k, v in spec.items() if k not in known},
            normalise=_normalise_options(name, kind, spec.get("normalise"), cfg_path),
        )
    _check_normalise_agrees(sources, cfg_path)

    return Workspace(
        root=root,
        name=ws.get("name", root.name),
        fy_start_month=fy,
        store_path=(root / ws.get("store", "workspace.duckdb")).resolve(),
        reports_dir=(root / ws.get("reports_dir", "reports")).resolve(),
        seed=int(ws.get("seed", DEFAULT_SEED)),
        sources=sources,
        pii=dict(raw.get("pii", {})),
        interviews=_interviews_config(raw.get("interviews", {}), root, cfg_path),
        schedule=dict(raw.get("schedule", {})),
        raw=raw,
    )


def _interviews_config(spec: Any, root: Path, cfg_path: Path) -> InterviewsConfig:
    if not isinstance(spec, dict):
        raise ConfigError(f"{cfg_path}: [interviews] must be a table")
    names = spec.get("interviewers", [])
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"{cfg_path}: [interviews] interviewers must be a list of names")
    paths: dict[str, Path | None] = {}
    for key in ("codebook", "participants"):
        value = spec.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{cfg_path}: [interviews] {key} must be a file path")
        paths[key] = (root / value).resolve() if value else None
    return InterviewsConfig(tuple(names), paths["codebook"], paths["participants"],
                            spec.get("codebook") or None, spec.get("participants") or None)


def _normalise_options(name: str, kind: str, spec: Any, cfg_path: Path) -> NormaliseOptions:
    """A source's ``normalise`` table (all steps on when there is none)."""
    if spec is None:
        return DEFAULT_NORMALISE
    where = f"{cfg_path}: source '{name}': normalise"
    if kind not in FEEDBACK_SOURCES:
        raise ConfigError(f"{where}: only text sources ({', '.join(FEEDBACK_SOURCES)}) "
                          "are normalised")
    if not isinstance(spec, dict):
        raise ConfigError(f"{where} must be a table of step = true/false")
    try:
        return NormaliseOptions.from_dict(spec)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def _check_normalise_agrees(sources: dict[str, SourceConfig], cfg_path: Path) -> None:
    """Sources of one kind share the feedback table's ``source``, so one set of options."""
    seen: dict[str, SourceConfig] = {}
    for s in sources.values():
        first = seen.setdefault(s.kind, s)
        if s.kind in FEEDBACK_SOURCES and first.normalise != s.normalise:
            raise ConfigError(f"{cfg_path}: sources '{first.name}' and '{s.name}' are both "
                              f"{s.kind} but set different normalise options")
