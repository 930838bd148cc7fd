"""Reading transcript files of any supported format: one file, a list of files, a folder.

Owns choosing the parser by file suffix (``.vtt``, ``.srt``, ``.txt``, ``.docx``), which files
in a folder are transcripts, and collecting every unreadable file's error instead of stopping
at the first one (the folder path reports them together; ingest names them as problems).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tqdm.auto import tqdm

from ..transcript import Transcript, TranscriptError
from .cues import parse_srt, parse_vtt
from .docx import parse_docx
from .text import parse_text

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt", ".docx")


def parse_transcript(path: Path) -> Transcript:
    """Parse one transcript file by its suffix (.vtt, .srt, .txt, .docx)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".vtt":
        return parse_vtt(path)
    if suffix == ".srt":
        return parse_srt(path)
    if suffix == ".txt":
        return parse_text(path)
    if suffix == ".docx":
        return parse_docx(path)
    raise TranscriptError(
        f"{path.name}: unsupported transcript format (use {', '.join(TRANSCRIPT_SUFFIXES)})"
    )


def transcript_files(folder: Path) -> list[Path]:
    """Transcript files in a folder, sorted by name (date-prefixed names sort by time)."""
    return sorted(
        p
        for p in Path(folder).iterdir()
        if p.suffix.lower() in TRANSCRIPT_SUFFIXES and not p.name.startswith((".", "_", "~$"))
    )


def parse_transcript_files(
    files: Sequence[Path], progress: bool = False
) -> tuple[list[Transcript], list[tuple[Path, TranscriptError]]]:
    """Parse every file; returns the transcripts and (file, error) for each unreadable one."""
    out: list[Transcript] = []
    failed: list[tuple[Path, TranscriptError]] = []
    for path in tqdm(files, desc="reading transcripts", disable=not progress):
        try:
            out.append(parse_transcript(path))
        except TranscriptError as exc:
            failed.append((path, exc))
    return out, failed


def read_transcripts(folder: Path, progress: bool = False) -> list[Transcript]:
    """Every transcript in a folder; all unreadable files are reported together."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TranscriptError(f"{folder}: folder not found")
    files = transcript_files(folder)
    if not files:
        raise TranscriptError(
            f"{folder}: no transcripts ({', '.join(TRANSCRIPT_SUFFIXES)}) in this folder"
        )
    out, failed = parse_transcript_files(files, progress)
    if failed:
        problems = [str(exc) for _, exc in failed]
        raise TranscriptError(
            f"{len(problems)} transcript(s) could not be read:\n  - " + "\n  - ".join(problems)
        )
    return out
