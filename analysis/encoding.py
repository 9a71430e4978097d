"""Turn the bytes of a supposed text file into text, or say precisely why that is not possible."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# File signatures of formats people drop into a folder of articles by mistake.
_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"ID3", "an MP3 file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
]

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Single-byte encodings a Western news corpus realistically arrives in, most likely first.
_LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "latin_1", "cp1250", "cp1251", "iso8859_2", "mac_roman"]

_LATIN_FAMILY = {"cp1252", "iso8859_15", "latin_1", "cp1250", "iso8859_2", "mac_roman"}
_OTHER_SCRIPTS = ["cp1251", "koi8_r", "iso8859_5", "cp1253", "iso8859_7", "cp1254", "cp1255", "cp1256", "cp1257"]

MIXED_ENCODING = "utf-8 mixed with cp1252"  # the encoding reported for UTF-8 text with stray cp1252 bytes

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not usable text; the message says why in words a user understands."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("briefing_cp1252_fallback", _cp1252_fallback)


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of data, or None when it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:8192]
    if any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        return None
    if b"\x00" in head:
        return "binary data (it contains NUL bytes)"
    return None


def _quality_ok(text: str) -> bool:
    if not text:
        return True
    controls = len(_CONTROL.findall(text[:200_000]))
    replacement = text[:200_000].count("\ufffd")
    sample = min(len(text), 200_000)
    return (controls + replacement) / sample < 0.01


def decode_bytes(data: bytes) -> Decoded:
    """Decode data as UTF-8 (with or without BOM), UTF-16/32 with BOM, mixed UTF-8/cp1252, or a legacy code page."""
    binary = sniff_binary(data)
    if binary:
        raise DecodeError(f"binary file: looks like {binary}, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable: has a {encoding} byte-order mark "
                                  f"but invalid bytes at {exc.start}") from exc
            return _checked(Decoded(text, "utf-8 with BOM" if encoding == "utf-8-sig" else encoding))
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    # Text pasted together from several sources: valid UTF-8 sequences plus stray cp1252 bytes.
    multibyte_utf8 = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
    if multibyte_utf8 >= 2:
        text = data.decode("utf-8", errors="briefing_cp1252_fallback")
        return _checked(Decoded(text, MIXED_ENCODING))
    best = from_bytes(data[:1_000_000], cp_isolation=_LEGACY_ENCODINGS + _OTHER_SCRIPTS).best()
    candidates = list(_LEGACY_ENCODINGS)
    # Detection cannot tell Western code pages apart on short texts (it offers cp1250 for French);
    # cp1252 is by far the likeliest for Latin-script news, so it wins unless another script is clear.
    if best is not None and best.encoding not in _LATIN_FAMILY:
        candidates.insert(0, best.encoding)
    for encoding in candidates:
        try:
            return _checked(Decoded(data.decode(encoding), encoding.replace("_", "-")))
        except (UnicodeDecodeError, DecodeError):
            continue
    raise DecodeError("undecodable: not valid UTF-8 and no known encoding reads it as text")


def _checked(decoded: Decoded) -> Decoded:
    if not _quality_ok(decoded.text):
        raise DecodeError(f"undecodable: decoding as {decoded.encoding} gives control characters, not text")
    return decoded
