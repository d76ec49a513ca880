"""How an attachment is named: after what it holds, on disk without the
person's words."""

import io

import pytest

from forms_library.attachments import (
    accepted_by_pickers,
    detected_type,
    named_as,
    stored_extension,
)


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("scan.png", "pdf", "scan.pdf"),
        ("photo.JPEG", "jpg", "photo.JPEG"),
        ("photo.jpg", "jpg", "photo.jpg"),
        ("document", "pdf", "document.pdf"),
        ("avis d'impôt 2025.v2.png", "pdf", "avis d'impôt 2025.v2.pdf"),
        ("relevé. mars", "pdf", "relevé. mars.pdf"),
    ],
)
def test_a_name_ends_as_its_content(name, kind, expected):
    assert named_as(name, kind) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("scan.PDF", "pdf"),
        ("photo.heic", "heic"),
        ("document", "bin"),
        ("relevé. mars", "bin"),
        ("x." + "a" * 20, "bin"),
    ],
)
def test_a_stored_copy_takes_the_names_extension_or_bin(name, expected):
    assert stored_extension(name) == expected


def test_the_type_is_read_from_the_first_bytes_and_the_file_left_where_it_was():
    upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    upload.seek(3)
    assert detected_type(upload) == "pdf"
    assert upload.tell() == 3
    assert detected_type(io.BytesIO(b"MZ\x90\x00" + b"\0" * 60)) is None


def test_pickers_are_offered_extensions_and_media_types():
    assert accepted_by_pickers(["pdf", "jpg"]) == (
        ".pdf,.jpg,.jpeg,application/pdf,image/jpeg"
    )
