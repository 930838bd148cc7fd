"""Any folder of transcripts, end to end: what ``cc-analysis interviews`` runs.

Owns parsing the folder, pseudonymising and redacting exactly as ingest does
(:func:`~.anonymise.anonymise_transcripts`), synthesising, and writing the tables, the
per-segment shares and ``summary.json`` to an output folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..codebook import Codebook
from ..embeddings import DEFAULT_BACKEND
from ..privacy import PiiPolicy
from ..transcripts import (
    Transcript,
    TranscriptError,
    anonymise_transcripts,
    collect_transcripts,
    read_transcripts,
)
from .metadata import participant_metadata
from .synthesis import Synthesis, synthesize
from .workspace import summary_record


def analyze_transcripts(
    transcripts: Sequence[Transcript],
    codebook: Codebook | str | Path | None = None,
    interviewers: Iterable[str] = (),
    out_dir: str | Path | None = None,
    seed: int = 42,
    *,
    metadata: pd.DataFrame | str | Path | None = None,
    pii: Mapping[str, Any] | None = None,
    backend: str = DEFAULT_BACKEND,
    cache: str | Path | None = None,
    progress: bool = True,
    reading_notes: Sequence[str] = (),
) -> dict[str, Any]:
    """Synthesise parsed transcripts: roles, pseudonyms and redaction exactly as ingest does
    (:func:`anonymise_transcripts`, calendar quarters), then :func:`synthesize`; write the
    tables when ``out_dir`` is given. ``reading_notes``: what reading the files skipped or
    guessed (file and line each), first in ``notes`` and kept in ``summary.json``."""
    anonymised = anonymise_transcripts(transcripts, PiiPolicy.from_dict(pii),
                                       interviewers=interviewers)
    interviews, turns = anonymised.interviews, anonymised.turns
    names = anonymised.pseudonyms
    if not (turns["role"] == "participant").any():
        raise TranscriptError("no participant turns: every speaker was taken for an interviewer; "
                              "name the interviewers with --interviewer")
    synth = synthesize(interviews, turns, codebook, backend=backend, cache=cache, seed=seed,
                       progress=progress)
    if metadata is not None:
        synth.metadata = participant_metadata(metadata, interviews, names=names)
    result: dict[str, Any] = {
        "synthesis": synth,
        "themes": synth.theme_table(),
        "snippets": synth.snippet_table(),
        "matrix": synth.matrix(),
        "quotes": synth.quotes(n=3),
        "saturation": synth.saturation(seed=seed),
        "interviews": len(interviews),
        "participants": len(synth.participants),
        "interviewers": sorted(names[s] for s in anonymised.interviewers if s in names),
        "codebook_version": synth.codebook.version_tag if synth.codebook else None,
        "notes": [*reading_notes, *synth.notes],
        "files": {},
    }
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = {
            "themes": (result["themes"], False), "snippets": (result["snippets"], False),
            "matrix": (result["matrix"], True), "quotes": (result["quotes"], False),
            "saturation": (result["saturation"].curve, False),
        }
        if synth.metadata is not None:
            files["segments"] = (_segments_long(synth), False)
        for name, (frame, index) in files.items():
            path = out / f"{name}.csv"
            frame.to_csv(path, index=index)
            result["files"][name] = path
        summary = {"interviews": len(interviews), "participants": len(synth.participants),
                   "seed": seed, "reading_notes": list(reading_notes),
                   **summary_record(synth, saturation=result["saturation"])}
        path = out / "summary.json"
        path.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
        result["files"]["summary"] = path
    return result


def _segments_long(synth: Synthesis) -> pd.DataFrame:
    parts = []
    for col in synth.metadata.columns:
        wide = synth.by_segment(col)
        long = wide.rename_axis("theme").reset_index().melt(
            id_vars="theme", var_name="group", value_name="share")
        long.insert(0, "dimension", col)
        parts.append(long)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def analyze_folder(
    folder: str | Path,
    codebook: Codebook | str | Path | None = None,
    interviewers: Iterable[str] = (),
    out_dir: str | Path = "interview-synthesis",
    seed: int = 42,
    *,
    metadata: pd.DataFrame | str | Path | None = None,
    pii: Mapping[str, Any] | None = None,
    backend: str = DEFAULT_BACKEND,
    cache: str | Path | None = None,
    progress: bool = True,
    strict: bool = False,
) -> dict[str, Any]:
    """Everything ``cc-analysis interviews DIR [--codebook FILE] [--interviewer NAME ...]
    --out DIR`` does, for any folder of transcripts (.vtt, .srt, .txt, .docx, .odt).

    Parses every file leniently: text before a file's first speaker is kept as an unknown
    speaker, a file that cannot be read is skipped, and both are reported (file, line, why) in
    ``notes`` and ``summary.json``; ``strict=True`` (``--strict``, and ingest) instead refuses
    the folder, naming every bad file with its line. Then it tells
    interviewers apart (``interviewers`` are names that always count as interviewers), gives
    speakers pseudonyms and redacts personal data exactly as ingest does, codes the snippets
    (``codebook``: a YAML/JSON/CSV file or a :class:`Codebook`; inductive themes also cover
    what it misses) and writes to ``out_dir``: ``themes.csv``, ``snippets.csv``, ``matrix.csv``
    (participant x theme snippet counts), ``quotes.csv``, ``saturation.csv``, ``summary.json``
    and, with ``metadata`` (CSV of ``source_file`` or ``participant`` name plus ``plan``,
    ``segment``, ``role``...), ``segments.csv``. Returns the tables, the :class:`Synthesis`,
    counts, the codebook version and the written paths (key ``files``).
    """
    if strict:
        transcripts, failed = read_transcripts(Path(folder), progress=progress), []
    else:
        transcripts, failed = collect_transcripts(Path(folder), progress=progress)
    reading = [f"skipped {exc}" for _, exc in failed] + [
        w for tr in transcripts for w in tr.warnings]
    return analyze_transcripts(transcripts, codebook, interviewers, out_dir, seed,
                               metadata=metadata, pii=pii, backend=backend, cache=cache,
                               progress=progress, reading_notes=reading)
