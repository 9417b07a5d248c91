"""UPL-2: the files real people send are all accepted, and each comes out as the
derivative it should (format, size, orientation, colour, duration, pages, text)."""

import io

import pytest
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.upload_corpus import (
    jpeg,
    ogg,
    orientation_fixture,
    pil_image,
    png_16bit_rgb,
    save,
    valid,
)
from twinning.core.media import store_upload
from twinning.core.uploads import (
    AUDIO_LIMITS,
    IMAGE_LIMITS,
    Kind,
    audio_derivative,
    image_derivatives,
    inspect_upload,
    pdf_derivative,
    text_derivative,
)

CORPUS = valid()


def _open(data):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _close(colour, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(colour[:3], expected, strict=True))


def test_f2_the_corpus_has_every_kind_and_the_named_cases():
    labels = {sample.label for sample in CORPUS}
    assert {"cmyk jpeg", "progressive jpeg", "16-bit rgb png", "lossy webp"} <= labels
    assert {"mp3 id3v2.4", "wav 16-bit", "flac", "ogg vorbis", "reportlab one page"} <= labels
    assert {f"jpeg exif orientation {n}" for n in range(1, 9)} <= labels
    for kind in Kind:
        assert any(sample.allowed == (kind,) for sample in CORPUS), kind


@pytest.mark.parametrize("sample", CORPUS, ids=lambda sample: sample.label)
def test_f2_valid_file_is_accepted_and_its_derivatives_are_stored(sample):
    storage = InMemoryStorage()
    upload = SimpleUploadedFile(sample.name, sample.data, content_type="application/octet-stream")

    stored = store_upload(upload, allowed=sample.allowed, limits=sample.limits, storage=storage)

    assert stored.inspected.mime == sample.expect["mime"]
    assert stored.inspected.size == len(sample.data)
    assert stored.files
    for file in stored.files.values():
        with storage.open(file.name) as handle:
            assert len(handle.read()) == file.size > 0
    if "text" in sample.expect:
        assert stored.text == sample.expect["text"]


def test_f2_image_derivatives_are_webp_at_display_and_thumbnail_size():
    derived = image_derivatives(jpeg(size=(2400, 1800)))

    display, thumb = _open(derived["display"][0]), _open(derived["thumb"][0])
    assert derived["display"][1] == derived["thumb"][1] == "image/webp"
    assert display.format == thumb.format == "WEBP"
    assert display.size == (1600, 1200)
    assert thumb.size == (400, 300)


def test_f2_a_small_image_is_not_enlarged():
    derived = image_derivatives(jpeg(size=(64, 48)))

    assert _open(derived["display"][0]).size == (64, 48)


def test_f2_jpeg_derivatives_can_be_asked_for():
    derived = image_derivatives(save(pil_image("RGBA"), "PNG"), fmt="JPEG")

    display = _open(derived["display"][0])
    assert derived["display"][1] == "image/jpeg"
    assert display.format == "JPEG"
    assert display.mode == "RGB"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_f2_exif_orientation_is_applied(orientation):
    display = _open(image_derivatives(orientation_fixture(orientation))["display"][0])

    assert display.size == (64, 48)
    assert _close(display.getpixel((3, 3)), (255, 0, 0)), "red belongs top-left"
    assert _close(display.getpixel((60, 44)), (0, 255, 0)), "green belongs bottom-right"
    assert _close(display.getpixel((60, 3)), (30, 120, 200))


def test_f2_cmyk_jpeg_keeps_its_colours():
    display = _open(image_derivatives(save(pil_image("CMYK"), "JPEG", quality=95))["display"][0])

    assert display.mode == "RGB"
    assert _close(display.getpixel((32, 24)), (30, 120, 200))
    assert _close(display.getpixel((3, 3)), (255, 0, 0))


def test_f2_16_bit_grey_png_is_scaled_not_clipped():
    grey = pil_image("L")
    sixteen = grey.convert("I").point(lambda v: v * 257).convert("I;16")
    expected = grey.getpixel((32, 24))

    display = _open(image_derivatives(save(sixteen, "PNG"))["display"][0])

    assert 60 < expected < 200
    assert abs(display.convert("L").getpixel((32, 24)) - expected) <= 3


def test_f2_16_bit_rgb_png_is_accepted_with_its_size():
    inspected = inspect_upload(
        SimpleUploadedFile("deep.png", png_16bit_rgb()), allowed=[Kind.IMAGE], limits=IMAGE_LIMITS
    )

    assert (inspected.width, inspected.height) == (64, 48)


def test_f2_transparency_survives_in_webp():
    image = pil_image("RGBA")
    image.putalpha(image.getchannel("R").point(lambda v: 0 if v > 200 else 255))

    display = _open(image_derivatives(save(image, "PNG"))["display"][0])

    assert display.mode == "RGBA"
    assert display.getpixel((3, 3))[3] == 0
    assert display.getpixel((32, 24))[3] == 255


def test_f2_audio_is_reencoded_to_ogg_vorbis_of_the_same_length():
    import soundfile

    source = ogg(seconds=3)
    inspected = inspect_upload(
        SimpleUploadedFile("a.ogg", source), allowed=[Kind.AUDIO], limits=AUDIO_LIMITS
    )
    data, mime = audio_derivative(source)

    info = soundfile.info(io.BytesIO(data))
    assert mime == "audio/ogg"
    assert info.format == "OGG"
    assert info.subtype == "VORBIS"
    assert inspected.seconds == pytest.approx(3, abs=0.05)
    assert info.duration == pytest.approx(3, abs=0.05)


def test_f2_audio_derivative_is_cut_at_the_duration_limit():
    import soundfile

    data, _ = audio_derivative(ogg(seconds=3), max_seconds=1)

    assert soundfile.info(io.BytesIO(data)).duration == pytest.approx(1, abs=0.05)


def test_f2_pdf_derivative_keeps_every_page_and_its_text():
    from pypdf import PdfReader

    from tests.core.upload_corpus import reportlab_pdf

    data, mime = pdf_derivative(reportlab_pdf(3))

    reader = PdfReader(io.BytesIO(data))
    assert mime == "application/pdf"
    assert len(reader.pages) == 3
    assert "Consent form, page 3" in reader.pages[2].extract_text()


def test_f2_text_is_normalised_to_nfc_without_control_characters():
    assert text_derivative("Cafe\u0301\r\nbell\x07\x1b[31m") == "Café\nbell[31m"
