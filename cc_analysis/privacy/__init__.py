"""Personal data: found and replaced in free text at ingest, and stable speaker pseudonyms.

Owns what counts as personal data and how it is redacted before anything is stored, embedded or
reported: the policy (``policy``), the layers that find it (``patterns``, then ``known_names``,
then ``names`` with the word lists of ``lexicon``), the :class:`Redactor` that puts them
together (``redactor``), the :class:`Pseudonymizer` (``pseudonyms``) the last check before
a report is published (``publication``) and the redacted copy of a raw export (``export``).
"""

from .export import RedactedExport, redact_file
from .names import NAME_CUES, NAME_TITLES
from .patterns import NOT_PHONE_CUES, PHONE_CUES
from .policy import KINDS, NAME_TOKEN, PiiPolicy, Span, token_for
from .pseudonyms import Pseudonymizer
from .publication import (
    FINGERPRINT_TABLE,
    Finding,
    Fingerprints,
    PublicationCheck,
    findings_message,
)
from .redactor import Redactor, find_pii

__all__ = [
    "FINGERPRINT_TABLE",
    "Finding",
    "Fingerprints",
    "KINDS",
    "NAME_CUES",
    "NAME_TITLES",
    "NAME_TOKEN",
    "NOT_PHONE_CUES",
    "PHONE_CUES",
    "PiiPolicy",
    "PublicationCheck",
    "RedactedExport",
    "Pseudonymizer",
    "Redactor",
    "Span",
    "find_pii",
    "findings_message",
    "redact_file",
    "token_for",
]
