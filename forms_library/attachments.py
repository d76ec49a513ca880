"""What an attachment is, read from its first bytes, and how it is named.

A phone or a scanner may name a file after the wrong type (a PDF called
"scan.png"): the content decides, and the name is made to say it, so that the
social worker who downloads it opens it with the right program.
"""

from pathlib import PurePosixPath

import filetype

# The types a coordinator may allow, with the extensions and media types a
# browser's file picker knows them by.
TYPE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": ("pdf",),
    "jpg": ("jpg", "jpeg"),
    "png": ("png",),
    "heic": ("heic",),
}
TYPE_MEDIA: dict[str, str] = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
}

# filetype reads no more than this to recognise a type.
_HEAD_SIZE = 262


def detected_type(upload) -> str | None:
    """The attachment type the content is (a key of TYPE_EXTENSIONS), or None."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(_HEAD_SIZE)
    upload.seek(position)
    kind = filetype.guess_extension(head)
    return kind if kind in TYPE_EXTENSIONS else None


def named_as(name: str, kind: str) -> str:
    """The person's file name, ending as its type does: "scan.png" holding a
    PDF becomes "scan.pdf"; "photo.JPEG" holding a JPEG stays as it is."""
    path = PurePosixPath(name)
    if path.suffix[1:].lower() in TYPE_EXTENSIONS[kind]:
        return name
    stem = path.stem if _is_extension(path.suffix) else path.name
    return f"{stem}.{kind}"


def stored_extension(name: str) -> str:
    """The extension a stored copy of the file takes: the name's own, in
    lower case, when it looks like one; "bin" otherwise."""
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if _is_extension(suffix) else "bin"


def accepted_by_pickers(types: list[str]) -> str:
    """The `accept` attribute of a file input for these types: extensions and
    media types, as phones' pickers read one or the other."""
    return ",".join(
        [f".{extension}" for kind in types for extension in TYPE_EXTENSIONS[kind]]
        + [TYPE_MEDIA[kind] for kind in types]
    )


def _is_extension(suffix: str) -> bool:
    return 1 < len(suffix) <= 9 and suffix[1:].isalnum()
