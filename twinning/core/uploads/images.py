"""Images: checks before decoding (bombs, metadata size) and derivatives rebuilt in sRGB."""

from __future__ import annotations

import io
import struct
import warnings

from django.core.exceptions import ValidationError

from twinning.core.uploads.policy import (
    DISPLAY_SIZE,
    IMAGE_LIMITS,
    MAX_METADATA_BYTES,
    THUMB_SIZE,
    Kind,
    UploadLimits,
    refuse,
)


def _jpeg_metadata_bytes(data: bytes) -> int:
    total, at = 0, 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn (EXIF, XMP, ICC, IPTC), comment
            total += length
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        at += 2 + length
    return total


def _png_metadata_bytes(data: bytes) -> int:
    total, at = 0, 8
    while at + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[at : at + 8])
        if ctype in (b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"eXIf"):
            total += length
        if ctype == b"IEND":
            break
        at += 12 + length
    return total


def _webp_metadata_bytes(data: bytes) -> int:
    total, at = 0, 12
    while at + 8 <= len(data):
        ctype, length = struct.unpack("<4sI", data[at : at + 8])
        if ctype in (b"EXIF", b"XMP ", b"ICCP"):
            total += length
        at += 8 + length + (length & 1)
    return total


_METADATA_BYTES = {
    "JPEG": _jpeg_metadata_bytes,
    "PNG": _png_metadata_bytes,
    "WEBP": _webp_metadata_bytes,
}


def _open_image(data: bytes, limits: UploadLimits):
    """Open (header only) and check the size before any pixel is decoded."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
        except Image.DecompressionBombError as error:
            raise refuse(
                "image_too_many_pixels",
                pixels="> " + f"{limits.max_pixels:,}",
                limit=f"{limits.max_pixels:,}",
            ) from error
        except OSError as error:
            if "truncat" in str(error).lower():
                raise refuse("image_truncated") from error
            raise refuse("image_invalid") from error
        except (ValueError, SyntaxError, struct.error, Image.DecompressionBombWarning) as error:
            raise refuse("image_invalid") from error
    width, height = image.size
    if width < 1 or height < 1:
        raise refuse("image_invalid")
    if width > limits.max_side or height > limits.max_side:
        raise refuse("image_too_wide", width=width, height=height, limit=limits.max_side)
    if width * height > limits.max_pixels:
        raise refuse(
            "image_too_many_pixels", pixels=f"{width * height:,}", limit=f"{limits.max_pixels:,}"
        )
    return image


def _check_image(data: bytes, fmt: str, limits: UploadLimits) -> tuple[int, int]:
    from PIL import Image

    try:
        if _METADATA_BYTES[fmt](data) > MAX_METADATA_BYTES:
            raise refuse("image_metadata")
    except struct.error as error:
        raise refuse("image_invalid") from error
    image = _open_image(data, limits)
    if image.format != fmt:
        raise refuse("image_invalid")
    size = image.size
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
        except OSError as error:
            if "truncat" in str(error).lower():
                raise refuse("image_truncated") from error
            raise refuse("image_invalid") from error
        except (
            ValueError,
            SyntaxError,
            struct.error,
            EOFError,
            Image.DecompressionBombWarning,
        ) as error:
            raise refuse("image_invalid") from error
        finally:
            image.close()
    return size


def _to_srgb(image):
    """An RGB or RGBA image in sRGB, whatever the mode (CMYK, 16-bit, palette, grey) and ICC
    profile of the original."""
    from PIL import ImageCms

    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit (or 32-bit) grey: scale to 8 bits instead of clipping at 255.
        high = 65535 if image.mode.startswith("I;16") else max(image.getextrema()[1], 1)
        image = image.convert("I").point(lambda v: v * (255 / high)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target = ImageCms.createProfile("sRGB")
            if image.mode in ("CMYK", "RGB", "L") or (image.mode == "RGBA"):
                mode = "RGBA" if image.mode == "RGBA" else "RGB"
                converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass
    if image.mode == "CMYK" and not icc:
        # Adobe writes inverted CMYK JPEGs; Pillow already undoes that on decode.
        return image.convert("RGB")
    return image.convert("RGBA" if has_alpha else "RGB")


def _encode_image(image, size: int, fmt: str) -> bytes:
    from PIL import Image

    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    # Rebuild from raw pixels: nothing of the original's info (EXIF, XMP, ICC, text) survives.
    clean = Image.frombytes(copy.mode, copy.size, copy.tobytes())
    if fmt == "JPEG" and clean.mode == "RGBA":
        background = Image.new("RGB", clean.size, (255, 255, 255))
        background.paste(clean, mask=clean.getchannel("A"))
        clean = background
    out = io.BytesIO()
    if fmt == "WEBP":
        clean.save(out, "WEBP", quality=85, method=4)
    else:
        clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def image_derivatives(
    data: bytes,
    *,
    display_size: int = DISPLAY_SIZE,
    thumb_size: int = THUMB_SIZE,
    fmt: str = "WEBP",
    limits: UploadLimits = IMAGE_LIMITS,
) -> dict[str, tuple[bytes, str]]:
    """{"display": (bytes, mime), "thumb": (bytes, mime)}: the image re-encoded as WebP (or
    JPEG) with EXIF orientation applied, converted to sRGB, at most `display_size` and
    `thumb_size` pixels a side, with no metadata at all (UPL-3, PRIV-9). Raises ValidationError when
    the image cannot be decoded or re-encoded."""
    from PIL import Image, ImageOps

    mime = "image/webp" if fmt == "WEBP" else "image/jpeg"
    image = _open_image(data, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image) or image
            rgb = _to_srgb(image)
            return {
                "display": (_encode_image(rgb, display_size, fmt), mime),
                "thumb": (_encode_image(rgb, thumb_size, fmt), mime),
            }
    except ValidationError:
        raise
    except Exception as error:  # any decoder failure means: cannot be re-encoded (PRIV-9)
        raise refuse("reencode_failed", accepted=Kind.IMAGE.label) from error
