"""The showcase's models, one module per part of the program (each imported here so Django
finds them): editions and categories, students, consent and entries, judging and exhibit."""

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
]
