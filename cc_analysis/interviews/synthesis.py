"""The synthesis: coded interviews and the tables researchers read from them.

Owns :func:`synthesize` (snippets, sentiment, kinds, deductive then inductive coding) and the
:class:`Synthesis` it returns: the theme catalogue and snippet-to-theme assignments, and the
views derived from them (theme table, participant-by-theme matrix, strongest quotes, kinds per
theme, per-segment shares, the saturation curve), narrowed to some interviews with ``subset``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, load_codebook
from ..embeddings import DEFAULT_BACKEND, embed
from ..sentiment import label as sentiment_label
from ..sentiment import score as sentiment_score
from .chatter import aside_note, asides
from .coding import (
    INDUCTIVE_MIN_CONTENT_WORDS,
    assign_codes,
    code_scores,
    discover_themes,
    in_conversation,
)
from .kinds import SNIPPET_KINDS, classify_snippets
from .saturation import Saturation, saturation_curve
from .snippets import (
    REDACTION_TOKEN,
    SNIPPET_MAX_WORDS,
    analysis_text,
    content_words,
    make_snippets,
    snippet_source,
)

THEME_COLUMNS = [
    "theme_id", "label", "source", "participants", "share", "snippets", "sentiment",
    "sentiment_label", "dominant_kind", "pain_point", "need", "goal", "praise", "top_quote",
    "top_quote_source", "top_quote_participant", "first_raised", "participant_ids",
    "description", "keywords",
]


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
        kept = self.interviews
        if quarter is not None:
            kept = kept[kept["quarter"] == quarter]
        if interview_ids is not None:
            kept = kept[kept["interview_id"].isin(interview_ids)]
        sn = self.snippets[self.snippets["interview_id"].isin(kept["interview_id"])]
        asg = self.assignments[self.assignments["snippet_id"].isin(sn["snippet_id"])]
        return replace(self, interviews=kept.copy(), snippets=sn.copy(), assignments=asg.copy(),
                       notes=self.notes_for(sn))

    def notes_for(self, view: Synthesis | pd.DataFrame) -> list[str]:
        """The synthesis' notes as they read for ``view`` (a :meth:`subset`, or its snippets):
        the count of what was set aside is the view's own."""
        part = view.snippets if isinstance(view, Synthesis) else view
        if "set_aside" not in part or "set_aside" not in self.snippets:
            return list(self.notes)
        whole = aside_note(self.snippets["set_aside"])
        mine = aside_note(part["set_aside"])
        return [n for n in (mine if n == whole else n for n in self.notes) if n is not None]

    @property
    def participants(self) -> list[str]:
        """Every participant of the interviews (also those with no coded snippet)."""
        listed: set[str] = set()
        if "participant" in self.interviews:
            for v in self.interviews["participant"].dropna():
                listed.update(p for p in str(v).split(";") if p)
        listed.update(self.snippets["participant"].dropna())
        return sorted(listed)

    def _assigned_snippets(self) -> pd.DataFrame:
        """One row per (snippet, theme) assignment, with the snippet's fields and the theme's
        label: what every table below counts."""
        cols = ["snippet_id", "interview_id", "participant", "source_file", "timestamp", "turn",
                "text", "n_words", "sentiment", "kind"]
        cols += [c for c in ("quarter", "interview_date") if c in self.snippets]
        long = self.assignments.merge(self.snippets[cols], on="snippet_id")
        return long.merge(self.catalog[["theme_id", "label"]], on="theme_id")

    # -- tables -----------------------------------------------------------------------------
    def theme_table(self) -> pd.DataFrame:
        """One row per theme: who raised it, how often, how it feels, the strongest quote."""
        long = self._assigned_snippets()
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
        long = self._assigned_snippets()
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
        penalising redaction tokens (a quote full of [NAME] reads badly on a slide): a quote
        with one is taken only when the theme has too few without.
        """
        long = self._assigned_snippets()
        if theme_ids is not None:
            long = long[long["theme_id"].isin(theme_ids)]
        cols = ["theme_id", "label", "rank", "quote", "participant", "source", "kind",
                "sentiment", "strength"]
        if long.empty:
            return pd.DataFrame(columns=cols)
        w = long["n_words"]
        long = long.assign(
            strength=long["score"] + 0.1 * np.minimum(1, w / 12) - 0.1 * (w > 60)
            - 0.2 * long["text"].str.contains(REDACTION_TOKEN) + 0.05 * long["sentiment"].abs(),
            source=[snippet_source(r) for r in long.to_dict("records")],
        ).sort_values("strength", ascending=False, kind="stable")
        # the same words from two people make one quote, not two
        long = long.assign(_key=[analysis_text(t).casefold() for t in long["text"]])
        long = long.drop_duplicates(["theme_id", "_key"])
        long["nth_of_participant"] = long.groupby(["theme_id", "participant"]).cumcount()
        # a quote with a redaction token only when the theme has too few without one
        long["_redacted"] = long["text"].str.contains(REDACTION_TOKEN)
        long = long.sort_values(["theme_id", "_redacted", "nth_of_participant", "strength"],
                                ascending=[True, True, True, False], kind="stable")
        top = long.groupby("theme_id", sort=False).head(n).copy()
        top["rank"] = top.groupby("theme_id").cumcount() + 1
        top = top.rename(columns={"text": "quote"})
        top["strength"] = top["strength"].round(3)
        return top[cols].reset_index(drop=True)

    def kind_table(self) -> pd.DataFrame:
        """Theme label (rows) by snippet kind (pain point, need, goal, praise, other)."""
        long = self._assigned_snippets()
        t = pd.crosstab(long["label"], long["kind"]) if len(long) else pd.DataFrame()
        order = self.theme_table().query("participants > 0")["label"]
        return t.reindex(index=list(order), columns=list(SNIPPET_KINDS), fill_value=0).fillna(
            0).astype(int)

    def snippet_table(self) -> pd.DataFrame:
        """``snippets.csv``: snippet, participant, source file, timestamp, codes (theme labels,
        strongest first, ``;``-separated), then turn, kind, sentiment, why it was set aside
        (``chatter.asides``; "" when coded or codable) and ids."""
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
            "set_aside": s["set_aside"] if "set_aside" in s else "",
            "interview_id": s["interview_id"], "snippet_id": s["snippet_id"],
            "question": s["question"],
        })
        return out.reset_index(drop=True)

    def participant_themes(self) -> dict[str, set[str]]:
        """Theme ids raised by each participant (participants with none map to an empty set)."""
        long = self._assigned_snippets()
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
        in_order = self.interviews.sort_values(
            [c for c in ("interview_date", "interview_id") if c in self.interviews])
        long = self._assigned_snippets()
        per = long.groupby("interview_id")["theme_id"].agg(set)
        sets = [(i, per.get(i, set())) for i in in_order["interview_id"]]
        return saturation_curve(sets, base=base, run=run, threshold=threshold,
                                n_permutations=n_permutations, seed=seed)


def synthesize(
    interviews: pd.DataFrame,
    turns: pd.DataFrame,
    codebook: Codebook | str | Path | None = None,
    *,
    backend: str = DEFAULT_BACKEND,
    cache: str | Path | None = None,
    seed: int = 42,
    inductive: bool = True,
    min_participants: int = 2,
    n_themes: int | None = None,
    max_words: int = SNIPPET_MAX_WORDS,
    progress: bool = False,
) -> Synthesis:
    """Snippets, codes and themes for a set of interviews (store-shaped ``interviews`` and
    ``turns``; text already redacted and speakers pseudonymised).

    Deductive coding against ``codebook`` first; then inductive discovery
    (``topics.TopicModel`` on the same MiniLM vectors) over the snippets the codebook left
    uncoded (all of them without a codebook): ``n_themes`` of them (default
    ``coding.theme_count``), each raised by at least ``min_participants``.
    ``backend``: see ``embeddings`` (``minilm-int8`` is faster but not reproducible).
    """
    if isinstance(codebook, str | Path):
        codebook = load_codebook(codebook)
    notes: list[str] = []
    snippets = make_snippets(interviews, turns, max_words=max_words, progress=progress)
    if snippets.attrs.get("script_words"):
        notes.append(f"{snippets.attrs['script_words']:,} words that participants read out "
                     "rather than said (the same runs of words in most interviews: a task "
                     "sheet, a questionnaire) were set aside, not coded.")
    texts = [analysis_text(t) for t in snippets["text"]]
    vectors = embed(texts, backend, cache=cache, progress=progress)
    snippets["sentiment"] = sentiment_score(texts, cache=cache, embeddings=vectors, backend=backend)
    snippets["kind"] = classify_snippets(texts, snippets["sentiment"].to_numpy())
    snippets["set_aside"] = asides(snippets, vectors, backend=backend, cache=cache)
    aside = (snippets["set_aside"] != "").to_numpy()
    if (note := aside_note(snippets["set_aside"])) is not None:
        notes.append(note)
    ids = snippets["snippet_id"]
    catalog: list[dict[str, Any]] = []
    assigned: list[dict[str, Any]] = []
    coded = np.zeros(len(texts), dtype=bool)
    if codebook is not None:
        scores = code_scores(vectors, texts, codebook, backend, cache)
        for i, hits in enumerate(assign_codes(scores, codebook.threshold)):
            if aside[i]:
                continue
            coded[i] = bool(hits)
            assigned += [{"snippet_id": ids.iat[i], "theme_id": codebook.codes[j].code,
                          "score": s} for j, s in hits]
        catalog += [{"theme_id": c.code, "label": c.label, "source": "codebook",
                     "description": c.definition, "keywords": ", ".join(c.keywords)}
                    for c in codebook.codes]
    # short remarks are coded against the codebook but not clustered: on their own they are
    # mostly small talk and asides, not themes
    substantive = np.array([len(content_words(t)) >= INDUCTIVE_MIN_CONTENT_WORDS for t in texts],
                           dtype=bool) & ~aside
    rest = np.flatnonzero(~coded & substantive)
    if inductive and len(rest) >= 12:
        in_talk = in_conversation(vectors, snippets["interview_id"])
        summary, topics = discover_themes(
            [texts[i] for i in rest], in_talk[rest], snippets["participant"].iloc[rest].tolist(),
            seed=seed, n_themes=n_themes, min_participants=min_participants)
        taken = {c["label"] for c in catalog}
        for rec in summary.itertuples(index=False):
            members = rest[topics == rec.topic_id]
            theme, scores_of = _inductive_theme(rec, vectors[members], taken, codebook is not None)
            catalog.append(theme)
            assigned += [{"snippet_id": ids.iat[i], "theme_id": theme["theme_id"],
                          "score": float(s)} for i, s in zip(members, scores_of, strict=True)]
    elif inductive and codebook is None:
        notes.append(f"Only {len(rest)} snippets: too few for inductive theme discovery.")
    asg = pd.DataFrame(assigned, columns=["snippet_id", "theme_id", "score"])
    asg = asg.sort_values(["snippet_id", "score"], ascending=[True, False], kind="stable")
    asg["rank"] = asg.groupby("snippet_id").cumcount() + 1
    cat = pd.DataFrame(catalog, columns=["theme_id", "label", "source", "description",
                                         "keywords"])
    return Synthesis(interviews.copy(), snippets, cat, asg.reset_index(drop=True), codebook,
                     notes, backend=backend)


def _inductive_theme(rec: Any, member_vectors: np.ndarray, taken: set[str],
                     with_codebook: bool) -> tuple[dict[str, Any], np.ndarray]:
    """A discovered topic as a catalogue entry (its label told apart from the labels already
    ``taken``, which it joins) and its snippets' similarity to the topic's centroid."""
    centroid = member_vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    label, k = str(rec.label), 2
    while label in taken:
        label = f"{rec.label} ({k})"
        k += 1
    taken.add(label)
    kws = list(rec.keywords)[:8]
    theme = {"theme_id": f"new-{rec.topic_id}", "label": label, "source": "inductive",
             "description": "Found inductively in the interviews"
                            + (", not in the codebook" if with_codebook else "")
                            + "; keywords: " + ", ".join(kws),
             "keywords": ", ".join(kws)}
    return theme, member_vectors @ centroid


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
