"""Interview synthesis: from parsed transcripts to coded snippets, themes, evidence and saturation.

Owns the synthesis, one step per module: ``snippets``, ``kinds`` (pain point / need / goal /
praise), ``coding`` (deductive against the shared :class:`~cc_analysis.codebook.Codebook`,
inductive with ``topics.TopicModel``), ``synthesis`` (the theme tables), ``saturation``,
``coder_agreement`` (against a human coder), ``metadata`` (participant plan / segment / role),
``charts``, ``workspace`` (the quarterly notebook's path) and ``folder`` (``cc-analysis
interviews``). Reading files, roles and pseudonyms live in :mod:`cc_analysis.transcripts`
(ingest needs them without the synthesis) and are re-exported here.
"""

from ..codebook import Code, Codebook, CodebookError, load_codebook
from ..transcripts import (
    TRANSCRIPT_SUFFIXES,
    AnonymisedInterviews,
    Transcript,
    TranscriptError,
    Turn,
    anonymise_transcripts,
    detect_interviewers,
    distinct_generic_speakers,
    name_variants,
    parse_docx,
    parse_srt,
    parse_text,
    parse_transcript,
    parse_transcript_files,
    parse_transcript_text,
    parse_vtt,
    read_transcripts,
    speaker_pseudonyms,
    transcript_files,
)
from .charts import kinds_plot, participant_matrix_plot, saturation_plot
from .coder_agreement import agreement, align_segments
from .coding import (
    CATCH_ALL_SHARE,
    CODE_MARGIN,
    INDUCTIVE_MIN_CONTENT_WORDS,
    KEYWORD_BONUS,
    MAX_CODES,
    assign_codes,
    code_scores,
    discover_themes,
)
from .folder import analyze_folder, analyze_transcripts
from .kinds import SNIPPET_KINDS, classify_snippets
from .metadata import participant_metadata
from .saturation import Saturation, saturation_curve
from .snippets import (
    SNIPPET_COLUMNS,
    SNIPPET_MAX_WORDS,
    analysis_text,
    content_words,
    group_sentences,
    is_backchannel,
    make_snippets,
    snippet_source,
    split_sentences,
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
    "CATCH_ALL_SHARE",
    "CODE_MARGIN",
    "INDUCTIVE_MIN_CONTENT_WORDS",
    "KEYWORD_BONUS",
    "MAX_CODES",
    "SNIPPET_COLUMNS",
    "SNIPPET_KINDS",
    "SNIPPET_MAX_WORDS",
    "THEME_COLUMNS",
    "TRANSCRIPT_SUFFIXES",
    "AnonymisedInterviews",
    "Code",
    "Codebook",
    "CodebookError",
    "Saturation",
    "Synthesis",
    "Transcript",
    "TranscriptError",
    "Turn",
    "agreement",
    "align_segments",
    "analysis_text",
    "analyze_folder",
    "analyze_transcripts",
    "anonymise_transcripts",
    "assign_codes",
    "classify_snippets",
    "code_scores",
    "coding_statement",
    "content_words",
    "detect_interviewers",
    "discover_themes",
    "distinct_generic_speakers",
    "group_sentences",
    "interview_overview",
    "interviews_sentence",
    "is_backchannel",
    "kinds_plot",
    "load_codebook",
    "make_snippets",
    "name_variants",
    "parse_docx",
    "parse_srt",
    "parse_text",
    "parse_transcript",
    "parse_transcript_files",
    "parse_transcript_text",
    "parse_vtt",
    "participant_matrix_plot",
    "participant_metadata",
    "quarter_summary",
    "quotes_markdown",
    "read_transcripts",
    "saturation_curve",
    "saturation_plot",
    "snippet_source",
    "speaker_pseudonyms",
    "split_sentences",
    "summary_record",
    "synthesize",
    "theme_bullets",
    "transcript_files",
    "workspace_codebook",
    "workspace_synthesis",
]
