"""UPL-6: storage names are UUIDs with no user character; display names are
sanitised (no path, NUL, control or bidi character, reserved device name) and at most 100
characters. Hypothesis tries 1,000 hostile names."""

import re
import unicodedata

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.upload_corpus import HOSTILE_NAMES
from twinning.core.media import store_upload
from twinning.core.uploads import TEXT_LIMITS, Kind, sanitize_display_name

RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}
PIECES = st.sampled_from(
    ["..", "/", "\\", "\x00", "\u202e", "\u200f", "CON", "nul", "COM1", ".", " ", "%00", "😀"]
)
NAMES = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=12).map("".join),
    st.sampled_from(HOSTILE_NAMES),
    st.builds(
        lambda stem, ext: f"{stem}.{ext}",
        st.sampled_from(sorted(RESERVED)).map(str.upper),
        st.text(max_size=5),
    ),
    # 255+ characters, built cheaply by repetition.
    st.builds(
        lambda piece, times: piece * times, st.text(min_size=1, max_size=6), st.integers(50, 300)
    ),
)


def _assert_safe(shown: str) -> None:
    assert 0 < len(shown) <= 100
    assert not any(ch in shown for ch in '/\\\x00:*?"<>|')
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Cs"} for ch in shown)
    assert ".." not in shown
    assert not shown.startswith((".", " "))
    assert not shown.endswith((".", " "))
    assert shown.split(".", maxsplit=1)[0].lower() not in RESERVED
    assert unicodedata.normalize("NFC", shown) == shown


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(NAMES)
def test_f6_any_name_gives_a_uuid_storage_name_and_a_safe_display_name(name):
    _assert_safe(sanitize_display_name(name))
    upload = ContentFile(b"A short poem.\n", name=name)

    stored = store_upload(
        upload, allowed=[Kind.TEXT], limits=TEXT_LIMITS, storage=InMemoryStorage(), folder="poems"
    )

    (file,) = stored.files.values()
    assert re.fullmatch(r"poems/[0-9a-f]{32}\.txt", file.name)
    _assert_safe(stored.inspected.display_name)
    assert stored.inspected.display_name.endswith(".txt")


def test_f6_examples_of_what_people_see():
    assert sanitize_display_name("../../etc/passwd") == "passwd"
    assert sanitize_display_name("C:\\Users\\me\\photo.JPG", extension="jpg") == "photo.jpg"
    assert sanitize_display_name("CON.jpg") == "_CON.jpg"
    assert sanitize_display_name("invoice\u202egpj.exe", extension="jpg") == "invoicegpj.jpg"
    assert sanitize_display_name("shell.php\x00.jpg", extension="jpg") == "shell.php.jpg"
    assert sanitize_display_name("shell.php.", extension="png") == "shell.png"
    assert sanitize_display_name("", extension="pdf") == "file.pdf"
    assert sanitize_display_name("Cafe\u0301 été.txt") == "Café été.txt"
    assert len(sanitize_display_name("a" * 300 + ".jpg")) == 100
