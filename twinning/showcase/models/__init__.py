"""The showcase's models, one module per part of the program (each imported here so Django
finds them): editions and categories, students, consent and entries, judging and exhibit."""

from .editions import Category, Edition
from .entries import Consent, Entry, EntryFile, ErasureRequest, Student

__all__ = [
    "Category",
    "Consent",
    "Edition",
    "Entry",
    "EntryFile",
    "ErasureRequest",
    "Student",
]

# The judging and exhibit models (another module's owner) join when their file exists.
try:
    from .exhibit import *  # noqa: F403 - re-export whatever the exhibit module declares
except ModuleNotFoundError as error:  # pragma: no cover - only before exhibit.py exists
    if error.name != f"{__name__}.exhibit":
        raise
