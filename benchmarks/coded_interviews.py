"""The real coded interview studies of ``../shared/datasets``, read one way for the benchmark.

Owns turning each study's files into what ``interviews_bench`` scores against: the transcript
folder (read by the product's own lenient reader), the researchers' coded segments (one row per
segment: ``source_file``, ``code``, ``segment``) and a codebook written from the researchers'
code names and descriptions only (what a team has before coding; no coded text in it).

- ``pdpilot_interviews``: 7 interviews, 262 segments coded ``Group > Subgroup > Code``; the
  unit code is the top-level group (8), as leaf codes have 1-21 segments each. Codebook: each
  group's name, with its sub-code names as definition and examples.
- ``usability_interviews``: 17 think-aloud sessions, 1,930 highlights with 22 tags and the
  researchers' codebook (tag, description). Highlights of the moderator's own words
  ("MODERATOR: Maybe try ...", the "Moderator assist" code) are left out: they code the
  interviewer, and the synthesis is of participants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cc_analysis.codebook import Code, Codebook


@dataclass
class CodedStudy:
    name: str
    transcripts: Path
    segments: pd.DataFrame  # source_file, code, segment
    codebook: Codebook
    description: str


def _code_id(label: str) -> str:
    return re.sub(r"\W+", "_", label).strip("_").lower()


def group_codebook(code_paths: pd.Series, extra_examples: dict[str, list[str]] | None = None,
                   version: str = "names", threshold: float | None = None) -> Codebook:
    """PDPilot's researchers' top-level groups as codes: each group's name, with its sub-code
    names as definition and examples, plus ``extra_examples`` per group (coded segments, for
    the leave-one-participant-out codebook); ``threshold`` defaults to the codebook's own."""
    codes = []
    for group, paths in code_paths.groupby(code_paths.str.split(" > ").str[0].str.strip()):
        leaves = sorted({" - ".join(p.split(" > ")[1:]) for p in paths} - {""})
        examples = leaves + list((extra_examples or {}).get(group, []))
        codes.append(Code(_code_id(group), group,
                          f"{group}" + (": " + "; ".join(leaves) if leaves else ""),
                          tuple(examples or [group])))
    kw = {} if threshold is None else {"threshold": threshold}
    return Codebook("PDPilot study (researchers' groups)", version, tuple(codes), **kw)


def pdpilot(root: Path) -> CodedStudy | None:
    folder = root / "pdpilot_interviews"
    if not (folder / "coded_segments.csv").is_file():
        return None
    raw = pd.read_csv(folder / "coded_segments.csv", dtype=str, keep_default_na=False)
    segments = pd.DataFrame({"source_file": raw["participant"].str.strip() + ".txt",
                             "code": raw["code_path"].str.split(" > ").str[0].str.strip(),
                             "segment": raw["segment"]})
    return CodedStudy("pdpilot_interviews", folder / "transcripts", segments,
                      group_codebook(raw["code_path"]),
                      "7 user-study interviews, 262 segments, 8 top-level codes")


def usability(root: Path) -> CodedStudy | None:
    folder = root / "usability_interviews"
    if not (folder / "codes" / "highlights.csv").is_file():
        return None
    raw = pd.read_csv(folder / "codes" / "highlights.csv", dtype=str, keep_default_na=False)
    raw = raw[~raw["content"].str.match(r"\s*MODERATOR\s*:")]
    segments = pd.DataFrame({"source_file": raw["document"].str.strip(),
                             "code": raw["tag"].str.strip(), "segment": raw["content"]})
    table = pd.read_csv(folder / "codes" / "codebook.csv", dtype=str, keep_default_na=False)
    codes = tuple(Code(_code_id(t), t.strip(), d.strip(), (t.strip(),))
                  for t, d in zip(table["tag"], table["description"], strict=True)
                  if t.strip() in set(segments["code"]))
    book = Codebook("Usability study (researchers' codebook)", "csv", codes)
    return CodedStudy("usability_interviews", folder / "transcripts", segments, book,
                      f"17 think-aloud sessions, {len(segments):,} participant highlights, "
                      f"{len(codes)} codes")


STUDIES = {"pdpilot_interviews": pdpilot, "usability_interviews": usability}
