"""Reading a partnership file: its encoding, its columns and its rows with their line numbers."""

import csv
import io
import os
from pathlib import Path

from django.conf import settings

from twinning.network.imports.outcomes import FULL_COLUMNS, PLAIN_COLUMNS, ImportFileError

Row = tuple[int, list[str], bool]  # line, values, has the header's number of fields


def _read_text(path: Path) -> str:
    """The file's text, after the checks that need no parsing (size first, before reading)."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from None
    if not path.is_file():
        raise ImportFileError(f"{path}: not a file.")
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            f"{path}: the file is {size:,} bytes, more than the {limit:,} bytes accepted "
            "(IMPORT_MAX_BYTES)."
        )
    data = path.read_bytes()
    if b"\x00" in data:
        raise ImportFileError(f"{path}: this is not a text file (it contains NUL bytes).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"{path}: the file is not UTF-8 (invalid byte at line {line}); save it as UTF-8."
        ) from None
    if not text.strip():
        raise ImportFileError(f"{path}: the file is empty.")
    return text


def _columns(path: Path, header: list[str]) -> list[str]:
    if set(FULL_COLUMNS) <= set(header):
        return FULL_COLUMNS
    if set(PLAIN_COLUMNS) <= set(header):
        return PLAIN_COLUMNS
    missing = [c for c in PLAIN_COLUMNS if c not in header]
    raise ImportFileError(
        f"{path}: missing column(s) {', '.join(missing)}; expected "
        f"{','.join(FULL_COLUMNS)} or {','.join(PLAIN_COLUMNS)}."
    )


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """The columns and the rows (line, values in the columns' order, well-formed) of a
    partnership file; raises ImportFileError with a one-line message for a file that cannot
    be read as one."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        rows = [(reader.line_num, v) for v in reader if v and any(x.strip() for x in v)]
    except csv.Error as error:
        raise ImportFileError(f"{path}: not a readable CSV file ({error}).") from None
    columns = _columns(path, header)
    positions = [header.index(c) for c in columns]
    return columns, [
        (line, [values[i] for i in positions], True)
        if len(values) == len(header)
        else (line, values, False)  # rejected with its reason, raw values kept
        for line, values in rows
    ]
