"""Asides set aside before coding: small talk, interruptions, the call itself, closings,
introductions; on our own sentences, the sample workspace and the real coded studies."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cc_analysis import interviews as iv
from cc_analysis.embeddings import embed

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "datasets"


def _asides(rows: list[tuple[str, str, int]]) -> list[str]:
    snippets = pd.DataFrame(rows, columns=["text", "question", "part"])
    snippets["n_words"] = snippets["text"].str.split().map(len)
    vectors = embed([iv.analysis_text(t) for t in snippets["text"]], "minilm")
    return iv.asides(snippets, vectors).tolist()


def test_brief_asides_are_set_aside_and_findings_kept() -> None:
    # none of these sentences is one of the prototypes
    got = _asides([
        ("Sorry, my dog needs to go out, back in a second.", "What do you use it for?", 1),
        ("Okay, I'll share my screen now, tell me when you can see it.", "Shall we start?", 1),
        ("Thanks again for having me, that was a nice chat.", "Anything else?", 2),
        ("Exports fail whenever the file is larger than ten megabytes.", "What goes wrong?", 1),
        # said alone, a reply is small talk or not by the question it answers
        ("Quiet, we mostly stayed in and read.", "How was your weekend?", 1),
        ("Quiet, we mostly stayed in and read.", "How do you share the reports?", 1),
        # a long answer is substance even when it opens with the participant's role
        ("I'm a project lead in a team of twelve and every week I pull the figures out of "
         "three systems by hand, which takes most of Monday and is always late for the "
         "managers who need them.", "Tell me about your role.", 1),
    ])
    assert got[:3] == ["interruption", "the call itself", "closing"], got
    assert got[3] == "" and got[4] == "small talk" and got[5] == "" and got[6] == "", got


def test_sample_chatter_is_set_aside_and_nothing_planted(sample: dict,
                                                        planted_phrasings: dict) -> None:
    synth = sample["synth"]
    resources = yaml.safe_load((ROOT / "cc_analysis" / "sample_data" / "resources"
                                / "interviews.yaml").read_text(encoding="utf-8"))

    def norm(s: str) -> str:
        return re.sub(r"[^a-z ]", "", s.lower())

    chatter = [norm(x["participant"]) for x in resources["off_topic"]] + [
        norm(x["answer"]) for x in resources["small_talk"]]
    planted = [norm(x) for xs in planted_phrasings.values() for x in xs]
    s = synth.snippets
    aside = s["set_aside"] != ""
    is_chatter = s["text"].map(lambda t: any(c[-30:] in norm(t) for c in chatter))
    is_planted = s["text"].map(lambda t: any(p[-40:] in norm(t) for p in planted))
    # measured: 103 of the 134 small-talk and off-topic snippets (0.769; "How's the new
    # office working out?" reads as a research question, "we're moving offices" as news),
    # none of the 528 planted ones; 177 of 980 snippets in all, with introductions
    assert aside[is_chatter].mean() >= 0.75 and not aside[is_planted].any()
    assert not synth.assignments["snippet_id"].isin(s.loc[aside, "snippet_id"]).any()
    assert any(n.startswith(f"{int(aside.sum())} brief remarks") for n in synth.notes)
    table = synth.snippet_table()
    assert (table.loc[table["set_aside"] != "", "codes"] == "").all()  # kept, not coded


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/datasets not present")
def test_no_researcher_coded_snippet_is_set_aside(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import coded_interviews

    from cc_analysis import transcripts as tx

    for name, load in coded_interviews.STUDIES.items():
        study = load(DATA)
        if study is None:
            continue
        transcripts, _ = tx.collect_transcripts(study.transcripts)
        synth = iv.analyze_transcripts(transcripts, None, (), None, 42,
                                       cache=tmp_path / "emb.duckdb",
                                       progress=False)["synthesis"]
        s = synth.snippets.assign(participant=synth.snippets["source_file"])
        human = iv.align_segments(s, study.segments.rename(
            columns={"source_file": "participant"}))
        aside = s["set_aside"] != ""
        coded = s["snippet_id"].isin(human["snippet_id"])
        # measured: none of either study's coded snippets; PDPilot 6 of 476 set aside (3
        # screen-sharing and recording remarks, 2 closings, 1 small talk), the usability
        # sessions (think-aloud, no small talk) none
        assert not (aside & coded).any(), s.loc[aside & coded, "text"].tolist()
        if name == "pdpilot_interviews":
            assert aside.sum() >= 5


def test_no_prototype_paraphrases_a_line_of_the_sample_generator() -> None:
    # the vocabulary test catches words shared verbatim; this catches paraphrase: no aside
    # prototype or question within cosine 0.7 (MiniLM) of any line the generator writes
    resources = yaml.safe_load((ROOT / "cc_analysis" / "sample_data" / "resources"
                                / "interviews.yaml").read_text(encoding="utf-8"))

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [re.sub(r"\{\w+\}", "", value)]
        if isinstance(value, dict):
            value = list(value.values())
        return [s for v in value for s in strings(v)] if isinstance(value, list) else []

    lines = sorted({s for s in strings(resources) if len(s.split()) >= 2})
    prototypes = [r for rs in iv.ASIDE_REMARKS.values() for r in rs] + [
        *iv.SMALL_TALK_QUESTIONS, *iv.RESEARCH_QUESTIONS]
    sims = embed(prototypes, "minilm") @ embed(lines, "minilm").T
    worst = sims.max(axis=1)
    assert len(lines) > 100 and worst.max() < 0.7, [
        (prototypes[i], lines[int(sims[i].argmax())]) for i in (worst >= 0.7).nonzero()[0]]
