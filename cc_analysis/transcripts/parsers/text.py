"""Plain-text transcripts: ``Speaker: text`` lines as Zoom, Otter and Descript export them.

Owns the line grammar the other formats reuse (SRT/VTT cues without voice tags, Word
paragraphs): a turn is ``Speaker: text`` (optionally with a timestamp before the speaker or
after it) or a speaker on a line of their own followed by the text; a line without a speaker
continues the previous turn. Text before a colon counts as a speaker only when it looks like a
name or label ("Maria Gonzalez", "P3", "Interviewer"), not a sentence ("Bottom line: ...").
Lines before the first speaker (a greeting the recording caught, a title) refuse the file when
``strict`` (ingest); otherwise they are kept as ``UNKNOWN_SPEAKER`` with a warning naming the
file and line (``cc-analysis interviews``). Leniently, a document of paragraphs (Word,
OpenDocument) in which fewer than ``ONE_VOICE_SHARE`` of the paragraphs name a speaker is one
voice with interjections (a think-aloud session where only the moderator is labelled, field
notes): each unlabelled paragraph is a turn of ``UNKNOWN_SPEAKER``, not the labelled
speaker's continuation.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path

from ...files import line_of_bad_byte
from ..transcript import (
    UNKNOWN_SPEAKER,
    Transcript,
    TranscriptError,
    Turn,
    date_from_file_name,
    merge_turns,
)

# a timestamp: [h:]mm:ss, optionally with fractions, brackets or parentheses
_TS = r"\[?\(?(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\)?\]?"
# "[00:01:23] Maria Gonzalez: text", "Maria Gonzalez  00:01:23", "Maria: text"
# groups: 1-3 leading timestamp, 4 speaker, 5-7 trailing timestamp, 8 text
SPEAKER_TURN = re.compile(rf"^\s*(?:{_TS}\s+)?([^\s:][^:]{{0,60}}?)\s*(?:{_TS})?\s*:\s+(.*)$")
# a speaker on a line of its own, the text follows on the next lines:
# Otter "Maria Gonzalez  0:01", Zoom "[Maria Gonzalez] 10:02:33", Descript "Maria (00:00:01):"
_SPEAKER_ONLY = re.compile(
    rf"^\s*(?:{_TS}\s+)?\[?([^\s:\[\]][^:\[\]]{{0,60}}?)\]?\s*(?:{_TS})?\s*(:)?\s*$"
)
TIMESTAMP_LINE = re.compile(rf"^\s*{_TS}\s*$")  # groups: hours, minutes, seconds
# a bracketed timestamp opening a turn's text: Rev's "Maria Gonzalez: (00:03)", "Maria:
# [00:00:03] text" (a bare "10:30" is a time of day someone said, and stays)
_LEADING_TS = re.compile(r"^\s*[\[(]\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\s*[\])]\s*")
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_CLOCK = r"(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?"
# lines a meeting tool writes before the conversation, never anyone's words: a "Transcript"
# heading, the meeting's date, "Maria Gonzalez joined the meeting"; skipped before the first
# speaker only (later, "March 3, 2023." is an answer)
EXPORT_LINE = re.compile(
    r"^\s*(?:(?:meeting |call |interview )?transcript(?:ion)?"
    r"|(?:[\w'’.-]+\s+){1,6}(?:started|stopped|ended|paused|resumed)\s+"
    r"(?:the\s+)?(?:transcription|recording)"
    r"|(?:[\w'’.-]+\s+){1,6}(?:has\s+)?(?:joined|left)\s+the\s+(?:meeting|call)"
    rf"|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}){_CLOCK}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[ T]\d{{2}}:\d{{2}}(?::\d{{2}})?)?"
    r")\s*\.?\s*$", re.IGNORECASE)
# the one such line a tool writes inside the conversation, anywhere: Teams' "Maria Gonzalez
# stopped transcription" (a name, then the event; "then I stopped the recording" is speech)
TOOL_EVENT = re.compile(r"^\s*(?:[A-Z][\w'’.-]*\s+){1,5}(?:started|stopped)\s+transcription\s*$")
# a title before such lines ("Weekly sync with Acme"): short and not a sentence
_TITLE_WORDS = 12
# below this share of paragraphs naming a speaker, unlabelled paragraphs are one other voice
# (17 real think-aloud sessions label 0.5-14% of paragraphs, the moderator's; turn-by-turn
# exports label at least a third: every turn, or a speaker paragraph before each text one)
ONE_VOICE_SHARE = 0.25
_PARTICLES = frozenset("de da del della di van von der den la le du dos das bin al el st.".split())


def clock_seconds(h: str | None, m: str | None, s: str | None) -> float | None:
    """Seconds from matched ``[h:]m:s`` groups; None when no timestamp matched."""
    if m is None or s is None:
        return None
    return int(h or 0) * 3600 + int(m) * 60 + int(s)


def is_speaker_label(label: str, speakers: Collection[str] | None = None) -> bool:
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


def parse_speaker_lines(
    lines: Iterable[tuple[int, str]],
    name: str,
    unit: str = "line",
    speakers: Collection[str] | None = None,
    warnings: list[str] | None = None,
) -> tuple[Turn, ...]:
    """``Speaker: text`` turns (or a speaker line followed by text lines) from numbered lines.

    Text before the first speaker raises :class:`TranscriptError` unless ``warnings`` is a
    list: then it is kept as ``UNKNOWN_SPEAKER`` and one warning per run of such lines is
    appended."""
    lines = list(lines)
    one_voice = warnings is not None and unit == "paragraph" and _mostly_unlabelled(
        lines, speakers)
    if one_voice:
        warnings.append(f"{name}: most {unit}s name no speaker; each of those is read as "
                        f"{UNKNOWN_SPEAKER!r} (one voice with interjections)")
    raw: list[list] = []  # [speaker, text, start, end]
    pending: tuple[str, float | None] | None = None
    title = _title_lines(lines, speakers)
    if title and warnings is not None:
        warnings.append(f"{name}: {unit} {min(title)}: the export's title skipped")
    for no, line in lines:
        if not line.strip() or TIMESTAMP_LINE.match(line) or TOOL_EVENT.match(line) \
                or no in title or (not raw and pending is None and EXPORT_LINE.match(line)):
            continue
        m = SPEAKER_TURN.match(line)
        if m and is_speaker_label(m.group(4), speakers):
            start = clock_seconds(*m.group(1, 2, 3))
            start = start if start is not None else clock_seconds(*m.group(5, 6, 7))
            text = m.group(8)
            lead = _LEADING_TS.match(text)
            if lead:
                start = start if start is not None else clock_seconds(*lead.group(1, 2, 3))
                text = text[lead.end():]
            if text.strip():
                raw.append([m.group(4).strip(), text, start, None])
                pending = None
            else:  # "Maria Gonzalez: (00:03)" with the words on the next lines (Rev)
                pending = (m.group(4).strip(), start)
            continue
        m2 = _SPEAKER_ONLY.match(line)
        if m2 and is_speaker_label(m2.group(4), speakers) and (
            m2.group(2) is not None or m2.group(6) is not None or m2.group(8) or "[" in line
        ):
            start = clock_seconds(*m2.group(1, 2, 3))
            start = start if start is not None else clock_seconds(*m2.group(5, 6, 7))
            pending = (m2.group(4).strip(), start)
            continue
        if pending:
            raw.append([pending[0], line, pending[1], None])
            pending = None
        elif one_voice:
            raw.append([UNKNOWN_SPEAKER, line, None, None])
        elif raw:
            raw[-1][1] += " " + line
        elif warnings is not None:
            # the text itself is not repeated: warnings are printed and kept in summaries
            warnings.append(f"{name}: {unit} {no}: text before the first speaker kept as "
                            f"{UNKNOWN_SPEAKER!r}")
            raw.append([UNKNOWN_SPEAKER, line, None, None])
        else:
            raise TranscriptError(
                f"{name}: {unit} {no}: expected 'Speaker: text' (or a speaker line such as "
                f"'Maria Gonzalez  0:01'), got {line.strip()[:60]!r}"
            )
    if not raw:
        raise TranscriptError(f"{name}: transcript is empty")
    if speakers is None:
        raw = _fold_rare_labels(raw)
    if all(r[0] == UNKNOWN_SPEAKER for r in raw):
        raise TranscriptError(f"{name}: {unit} 1: no line has a speaker ('Speaker: text', or a "
                              "speaker line such as 'Maria Gonzalez  0:01')")
    return merge_turns(tuple(r) for r in raw)


def line_speaker(line: str, speakers: Collection[str] | None = None) -> str | None:
    """The speaker a ``Speaker: text`` line names, ``None`` when it names none."""
    m = SPEAKER_TURN.match(line)
    return m.group(4).strip() if m and is_speaker_label(m.group(4), speakers) else None


def _is_turn_start(line: str, speakers: Collection[str] | None) -> bool:
    m = SPEAKER_TURN.match(line) or _SPEAKER_ONLY.match(line)
    return bool(m and is_speaker_label(m.group(4), speakers))


def _title_lines(lines: list[tuple[int, str]], speakers: Collection[str] | None) -> set[int]:
    """The numbers of the lines that title an export: short lines, none a sentence, before a
    tool's header line ("Transcript", the meeting's date) that precedes the first speaker."""
    before: list[tuple[int, str]] = []
    title: set[int] = set()
    for no, line in lines:
        if not line.strip() or TIMESTAMP_LINE.match(line):
            continue
        if EXPORT_LINE.match(line):
            title.update(n for n, text in before if len(text.split()) <= _TITLE_WORDS
                         and not text.rstrip().endswith((".", "?", "!")))
            before = []
        elif _is_turn_start(line, speakers):
            break
        else:
            before.append((no, line))
    return title


def _mostly_unlabelled(lines: list[tuple[int, str]],
                       speakers: Collection[str] | None) -> bool:
    """Whether fewer than ``ONE_VOICE_SHARE`` of the non-empty lines start a turn."""
    text = [line for _, line in lines if line.strip() and not TIMESTAMP_LINE.match(line)
            and not EXPORT_LINE.match(line) and not TOOL_EVENT.match(line)]
    labelled = sum(_is_turn_start(line, speakers) for line in text)
    return bool(text) and labelled < ONE_VOICE_SHARE * len(text)


def parse_text(
    path: Path, encoding: str = "utf-8", speakers: Collection[str] | None = None,
    strict: bool = True,
) -> Transcript:
    """``Speaker: text`` transcripts; a line without a speaker continues the previous turn.

    ``speakers``, when given, are the only labels that start a turn (for transcripts whose
    answers contain ``Word: ...`` lines). ``strict=False`` keeps text before the first
    speaker (see :func:`parse_speaker_lines`) and records a warning on the transcript.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
        text = data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line_no = line_of_bad_byte(data, exc)
        raise TranscriptError(f"{path.name}: line {line_no}: not valid {encoding} text") from exc
    if "\x00" in text:
        raise TranscriptError(f"{path.name}: line 1: binary data, not a text transcript")
    notes: list[str] | None = None if strict else []
    turns = parse_speaker_lines(enumerate(text.splitlines(), 1), path.name, speakers=speakers,
                                warnings=notes)
    return Transcript(path, date_from_file_name(path), turns, tuple(notes or ()))


def parse_transcript_text(
    text: str, name: str = "<text>", speakers: Collection[str] | None = None
) -> Transcript:
    """A ``Speaker: text`` transcript held in a string (e.g. one row of a CSV export)."""
    turns = parse_speaker_lines(enumerate(text.splitlines(), 1), name, speakers=speakers)
    return Transcript(Path(name), date_from_file_name(Path(name)), turns)

