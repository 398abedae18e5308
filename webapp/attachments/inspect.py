"""Check that an upload is what its signature claims, through and through, and clean images.

Sniffing the first bytes names a type; these checks make sure the whole file is that type
and carries nothing that runs:

- a PDF must parse (pypdf) with at least one page, and carry no JavaScript, no launch
  action, no embedded program, and nothing after its last ``%%EOF`` but blanks (a program
  or an archive glued to a PDF makes a polyglot); every object of the file is looked at,
  wherever it hangs (an action in a /Next list, a file in an annotation), and even if
  nothing refers to it;
- a JPEG or PNG must decode (Pillow ``verify`` then a full load) within a pixel budget, and
  is re-encoded, so whatever was appended to it or hidden in its metadata is dropped;
- a Word document or workbook must be a zip within size limits whose parts hold no program
  (an MZ header, or a name such as .exe, .dll, .bat, .js, .vbs, .ps1), no macros
  (vbaProject.bin, macro-enabled content types, Excel 4 macro sheets) and no embedded OLE
  object packaging a program.

Each check raises `Unsafe` with the reason, in Chinese, for the caller to put beside the
file's name.
"""

from __future__ import annotations

import io
import logging
import struct
import warnings
import zipfile
from typing import IO

import olefile
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

PROGRAM_EXTENSIONS = (
    ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".bat", ".cmd",
    ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1", ".psm1", ".lnk",
    ".jar", ".sh", ".reg", ".inf", ".application", ".gadget", ".chm", ".docm", ".xlsm",
    ".pptm", ".dotm", ".xltm", ".xlam",
)  # fmt: skip
PROGRAM_HEADERS = (b"MZ", b"\x7fELF")
OLE_MAGIC = olefile.MAGIC
ZIP_MAGIC = b"PK\x03\x04"
MACRO_MARKS = ("macroenabled", "vbaproject", "macrosheet", "ms-excel.intl", "activex")
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
MAX_PARTS = 5000
MAX_DEPTH = 2  # a document embedded in a document is checked too, once
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused, not decoded
# Actions that run a script, start a program, send the form or open an embedded document;
# any action holding /JS (a /Rendition carries one) is refused too, whatever its /S says.
PDF_RISKY_ACTIONS = (
    "/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition", "/GoToE",
    "/RichMediaExecute",
)  # fmt: skip
PDF_FILE_NAMES = ("/F", "/UF", "/DOS", "/Mac", "/Unix")
# Far more than a long report holds (a page takes a handful); more is refused, not walked,
# as pypdf parses a few thousand objects a second.
MAX_PDF_OBJECTS = 100_000
PDF_CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)  # what may hold an action
PDF_TAIL = 4096
# pypdf logs every oddity it repairs in a real-world PDF; they are not errors of ours.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class Unsafe(ValueError):
    """The file is not safely what it claims to be; the message says why."""


def is_program_name(name: str) -> bool:
    """Tell whether a file name names something that runs."""
    return name.strip().strip("\x00").lower().endswith(PROGRAM_EXTENSIONS)


# ------------------------------------------------------------------------------------ PDF


def check_pdf(stream: IO[bytes]) -> None:
    """Refuse a PDF that does not parse, has no page, or carries code or a program."""
    _check_pdf_tail(stream)
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise Unsafe(_("是加密的 PDF，无法检查其内容，请去除密码后再上传"))
        if len(reader.pages) == 0:
            raise Unsafe(_("不是有效的 PDF 文件（没有页面）"))
        _check_pdf_code(reader)
        for name, contents in reader.attachments.items():
            if is_program_name(name) or any(c.startswith(PROGRAM_HEADERS) for c in contents):
                raise Unsafe(_("PDF 中嵌入了可执行程序"))
    except Unsafe:
        raise
    except Exception as exc:  # pypdf raises many kinds on a broken file; all mean "not a PDF"
        raise Unsafe(_("不是完整有效的 PDF 文件，或文件已损坏")) from exc
    finally:
        stream.seek(0)


def _check_pdf_tail(stream: IO[bytes]) -> None:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - PDF_TAIL))
    tail = stream.read()
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail[end + 5 :].strip(b"\r\n\t \x00\x0c"):
        raise Unsafe(_("PDF 文件结尾之后附加了其他数据"))


def _check_pdf_code(reader: PdfReader) -> None:
    """Refuse a script or program in any object of the file, reachable or not."""
    names = _entry(reader.trailer["/Root"], "/Names")
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        raise Unsafe(_("PDF 中含有脚本（JavaScript）"))
    for dictionary in _pdf_dictionaries(reader):
        if "/JS" in dictionary or _entry(dictionary, "/S") in PDF_RISKY_ACTIONS:
            raise Unsafe(_("PDF 中含有脚本或启动程序的动作"))
        if _embeds_program(dictionary):
            raise Unsafe(_("PDF 中嵌入了可执行程序"))


def _pdf_dictionaries(reader: PdfReader):
    """Yield every dictionary of the file: each numbered object and all nested in it."""
    pending: list[object] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    if len(pending) > MAX_PDF_OBJECTS:  # refused before a minute is spent parsing them
        raise Unsafe(_("PDF 文件的对象过多，无法检查"))
    seen: set[tuple[int, int]] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise Unsafe(_("PDF 文件的对象过多，无法检查"))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            pending.extend(v for v in item.values() if isinstance(v, PDF_CONTAINERS))  # unresolved
        elif isinstance(item, ArrayObject):
            pending.extend(v for v in item if isinstance(v, PDF_CONTAINERS))


def _embeds_program(dictionary: DictionaryObject) -> bool:
    """Tell whether a file specification or embedded file stream holds a program."""
    streams = []
    if isinstance(dictionary, StreamObject) and _entry(dictionary, "/Type") == "/EmbeddedFile":
        streams.append(dictionary)
    files = _entry(dictionary, "/EF")
    if isinstance(files, DictionaryObject):
        names = (_entry(dictionary, key) for key in PDF_FILE_NAMES)
        if any(isinstance(name, str) and is_program_name(name) for name in names):
            return True
        streams.extend(files[key] for key in files)
    return any(
        isinstance(stream, StreamObject) and stream.get_data().startswith(PROGRAM_HEADERS)
        for stream in streams
    )


def _entry(dictionary: DictionaryObject, key: str) -> object:
    """Return a dictionary's value for key, resolved if it refers to another object."""
    try:
        return dictionary[key]  # pypdf resolves here; its .get() hands back the reference
    except KeyError:
        return None


# --------------------------------------------------------------------------------- images

IMAGE_FORMATS = {"jpg": "JPEG", "png": "PNG"}


def clean_image(stream: IO[bytes], kind: str) -> bytes:
    """Decode an image fully and return it re-encoded (appended data and metadata dropped)."""
    expected = IMAGE_FORMATS[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            stream.seek(0)
            with Image.open(stream) as probe:
                if probe.format != expected:
                    raise Unsafe(_("图片内容与其格式不符"))
                if probe.width * probe.height > MAX_PIXELS:
                    raise Unsafe(_("图片尺寸过大（超过 %(n)s 万像素）", n=MAX_PIXELS // 10_000))
                probe.verify()
            stream.seek(0)
            with Image.open(stream) as image:
                image.load()
                return _encode(ImageOps.exif_transpose(image), expected)
    except Unsafe:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise Unsafe(_("不是完整有效的图片文件，或文件已损坏")) from exc
    finally:
        stream.seek(0)


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        extra = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
        image.save(out, "PNG", optimize=True, **extra)
    return out.getvalue()


# ---------------------------------------------------------------------- Office Open XML


def check_ooxml(stream: IO[bytes]) -> None:
    """Refuse a Word document or workbook carrying a program, macros or a zip bomb."""
    try:
        _check_package(stream, depth=0)
    finally:
        stream.seek(0)


def _check_package(stream: IO[bytes], depth: int) -> None:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unsafe(_("不是完整有效的 Office 文档，或文件已损坏")) from exc
    with archive:
        parts = archive.infolist()
        _check_sizes(parts)
        for part in parts:
            name = part.filename.lower()
            base = name.rsplit("/", 1)[-1]
            if is_program_name(base):
                raise Unsafe(_("文档中含有可执行文件（%(name)s）", name=base))
            if base.startswith("vbaproject") or base == "vbadata.xml":
                raise Unsafe(_("文档中含有宏，请另存为不含宏的 .docx 或 .xlsx 后上传"))
            if name == "[content_types].xml":
                types = archive.read(part)[: 1024 * 1024].decode("utf-8", "replace").lower()
                if any(mark in types for mark in MACRO_MARKS):
                    raise Unsafe(_("文档中含有宏，请另存为不含宏的 .docx 或 .xlsx 后上传"))
                continue
            if part.is_dir():
                continue
            with archive.open(part) as member:
                head = member.read(8)
            if head.startswith(PROGRAM_HEADERS):
                raise Unsafe(_("文档中含有可执行文件（%(name)s）", name=base))
            if head == OLE_MAGIC:
                _check_ole(archive.read(part), base)
            elif head.startswith(ZIP_MAGIC) and depth < MAX_DEPTH:
                _check_package(io.BytesIO(archive.read(part)), depth + 1)


def _check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(p.file_size for p in parts)
    ratios = (
        p.file_size / max(p.compress_size, 1) for p in parts if p.file_size > RATIO_FROM_BYTES
    )
    if (
        len(parts) > MAX_PARTS
        or unpacked > MAX_UNPACKED_BYTES
        or max(ratios, default=0) > MAX_RATIO
    ):
        raise Unsafe(_("文档解压后过大或压缩比异常，可能是恶意构造的文件"))


def _check_ole(data: bytes, name: str) -> None:
    """Refuse an embedded OLE object that packages a program or holds macros."""
    try:
        ole = olefile.OleFileIO(data)
    except Exception as exc:  # olefile raises several kinds on a broken compound file
        raise Unsafe(_("文档中的嵌入对象（%(name)s）已损坏，无法检查", name=name)) from exc
    with ole:
        for path in ole.listdir(streams=True, storages=True):
            lowered = [p.lower() for p in path]
            if "vba" in lowered or "macros" in lowered or "_vba_project" in lowered:
                raise Unsafe(_("文档中含有宏，请另存为不含宏的 .docx 或 .xlsx 后上传"))
            if ole.get_type(path) != olefile.STGTY_STREAM:
                continue
            content = ole.openstream(path).read()
            packaged = _native_file(content) if path[-1] == "\x01Ole10Native" else None
            if content.startswith(PROGRAM_HEADERS) or (
                packaged
                and (is_program_name(packaged[0]) or packaged[1].startswith(PROGRAM_HEADERS))
            ):
                raise Unsafe(_("文档中嵌入了可执行程序（%(name)s）", name=name))


def _native_file(content: bytes) -> tuple[str, bytes] | None:
    """Read the file name and data an OLE Package object wraps (its Ole10Native stream)."""
    try:
        at = 6  # total size (4), flags (2)
        label_end = content.index(b"\x00", at)
        path_end = content.index(b"\x00", label_end + 1)
        name = content[at:label_end].decode("latin-1")
        source = content[label_end + 1 : path_end].decode("latin-1")
        at = path_end + 1 + 4  # two reserved words
        (temp_size,) = struct.unpack_from("<I", content, at)
        at += 4 + temp_size
        (data_size,) = struct.unpack_from("<I", content, at)
        data = content[at + 4 : at + 4 + data_size]
    except (ValueError, struct.error):
        # Not the layout we know: judge by the DOS stub every Windows program carries.
        return ("", b"MZ" if b"This program cannot be run in DOS mode" in content else b"")
    program = name if is_program_name(name) else source
    return program, data
