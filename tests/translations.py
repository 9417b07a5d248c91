"""A gettext catalogue of the test's own, in front of the shipped ones: a test that needs a
string translated (or translated wrongly) says so, whatever the translators have done to the
.po files so far.

    with catalogue("fr", {str_in_english: "en français"}):
        ...

A real .mo file (babel writes it) in a temporary locale directory, put first in LOCALE_PATHS;
changing LOCALE_PATHS makes Django load the catalogues afresh, on entering and on leaving."""

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.functional import Promise


@contextlib.contextmanager
def catalogue(language: str, messages: dict[str | Promise, str]) -> Iterator[None]:
    with tempfile.TemporaryDirectory() as folder:
        built = Catalog(locale=language)
        for msgid, msgstr in messages.items():
            built.add(_untranslated(msgid), msgstr)
        path = Path(folder) / language / "LC_MESSAGES"
        path.mkdir(parents=True)
        with (path / "django.mo").open("wb") as handle:
            write_mo(handle, built)
        with override_settings(LOCALE_PATHS=[folder, *settings.LOCALE_PATHS]):
            yield


def _untranslated(message: str | Promise) -> str:
    """The msgid of a lazy string (its source text, whatever language is active)."""
    with translation.override(None):
        return str(message)
