"""Personal data: found and replaced in free text at ingest, and stable speaker pseudonyms.

Owns what counts as personal data and how it is redacted before anything is stored, embedded or
reported: the policy (``policy``), the layers that find it (``patterns``, then ``known_names``,
then ``names`` with the word lists of ``lexicon``), the :class:`Redactor` that puts them
together (``redactor``) and the :class:`Pseudonymizer` (``pseudonyms``).
"""

from .names import NAME_CUES, NAME_TITLES
from .patterns import NOT_PHONE_CUES, PHONE_CUES
from .policy import KINDS, NAME_TOKEN, PiiPolicy, Span, token_for
from .pseudonyms import Pseudonymizer
from .redactor import Redactor, find_pii

__all__ = [
    "KINDS",
    "NAME_CUES",
    "NAME_TITLES",
    "NAME_TOKEN",
    "NOT_PHONE_CUES",
    "PHONE_CUES",
    "PiiPolicy",
    "Pseudonymizer",
    "Redactor",
    "Span",
    "find_pii",
    "token_for",
]
