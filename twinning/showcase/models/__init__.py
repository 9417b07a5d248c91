"""The showcase's models, one module per part of the program (each imported here so Django
finds them): editions and categories, entries (students and their consent are youth's),
judging and exhibit."""

from collections.abc import Iterator

from .editions import Category, Edition
from .entries import PROGRAM, Entry, EntryFile, ErasureRequest
from .exhibit import Booking, Certificate, ExhibitWork, JudgingRound

__all__ = [
    "PROGRAM",
    "Booking",
    "Category",
    "Certificate",
    "Edition",
    "Entry",
    "EntryFile",
    "ErasureRequest",
    "ExhibitWork",
    "JudgingRound",
    "stored_file_names",
]


def stored_file_names() -> Iterator[str]:
    """Every private file name the showcase's rows hold (for the media sweep, core/orphans.py)."""
    for names in EntryFile.objects.values_list("original_name", "derivative_name", "thumb_name"):
        yield from names
    yield from Certificate.objects.values_list("file_name", flat=True)
