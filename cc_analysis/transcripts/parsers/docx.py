"""Word transcripts (``.docx``): speaker paragraphs or a speaker / text table.

Owns reading a document's blocks in order with python-docx: ``Speaker: text`` paragraphs (or a
speaker paragraph followed by text paragraphs; see :mod:`.text` for the grammar, counted in
paragraphs) or table rows of speaker and text, optionally with a timestamp cell.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ..transcript import Transcript, TranscriptError, date_from_file_name, merge_turns
from .text import TIMESTAMP_LINE, clock_seconds, parse_speaker_lines

_TABLE_HEADER = frozenset("time timestamp start speaker name who text transcript utterance "
                          "said".split())


def parse_docx(path: Path, speakers: Collection[str] | None = None,
               strict: bool = True) -> Transcript:
    """Word transcripts: ``Speaker: text`` paragraphs (or a speaker paragraph followed by text
    paragraphs), or a table with speaker and text columns (optionally a timestamp column).
    ``strict=False``: text before the first speaker is kept, with a warning (see
    :func:`.text.parse_speaker_lines`)."""
    import docx  # python-docx; imported here because most workspaces never see a .docx

    path = Path(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises PackageNotFoundError, BadZipFile, KeyError
        raise TranscriptError(
            f"{path.name}: line 1: not a readable .docx file ({type(exc).__name__})"
        ) from exc
    lines: list[tuple[int, str]] = []
    raw_rows: list[list] = []
    para_no = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table: (time?, speaker, text) per row
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                cells = list(dict.fromkeys(cells)) if len(set(cells)) < len(cells) else cells
                stamp = next((c for c in cells if TIMESTAMP_LINE.match(c)), None)
                rest = [c for c in cells if c is not stamp and c]
                header = sum(c.lower() in _TABLE_HEADER for c in rest) >= 2
                if len(rest) < 2 or (header and not stamp):
                    continue
                start = clock_seconds(*TIMESTAMP_LINE.match(stamp).groups()) if stamp else None
                raw_rows.append([rest[0], " ".join(rest[1:]), start, None])
            continue
        para_no += 1
        for part in block.text.split("\n"):  # soft line breaks inside one paragraph
            lines.append((para_no, part))
    notes: list[str] | None = None if strict else []
    if raw_rows:
        turns = merge_turns(tuple(r) for r in raw_rows)
    elif any(t.strip() for _, t in lines):
        turns = parse_speaker_lines(lines, path.name, unit="paragraph", speakers=speakers,
                                    warnings=notes)
    else:
        raise TranscriptError(f"{path.name}: transcript is empty")
    return Transcript(path, date_from_file_name(path), turns, tuple(notes or ()))
