"""Audio: structure, length and metadata checks, and the re-encoded derivative."""

from __future__ import annotations

import io
import struct

from django.core.exceptions import ValidationError

from twinning.core.uploads.policy import (
    MAX_AUDIO_CHANNELS,
    MAX_METADATA_BYTES,
    Kind,
    UploadLimits,
    refuse,
)
from twinning.core.uploads.sniffing import _id3_end


def _check_wav_structure(data: bytes) -> None:
    """RIFF sizes must match the file: a header that promises more (or other) data than the
    file holds is refused."""
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 not in (len(data), len(data) - 1) and riff_size + 8 > len(data):
        raise refuse("audio_lying_header")
    at = 12
    fmt = None
    data_size = None
    while at + 8 <= len(data):
        ctype, length = struct.unpack("<4sI", data[at : at + 8])
        if at + 8 + length > len(data):
            raise refuse("audio_lying_header")
        if ctype == b"fmt ":
            fmt = data[at + 8 : at + 8 + length]
        elif ctype == b"data":
            data_size = length
        at += 8 + length + (length & 1)
    if fmt is None or data_size is None or len(fmt) < 16:
        raise refuse("audio_lying_header")
    tag, channels, rate, byte_rate, align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if channels == 0 or rate == 0 or bits == 0 or align == 0:
        raise refuse("audio_lying_header")
    if tag == 1 and (align != channels * ((bits + 7) // 8) or byte_rate != rate * align):
        raise refuse("audio_lying_header")


_MUTAGEN_TYPES = {
    "MP3": ("MP3",),
    "WAV": ("WAVE",),
    "FLAC": ("FLAC",),
    "OGG": ("OggVorbis", "OggOpus", "OggFLAC"),
}


def _audio_metadata_bytes(data: bytes) -> int:
    """Bytes of a leading ID3v2 tag plus FLAC metadata blocks other than STREAMINFO and
    SEEKTABLE (comments, pictures, padding, application data)."""
    total = _id3_end(data)
    at = total
    if data[at : at + 4] == b"fLaC":
        at += 4
        while at + 4 <= len(data):
            header = data[at]
            length = int.from_bytes(data[at + 1 : at + 4], "big")
            if header & 0x7F not in (0, 3):
                total += length
            at += 4 + length
            if header & 0x80:  # last metadata block
                break
    return total


def _check_audio(data: bytes, fmt: str, limits: UploadLimits) -> float:
    import mutagen

    if _audio_metadata_bytes(data) > MAX_METADATA_BYTES:
        raise refuse("audio_metadata")
    if fmt == "WAV":
        _check_wav_structure(data)
    try:
        info = mutagen.File(io.BytesIO(data))
    except Exception as error:  # mutagen raises many types for damaged files
        raise refuse("audio_invalid") from error
    if info is None or type(info).__name__ not in _MUTAGEN_TYPES[fmt] or info.info is None:
        raise refuse("audio_invalid")
    claimed = float(getattr(info.info, "length", 0) or 0)
    if claimed <= 0:
        raise refuse("audio_invalid")
    if claimed > limits.max_seconds:
        raise refuse("audio_too_long", seconds=round(claimed), limit=round(limits.max_seconds))
    decoded = _decoded_seconds(data, limits)
    if decoded > limits.max_seconds + 1:
        raise refuse("audio_lying_header")
    if decoded <= 0 or abs(decoded - claimed) > max(1.0, claimed * 0.05):
        raise refuse("audio_lying_header")
    return round(decoded, 3)


def _decoded_seconds(data: bytes, limits: UploadLimits) -> float:
    """Decode it all (in blocks, so memory stays small): what plays must match what the
    header claims. Stops a little after the duration limit."""
    import soundfile

    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            if sound.channels > MAX_AUDIO_CHANNELS:
                raise refuse("audio_channels", channels=sound.channels, limit=MAX_AUDIO_CHANNELS)
            rate = sound.samplerate
            frames = 0
            budget = int(rate * (limits.max_seconds + 2))
            while frames <= budget:
                block = sound.read(65536, dtype="int16")
                if not len(block):
                    break
                frames += len(block)
    except ValidationError:
        raise
    except Exception as error:  # libsndfile errors (RuntimeError, LibsndfileError, ...)
        raise refuse("audio_invalid") from error
    return frames / rate if rate else 0


def _strip_ogg_tags(data: bytes) -> bytes:
    """libsndfile writes an "encoder" comment: remove every tag, keep only the stream."""
    import mutagen

    buffer = io.BytesIO(data)
    tagged = mutagen.File(buffer)
    if tagged is not None and tagged.tags is not None and len(tagged.tags):
        buffer.seek(0)
        tagged.delete(buffer)
    return buffer.getvalue()


def audio_derivative(data: bytes, *, max_seconds: float = 300) -> tuple[bytes, str]:
    """(bytes, mime): the audio decoded and re-encoded as Ogg Vorbis (FLAC when Vorbis cannot
    take the stream), at most `max_seconds` long, with no tags, cover art or comments (UPL-3).
    Raises ValidationError when it cannot be decoded or re-encoded (PRIV-9)."""
    import soundfile

    for fmt, subtype, mime in (("OGG", "VORBIS", "audio/ogg"), ("FLAC", "PCM_16", "audio/flac")):
        try:
            with soundfile.SoundFile(io.BytesIO(data)) as source:
                if source.channels > MAX_AUDIO_CHANNELS:
                    raise refuse(
                        "audio_channels", channels=source.channels, limit=MAX_AUDIO_CHANNELS
                    )
                remaining = int(source.samplerate * max_seconds)
                out = io.BytesIO()
                with soundfile.SoundFile(
                    out,
                    "w",
                    samplerate=source.samplerate,
                    channels=source.channels,
                    format=fmt,
                    subtype=subtype,
                ) as target:
                    written = 0
                    while remaining > 0:
                        block = source.read(min(65536, remaining), dtype="float32", always_2d=True)
                        if not len(block):
                            break
                        target.write(block)
                        remaining -= len(block)
                        written += len(block)
            if written == 0:
                raise refuse("audio_invalid")
            return _strip_ogg_tags(out.getvalue()), mime
        except ValidationError:
            raise
        except Exception as error:
            last_error = error
            continue
    raise refuse("reencode_failed", accepted=Kind.AUDIO.label) from last_error
