import codecs

import pytest

from analysis.encoding import DecodeError, decode_bytes

TEXT = "Le président a déclaré « non » à l’idée — 600 000 soldats."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8 with BOM"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_decodes_common_encodings(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_latin1_text_is_read_without_loss():
    text = "Gar\u00e7on, cr\u00e8me br\u00fbl\u00e9e et \u00e0 la carte pour le d\u00e9jeuner du ministre."
    assert decode_bytes(text.encode("latin-1")).text == text


def test_mixed_utf8_and_cp1252_bytes_are_both_read():
    data = "Café and crème".encode() + b" then \x93quoted\x94 in cp1252."
    decoded = decode_bytes(data)
    assert decoded.text == "Café and crème then “quoted” in cp1252."
    assert "mixed" in decoded.encoding


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04" + b"\x00" * 40, "ZIP archive"),
        (b"text\x00with\x00nul\x00bytes", "NUL bytes"),
    ],
)
def test_binary_files_are_named(data, words):
    with pytest.raises(DecodeError, match=words):
        decode_bytes(data)


def test_control_character_soup_is_undecodable():
    with pytest.raises(DecodeError, match="undecodable"):
        decode_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20]) * 50)
