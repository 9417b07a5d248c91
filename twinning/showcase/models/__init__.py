"""The showcase's models, one module per part of the program (each imported here so Django
finds them): editions and categories, students, consent and entries, judging and exhibit."""

from collections.abc import Iterator

from .editions import Category, Edition
from .entries import Consent, Entry, EntryFile, ErasureRequest, Student
from .exhibit import Booking, Certificate, ExhibitWork, JudgingRound

__all__ = [
    "Booking",
    "Category",
    "Certificate",
    "Consent",
    "Edition",
    "Entry",
    "EntryFile",
    "ErasureRequest",
    "ExhibitWork",
    "JudgingRound",
    "Student",
    "stored_file_names",
]


def stored_file_names() -> Iterator[str]:
    """Every private file name the showcase's rows hold (for the media sweep, core/orphans.py)."""
    for names in EntryFile.objects.values_list("original_name", "derivative_name", "thumb_name"):
        yield from names
    yield from Certificate.objects.values_list("file_name", flat=True)
