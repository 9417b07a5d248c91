"""Display names (UPL-6): what is kept of the name the browser sent."""

from __future__ import annotations

import re
import unicodedata

from twinning.core.uploads.policy import MAX_DISPLAY_NAME

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.I)
_UNSAFE_CHARS = re.compile(r'[/\\:*?"<>|%]')


def sanitize_display_name(name: str | None, *, extension: str = "") -> str:
    """A name safe to show and to offer as a download name: no path, no control or bidi
    characters, no reserved device name, at most 100 characters. With `extension`, the user's
    extension is replaced by ours (the format we found), so "photo.jpg.php" shows as
    "photo.jpg.jpg" and "x\u202egpj.exe" as "xgpj.jpg" (UPL-6)."""
    name = str(name or "").replace("\x00", "")
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    )
    name = _UNSAFE_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"\.{2,}", ".", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if extension:
        ext = extension
    ext = ext.strip(" .")[:10].strip(" .")
    stem = stem.strip(" .")
    if _RESERVED.match(stem.split(".")[0]) if stem else False:
        stem = "_" + stem
    room = MAX_DISPLAY_NAME - (len(ext) + 1 if ext else 0)
    stem = stem[:room].strip(" .") or "file"
    if _RESERVED.match(stem.split(".")[0]):
        stem = "_" + stem[: room - 1]
    return f"{stem}.{ext}" if ext else stem
