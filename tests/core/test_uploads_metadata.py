"""UPL-3 and PRIV-9: derivatives carry no GPS, EXIF, XMP, IPTC, ID3, Vorbis comment or
PDF Info/XMP, checked with the libraries that read them (Pillow, mutagen, pypdf) and by a
byte search for the canary every metadata field of the fixtures carries."""

import io

import pytest

from tests.core.upload_corpus import CANARY, with_metadata
from twinning.core.uploads import Kind, audio_derivative, image_derivatives, pdf_derivative

CORPUS = with_metadata()
CANARY_FORMS = [
    CANARY.encode(),
    CANARY.encode("utf-16-le"),
    CANARY.encode("utf-16-be"),
    b"48.8582",  # the GPS text of the audio fixtures
]
METADATA_INFO_KEYS = {
    "exif",
    "xmp",
    "XML:com.adobe.xmp",
    "icc_profile",
    "comment",
    "photoshop",
    "Author",
    "Comment",
    "adobe",
}


def _derivatives(sample) -> list[bytes]:
    if sample.allowed == (Kind.IMAGE,):
        return [data for data, _ in image_derivatives(sample.data).values()]
    if sample.allowed == (Kind.AUDIO,):
        return [audio_derivative(sample.data)[0]]
    return [pdf_derivative(sample.data)[0]]


@pytest.mark.parametrize("sample", CORPUS, ids=lambda sample: sample.label)
def test_f3_the_fixture_really_carries_the_canary(sample):
    assert CANARY.encode() in sample.data


@pytest.mark.parametrize("sample", CORPUS, ids=lambda sample: sample.label)
def test_f3_no_derivative_contains_the_canary_bytes(sample):
    for data in _derivatives(sample):
        for form in CANARY_FORMS:
            assert form not in data


@pytest.mark.parametrize(
    "sample",
    [s for s in CORPUS if s.allowed == (Kind.IMAGE,)],
    ids=lambda sample: sample.label,
)
def test_f3_image_derivatives_have_no_exif_gps_xmp_iptc_or_comment(sample):
    from PIL import Image

    source = Image.open(io.BytesIO(sample.data))
    assert len(source.getexif()) or source.info.get("xmp") or source.info.get("Author")

    for data in _derivatives(sample):
        image = Image.open(io.BytesIO(data))
        exif = image.getexif()
        assert len(exif) == 0
        assert exif.get_ifd(0x8825) == {}  # GPS
        assert METADATA_INFO_KEYS.isdisjoint(image.info)
        assert b"Exif\x00\x00" not in data
        assert b"<x:xmpmeta" not in data
        assert b"8BIM" not in data


@pytest.mark.parametrize(
    "sample",
    [s for s in CORPUS if s.allowed == (Kind.AUDIO,)],
    ids=lambda sample: sample.label,
)
def test_f3_audio_derivative_has_no_tags_or_pictures(sample):
    import mutagen

    source = mutagen.File(io.BytesIO(sample.data))
    assert source.tags is not None and len(source.tags)

    (data,) = _derivatives(sample)
    audio = mutagen.File(io.BytesIO(data))
    assert audio is not None
    assert audio.tags is None or len(audio.tags) == 0
    assert not getattr(audio, "pictures", [])
    assert b"APIC" not in data
    assert b"METADATA_BLOCK_PICTURE" not in data.upper()


def test_f3_mp3_id3_frames_tpe1_comm_apic_are_gone():
    import mutagen
    from mutagen.id3 import ID3

    sample = next(s for s in CORPUS if s.label.startswith("mp3"))
    frames = ID3(io.BytesIO(sample.data)).keys()
    assert {"TPE1", "COMM::eng", "APIC:" + CANARY} <= set(frames)

    audio = mutagen.File(io.BytesIO(audio_derivative(sample.data)[0]))
    assert type(audio).__name__ == "OggVorbis"
    assert list(audio.tags.keys()) == []


def test_f3_pdf_derivative_has_no_info_xmp_or_author():
    from pypdf import PdfReader

    sample = next(s for s in CORPUS if s.allowed == (Kind.PDF,))
    source = PdfReader(io.BytesIO(sample.data))
    assert source.metadata["/Author"] == CANARY
    assert "/Metadata" in source.trailer["/Root"]

    reader = PdfReader(io.BytesIO(pdf_derivative(sample.data)[0]))
    assert reader.metadata is None
    assert "/Info" not in reader.trailer
    assert "/Metadata" not in reader.trailer["/Root"]
    assert reader.xmp_metadata is None
    assert len(reader.pages) == 2
