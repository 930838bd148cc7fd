"""Caption files: WebVTT (``.vtt``, Teams / Zoom recordings) and SubRip (``.srt``, Descript).

Owns checking cue timings line by line (webvtt-py skips or rejects bad cues without saying
where), reading the cues with webvtt-py and finding each cue's speakers: ``<v Speaker>`` voice
tags (several per cue allowed), else ``Speaker: text``, ``>> Speaker: text`` or
``[Speaker] text`` lines; a cue without a speaker continues the previous one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import webvtt

from ...files import line_of_bad_byte
from ..transcript import Transcript, TranscriptError, date_from_file_name, merge_turns
from .text import SPEAKER_TURN, is_speaker_label


def _stamp_seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    return sum(float(p) * 60**i for i, p in enumerate(reversed(parts)))


_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>(.*?)(?:</v>|(?=<v[\s.])|\Z)", re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_CUE_TIMING = {
    "vtt": re.compile(
        r"^\s*((?:\d+:)?\d{2}:\d{2}\.\d{3})\s+-->\s+((?:\d+:)?\d{2}:\d{2}\.\d{3})(\s.*)?$"
    ),
    "srt": re.compile(r"^\s*(\d+:\d{1,2}:\d{1,2}[,.]\d+)\s*-->\s*(\d+:\d{1,2}:\d{1,2}[,.]\d+)"),
}
# two timestamps on one line: a cue timing, even when its arrow is broken ("->", "—>")
_TWO_STAMPS = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d+\s*\S{1,4}\s*(?:\d+:)?\d{1,2}:\d{2}")


def _check_cues(path: Path, kind: str) -> None:
    """webvtt-py skips or rejects bad cues without saying where: find the line first."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_no = line_of_bad_byte(data, exc)
        raise TranscriptError(f"{path.name}: line {line_no}: not valid UTF-8 text") from exc
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise TranscriptError(f"{path.name}: line 1: file is empty")
    if kind == "vtt" and not lines[0].startswith("WEBVTT"):
        raise TranscriptError(
            f"{path.name}: line 1: a WebVTT file must start with 'WEBVTT', got {lines[0][:40]!r}"
        )
    timing = _CUE_TIMING[kind]
    cues = 0
    for no, line in enumerate(lines, 1):
        if "-->" not in line and not _TWO_STAMPS.match(line):
            continue
        m = timing.match(line)
        if not m:
            raise TranscriptError(f"{path.name}: line {no}: malformed cue timing {line[:60]!r}")
        if _stamp_seconds(m.group(2)) < _stamp_seconds(m.group(1)):
            raise TranscriptError(f"{path.name}: line {no}: cue ends before it starts")
        cues += 1
    if not cues:
        raise TranscriptError(f"{path.name}: no cues (no 'start --> end' timing lines)")


def _clean_cue(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def _cue_parts(raw_text: str) -> list[tuple[str | None, str]]:
    """(speaker or None, text) pieces of one cue: voice tags (several per cue allowed), else
    ``Speaker: text`` / ``>> Speaker: text`` / ``[Speaker] text`` lines."""
    voices = _VOICE.findall(raw_text)
    if voices:
        return [(sp.strip(), _clean_cue(txt)) for sp, txt in voices]
    parts: list[tuple[str | None, str]] = []
    for line in _clean_cue(raw_text).split("\n"):
        line = line.strip().removeprefix(">>").strip()
        m = SPEAKER_TURN.match(line)
        b = re.match(r"^\[([^\]]{1,60})\]\s+(.+)$", line)
        if m and m.group(1) is None and is_speaker_label(m.group(4)):
            parts.append((m.group(4).strip(), m.group(8)))
        elif b and is_speaker_label(b.group(1)):
            parts.append((b.group(1).strip(), b.group(2)))
        elif parts:
            parts[-1] = (parts[-1][0], parts[-1][1] + " " + line)
        else:
            parts.append((None, line))
    return parts


def _parse_cues(path: Path, kind: str) -> Transcript:
    _check_cues(path, kind)
    try:
        captions = webvtt.read(str(path)) if kind == "vtt" else webvtt.from_srt(str(path))
    except Exception as exc:  # webvtt raises its own MalformedFileError/MalformedCaptionError
        label = "WebVTT" if kind == "vtt" else "SRT"
        raise TranscriptError(f"{path.name}: not a valid {label} file: {exc}") from exc
    raw: list[tuple[str, str, float | None, float | None]] = []
    last_speaker = "Unknown"
    for cue in captions:
        for speaker, text in _cue_parts(cue.raw_text):
            last_speaker = speaker or last_speaker
            raw.append((last_speaker, text, _stamp_seconds(cue.start), _stamp_seconds(cue.end)))
    turns = merge_turns(raw)
    if not turns:
        raise TranscriptError(f"{path.name}: the cues hold no text")
    return Transcript(path, date_from_file_name(path), turns)


def parse_vtt(path: Path) -> Transcript:
    """WebVTT with ``<v Speaker>`` voice tags, or ``Speaker: text`` inside cues."""
    return _parse_cues(Path(path), "vtt")


def parse_srt(path: Path) -> Transcript:
    """SubRip (``.srt``) captions; speakers as in :func:`parse_vtt`."""
    return _parse_cues(Path(path), "srt")

