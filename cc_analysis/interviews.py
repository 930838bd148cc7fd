"""Interview synthesis: from transcript files to coded snippets, themes, evidence and saturation.

Owns everything about user-research interviews after (and including) reading the files:

- **Parsing** the formats researchers have into speaker turns: WebVTT and SRT (``<v Speaker>``
  voice tags or ``Speaker: text`` cues, via webvtt-py), plain ``Speaker: text`` transcripts (Zoom /
  Otter / Descript styles, with or without timestamps), ``.docx`` transcripts (python-docx;
  paragraphs or a speaker/text table). Malformed files raise :class:`TranscriptError` naming the
  file and line.
- **Roles**: which speakers are interviewers (configured, generic labels, or detected).
- **Snippets**: participant turns split into units of a few sentences; backchannel dropped.
- **Coding**: deductive against a versioned codebook (YAML or CSV; embedding similarity to each
  code's definition and examples plus keyword hits), inductive for what the codebook misses
  (``cc_analysis.topics.TopicModel`` on the same embeddings), each snippet may carry several codes.
- **Synthesis**: themes with participants, matrix, sentiment, strongest quotes with their source,
  pain point / need / goal / praise, per-segment breakdowns; **saturation** curves; **agreement**
  with a human coder (per-code precision/recall, Cohen's kappa).
- :func:`analyze_folder`: the whole path for any folder of transcripts (what the
  ``cc-analysis interviews`` command runs), redacting and pseudonymising like ingest does.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import logging
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import webvtt
from tqdm.auto import tqdm

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .config import Workspace
    from .store import Store

log = logging.getLogger(__name__)

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt", ".docx")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TS = r"\[?\(?(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\)?\]?"
# "[00:01:23] Maria Gonzalez: text", "Maria Gonzalez  00:01:23", "Maria: text"
_TEXT_TURN = re.compile(rf"^\s*(?:{_TS}\s+)?([^\s:][^:]{{0,60}}?)\s*(?:{_TS})?\s*:\s+(.*)$")
# a speaker on a line of its own, the text follows on the next lines:
# Otter "Maria Gonzalez  0:01", Zoom "[Maria Gonzalez] 10:02:33", Descript "Maria (00:00:01):"
_SPEAKER_ONLY = re.compile(
    rf"^\s*(?:{_TS}\s+)?\[?([^\s:\[\]][^:\[\]]{{0,60}}?)\]?\s*(?:{_TS})?\s*(:)?\s*$"
)
_TS_ONLY = re.compile(rf"^\s*{_TS}\s*$")
_PARTICLES = frozenset("de da del della di van von der den la le du dos das bin al el st.".split())


class TranscriptError(ValueError):
    """A transcript cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Turn:
    """One speaker turn. ``start_s``/``end_s`` are seconds from the start when known."""

    turn: int
    speaker: str
    text: str
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class Transcript:
    source_file: Path
    interview_date: date | None
    turns: tuple[Turn, ...]

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns))


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------
def _seconds(h: str | None, m: str | None, s: str | None) -> float | None:
    if m is None or s is None:
        return None
    return int(h or 0) * 3600 + int(m) * 60 + int(s)


def _hms(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    return sum(float(p) * 60**i for i, p in enumerate(reversed(parts)))


def _date_from_name(path: Path) -> date | None:
    m = _DATE_IN_NAME.search(path.name)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _merge(turns: Iterable[tuple[str, str, float | None, float | None]]) -> tuple[Turn, ...]:
    """Consecutive cues by the same speaker form one turn (VTT splits turns into cues)."""
    merged: list[list] = []
    for speaker, text, start, end in turns:
        text = " ".join(text.split())
        if not text:
            continue
        if merged and merged[-1][0] == speaker:
            merged[-1][1] += " " + text
            merged[-1][3] = end if end is not None else merged[-1][3]
        else:
            merged.append([speaker, text, start, end])
    return tuple(Turn(i + 1, s, t, a, b) for i, (s, t, a, b) in enumerate(merged))


def _is_label(label: str, speakers: Collection[str] | None = None) -> bool:
    """Whether text before a colon names a speaker ("Maria Gonzalez", "P3", "Interviewer")
    rather than starting a sentence ("The problem is this: ...")."""
    label = label.strip()
    if speakers is not None:
        return label.casefold() in {s.casefold() for s in speakers}
    words = label.split()
    if not 1 <= len(words) <= 5 or any(c in label for c in ',;?!"()'):
        return False
    if len(words) == 1:
        return bool(re.fullmatch(r"[^\W_][\w.'’-]*", label))
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _PARTICLES for w in words)


def _fold_rare_labels(raw: list[list]) -> list[list]:
    """A 'speaker' seen once in a long transcript where the real speakers talk many times is a
    sentence with a colon ("Bottom line: it's slow"): put it back into the previous turn."""
    counts = Counter(r[0] for r in raw)
    frequent = [s for s, n in counts.items() if n >= 3]
    if len(raw) < 8 or len(frequent) < 2:
        return raw
    out: list[list] = []
    for r in raw:
        if counts[r[0]] == 1:
            # a misspelt speaker ("Particpant") is that speaker, anything else is text
            typo = difflib.get_close_matches(r[0], frequent, n=1, cutoff=0.85)
            if typo:
                r = [typo[0], *r[1:]]
            elif out:
                out[-1][1] += f" {r[0]}: {r[1]}"
                continue
        out.append(r)
    return out


def _parse_lines(
    lines: Iterable[tuple[int, str]],
    name: str,
    unit: str = "line",
    speakers: Collection[str] | None = None,
) -> tuple[Turn, ...]:
    """``Speaker: text`` turns (or a speaker line followed by text lines) from numbered lines."""
    raw: list[list] = []  # [speaker, text, start, end]
    pending: tuple[str, float | None] | None = None
    for no, line in lines:
        if not line.strip() or _TS_ONLY.match(line):
            continue
        m = _TEXT_TURN.match(line)
        if m and _is_label(m.group(4), speakers):
            start = _seconds(*m.group(1, 2, 3))
            start = start if start is not None else _seconds(*m.group(5, 6, 7))
            raw.append([m.group(4).strip(), m.group(8), start, None])
            pending = None
            continue
        m2 = _SPEAKER_ONLY.match(line)
        if m2 and _is_label(m2.group(4), speakers) and (
            m2.group(2) is not None or m2.group(6) is not None or m2.group(8) or "[" in line
        ):
            start = _seconds(*m2.group(1, 2, 3))
            start = start if start is not None else _seconds(*m2.group(5, 6, 7))
            pending = (m2.group(4).strip(), start)
            continue
        if pending:
            raw.append([pending[0], line, pending[1], None])
            pending = None
        elif raw:
            raw[-1][1] += " " + line
        else:
            raise TranscriptError(
                f"{name}: {unit} {no}: expected 'Speaker: text' (or a speaker line such as "
                f"'Maria Gonzalez  0:01'), got {line.strip()[:60]!r}"
            )
    if not raw:
        raise TranscriptError(f"{name}: transcript is empty")
    if speakers is None:
        raw = _fold_rare_labels(raw)
    return _merge(tuple(r) for r in raw)


def parse_text(
    path: Path, encoding: str = "utf-8", speakers: Collection[str] | None = None
) -> Transcript:
    """``Speaker: text`` transcripts; a line without a speaker continues the previous turn.

    ``speakers``, when given, are the only labels that start a turn (for transcripts whose
    answers contain ``Word: ...`` lines).
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line_no = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise TranscriptError(f"{path.name}: line {line_no}: not valid {encoding} text") from exc
    if "\x00" in text:
        raise TranscriptError(f"{path.name}: line 1: binary data, not a text transcript")
    turns = _parse_lines(enumerate(text.splitlines(), 1), path.name, speakers=speakers)
    return Transcript(path, _date_from_name(path), turns)


def parse_transcript_text(
    text: str, name: str = "<text>", speakers: Collection[str] | None = None
) -> Transcript:
    """A ``Speaker: text`` transcript held in a string (e.g. one row of a CSV export)."""
    turns = _parse_lines(enumerate(text.splitlines(), 1), name, speakers=speakers)
    return Transcript(Path(name), _date_from_name(Path(name)), turns)


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
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_no = path.read_bytes()[: exc.start].count(b"\n") + 1
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
        if _hms(m.group(2)) < _hms(m.group(1)):
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
        m = _TEXT_TURN.match(line)
        b = re.match(r"^\[([^\]]{1,60})\]\s+(.+)$", line)
        if m and m.group(1) is None and _is_label(m.group(4)):
            parts.append((m.group(4).strip(), m.group(8)))
        elif b and _is_label(b.group(1)):
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
            raw.append((last_speaker, text, _hms(cue.start), _hms(cue.end)))
    turns = _merge(raw)
    if not turns:
        raise TranscriptError(f"{path.name}: the cues hold no text")
    return Transcript(path, _date_from_name(path), turns)


def parse_vtt(path: Path) -> Transcript:
    """WebVTT with ``<v Speaker>`` voice tags, or ``Speaker: text`` inside cues."""
    return _parse_cues(Path(path), "vtt")


def parse_srt(path: Path) -> Transcript:
    """SubRip (``.srt``) captions; speakers as in :func:`parse_vtt`."""
    return _parse_cues(Path(path), "srt")


_TABLE_HEADER = frozenset("time timestamp start speaker name who text transcript utterance "
                          "said".split())


def parse_docx(path: Path, speakers: Collection[str] | None = None) -> Transcript:
    """Word transcripts: ``Speaker: text`` paragraphs (or a speaker paragraph followed by text
    paragraphs), or a table with speaker and text columns (optionally a timestamp column)."""
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
                stamp = next((c for c in cells if _TS_ONLY.match(c)), None)
                rest = [c for c in cells if c is not stamp and c]
                header = sum(c.lower() in _TABLE_HEADER for c in rest) >= 2
                if len(rest) < 2 or (header and not stamp):
                    continue
                start = _seconds(*_TS_ONLY.match(stamp).groups()) if stamp else None
                raw_rows.append([rest[0], " ".join(rest[1:]), start, None])
            continue
        para_no += 1
        for part in block.text.split("\n"):  # soft line breaks inside one paragraph
            lines.append((para_no, part))
    if raw_rows:
        turns = _merge(tuple(r) for r in raw_rows)
    elif any(t.strip() for _, t in lines):
        turns = _parse_lines(lines, path.name, unit="paragraph", speakers=speakers)
    else:
        raise TranscriptError(f"{path.name}: transcript is empty")
    return Transcript(path, _date_from_name(path), turns)


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
    out, problems = [], []
    for path in tqdm(files, desc="reading transcripts", disable=not progress):
        try:
            out.append(parse_transcript(path))
        except TranscriptError as exc:
            problems.append(str(exc))
    if problems:
        raise TranscriptError(
            f"{len(problems)} transcript(s) could not be read:\n  - " + "\n  - ".join(problems)
        )
    return out


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------
_INTERVIEWER_LABELS = frozenset(
    "interviewer moderator researcher facilitator assistant ai host q int".split()
)
_PARTICIPANT_LABELS = frozenset(
    "participant user interviewee respondent customer client guest a p".split()
)
_ANONYMOUS_LABELS = frozenset(["speaker", "unknown", "unknown speaker", "spk"])


def _generic_label(speaker: str) -> str | None:
    """'Participant 3', 'P3', 'User', 'Participant_P3' -> 'participant', 'p', 'user',
    'participant'; real names -> None."""
    key = speaker.strip().split("_", 1)[0]
    key = re.sub(r"[\s#-]*\d+$", "", key).strip().casefold()
    if key in _INTERVIEWER_LABELS or key in _PARTICIPANT_LABELS or key in _ANONYMOUS_LABELS:
        return key
    return None


def detect_interviewers(
    transcripts: Sequence[Transcript], configured: Iterable[str] = ()
) -> set[str]:
    """Speakers treated as interviewers.

    Configured names always count (in any letter case), and so do generic interviewer labels
    ("Interviewer", "Moderator", "AI", "Assistant"); generic participant labels ("Participant",
    "User", "Interviewee", "P3") never do. Otherwise a speaker is an interviewer if they appear
    in at least three interviews (researchers talk to many customers; a customer rarely speaks in
    several; anonymous labels such as "Speaker 1" are exempt) or, within one interview, asks the
    largest share of questions.
    """
    interviewers = {n.strip() for n in configured}
    configured_folded = {n.casefold() for n in interviewers}
    every = {s for t in transcripts for s in t.speakers}
    interviewers |= {s for s in every if s.casefold() in configured_folded}
    interviewers |= {s for s in every if _generic_label(s) in _INTERVIEWER_LABELS}
    never = {s for s in every if _generic_label(s) in _PARTICIPANT_LABELS} - interviewers
    anonymous = {s for s in every if _generic_label(s) in _ANONYMOUS_LABELS}
    appearances = Counter(s for t in transcripts for s in set(t.speakers))
    many = len(transcripts) >= 3
    for tr in transcripts:
        present = [
            s
            for s in tr.speakers
            if s in interviewers
            or (many and appearances[s] >= 3 and s not in never and s not in anonymous)
        ]
        if present:
            interviewers.update(present)
            continue
        candidates = [s for s in tr.speakers if s not in never]
        if len(tr.speakers) < 2 or not candidates:
            continue
        ratio = {
            s: sum(t.text.count("?") for t in tr.turns if t.speaker == s)
            / max(1, sum(1 for t in tr.turns if t.speaker == s))
            for s in candidates
        }
        interviewers.add(max(ratio, key=ratio.get))
    return interviewers


def distinct_generic_speakers(
    transcripts: Sequence[Transcript], interviewers: Collection[str] = ()
) -> list[Transcript]:
    """Make generic and anonymous speaker labels unique per file ("Participant" in P3.txt
    becomes "Participant_P3", "Speaker 2" in a.vtt "Speaker 2_a"): the same label in two files
    is two people. Real names are kept (the same name in two files is the same person), and so
    are interviewer labels ("Interviewer", "AI"). Call it before :func:`detect_interviewers`.
    The suffix makes the label a handle for redaction, so the bare word "participant" in a
    sentence is never taken for a known name."""
    keep = {s.casefold() for s in interviewers}
    out = []
    for tr in transcripts:
        stem = re.sub(r"[^A-Za-z0-9]+", "-", tr.source_file.stem).strip("-") or "x"
        rename = {
            s: f"{s}_{stem}"
            for s in tr.speakers
            if s.casefold() not in keep
            and _generic_label(s) not in (None, *_INTERVIEWER_LABELS)
            and "_" not in s
        }
        if rename:
            tr = replace(tr, turns=tuple(replace(t, speaker=rename.get(t.speaker, t.speaker))
                                         for t in tr.turns))
        out.append(tr)
    return out


def interview_overview(interviews: pd.DataFrame, turns: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """One row per interview of a quarter: date, participant, turns, words and talk share.

    ``interviews`` and ``turns`` are the store tables of the same names. The duration is the
    last cue end (or, for transcripts with start times only, the last turn's start).
    """
    iv = interviews[interviews["quarter"] == quarter]
    t = turns[turns["interview_id"].isin(iv["interview_id"])].copy()
    t["words"] = t["text"].str.split().str.len()
    words = t.pivot_table(
        index="interview_id", columns="role", values="words", aggfunc="sum", fill_value=0
    )
    for role in ("participant", "interviewer"):
        if role not in words:
            words[role] = 0
    last = t[["end_s", "start_s"]].max(axis=1)
    duration = last.groupby(t["interview_id"]).max().div(60).round(1)
    out = iv.set_index("interview_id")[
        ["interview_date", "source_file", "participant", "n_turns"]
    ].copy()
    out["participant_words"] = words["participant"].reindex(out.index).fillna(0).astype(int)
    total = (words["participant"] + words["interviewer"]).reindex(out.index)
    out["participant_talk_share"] = (out["participant_words"] / total).round(3)
    out["duration_min"] = duration.reindex(out.index)
    out["format"] = out["source_file"].str.rsplit(".", n=1).str[-1].str.upper()
    return out.reset_index().sort_values("interview_date")


# ---------------------------------------------------------------------------------------------
# Codebook
# ---------------------------------------------------------------------------------------------
DEFAULT_THRESHOLD = 0.5  # cosine (MiniLM) + keyword bonus; see Codebook
KEYWORD_BONUS = 0.1
CODE_MARGIN = 0.12  # a second code must score within this of the best one
MAX_CODES = 3
INDUCTIVE_MIN_CONTENT_WORDS = 5
CATCH_ALL_SHARE = 0.35  # an inductive topic holding more of the snippets is a catch-all


class CodebookError(ValueError):
    """A codebook file is missing, unreadable or inconsistent; the message names the entry."""


@dataclass(frozen=True)
class Code:
    """One code: an id, a short label, a definition and example phrases / keywords."""

    code: str
    label: str
    definition: str
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A versioned set of codes for deductive coding.

    A snippet gets a code when its score reaches ``threshold``: the highest cosine similarity
    (MiniLM) between the snippet and the code's definition or any of its examples, plus
    ``KEYWORD_BONUS`` when one of the code's keywords occurs in the snippet. Several codes are
    kept (strongest first, at most ``MAX_CODES``) when they score within ``CODE_MARGIN`` of the
    best. ``version`` is the researcher's version string; ``sha256`` fingerprints the file so a
    report records exactly which codebook coded it.
    """

    name: str
    version: str
    codes: tuple[Code, ...]
    threshold: float = DEFAULT_THRESHOLD
    path: Path | None = None
    sha256: str = ""

    @property
    def version_tag(self) -> str:
        return f"{self.version} (sha256 {self.sha256[:8]})" if self.sha256 else self.version

    @property
    def ids(self) -> list[str]:
        return [c.code for c in self.codes]

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

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], source: str = "codebook") -> Codebook:
        """Build from a parsed YAML / JSON document (see ``data/codebook_interviews.yaml``)."""
        if not isinstance(d, Mapping):
            raise CodebookError(f"{source}: expected a mapping with 'version' and 'codes'")
        version = d.get("version")
        if version is None or not str(version).strip():
            raise CodebookError(f"{source}: no 'version' (codebooks are versioned)")
        raw_codes = d.get("codes")
        if not isinstance(raw_codes, list) or not raw_codes:
            raise CodebookError(f"{source}: 'codes' must be a non-empty list")
        codes = [_code_from(entry, f"{source}: codes[{i}]") for i, entry in enumerate(raw_codes)]
        try:
            threshold = float(d.get("threshold", DEFAULT_THRESHOLD))
        except (TypeError, ValueError) as exc:
            raise CodebookError(f"{source}: threshold must be a number") from exc
        if not 0 < threshold < 1.5:
            raise CodebookError(f"{source}: threshold must be between 0 and 1.5, got {threshold}")
        _check_unique(codes, source)
        return cls(str(d.get("name", "codebook")), str(version).strip(), tuple(codes), threshold)


def _as_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in re.split(r"\s*[|\n]\s*", value) if p.strip())
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


def _check_unique(codes: Sequence[Code], source: str) -> None:
    for attr in ("code", "label"):
        dup = [k for k, n in Counter(getattr(c, attr) for c in codes).items() if n > 1]
        if dup:
            raise CodebookError(f"{source}: duplicate {attr}(s) {dup}")


def load_codebook(path: str | Path) -> Codebook:
    """Read a codebook from YAML (``.yaml``/``.yml``), JSON or CSV.

    YAML/JSON: ``name``, ``version``, optional ``threshold`` and ``codes`` (each ``code``,
    ``label``, ``definition``, ``examples`` list, ``keywords`` list). CSV: one row per code with
    columns ``code,label,definition,examples,keywords,version`` (examples and keywords
    ``|``-separated; ``version`` on the first row at least).
    """
    path = Path(path)
    if not path.is_file():
        raise CodebookError(f"{path}: codebook file not found")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CodebookError(f"{path.name}: line {line}: not valid UTF-8 text") from exc
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError as exc:  # pragma: no cover - PyYAML ships with the dev extra
            raise CodebookError(
                f"{path.name}: reading YAML codebooks needs PyYAML (pip install pyyaml); "
                "or save the codebook as CSV"
            ) from exc
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise CodebookError(f"{path.name}: {where}not valid YAML: {exc}") from exc
        book = Codebook.from_dict(doc, path.name)
    elif suffix == ".json":
        try:
            book = Codebook.from_dict(json.loads(text), path.name)
        except json.JSONDecodeError as exc:
            raise CodebookError(f"{path.name}: line {exc.lineno}: invalid JSON: {exc.msg}") from exc
    elif suffix == ".csv":
        book = _codebook_from_csv(text, path.name)
    else:
        raise CodebookError(f"{path.name}: unsupported codebook format (use .yaml, .json or .csv)")
    return replace(book, path=path, sha256=digest)


def _codebook_from_csv(text: str, name: str) -> Codebook:
    import io

    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in ("code", "label", "definition") if c not in frame]
    if missing:
        raise CodebookError(f"{name}: missing column(s) {missing}; found {list(frame.columns)}")
    versions = [v for v in frame.get("version", pd.Series(dtype=str)) if v.strip()]
    if not versions:
        raise CodebookError(f"{name}: no 'version' column value (codebooks are versioned)")
    codes = [
        _code_from(row, f"{name}: row {i + 1} (line {i + 2})")
        for i, row in enumerate(frame.to_dict("records"))
    ]
    _check_unique(codes, name)
    given = [v for v in frame.get("threshold", pd.Series(dtype=str)) if v.strip()]
    try:
        threshold = float(given[0]) if given else DEFAULT_THRESHOLD
    except ValueError as exc:
        raise CodebookError(f"{name}: threshold {given[0]!r} is not a number") from exc
    return Codebook(Path(name).stem, versions[0].strip(), tuple(codes), threshold)


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """Keywords match as words; long ones also as prefixes ('report' -> 'reporting')."""
    if not keywords:
        return None
    alts = [re.escape(k.lower()) + (r"\w*" if len(k) >= 5 else r"s?") for k in keywords]
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Snippets
# ---------------------------------------------------------------------------------------------
SNIPPET_MAX_WORDS = 60
_ABBREV = re.compile(r"\b(?:mr|mrs|ms|dr|prof|vs|etc|e\.g|i\.e|approx|no|st|inc|ltd)\.$", re.I)
_SENT_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_FILLERS = frozenset(
    "yeah yes yep yup ya mm hmm mhm mm-hmm uh uh-huh um er ah oh okay ok sure right exactly "
    "correct totally absolutely definitely cool great fine good nice awesome thanks thank "
    "problem bye care course glad welcome true that's it's i'm i've we're you're lol haha "
    "really just actually basically like well so anyway gotcha alright sounds pretty sorry".split()
)
_COURTESY = re.compile(
    r"^(?:happy to help|glad to help|no problem|sounds good|go ahead|that's right|take care|"
    r"have a good one|you too|of course)\b", re.IGNORECASE
)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _FILLERS


def content_words(text: str) -> list[str]:
    """Lower-case words that carry meaning (no stop words, fillers or backchannel)."""
    stop = _stop_words()
    return [w for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 1]


def is_backchannel(text: str, min_content_words: int = 2) -> bool:
    """True for turns that carry no idea of their own: "Yeah.", "Mm-hmm.", "Sure, go ahead.",
    "Happy to help."."""
    if _COURTESY.match(text.strip()) and len(text.split()) <= 6:
        return True
    return len(content_words(text)) < min_content_words


def split_sentences(text: str) -> list[str]:
    """Sentences of a turn (rule-based: terminal punctuation followed by a capital)."""
    pieces = _SENT_SPLIT.split(text.strip())
    out: list[str] = []
    for p in pieces:
        if out and _ABBREV.search(out[-1]):
            out[-1] += " " + p
        else:
            out.append(p)
    return [p.strip() for p in out if p.strip()]


def group_sentences(sentences: Sequence[str], max_words: int = SNIPPET_MAX_WORDS) -> list[str]:
    """Consecutive sentences packed into units of at most ``max_words`` (a longer sentence stays
    whole): long enough to carry one idea with its context, short enough to carry only one."""
    groups: list[list[str]] = []
    size = 0
    for s in sentences:
        n = len(s.split())
        if groups and size + n <= max_words:
            groups[-1].append(s)
            size += n
        else:
            groups.append([s])
            size = n
    # a short tail reads better with the idea it finishes
    if len(groups) > 1 and sum(len(s.split()) for s in groups[-1]) < max_words // 5:
        tail = groups.pop()
        groups[-1].extend(tail)
    return [" ".join(g) for g in groups]


def _fmt_ts(seconds: float | None) -> str:
    if seconds is None or pd.isna(seconds):
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


SNIPPET_COLUMNS = [
    "snippet_id", "interview_id", "source_file", "participant", "turn", "part", "start_s",
    "timestamp", "text", "n_words", "question",
]


def make_snippets(
    interviews: pd.DataFrame,
    turns: pd.DataFrame,
    max_words: int = SNIPPET_MAX_WORDS,
    min_content_words: int = 2,
    progress: bool = False,
) -> pd.DataFrame:
    """Participant turns split into snippets (see :func:`group_sentences`); backchannel dropped.

    ``interviews`` and ``turns`` have the store's columns. Each snippet keeps its interview,
    source file, participant pseudonym, turn, timestamp (its share of the turn's time span when
    the cue end is known) and the interviewer's preceding question as context (never coded).
    Interview columns ``interview_date`` and ``quarter`` are carried along when present.
    """
    rows: list[dict[str, Any]] = []
    t = turns.sort_values(["interview_id", "turn"])
    groups = t.groupby("interview_id", sort=False)
    for iid, group in tqdm(groups, desc="snippets", total=groups.ngroups, disable=not progress):
        question = ""
        for rec in group.itertuples(index=False):
            text = rec.text if isinstance(rec.text, str) else ""
            if rec.role != "participant":
                question = text
                continue
            if is_backchannel(text, min_content_words):
                continue
            parts = group_sentences(split_sentences(text), max_words)
            total = max(1, len(text.split()))
            done = 0
            for k, part in enumerate(parts, 1):
                start = rec.start_s
                if start is not None and not pd.isna(start) and not pd.isna(rec.end_s):
                    start = start + (rec.end_s - start) * done / total
                done += len(part.split())
                if k > 1 and is_backchannel(part, min_content_words):
                    continue
                rows.append({
                    "snippet_id": f"{iid}:{rec.turn}:{k}", "interview_id": iid,
                    "source_file": rec.source_file, "participant": rec.speaker,
                    "turn": int(rec.turn), "part": k, "start_s": start,
                    "timestamp": _fmt_ts(start), "text": part, "n_words": len(part.split()),
                    "question": question,
                })
    out = pd.DataFrame(rows, columns=SNIPPET_COLUMNS)
    extra = [c for c in ("interview_date", "quarter") if c in interviews]
    if extra and len(out):
        out = out.merge(interviews[["interview_id", *extra]], on="interview_id", how="left")
    return out


_DISFLUENCY = re.compile(
    r"(?<![\w'’-])(?:um+|uh+|erm|er|hmm+|mm+|mm-hmm|uh-huh|you know|i mean|kind of|sort of|"
    r"honestly|basically|yeah,? yeah|yeah,? so|yeah)(?![\w'’-])[,.]?\s*", re.IGNORECASE)


def analysis_text(text: str) -> str:
    """The text that is embedded, coded and clustered: without fillers ("um", "I mean",
    "honestly") and redaction tokens, which carry no meaning of their own but pull snippets
    together ("[PHONE]" towards mobile) and crowd topic keywords. Quotes stay verbatim."""
    t = _DISFLUENCY.sub("", _REDACTED.sub(" ", text))
    t = " ".join(t.split()).lstrip(",. ")
    return t[:1].upper() + t[1:] if t else " ".join(text.split())


def snippet_source(row: Mapping[str, Any]) -> str:
    """Where a quote comes from: 'file.vtt @ 00:12:31' or 'file.txt, turn 14'."""
    ts = row.get("timestamp") or ""
    return f"{row['source_file']} @ {ts}" if ts else f"{row['source_file']}, turn {row['turn']}"


# ---------------------------------------------------------------------------------------------
# Pain point / need / goal / praise
# ---------------------------------------------------------------------------------------------
SNIPPET_KINDS = ("pain point", "need", "goal", "praise", "other")
_KIND_CUES: dict[str, list[tuple[re.Pattern[str], float]]] = {
    "need": [
        (re.compile(r"\b(?:i'd|i would|we'd|we would|id|i'll|they'd) (?:really )?(?:love|like|"
                    r"want|need)\b|\bwish\b|\bfeature request\b|\bwant(?:s|ed)? (?:a way|to be "
                    r"able|it to)\b|\bneeds? to be able\b|\b(?:we|i|they) (?:really |just )?"
                    r"need\b", re.I), 1.5),
        (re.compile(r"\bif (?:only )?(?:it|they|there|we|i|you|the \w+|\w+s) (?:could|had|"
                    r"would|were|was)\b|\b(?:would|it'd) (?:be (?:great|nice|good|amazing|"
                    r"helpful|huge|useful)|save|help|change|make)\b|\bshould (?:be able|have|"
                    r"let)\b", re.I), 1.2),
        (re.compile(r"\b(?:missing piece|no (?:good )?(?:way|view|option)|there's no|there is "
                    r"no|doesn't (?:let|have|support)|can't (?:slice|see|filter|assign|do))\b",
                    re.I), 1.0),
    ],
    "goal": [
        (re.compile(r"\b(?:our|my|the) (?:goal|aim|objective|priority|mission)\b|\bso that\b|"
                    r"\bin order to\b|\bwhat (?:i|we) (?:care about|want to achieve)\b|\b(?:i'm|"
                    r"we're|i am|we are) trying to\b", re.I), 1.5),
        (re.compile(r"\b(?:we|i|they) use (?:it|them|this|the \w+) (?:to|for)\b|\beverything "
                    r"(?:from|goes through)\b|\bwhere all our work\b|\bto plan and track\b",
                    re.I), 1.0),
    ],
    "pain point": [
        (re.compile(r"\b(?:slow\w*|sluggish|lag\w*|frustrat\w*|annoy\w*|hard|difficult|rough|"
                    r"painful|broke\w*|breaks|bug\w*|crash\w*|timed? ?out|wrong|confus\w*|"
                    r"awkward|steep|expensive|by hand|manual(?:ly)?|double entering|workaround|"
                    r"embarrass\w*|struggl\w*|problem\w*|issues?|lost|slip\w*|mess\w*|waste\w*|"
                    r"tedious|clunky|hit or miss|logs? me out|takes? (?:too )?long|muted|limited|"
                    r"rough|worse|fail\w*|stuck|spend\w* (?:\w+ ){0,3}(?:hours|days))\b", re.I),
         1.0),
        (re.compile(r"\b(?:can't|cannot|couldn't|doesn't|don't|won't|never|isn't|wasn't)\b",
                    re.I), 0.4),
    ],
    "praise": [
        (re.compile(r"\b(?:love[sd]?|like (?:most|it)|great|easy|easier|clean\w*|nice|helpful|"
                    r"happy|works? (?:well|great)|intuitive|simple|smooth|fantastic|awesome|"
                    r"excellent|pick it up|out of the way|glad|enjoy\w*|best|trust)\b", re.I), 1.0),
    ],
}
_KIND_PRIORITY = {"need": 0, "pain point": 1, "goal": 2, "praise": 3}


def classify_snippets(
    texts: Sequence[str], sentiment: Sequence[float] | None = None
) -> list[str]:
    """Pain point / need / goal (jobs to be done) / praise / other, per snippet.

    A transparent rule-based first pass: cue phrases per kind ("I'd love", "if it could" ->
    need; "we're trying to", "so that" -> goal; "slow", "by hand", "breaks" -> pain point;
    "easy", "love" -> praise) plus the VADER compound sentiment (negative adds to pain point,
    positive to praise). The kind with the highest score wins if it reaches 1.0 (ties: need,
    pain point, goal, praise); otherwise ``other``. Researchers correct it, they do not start
    from a blank page.
    """
    from .sentiment import score as sentiment_score

    sent = np.asarray(sentiment if sentiment is not None else sentiment_score(texts), float)
    out = []
    for text, s in zip(texts, sent, strict=True):
        scores = {k: sum(w * len(p.findall(text)) for p, w in cues)
                  for k, cues in _KIND_CUES.items() if k != "praise"}
        # "I'd love ..." is a wish, not praise: wishes sound positive to VADER
        rest = text
        for p, _ in _KIND_CUES["need"]:
            rest = p.sub(" ", rest)
        scores["praise"] = sum(w * len(p.findall(rest)) for p, w in _KIND_CUES["praise"])
        scores["pain point"] += max(0.0, -s) * 2.0
        if scores["need"] == 0 and s > -0.05:
            scores["praise"] += max(0.0, s) * 1.2
        elif s <= -0.05:
            scores["praise"] = 0.0
        best = max(scores, key=lambda k: (scores[k], -_KIND_PRIORITY[k]))
        out.append(best if scores[best] >= 1.0 else "other")
    return out


# ---------------------------------------------------------------------------------------------
# Coding: deductive (codebook) and inductive (topics.TopicModel)
# ---------------------------------------------------------------------------------------------
def code_scores(
    vectors: np.ndarray,
    texts: Sequence[str],
    codebook: Codebook,
    backend: str = "minilm",
    cache: str | Path | None = None,
) -> np.ndarray:
    """Score of every snippet (rows) for every code (columns): the best cosine similarity to
    the code's label + definition or one of its examples, plus the keyword bonus."""
    from .embeddings import embed

    texts_c: list[str] = []
    owner: list[int] = []
    for j, c in enumerate(codebook.codes):
        for t in (f"{c.label}: {c.definition}", *c.examples):
            texts_c.append(t)
            owner.append(j)
    code_vecs = embed(texts_c, backend, cache=cache)
    sims = np.asarray(vectors, dtype=np.float32) @ code_vecs.T
    owner_arr = np.asarray(owner)
    scores = np.full((len(texts), len(codebook.codes)), -1.0, dtype=np.float32)
    for j in range(len(codebook.codes)):
        scores[:, j] = sims[:, owner_arr == j].max(axis=1) if len(texts) else 0.0
        pattern = _keyword_pattern(codebook.codes[j].keywords)
        if pattern is not None:
            hits = np.fromiter((bool(pattern.search(t)) for t in texts), bool, len(texts))
            scores[:, j] += KEYWORD_BONUS * hits
    return scores


def assign_codes(
    scores: np.ndarray,
    threshold: float,
    margin: float = CODE_MARGIN,
    max_codes: int = MAX_CODES,
) -> list[list[tuple[int, float]]]:
    """Per snippet: (code index, score) at or above ``threshold`` and within ``margin`` of the
    snippet's best code, strongest first, at most ``max_codes``."""
    out: list[list[tuple[int, float]]] = []
    for row in scores:
        order = np.argsort(-row)[:max_codes]
        best = row[order[0]] if len(order) else -1.0
        out.append([(int(j), float(row[j])) for j in order
                    if row[j] >= threshold and row[j] >= best - margin])
    return out


def _topic_model():  # noqa: ANN202 - the TopicModel class, or None while topics.py lacks it
    try:
        from .topics import TopicModel
    except ImportError:
        return None
    return TopicModel


def discover_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    participants: Sequence[str],
    *,
    seed: int = 42,
    min_topic_size: int | None = None,
    min_participants: int = 2,
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Inductive themes with the shared topic machinery (``topics.TopicModel``; its default
    topic size unless ``min_topic_size`` is given).

    Returns (themes: ``topic_id, label, keywords, representative_docs, participants``;
    topic per text, -1 when unassigned or when the topic was raised by fewer than
    ``min_participants`` participants: one talkative customer is not a theme), or None when
    ``cc_analysis.topics.TopicModel`` is unavailable. Topics the model flags as boilerplate
    (templates repeated verbatim) are dropped. When the default (density-based) clustering
    puts more than ``CATCH_ALL_SHARE`` of the snippets into one topic, as it does when every
    interview is about the same subject, the topic model is refitted with k-means (its
    ``cluster_model`` plug-in; about one theme per 500 snippets, 8 to 40 themes).
    """
    model_cls = _topic_model()
    if model_cls is None:
        return None

    def fit(**kw: Any) -> Any:
        return model_cls(seed=seed, min_topic_size=min_topic_size, **kw).fit(list(texts),
                                                                             vectors)

    tm = fit()
    topics = np.asarray(tm.doc_topics_, dtype=int).copy()
    largest = np.bincount(topics[topics >= 0]).max(initial=0) / max(1, len(topics))
    if largest > CATCH_ALL_SHARE and len(texts) >= 200:
        # Interviews about one subject are one dense cloud to a density-based model: it returns
        # a catch-all topic. Partition instead, into about one theme per 500 snippets.
        from sklearn.cluster import KMeans

        k = int(np.clip(round(len(texts) / 500), 8, 40))
        tm = fit(cluster_model=KMeans(n_clusters=k, random_state=seed, n_init=3))
        topics = np.asarray(tm.doc_topics_, dtype=int).copy()
        note = (f"Inductive themes: the default topic model put {largest:.0%} of the snippets "
                f"into one catch-all topic; they were partitioned into {k} themes (k-means) "
                "instead.")
    else:
        note = ""
    summary = tm.summary()
    summary = summary[summary["topic_id"] >= 0].copy()
    if "boilerplate" in summary:
        summary = summary[~summary["boilerplate"].astype(bool)]
    who = pd.Series(list(participants))
    summary["participants"] = [int(who[topics == t].nunique()) for t in summary["topic_id"]]
    summary = summary[summary["participants"] >= min_participants].reset_index(drop=True)
    topics[~np.isin(topics, summary["topic_id"].to_numpy())] = -1
    summary.attrs["note"] = note
    return summary, topics


# ---------------------------------------------------------------------------------------------
# Synthesis
# ---------------------------------------------------------------------------------------------
THEME_COLUMNS = [
    "theme_id", "label", "source", "participants", "share", "snippets", "sentiment",
    "sentiment_label", "dominant_kind", "pain_point", "need", "goal", "praise", "top_quote",
    "top_quote_source", "top_quote_participant", "first_raised", "participant_ids",
    "description", "keywords",
]
_REDACTED = re.compile(r"\[(?:NAME|EMAIL|PHONE|CARD|URL|IBAN|ADDRESS)\]")


@dataclass
class Synthesis:
    """The coded interviews: snippets, the theme catalogue and snippet-to-theme assignments.

    ``snippets`` (one row per snippet; ``sentiment``, ``kind``), ``catalog`` (``theme_id, label,
    source, description, keywords``; ``source`` is ``codebook`` or ``inductive``) and
    ``assignments`` (``snippet_id, theme_id, score, rank``; rank 1 = the snippet's strongest
    theme). Tables and charts are derived views; :meth:`subset` narrows to some interviews
    (e.g. one quarter) while keeping the themes found on the whole set.
    """

    interviews: pd.DataFrame
    snippets: pd.DataFrame
    catalog: pd.DataFrame
    assignments: pd.DataFrame
    codebook: Codebook | None = None
    notes: list[str] = field(default_factory=list)
    metadata: pd.DataFrame | None = None  # indexed by participant pseudonym
    backend: str = ""  # the embedding backend the snippets were coded with

    # -- selection ------------------------------------------------------------------------
    def subset(
        self, interview_ids: Collection[str] | None = None, quarter: str | None = None
    ) -> Synthesis:
        """The same themes, restricted to some interviews (by id or by ``quarter``)."""
        iv = self.interviews
        if quarter is not None:
            iv = iv[iv["quarter"] == quarter]
        if interview_ids is not None:
            iv = iv[iv["interview_id"].isin(interview_ids)]
        sn = self.snippets[self.snippets["interview_id"].isin(iv["interview_id"])]
        asg = self.assignments[self.assignments["snippet_id"].isin(sn["snippet_id"])]
        return replace(self, interviews=iv.copy(), snippets=sn.copy(), assignments=asg.copy())

    @property
    def participants(self) -> list[str]:
        """Every participant of the interviews (also those with no coded snippet)."""
        listed: set[str] = set()
        if "participant" in self.interviews:
            for v in self.interviews["participant"].dropna():
                listed.update(p for p in str(v).split(";") if p)
        listed.update(self.snippets["participant"].dropna())
        return sorted(listed)

    def _long(self) -> pd.DataFrame:
        cols = ["snippet_id", "interview_id", "participant", "source_file", "timestamp", "turn",
                "text", "n_words", "sentiment", "kind"]
        cols += [c for c in ("quarter", "interview_date") if c in self.snippets]
        long = self.assignments.merge(self.snippets[cols], on="snippet_id")
        return long.merge(self.catalog[["theme_id", "label"]], on="theme_id")

    # -- tables -----------------------------------------------------------------------------
    def theme_table(self) -> pd.DataFrame:
        """One row per theme: who raised it, how often, how it feels, the strongest quote."""
        from .sentiment import label as sentiment_label

        long = self._long()
        n_people = max(1, len(self.participants))
        quotes = self.quotes(n=1)
        rows = []
        for th in self.catalog.itertuples(index=False):
            g = long[long["theme_id"] == th.theme_id]
            people = sorted(g["participant"].unique())
            kinds = g["kind"].value_counts()
            q = quotes[quotes["theme_id"] == th.theme_id]
            has_q = not q.empty
            dominant = kinds.drop("other", errors="ignore")
            rows.append({
                "theme_id": th.theme_id, "label": th.label, "source": th.source,
                "participants": len(people), "share": round(len(people) / n_people, 3),
                "snippets": len(g),
                "sentiment": round(float(g["sentiment"].mean()), 3) if len(g) else np.nan,
                "sentiment_label": sentiment_label([g["sentiment"].mean()]).iloc[0]
                if len(g) else "",
                "dominant_kind": dominant.idxmax() if len(dominant) else
                ("other" if len(g) else ""),
                "pain_point": int(kinds.get("pain point", 0)), "need": int(kinds.get("need", 0)),
                "goal": int(kinds.get("goal", 0)), "praise": int(kinds.get("praise", 0)),
                "top_quote": q["quote"].iloc[0] if has_q else "",
                "top_quote_source": q["source"].iloc[0] if has_q else "",
                "top_quote_participant": q["participant"].iloc[0] if has_q else "",
                "first_raised": g["quarter"].min() if "quarter" in g and len(g) else "",
                "participant_ids": ";".join(people), "description": th.description,
                "keywords": th.keywords,
            })
        out = pd.DataFrame(rows, columns=THEME_COLUMNS)
        return out.sort_values(["participants", "snippets"], ascending=False,
                               kind="stable").reset_index(drop=True)

    def matrix(self, binary: bool = False, all_themes: bool = False) -> pd.DataFrame:
        """Participant (rows) by theme label (columns): snippets coded with the theme, or 0/1.
        Columns are the raised themes in theme-table order (every theme with ``all_themes``)."""
        long = self._long()
        table = self.theme_table()
        labels = table["label"] if all_themes else table.loc[table["participants"] > 0, "label"]
        m = pd.crosstab(long["participant"], long["label"]) if len(long) else pd.DataFrame()
        m = m.reindex(index=self.participants, columns=list(labels), fill_value=0).fillna(0)
        m = m.astype(int)
        m.index.name, m.columns.name = "participant", None
        return (m > 0).astype(int) if binary else m

    def quotes(self, n: int = 3, theme_ids: Collection[str] | None = None) -> pd.DataFrame:
        """The strongest quotes per theme, one per participant before a second from anyone.

        Strength: the snippet's score for the theme, favouring quotes of 12-60 words and
        penalising redaction tokens (a quote full of [NAME] reads badly on a slide).
        """
        long = self._long()
        if theme_ids is not None:
            long = long[long["theme_id"].isin(theme_ids)]
        cols = ["theme_id", "label", "rank", "quote", "participant", "source", "kind",
                "sentiment", "strength"]
        if long.empty:
            return pd.DataFrame(columns=cols)
        w = long["n_words"]
        long = long.assign(
            strength=long["score"] + 0.1 * np.minimum(1, w / 12) - 0.1 * (w > 60)
            - 0.2 * long["text"].str.contains(_REDACTED) + 0.05 * long["sentiment"].abs(),
            source=[snippet_source(r) for r in long.to_dict("records")],
        ).sort_values("strength", ascending=False, kind="stable")
        # the same words from two people make one quote, not two
        long = long.assign(_key=[analysis_text(t).casefold() for t in long["text"]])
        long = long.drop_duplicates(["theme_id", "_key"])
        long["nth_of_participant"] = long.groupby(["theme_id", "participant"]).cumcount()
        long = long.sort_values(["theme_id", "nth_of_participant", "strength"],
                                ascending=[True, True, False], kind="stable")
        top = long.groupby("theme_id", sort=False).head(n).copy()
        top["rank"] = top.groupby("theme_id").cumcount() + 1
        top = top.rename(columns={"text": "quote"})
        top["strength"] = top["strength"].round(3)
        return top[cols].reset_index(drop=True)

    def kind_table(self) -> pd.DataFrame:
        """Theme label (rows) by snippet kind (pain point, need, goal, praise, other)."""
        long = self._long()
        t = pd.crosstab(long["label"], long["kind"]) if len(long) else pd.DataFrame()
        order = self.theme_table().query("participants > 0")["label"]
        return t.reindex(index=list(order), columns=list(SNIPPET_KINDS), fill_value=0).fillna(
            0).astype(int)

    def snippet_table(self) -> pd.DataFrame:
        """``snippets.csv``: snippet, participant, source file, timestamp, codes (theme labels,
        strongest first, ``;``-separated), then turn, kind, sentiment and ids."""
        labels = self.catalog.set_index("theme_id")["label"]
        a = self.assignments.sort_values(["snippet_id", "rank"])
        codes = a.groupby("snippet_id")["theme_id"].agg(
            lambda ids: ";".join(labels[i] for i in ids))
        s = self.snippets
        out = pd.DataFrame({
            "snippet": s["text"], "participant": s["participant"],
            "source_file": s["source_file"], "timestamp": s["timestamp"],
            "codes": s["snippet_id"].map(codes).fillna(""), "turn": s["turn"],
            "kind": s["kind"], "sentiment": s["sentiment"].round(3),
            "interview_id": s["interview_id"], "snippet_id": s["snippet_id"],
            "question": s["question"],
        })
        return out.reset_index(drop=True)

    def participant_themes(self) -> dict[str, set[str]]:
        """Theme ids raised by each participant (participants with none map to an empty set)."""
        long = self._long()
        out: dict[str, set[str]] = {p: set() for p in self.participants}
        for p, g in long.groupby("participant"):
            out[p] = set(g["theme_id"])
        return out

    def by_segment(self, column: str, metadata: pd.DataFrame | None = None) -> pd.DataFrame:
        """Share of each segment's participants raising each theme (rows: raised themes;
        columns: ``<segment value> (n=<participants>)``). ``metadata`` is indexed by
        participant pseudonym (see :func:`participant_metadata`); default: ``self.metadata``."""
        meta = metadata if metadata is not None else self.metadata
        if meta is None or column not in meta:
            raise ValueError(f"no participant metadata with a '{column}' column")
        seg = meta[column].reindex(self.participants).fillna("unknown")
        m = self.matrix(binary=True)
        n = seg.value_counts()
        shares = m.groupby(seg.reindex(m.index)).mean().T
        shares.columns = [f"{c} (n={n[c]})" for c in shares.columns]
        return shares.round(3)

    def saturation(
        self, base: int = 4, run: int = 2, threshold: float = 0.05,
        n_permutations: int = 200, seed: int = 42,
    ) -> Saturation:
        """New themes as interviews are added, in date order (see :func:`saturation_curve`)."""
        iv = self.interviews.sort_values(
            [c for c in ("interview_date", "interview_id") if c in self.interviews])
        long = self._long()
        per = long.groupby("interview_id")["theme_id"].agg(set)
        sets = [(i, per.get(i, set())) for i in iv["interview_id"]]
        return saturation_curve(sets, base=base, run=run, threshold=threshold,
                                n_permutations=n_permutations, seed=seed)


def synthesize(
    interviews: pd.DataFrame,
    turns: pd.DataFrame,
    codebook: Codebook | str | Path | None = None,
    *,
    backend: str = "minilm",
    cache: str | Path | None = None,
    seed: int = 42,
    inductive: bool = True,
    min_participants: int = 2,
    min_topic_size: int | None = None,
    max_words: int = SNIPPET_MAX_WORDS,
    progress: bool = False,
) -> Synthesis:
    """Snippets, codes and themes for a set of interviews (store-shaped ``interviews`` and
    ``turns``; text already redacted and speakers pseudonymised).

    Deductive coding against ``codebook`` first; then inductive discovery
    (``topics.TopicModel`` on the same MiniLM vectors) over the snippets the codebook left
    uncoded (all of them without a codebook). Inductive themes need ``min_participants``.
    ``backend``: see ``embeddings`` (``minilm-int8`` is faster but not reproducible).
    """
    from .embeddings import embed
    from .sentiment import score as sentiment_score

    if isinstance(codebook, str | Path):
        codebook = load_codebook(codebook)
    notes: list[str] = []
    snippets = make_snippets(interviews, turns, max_words=max_words, progress=progress)
    texts = [analysis_text(t) for t in snippets["text"]]
    vectors = embed(texts, backend, cache=cache, progress=progress)
    snippets["sentiment"] = sentiment_score(texts, cache=cache)
    snippets["kind"] = classify_snippets(texts, snippets["sentiment"].to_numpy())
    catalog: list[dict[str, Any]] = []
    assigned: list[dict[str, Any]] = []
    coded = np.zeros(len(texts), dtype=bool)
    if codebook is not None:
        scores = code_scores(vectors, texts, codebook, backend, cache)
        for i, hits in enumerate(assign_codes(scores, codebook.threshold)):
            coded[i] = bool(hits)
            assigned += [{"snippet_id": snippets["snippet_id"].iat[i],
                          "theme_id": codebook.codes[j].code, "score": s} for j, s in hits]
        catalog += [{"theme_id": c.code, "label": c.label, "source": "codebook",
                     "description": c.definition, "keywords": ", ".join(c.keywords)}
                    for c in codebook.codes]
    # short remarks are coded against the codebook but not clustered: on their own they are
    # mostly small talk and asides, not themes
    substantive = np.array([len(content_words(t)) >= INDUCTIVE_MIN_CONTENT_WORDS for t in texts],
                           dtype=bool)
    rest = np.flatnonzero(~coded & substantive)
    if inductive and len(rest) >= 12:
        found = discover_themes([texts[i] for i in rest], vectors[rest],
                                snippets["participant"].iloc[rest].tolist(), seed=seed,
                                min_topic_size=min_topic_size, min_participants=min_participants)
        if found is None:
            notes.append("Inductive theme discovery skipped: cc_analysis.topics.TopicModel is "
                         "not available in this version.")
        else:
            summary, topics = found
            if summary.attrs.get("note"):
                notes.append(summary.attrs["note"])
            taken = {c["label"] for c in catalog}
            for rec in summary.itertuples(index=False):
                members = rest[topics == rec.topic_id]
                centroid = vectors[members].mean(axis=0)
                centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
                tid, label = f"new-{rec.topic_id}", str(rec.label)
                k = 2
                while label in taken:
                    label = f"{rec.label} ({k})"
                    k += 1
                taken.add(label)
                kws = list(rec.keywords)[:8]
                catalog.append({"theme_id": tid, "label": label, "source": "inductive",
                                "description": "Found inductively in the interviews"
                                               + (", not in the codebook" if codebook else "")
                                               + "; keywords: " + ", ".join(kws),
                                "keywords": ", ".join(kws)})
                sims = vectors[members] @ centroid
                assigned += [{"snippet_id": snippets["snippet_id"].iat[i], "theme_id": tid,
                              "score": float(s)} for i, s in zip(members, sims, strict=True)]
    elif inductive and codebook is None:
        notes.append(f"Only {len(rest)} snippets: too few for inductive theme discovery.")
    asg = pd.DataFrame(assigned, columns=["snippet_id", "theme_id", "score"])
    asg = asg.sort_values(["snippet_id", "score"], ascending=[True, False], kind="stable")
    asg["rank"] = asg.groupby("snippet_id").cumcount() + 1
    cat = pd.DataFrame(catalog, columns=["theme_id", "label", "source", "description",
                                         "keywords"])
    return Synthesis(interviews.copy(), snippets, cat, asg.reset_index(drop=True), codebook,
                     notes, backend=backend)


# ---------------------------------------------------------------------------------------------
# Saturation
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Saturation:
    """Themes discovered as interviews are added.

    ``curve``: one row per interview in order (``interviews``, ``interview_id``, ``new_themes``,
    ``cumulative_themes``, ``share_found``) plus the mean and 10th/90th percentile of the
    cumulative count over random interview orders (``random_mean``, ``random_lo``,
    ``random_hi``). ``reached_at``: the number of interviews after which the Guest et al. (2020)
    stopping rule holds (a run of ``run`` interviews adds at most ``threshold`` new themes
    relative to the themes in the ``base`` interviews before it), or None.
    """

    curve: pd.DataFrame
    total_themes: int
    reached_at: int | None
    base: int
    run: int
    threshold: float

    def statement(self) -> str:
        n = len(self.curve)
        rule = (f"base {self.base}, run {self.run}, at most {self.threshold:.0%} new "
                "information; Guest et al. 2020")
        if n < self.base + self.run:
            return (f"Too few interviews ({n}) to judge saturation; the rule needs at least "
                    f"{self.base + self.run} ({rule}).")
        if self.reached_at is not None:
            return (f"Saturation reached after {self.reached_at} of {n} interviews: later "
                    f"interviews added few new themes ({rule}).")
        last = int(self.curve["new_themes"].tail(self.run).sum())
        return (f"Not saturated: the last {self.run} interviews still added {last} new "
                f"theme(s); more interviews are likely to reveal more ({rule}).")


def saturation_curve(
    theme_sets: Sequence[tuple[str, Collection[str]]],
    *,
    base: int = 4,
    run: int = 2,
    threshold: float = 0.05,
    n_permutations: int = 200,
    seed: int = 42,
) -> Saturation:
    """Cumulative distinct themes over interviews, in the given order.

    ``theme_sets``: (interview id, themes raised in it) in the order the interviews happened.
    The stopping rule follows Guest, Namey & Chen (2020, PLoS ONE 15(5): e0232076): with a
    rolling base of ``base`` interviews, saturation is reached at the first run of ``run``
    interviews whose new themes number at most ``threshold`` times the distinct themes in the
    base. The random-order band shows how much the curve owes to the order of interviews.
    """
    ids = [i for i, _ in theme_sets]
    sets = [set(s) for _, s in theme_sets]

    def cumulative(order: Sequence[int]) -> np.ndarray:
        seen: set[str] = set()
        out = []
        for k in order:
            seen |= sets[k]
            out.append(len(seen))
        return np.asarray(out)

    n = len(sets)
    cum = cumulative(range(n))
    new = np.diff(np.concatenate([[0], cum])) if n else np.array([], dtype=int)
    rng = np.random.default_rng(seed)
    perms = np.array([cumulative(rng.permutation(n)) for _ in range(n_permutations)]) if n else (
        np.zeros((0, 0)))
    total = int(cum[-1]) if n else 0
    curve = pd.DataFrame({
        "interviews": np.arange(1, n + 1), "interview_id": ids, "new_themes": new,
        "cumulative_themes": cum, "share_found": cum / max(1, total),
        "random_mean": perms.mean(axis=0) if n else [],
        "random_lo": np.percentile(perms, 10, axis=0) if n else [],
        "random_hi": np.percentile(perms, 90, axis=0) if n else [],
    })
    reached = None
    for start in range(0, n - base - run + 1):
        in_base = set().union(*sets[start:start + base])
        before = set().union(*sets[:start + base])
        run_new = set().union(*sets[start + base:start + base + run]) - before
        if in_base and len(run_new) / len(in_base) <= threshold:
            reached = start + base + run
            break
    return Saturation(curve, total, reached, base, run, threshold)


# ---------------------------------------------------------------------------------------------
# Agreement with a human coder
# ---------------------------------------------------------------------------------------------
def _grams(text: str, n: int) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    n = min(n, len(words)) or 1
    return Counter(tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1)))


def align_segments(
    snippets: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    text_col: str = "segment",
    code_col: str = "code",
    participant_col: str | None = "participant",
    min_overlap: float = 0.5,
) -> pd.DataFrame:
    """Human-coded segments mapped onto snippets (the unit of agreement).

    A snippet carries a segment's code when they share word 3-grams covering at least
    ``min_overlap`` of the segment (a short segment inside the snippet) or of the snippet (a
    snippet inside a long segment). With ``participant_col``, only the same participant's
    snippets are compared. Returns ``snippet_id, code, segment``; ``.attrs["unmatched"]``
    counts segments no snippet matched.
    """
    grams = {sid: _grams(t, 3) for sid, t in zip(snippets["snippet_id"], snippets["text"],
                                                 strict=True)}
    by_participant = (snippets.groupby("participant")["snippet_id"].agg(list)
                      if participant_col else None)
    rows, unmatched = [], 0
    for k, seg in enumerate(segments.itertuples(index=False)):
        seg_d = seg._asdict()
        g = _grams(str(seg_d[text_col]), 3)
        seg_n = sum(g.values())
        if not seg_n:
            unmatched += 1
            continue
        if by_participant is not None:
            candidates = by_participant.get(seg_d[participant_col], [])
        else:
            candidates = list(grams)
        hit = False
        for sid in candidates:
            sg = grams[sid]
            shared = sum((g & sg).values())
            if shared and (shared / seg_n >= min_overlap
                           or shared / max(1, sum(sg.values())) >= min_overlap):
                rows.append({"snippet_id": sid, "code": seg_d[code_col], "segment": k})
                hit = True
        unmatched += not hit
    out = pd.DataFrame(rows, columns=["snippet_id", "code", "segment"]).drop_duplicates(
        ["snippet_id", "code"])
    out.attrs["unmatched"] = unmatched
    return out.reset_index(drop=True)


def agreement(
    auto: pd.DataFrame,
    human: pd.DataFrame,
    units: Sequence[str],
    codes: Sequence[str] | None = None,
    unit_col: str = "snippet_id",
    code_col: str = "code",
) -> pd.DataFrame:
    """Agreement of automatic with human coding, per code and overall.

    ``auto`` and ``human`` are long tables (unit, code); ``units`` are all coded units (a unit
    missing from a table carries no code there). Per code: human and automatic counts, true
    positives, precision, recall, F1 and Cohen's kappa (scikit-learn) of the two binary codings
    over all units. Row ``all codes (pooled)`` pools every unit x code decision; ``macro mean``
    averages the per-code values. Codes nobody applied get NaN.
    """
    from sklearn.metrics import cohen_kappa_score

    units = list(dict.fromkeys(units))
    codes = list(codes) if codes is not None else sorted(
        set(auto[code_col]) | set(human[code_col]))
    pos = {u: i for i, u in enumerate(units)}

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        m = np.zeros((len(units), len(codes)), dtype=bool)
        cidx = {c: j for j, c in enumerate(codes)}
        for u, c in zip(frame[unit_col], frame[code_col], strict=True):
            if u in pos and c in cidx:
                m[pos[u], cidx[c]] = True
        return m

    a, h = matrix(auto), matrix(human)

    def stats(av: np.ndarray, hv: np.ndarray) -> dict[str, float]:
        tp = int((av & hv).sum())
        na, nh = int(av.sum()), int(hv.sum())
        prec = tp / na if na else np.nan
        rec = tp / nh if nh else np.nan
        f1 = 2 * prec * rec / (prec + rec) if na and nh and (prec + rec) else (
            0.0 if na or nh else np.nan)
        if not na and not nh:
            kappa = np.nan
        elif (av == hv).all():
            kappa = 1.0
        else:
            kappa = float(cohen_kappa_score(hv, av))
        return {"human": nh, "auto": na, "both": tp, "precision": prec, "recall": rec,
                "f1": f1, "kappa": kappa}

    rows = [{"code": c, **stats(a[:, j], h[:, j])} for j, c in enumerate(codes)]
    out = pd.DataFrame(rows)
    pooled = {"code": "all codes (pooled)", **stats(a.ravel(), h.ravel())}
    macro = {"code": "macro mean", **out[["precision", "recall", "f1", "kappa"]].mean()
             .to_dict(), "human": out["human"].sum(), "auto": out["auto"].sum(),
             "both": out["both"].sum()}
    out = pd.concat([out, pd.DataFrame([pooled, macro])], ignore_index=True)
    for c in ("precision", "recall", "f1", "kappa"):
        out[c] = out[c].astype(float).round(3)
    return out


# ---------------------------------------------------------------------------------------------
# Participant metadata (plan, segment, role) for per-segment breakdowns
# ---------------------------------------------------------------------------------------------
def participant_metadata(
    meta: pd.DataFrame | str | Path,
    interviews: pd.DataFrame,
    accounts: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Participant metadata indexed by participant pseudonym.

    Ingest replaces speaker names by pseudonyms, so a metadata CSV names participants by a key
    that survives it: ``source_file`` (the transcript's file name; every participant of that
    interview gets the row) or ``participant`` (the pseudonym, e.g. ``P07``; or the real name
    when ``names`` maps real names to pseudonyms, as :func:`analyze_folder` does; real names
    are never written out). Other columns (``plan``, ``segment``, ``role``, ...) are kept; with
    an ``account_id`` column and the store's ``accounts`` table, missing ``plan`` and
    ``segment`` values come from the CRM.
    """
    if not isinstance(meta, pd.DataFrame):
        meta = pd.read_csv(meta, dtype=str, keep_default_na=False)
    m = meta.rename(columns=lambda c: str(c).strip().lower().replace(" ", "_")).copy()
    m = m.rename(columns={"file": "source_file"})
    if "source_file" in m:
        m["source_file"] = m["source_file"].map(lambda v: Path(str(v)).name)
        who = interviews[["source_file", "participant"]].copy()
        who["participant"] = who["participant"].fillna("").str.split(";")
        who = who.explode("participant")
        m = m.drop(columns=["participant"], errors="ignore").merge(who, on="source_file")
    elif "participant" in m:
        if names:
            folded = {k.casefold(): v for k, v in names.items()}
            m["participant"] = m["participant"].map(lambda v: folded.get(str(v).casefold(), v))
            # a name that matches no speaker must not survive into any output
            m = m[m["participant"].isin(set(names.values()))]
    else:
        raise ValueError("participant metadata needs a 'source_file' or a 'participant' column")
    if accounts is not None and "account_id" in m:
        crm = accounts.set_index("account_id")
        for col in ("plan", "segment"):
            from_crm = m["account_id"].map(crm[col]) if col in crm else None
            if from_crm is not None:
                m[col] = m[col].replace("", np.nan).fillna(from_crm) if col in m else from_crm
    keep = [c for c in m.columns if c not in ("source_file", "account_id", "name")]
    return m[keep].drop_duplicates("participant").set_index("participant")


def quotes_markdown(quotes: pd.DataFrame, themes: Sequence[str] | None = None) -> str:
    """Quotes as Markdown, one section per theme (in ``themes`` order when given): the quote,
    who said it and where (file and timestamp), for a notebook or a slide."""
    if quotes.empty:
        return "_No coded snippets yet._"
    order = list(themes) if themes is not None else list(dict.fromkeys(quotes["label"]))
    parts = []
    for label in order:
        g = quotes[quotes["label"] == label]
        if g.empty:
            continue
        lines = [f"> \u201c{r.quote}\u201d \u2014 {r.participant}, *{r.source}*"
                 for r in g.itertuples(index=False)]
        parts.append(f"**{label}**\n\n" + "\n>\n".join(lines))
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Charts (house style from plots.py; only shapes plots.py does not have)
# ---------------------------------------------------------------------------------------------
def _empty(ax: Any, title: str) -> Figure:
    ax.text(0.5, 0.5, "No coded snippets", ha="center", va="center", color="#6b7280")
    ax.set_axis_off()
    ax.set_title(title)
    return ax.figure


def heatmap(matrix: pd.DataFrame, title: str = "Who raised which theme") -> Figure:
    """Participant-by-theme matrix as a heatmap (cells: coded snippets)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap

    from .plots import PALETTE

    rows, cols = matrix.shape
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * cols + 2.5), max(2.5, 0.28 * rows + 1.8)))
    if not rows or not cols:
        return _empty(ax, title)
    cmap = LinearSegmentedColormap.from_list("house", ["#ffffff", PALETTE[0]])
    values = matrix.to_numpy(dtype=float)
    ax.imshow(values, cmap=cmap, aspect="auto", vmin=0, vmax=max(1.0, values.max(initial=0)))
    ax.set_xticks(range(cols), [str(c) for c in matrix.columns], rotation=40, ha="right")
    ax.set_yticks(range(rows), [str(i) for i in matrix.index], fontsize=8)
    ax.grid(False)
    if rows * cols <= 600:
        for (i, j), v in np.ndenumerate(values):
            if v:
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if v > values.max() / 2 else "#1f2937")
    ax.set_title(title)
    return fig


def saturation_plot(sat: Saturation, title: str = "Themes found as interviews are added") -> Figure:
    """Cumulative themes in interview order, with the random-order band."""
    import matplotlib.pyplot as plt

    from .plots import ACCENT, PALETTE

    c = sat.curve
    fig, ax = plt.subplots()
    if c.empty:
        return _empty(ax, title)
    ax.fill_between(c["interviews"], c["random_lo"], c["random_hi"], color=ACCENT, alpha=0.12,
                    linewidth=0, label="random orders (10th-90th pct)")
    ax.plot(c["interviews"], c["cumulative_themes"], marker="o", color=ACCENT, linewidth=2,
            markersize=4 if len(c) > 30 else 6, label="in date order")
    if sat.reached_at is not None:
        ax.axvline(sat.reached_at, color=PALETTE[1], linestyle="--", linewidth=1.2,
                   label=f"saturation ({sat.reached_at} interviews)")
    ax.set_xlabel("interviews")
    ax.set_ylabel("distinct themes")
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower right")
    ax.set_title(title)
    return fig


def kinds_plot(kinds: pd.DataFrame, title: str = "What participants said, by theme") -> Figure:
    """Stacked horizontal bars: snippets per theme split into pain point / need / goal /
    praise / other."""
    import matplotlib.pyplot as plt

    from .plots import MUTED, PALETTE

    colors = {"pain point": PALETTE[3], "need": PALETTE[1], "goal": PALETTE[0],
              "praise": PALETTE[2], "other": MUTED}
    k = kinds.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.38 * len(k) + 1.2)))
    if k.empty:
        return _empty(ax, title)
    left = np.zeros(len(k))
    for kind in k.columns:
        ax.barh(k.index.astype(str), k[kind], left=left, color=colors.get(kind, MUTED),
                label=kind)
        left += k[kind].to_numpy()
    ax.grid(axis="x", color="#e5e7eb")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("snippets")
    ax.legend(loc="lower right", ncols=5, fontsize=8)
    ax.set_title(title)
    return fig


# ---------------------------------------------------------------------------------------------
# Workspace and folder entry points
# ---------------------------------------------------------------------------------------------
def workspace_codebook(ws: Workspace) -> tuple[Codebook | None, str | None]:
    """The codebook named by ``[interviews] codebook`` in ``workspace.toml`` (path relative to
    the workspace), with a warning instead of the codebook when the key names a missing file
    (a scheduled report still runs, inductively, and says so)."""
    path = ws.raw.get("interviews", {}).get("codebook")
    if not path:
        return None, None
    full = (ws.root / path).resolve()
    if not full.is_file():
        warning = (f"The codebook configured in workspace.toml ({path}) was not found at "
                   f"{full}; themes below are inductive only.")
        log.warning(warning)
        return None, warning
    return load_codebook(full), None


def workspace_synthesis(
    ws: Workspace, store: Store, quarter: str, *, seed: int = 42, progress: bool = False
) -> Synthesis:
    """Every interview up to and including ``quarter``, coded with the workspace's codebook.

    Themes are found on all interviews so far (a theme keeps its name from quarter to quarter;
    the saturation curve has history); narrow to one quarter with ``.subset(quarter=...)``.
    Participant metadata comes from ``[interviews] participants`` (a CSV keyed by
    ``source_file`` or pseudonym; see :func:`participant_metadata`) when configured.
    Embeddings are cached in ``<workspace>/cache/embeddings.duckdb``.
    """
    frames = store.frames("interviews", "interview_turns", "accounts")
    if "interviews" not in frames:
        raise ValueError(f"{store.path}: the store has no interviews; add an interviews source")
    iv = frames["interviews"]
    iv = iv[iv["quarter"].notna() & (iv["quarter"] <= quarter)]
    turns = frames["interview_turns"]
    turns = turns[turns["interview_id"].isin(iv["interview_id"])]
    codebook, warning = workspace_codebook(ws)
    synth = synthesize(iv, turns, codebook, cache=ws.root / "cache" / "embeddings.duckdb",
                       seed=seed, progress=progress)
    if warning:
        synth.notes.insert(0, warning)
    meta_path = ws.raw.get("interviews", {}).get("participants")
    if meta_path:
        full = (ws.root / meta_path).resolve()
        if full.is_file():
            synth.metadata = participant_metadata(full, iv, frames.get("accounts"))
        else:
            synth.notes.append(f"Participant metadata {meta_path} not found at {full}.")
    return synth


def summary_record(synth: Synthesis, quarter_view: Synthesis | None = None) -> dict[str, Any]:
    """Small JSON-able facts about a synthesis (for the report and ``summary.json``)."""
    view = quarter_view or synth
    table = view.theme_table()
    raised = table[table["participants"] > 0]
    sat = synth.saturation()
    return {
        "codebook": synth.codebook.name if synth.codebook else None,
        "codebook_version": synth.codebook.version_tag if synth.codebook else None,
        "snippets": len(view.snippets),
        "coded_snippets": int(view.assignments["snippet_id"].nunique()),
        "themes_raised": len(raised),
        "inductive_themes": int((raised["source"] == "inductive").sum()),
        "top_theme": raised["label"].iloc[0] if len(raised) else None,
        "top_theme_share": float(raised["share"].iloc[0]) if len(raised) else None,
        "saturation_interviews": len(sat.curve),
        "saturation_reached_at": sat.reached_at,
        "saturation": sat.statement(),
        "notes": list(synth.notes),
    }


def analyze_transcripts(
    transcripts: Sequence[Transcript],
    codebook: Codebook | str | Path | None = None,
    interviewers: Iterable[str] = (),
    out_dir: str | Path | None = None,
    seed: int = 42,
    *,
    metadata: pd.DataFrame | str | Path | None = None,
    pii: Mapping[str, Any] | None = None,
    backend: str = "minilm",
    cache: str | Path | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Synthesise parsed transcripts: roles, pseudonyms and redaction exactly as ingest does
    (its helpers), then :func:`synthesize`; write the tables when ``out_dir`` is given."""
    from .ingest import interview_tables, name_variants, speaker_pseudonyms
    from .privacy import PiiPolicy, Redactor

    configured = tuple(interviewers)
    transcripts = distinct_generic_speakers(transcripts, configured)
    roles = detect_interviewers(transcripts, configured)
    names = speaker_pseudonyms(list(transcripts), roles)
    # generic labels ("AI", "Participant_P3") are not personal data: redacting them as known
    # names would turn every "AI" a participant says into the interviewer's pseudonym
    personal = {k: v for k, v in names.items() if _generic_label(k) is None}
    redactor = Redactor(PiiPolicy.from_dict(pii), known_names=name_variants(personal))
    iv, turns = interview_tables(list(transcripts), roles, redactor, names, 1)
    if not (turns["role"] == "participant").any():
        raise TranscriptError("no participant turns: every speaker was taken for an interviewer; "
                              "name the interviewers with --interviewer")
    synth = synthesize(iv, turns, codebook, backend=backend, cache=cache, seed=seed,
                       progress=progress)
    if metadata is not None:
        synth.metadata = participant_metadata(metadata, iv, names=names)
    result: dict[str, Any] = {
        "synthesis": synth,
        "themes": synth.theme_table(),
        "snippets": synth.snippet_table(),
        "matrix": synth.matrix(),
        "quotes": synth.quotes(n=3),
        "saturation": synth.saturation(seed=seed),
        "interviews": len(iv),
        "participants": len(synth.participants),
        "interviewers": sorted(names[s] for s in roles if s in names),
        "codebook_version": synth.codebook.version_tag if synth.codebook else None,
        "notes": list(synth.notes),
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
        summary = {"interviews": len(iv), "participants": len(synth.participants),
                   "seed": seed, **summary_record(synth)}
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
    backend: str = "minilm",
    cache: str | Path | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Everything ``cc-analysis interviews DIR [--codebook FILE] [--interviewer NAME ...]
    --out DIR`` does, for any folder of transcripts (.vtt, .srt, .txt, .docx).

    Parses every file (all unreadable files are reported together, with file and line), tells
    interviewers apart (``interviewers`` are names that always count as interviewers), gives
    speakers pseudonyms and redacts personal data exactly as ingest does, codes the snippets
    (``codebook``: a YAML/JSON/CSV file or a :class:`Codebook`; inductive themes also cover
    what it misses) and writes to ``out_dir``: ``themes.csv``, ``snippets.csv``, ``matrix.csv``
    (participant x theme snippet counts), ``quotes.csv``, ``saturation.csv``, ``summary.json``
    and, with ``metadata`` (CSV of ``source_file`` or ``participant`` name plus ``plan``,
    ``segment``, ``role``...), ``segments.csv``. Returns the tables, the :class:`Synthesis`,
    counts, the codebook version and the written paths (key ``files``).
    """
    transcripts = read_transcripts(Path(folder), progress=progress)
    return analyze_transcripts(transcripts, codebook, interviewers, out_dir, seed,
                               metadata=metadata, pii=pii, backend=backend, cache=cache,
                               progress=progress)
