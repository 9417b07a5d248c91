"""The showcase's models, one module per part of the program (each imported here so Django
finds them): editions and categories, students, consent and entries, judging and exhibit."""
