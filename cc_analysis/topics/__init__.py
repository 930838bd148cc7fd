"""Customer feedback topics: what customers talk about, what grows, what hurts, who is affected.

Owns topic modelling of feedback text and everything measured per topic, one step per file:
``segment`` (sentence segments), ``cluster`` (knn, ``SmoothedHDBSCAN``), ``keywords``
(c-TF-IDF), ``phrases`` (phrase labels), ``label`` (labels, typo checks, distinct labels),
``themes`` (co-mention themes), ``codes`` (codebook assignment), ``model`` (``TopicModel``),
``registry`` (stable ids across quarters), ``impact`` (prevalence, trends, NPS / score impact,
reach, breakdowns), ``stages`` (journey stages), ``documents`` (``fit_documents``: texts to a
fitted model), ``feedback`` (``analyze_feedback``: the workspace analysis), ``from_file``
(``cc-analysis topics FILE``), ``views`` (notebook 02's descriptive opening) and ``tables``
(the report's theme tables and sentences). Codebooks of known themes are
``cc_analysis.codebook.Codebook``, re-exported here.
"""

from ..codebook import Codebook
from .cluster import SmoothedHDBSCAN, knn
from .codes import code_prototypes, learn_codes
from .documents import DocumentTopics, fit_documents
from .feedback import FeedbackTopics, analyze_feedback
from .from_file import analyze_feedback_file
from .impact import breakdown, nps_impact, prevalence, reach, score_impact, trends
from .label import distinct_labels
from .model import BOILERPLATE_DIVERSITY, BOILERPLATE_MIN_SHARE, MAX_TOPICS, TopicModel
from .registry import TopicRegistry
from .segment import MIN_SEGMENT_WORDS, segment
from .stages import DEFAULT_STAGES, assign_stages, tag_stages
from .tables import (
    feedback_volume_sentence,
    largest_theme_bullets,
    moving_theme_bullets,
    nps_detractor_bullets,
    save_report_tables,
    theme_table,
)
from .themes import co_mention_themes
from .views import SOURCE_NAMES, feedback_volume, source_summary

__all__ = [
    "BOILERPLATE_DIVERSITY",
    "BOILERPLATE_MIN_SHARE",
    "DEFAULT_STAGES",
    "MAX_TOPICS",
    "MIN_SEGMENT_WORDS",
    "SOURCE_NAMES",
    "Codebook",
    "DocumentTopics",
    "FeedbackTopics",
    "SmoothedHDBSCAN",
    "TopicModel",
    "TopicRegistry",
    "analyze_feedback",
    "analyze_feedback_file",
    "learn_codes",
    "assign_stages",
    "breakdown",
    "co_mention_themes",
    "code_prototypes",
    "distinct_labels",
    "feedback_volume",
    "fit_documents",
    "knn",
    "moving_theme_bullets",
    "largest_theme_bullets",
    "nps_detractor_bullets",
    "feedback_volume_sentence",
    "nps_impact",
    "prevalence",
    "reach",
    "save_report_tables",
    "score_impact",
    "segment",
    "source_summary",
    "tag_stages",
    "theme_table",
    "trends",
]
