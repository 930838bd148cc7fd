"""Interview synthesis: from parsed transcripts to coded snippets, themes, evidence and saturation.

Owns the synthesis, one step per module: ``snippets``, ``chatter`` (asides set aside),
``kinds`` (pain point / need / goal / praise), ``coding`` (deductive against the shared
:class:`~cc_analysis.codebook.Codebook`, inductive with ``topics.TopicModel``), ``synthesis``
(the theme tables), ``saturation``, ``coder_agreement`` (against a human coder), ``metadata``
(participant plan / segment / role), ``charts``, ``workspace`` (the quarterly notebook's path)
and ``folder`` (``cc-analysis interviews``). Reading files, roles and pseudonyms live in
:mod:`cc_analysis.transcripts` (ingest needs them without the synthesis).
"""

from ..codebook import Code, Codebook, CodebookError, load_codebook
from .charts import kinds_plot, participant_matrix_plot, saturation_plot
from .chatter import (
    ASIDE_MAX_WORDS,
    ASIDE_REMARKS,
    ASIDE_SIMILARITY,
    QUESTION_MARGIN,
    RESEARCH_QUESTIONS,
    SMALL_TALK_QUESTION_SIMILARITY,
    SMALL_TALK_QUESTIONS,
    aside_note,
    asides,
)
from .coder_agreement import agreement, align_segments
from .coding import (
    CODE_MARGIN,
    EXPANSION_MIN_SNIPPETS,
    INDUCTIVE_MIN_CONTENT_WORDS,
    KEYWORD_BONUS,
    MAX_CODES,
    MAX_THEMES,
    MIN_THEMES,
    assign_codes,
    code_scores,
    discover_themes,
    expand_examples,
    in_conversation,
    keyword_pattern,
    theme_count,
)
from .folder import analyze_folder, analyze_transcripts
from .kinds import CUE_WEIGHTS, KIND_CUES, SNIPPET_KINDS, classify_snippets, cue_pattern
from .metadata import participant_metadata
from .saturation import Saturation, saturation_curve
from .snippets import (
    FILLER_WORDS,
    FORMULA_MAX_WORDS,
    FORMULA_MIN_INTERVIEWS,
    SCRIPT_WORDS,
    SNIPPET_COLUMNS,
    SNIPPET_MAX_WORDS,
    analysis_text,
    content_words,
    formula_key,
    group_sentences,
    is_backchannel,
    make_snippets,
    recurring_formulas,
    recurring_script,
    snippet_source,
    split_sentences,
    without_script,
)
from .synthesis import THEME_COLUMNS, Synthesis, quotes_markdown, synthesize
from .workspace import (
    coding_statement,
    interview_overview,
    interviews_sentence,
    quarter_summary,
    summary_record,
    theme_bullets,
    workspace_codebook,
    workspace_synthesis,
)

__all__ = [
    "ASIDE_MAX_WORDS",
    "ASIDE_REMARKS",
    "ASIDE_SIMILARITY",
    "CODE_MARGIN",
    "CUE_WEIGHTS",
    "Code",
    "Codebook",
    "CodebookError",
    "EXPANSION_MIN_SNIPPETS",
    "FILLER_WORDS",
    "FORMULA_MAX_WORDS",
    "FORMULA_MIN_INTERVIEWS",
    "INDUCTIVE_MIN_CONTENT_WORDS",
    "KEYWORD_BONUS",
    "KIND_CUES",
    "MAX_CODES",
    "MAX_THEMES",
    "MIN_THEMES",
    "QUESTION_MARGIN",
    "RESEARCH_QUESTIONS",
    "SCRIPT_WORDS",
    "SMALL_TALK_QUESTIONS",
    "SMALL_TALK_QUESTION_SIMILARITY",
    "SNIPPET_COLUMNS",
    "SNIPPET_KINDS",
    "SNIPPET_MAX_WORDS",
    "Saturation",
    "Synthesis",
    "THEME_COLUMNS",
    "agreement",
    "align_segments",
    "analysis_text",
    "analyze_folder",
    "analyze_transcripts",
    "aside_note",
    "asides",
    "assign_codes",
    "classify_snippets",
    "code_scores",
    "coding_statement",
    "content_words",
    "cue_pattern",
    "discover_themes",
    "expand_examples",
    "formula_key",
    "group_sentences",
    "in_conversation",
    "interview_overview",
    "interviews_sentence",
    "is_backchannel",
    "keyword_pattern",
    "kinds_plot",
    "load_codebook",
    "make_snippets",
    "participant_matrix_plot",
    "participant_metadata",
    "quarter_summary",
    "quotes_markdown",
    "recurring_formulas",
    "recurring_script",
    "saturation_curve",
    "saturation_plot",
    "snippet_source",
    "split_sentences",
    "summary_record",
    "synthesize",
    "theme_bullets",
    "theme_count",
    "without_script",
    "workspace_codebook",
    "workspace_synthesis",
]
