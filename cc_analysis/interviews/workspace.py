"""The quarterly workspace path: interviews from the store, coded with the workspace's codebook.

Owns reading ``[interviews]`` settings (codebook, participant metadata) through
``Workspace.interviews``, the synthesis of every interview up to a quarter, and the small facts
notebook 01 shows and writes for the quarterly report (``interviews_summary.json``, which
notebook 04 reads): the quarter's interview overview, the coding statement, the summary record.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..codebook import Codebook, load_codebook
from .metadata import participant_metadata
from .saturation import Saturation
from .synthesis import Synthesis, synthesize

if TYPE_CHECKING:  # pragma: no cover
    from ..config import Workspace
    from ..store import Store

log = logging.getLogger(__name__)


def workspace_codebook(ws: Workspace) -> tuple[Codebook | None, str | None]:
    """The codebook named by ``[interviews] codebook`` in ``workspace.toml`` (path relative to
    the workspace), with a warning instead of the codebook when the key names a missing file
    (a scheduled report still runs, inductively, and says so)."""
    path = ws.interviews.codebook
    if path is None:
        return None, None
    if not path.is_file():
        warning = (f"The codebook configured in workspace.toml ({ws.interviews.codebook_setting}) "
                   f"was not found at {path}; themes below are inductive only.")
        log.warning(warning)
        return None, warning
    return load_codebook(path), None


def workspace_synthesis(
    ws: Workspace, store: Store, quarter: str, *, seed: int = 42, progress: bool = False
) -> Synthesis:
    """Every interview up to and including ``quarter``, coded with the workspace's codebook.

    Themes are found on all interviews so far (a theme keeps its name from quarter to quarter;
    the saturation curve has history); narrow to one quarter with ``.subset(quarter=...)``.
    Participant metadata comes from ``[interviews] participants`` (a CSV keyed by
    ``source_file`` or pseudonym; see :func:`participant_metadata`) when configured.
    Embeddings are cached in the workspace's embedding cache.
    """
    frames = store.frames("interviews", "interview_turns", "accounts")
    if "interviews" not in frames:
        raise ValueError(f"{store.path}: the store has no interviews; add an interviews source")
    upto = frames["interviews"]
    upto = upto[upto["quarter"].notna() & (upto["quarter"] <= quarter)]
    turns = frames["interview_turns"]
    turns = turns[turns["interview_id"].isin(upto["interview_id"])]
    codebook, warning = workspace_codebook(ws)
    synth = synthesize(upto, turns, codebook, cache=ws.embedding_cache, seed=seed,
                       progress=progress)
    if warning:
        synth.notes.insert(0, warning)
    meta_path = ws.interviews.participants
    if meta_path is not None:
        if meta_path.is_file():
            synth.metadata = participant_metadata(meta_path, upto, frames.get("accounts"))
        else:
            synth.notes.append(f"Participant metadata {ws.interviews.participants_setting} not "
                               f"found at {meta_path}.")
    return synth


def interview_overview(interviews: pd.DataFrame, turns: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """One row per interview of a quarter: date, participant, turns, words and talk share.

    ``interviews`` and ``turns`` are the store tables of the same names. The duration is the
    last cue end (or, for transcripts with start times only, the last turn's start).
    """
    held = interviews[interviews["quarter"] == quarter]
    t = turns[turns["interview_id"].isin(held["interview_id"])].copy()
    t["words"] = t["text"].str.split().str.len()
    words = t.pivot_table(
        index="interview_id", columns="role", values="words", aggfunc="sum", fill_value=0
    )
    for role in ("participant", "interviewer"):
        if role not in words:
            words[role] = 0
    last = t[["end_s", "start_s"]].max(axis=1)
    duration = last.groupby(t["interview_id"]).max().div(60).round(1)
    out = held.set_index("interview_id")[
        ["interview_date", "source_file", "participant", "n_turns"]
    ].copy()
    out["participant_words"] = words["participant"].reindex(out.index).fillna(0).astype(int)
    total = (words["participant"] + words["interviewer"]).reindex(out.index)
    out["participant_talk_share"] = (out["participant_words"] / total).round(3)
    out["duration_min"] = duration.reindex(out.index)
    out["format"] = out["source_file"].str.rsplit(".", n=1).str[-1].str.upper()
    return out.reset_index().sort_values("interview_date")


def coding_statement(synth: Synthesis, view: Synthesis) -> str:
    """How ``view`` (e.g. one quarter of ``synth``) was coded, as Markdown: snippets,
    participants, coded snippets, the codebook and its version, the themes raised, and the
    synthesis' notes (what was set aside counted for the view itself)."""
    book = synth.codebook
    used = (f"codebook *{book.name}*, version {book.version_tag}" if book
            else "no codebook (inductive themes only)")
    raised = int((view.theme_table()["participants"] > 0).sum())
    return (f"**{len(view.snippets)} snippets** from {len(view.participants)} participants, "
            f"{view.assignments['snippet_id'].nunique()} of them coded; {used}; {raised} themes "
            "raised this quarter." + "".join(f"\n\n> **Note:** {n}" for n in synth.notes_for(view)))


def summary_record(synth: Synthesis, quarter_view: Synthesis | None = None,
                   saturation: Saturation | None = None) -> dict[str, Any]:
    """Small JSON-able facts about a synthesis (for the report and ``summary.json``).
    ``saturation``: the curve already computed for the run (with the run's seed); computed
    with the default seed when not given."""
    view = quarter_view or synth
    table = view.theme_table()
    raised = table[table["participants"] > 0]
    sat = saturation if saturation is not None else synth.saturation()
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
        "notes": synth.notes_for(view),
    }


def quarter_summary(synth: Synthesis, view: Synthesis, overview: pd.DataFrame,
                    quarter: str, saturation: Saturation | None = None) -> dict[str, Any]:
    """``interviews_summary.json``: the quarter's interview counts and median length (from
    :func:`interview_overview`) and the :func:`summary_record` of ``view`` within ``synth``
    (``saturation``: the run's curve, so the summary and the saturation table agree)."""
    return {
        "quarter": quarter, "interviews": len(overview),
        "participants": int(overview["participant"].nunique()),
        "median_duration_min": overview["duration_min"].median(),
        **summary_record(synth, view, saturation),
    }


def theme_bullets(themes: pd.DataFrame, participants: int, n: int = 6) -> str:
    """The ``n`` themes most participants raised (an ``interview_themes`` table), with how many
    of the ``participants`` raised each, what kind of statement it mostly was, and the strongest
    quote with its source, as Markdown bullets."""
    top = themes.sort_values("participants", ascending=False).head(n)
    return "\n".join(
        f"- **{r.label}**: {r.participants:.0f} of {participants} participants "
        f"({r.dominant_kind}). *\"{r.top_quote}\"* ({r.top_quote_source})"
        for r in top.itertuples())


def interviews_sentence(summary: dict[str, Any]) -> str:
    """One line on the quarter's interviews, from :func:`quarter_summary`'s record."""
    return (f"**Interviews:** {summary['interviews']} interviews with {summary['participants']} "
            f"participants (median {summary['median_duration_min']:.0f} min). "
            "See *Interview synthesis*.")
