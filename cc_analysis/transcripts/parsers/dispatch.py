"""Reading transcript files of any supported format: one file, a list of files, a folder.

Owns choosing the parser by file suffix (``.vtt``, ``.srt``, ``.txt``, ``.docx``, ``.odt``, and
``.csv``/``.tsv`` tables that hold many interviews), which files in a folder are transcripts
(a table only when its header names a text column: a participant list beside the transcripts is
left alone), and collecting every unreadable file's error instead
of stopping at the first one. Two policies: strict (ingest, ``read_transcripts``,
``cc-analysis interviews --strict``) refuses a file that needs a guess and reports every bad
file together; lenient (``collect_transcripts``, the CLI's default) keeps text before the
first speaker with a warning and hands back the unreadable files beside the readable ones, so
one bad file does not stop a folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tqdm.auto import tqdm

from ..transcript import Transcript, TranscriptError
from .cues import parse_srt, parse_vtt
from .docx import parse_docx
from .odt import parse_odt
from .table import TABLE_SUFFIXES, is_transcript_table, parse_transcript_table
from .text import parse_text

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt", ".docx", ".odt", *TABLE_SUFFIXES)


def parse_transcript(path: Path, strict: bool = True) -> Transcript:
    """Parse one transcript file by its suffix (.vtt, .srt, .txt, .docx, .odt). ``strict=False``:
    text before the first speaker is kept, with a warning on the transcript (captions already
    give speakerless cues to an unknown speaker)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".vtt":
        return parse_vtt(path)
    if suffix == ".srt":
        return parse_srt(path)
    if suffix == ".txt":
        return parse_text(path, strict=strict)
    if suffix == ".docx":
        return parse_docx(path, strict=strict)
    if suffix == ".odt":
        return parse_odt(path, strict=strict)
    if suffix in TABLE_SUFFIXES:
        found = parse_transcript_table(path, strict=strict)
        if len(found) == 1:
            return found[0]
        raise TranscriptError(f"{path.name}: holds {len(found)} interviews: read it with "
                              "parse_transcripts_in (or as part of its folder)")
    raise TranscriptError(
        f"{path.name}: unsupported transcript format (use {', '.join(TRANSCRIPT_SUFFIXES)})"
    )


def parse_transcripts_in(path: Path, strict: bool = True) -> list[Transcript]:
    """The interviews of one file: one for a transcript file, each row's (or each id's) for a
    transcript table (see :mod:`.table`)."""
    path = Path(path)
    if path.suffix.lower() in TABLE_SUFFIXES:
        return parse_transcript_table(path, strict=strict)
    return [parse_transcript(path, strict=strict)]


def transcript_files(folder: Path) -> list[Path]:
    """Transcript files in a folder, sorted by name (date-prefixed names sort by time); a table
    only when its header names a text column."""
    return sorted(
        p
        for p in Path(folder).iterdir()
        if p.suffix.lower() in TRANSCRIPT_SUFFIXES and not p.name.startswith((".", "_", "~$"))
        and (p.suffix.lower() not in TABLE_SUFFIXES or is_transcript_table(p))
    )


def parse_transcript_files(
    files: Sequence[Path], progress: bool = False, strict: bool = True
) -> tuple[list[Transcript], list[tuple[Path, TranscriptError]]]:
    """Parse every file; returns the transcripts and (file, error) for each unreadable one."""
    out: list[Transcript] = []
    failed: list[tuple[Path, TranscriptError]] = []
    names: set[str] = set()
    for path in tqdm(files, desc="reading transcripts", disable=not progress):
        try:
            found = parse_transcripts_in(path, strict=strict)
        except TranscriptError as exc:
            failed.append((path, exc))
            continue
        for tr in found:
            # interview "7" of two tables is two interviews: the second is named by its table
            if tr.source_file.name in names:
                tr = replace(tr, source_file=Path(f"{path.stem}-{tr.source_file.name}"))
            names.add(tr.source_file.name)
            out.append(tr)
    return out, failed


def _folder_transcripts(folder: Path) -> list[Path]:
    """The transcript files of a folder; raises when it is missing or holds none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TranscriptError(f"{folder}: folder not found")
    files = transcript_files(folder)
    if not files:
        raise TranscriptError(
            f"{folder}: no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}) in this folder"
        )
    return files


def collect_transcripts(
    folder: Path, progress: bool = False, strict: bool = False
) -> tuple[list[Transcript], list[tuple[Path, TranscriptError]]]:
    """The readable transcripts of a folder and (file, error) for each unreadable one; raises
    only when the folder is missing, holds no transcript file, or none can be read."""
    files = _folder_transcripts(folder)
    out, failed = parse_transcript_files(files, progress, strict=strict)
    if not out:
        problems = [str(exc) for _, exc in failed]
        raise TranscriptError(
            f"none of the {len(files)} transcript(s) could be read:\n  - "
            + "\n  - ".join(problems))
    return out, failed


def read_transcripts(folder: Path, progress: bool = False) -> list[Transcript]:
    """Every transcript in a folder, strictly; all unreadable files are reported together."""
    out, failed = parse_transcript_files(_folder_transcripts(folder), progress)
    if failed:
        problems = [str(exc) for _, exc in failed]
        raise TranscriptError(
            f"{len(problems)} transcript(s) could not be read:\n  - " + "\n  - ".join(problems)
        )
    return out
