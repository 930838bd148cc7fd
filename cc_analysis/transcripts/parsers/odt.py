"""OpenDocument transcripts (``.odt``, LibreOffice and Google Docs exports): speaker paragraphs.

Owns reading a document's paragraphs and headings in order with odfpy (lists and table cells
included) and handing them to the ``Speaker: text`` grammar of :mod:`.text`, counted in
paragraphs, as :mod:`.docx` does for Word.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..transcript import Transcript, TranscriptError, date_from_file_name
from .text import parse_speaker_lines

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def parse_odt(path: Path, speakers: Collection[str] | None = None,
              strict: bool = True) -> Transcript:
    """``Speaker: text`` paragraphs (or a speaker paragraph followed by text paragraphs).
    ``strict=False``: text before the first speaker is kept, and a document whose paragraphs
    mostly carry no speaker is read as one voice with interjections (see
    :func:`.text.parse_speaker_lines`), each with a warning."""
    from odf import teletype
    from odf.opendocument import load

    path = Path(path)
    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises BadZipFile, KeyError, XML errors
        raise TranscriptError(
            f"{path.name}: line 1: not a readable .odt file ({type(exc).__name__})"
        ) from exc
    paragraphs: list[str] = []

    def walk(node: Any) -> None:
        for child in node.childNodes:
            if child.qname in ((_TEXT_NS, "p"), (_TEXT_NS, "h")):
                paragraphs.append(teletype.extractText(child))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(document.text)
    lines = [(no, part) for no, text in enumerate(paragraphs, 1) for part in text.split("\n")]
    if not any(t.strip() for _, t in lines):
        raise TranscriptError(f"{path.name}: transcript is empty")
    notes: list[str] | None = None if strict else []
    turns = parse_speaker_lines(lines, path.name, unit="paragraph", speakers=speakers,
                                warnings=notes)
    return Transcript(path, date_from_file_name(path), turns, tuple(notes or ()))
