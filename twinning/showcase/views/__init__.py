"""Views of the showcase, split by audience: students (`students.py`), guardians
(`guardians.py`), staff (`staff.py`); judging and the exhibit live in their own modules."""
