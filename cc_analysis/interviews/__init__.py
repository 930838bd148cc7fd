"""Interview synthesis: from transcript files to coded snippets, themes, evidence and saturation.

Owns everything about user-research interviews, one step per module: ``transcript`` (turns),
``parsers`` (one module per format), ``roles`` (interviewers vs participants), ``anonymise``
(pseudonyms, redaction, the store's interview tables: ingest and the CLI both call it),
``snippets``, ``kinds`` (pain point / need / goal / praise), ``coding`` (deductive against the
shared :class:`~cc_analysis.codebook.Codebook`, inductive with ``topics.TopicModel``),
``synthesis`` (the theme tables), ``saturation``, ``coder_agreement`` (against a human coder),
``metadata`` (participant plan / segment / role), ``charts``, ``workspace`` (the quarterly
notebook's path) and ``folder`` (``cc-analysis interviews``).
"""

from ..codebook import Code, Codebook, CodebookError, load_codebook
from .anonymise import (
    AnonymisedInterviews,
    anonymise_transcripts,
    name_variants,
    speaker_pseudonyms,
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
from .parsers import (
    TRANSCRIPT_SUFFIXES,
    parse_docx,
    parse_srt,
    parse_text,
    parse_transcript,
    parse_transcript_files,
    parse_transcript_text,
    parse_vtt,
    read_transcripts,
    transcript_files,
)
from .roles import detect_interviewers, distinct_generic_speakers
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
from .transcript import Transcript, TranscriptError, Turn
from .workspace import (
    coding_statement,
    interview_overview,
    quarter_summary,
    summary_record,
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
    "transcript_files",
    "workspace_codebook",
    "workspace_synthesis",
]
