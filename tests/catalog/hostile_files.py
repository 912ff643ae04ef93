"""Small generators of hostile import files: each builds in well under a second and stays small on disk."""

import io
import zipfile
from collections.abc import Iterable

HEADER = ["slug", "title_zh", "title_en", "category", "summary_zh", "pricing_mode", "price", "price_unit",
          "turnaround_days", "standards", "status"]  # fmt: skip
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{NS}" xmlns:r="{_REL}"><sheets><sheet name="services" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}


def cells(values: Iterable[str]) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)


def sheet(*rows: str, prolog: str = "", header: Iterable[str] = HEADER) -> bytes:
    """A worksheet part whose rows are given as XML (`<row>...</row>`), after the header row."""
    body = f'<row r="1">{cells(header)}</row>' + "".join(rows)
    return f'{prolog}<worksheet xmlns="{NS}"><sheetData>{body}</sheetData></worksheet>'.encode()


def xlsx(sheet_part: bytes | Iterable[bytes] | None = None, strings: bytes | Iterable[bytes] | None = None) -> bytes:
    """A minimal workbook; the worksheet and shared-string parts may be streamed chunks (deflated as written)."""
    parts = {
        "xl/worksheets/sheet1.xml": sheet() if sheet_part is None else sheet_part,
        "xl/sharedStrings.xml": f'<sst xmlns="{NS}"/>'.encode() if strings is None else strings,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in _PARTS.items():
            zf.writestr(name, text)
        for name, content in parts.items():
            with zf.open(name, "w", force_zip64=True) as fh:
                for chunk in [content] if isinstance(content, bytes) else content:
                    fh.write(chunk)
    return out.getvalue()


def blank_lines_csv(size: int = 10 * 1024 * 1024) -> bytes:
    """A header and then nothing but line breaks (the issue's 10 MB file)."""
    head = (",".join(HEADER) + "\n").encode()
    return head + b"\n" * (size - len(head))


def shared_string_bomb(size: int) -> bytes:
    """One shared string of `size` bytes of "A": deflate packs 400 MB into 400 KB."""

    def strings() -> Iterable[bytes]:
        yield f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>'.encode()
        block = b"A" * (1024 * 1024)
        for _ in range(size // len(block)):
            yield block
        yield b"</t></si></sst>"

    return xlsx(sheet('<row r="2"><c t="s"><v>0</v></c></row>'), strings())


def wide_header_bomb(n: int = 1_000_000) -> bytes:
    """A header row of a million cells (about 110 KB as a file)."""

    def part() -> Iterable[bytes]:
        yield f'<worksheet xmlns="{NS}"><sheetData><row r="1">'.encode()
        cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
        for _ in range(n // 10_000):
            yield cell * 10_000
        yield b"</row></sheetData></worksheet>"

    return xlsx(part())


def empty_cells_bomb(n: int = 2_000_000) -> bytes:
    """A data row of millions of empty cells, none of them beyond a column limit (no `r` attribute)."""

    def part() -> Iterable[bytes]:
        yield f'<worksheet xmlns="{NS}"><sheetData><row r="1">{cells(HEADER)}</row><row r="2">'.encode()
        for _ in range(n // 100_000):
            yield b"<c/>" * 100_000
        yield b"</row></sheetData></worksheet>"

    return xlsx(part())


def huge_inline_cell(size: int) -> bytes:
    """A second row whose first cell holds `size` characters inline."""

    def part() -> Iterable[bytes]:
        yield f'<worksheet xmlns="{NS}"><sheetData><row r="1">{cells(HEADER)}</row>'.encode()
        yield b'<row r="2"><c t="inlineStr"><is><t>'
        for _ in range(size // (1024 * 1024)):
            yield b"A" * (1024 * 1024)
        yield b"</t></is></c></row></sheetData></worksheet>"

    return xlsx(part())


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


CORNER_ROW = ["corner-1", "角落", "", "mechanical-testing", "", "per_unit", "1", "", "3", "", "draft"]


def declared_corner_xlsx() -> bytes:
    """The issue's file: a couple of kilobytes whose worksheet declares `A1:XFD1048576` (every row and column
    a sheet may have) and holds a header, one data row and one cell in the sheet's last row and column."""
    part = (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{cells(HEADER)}</row>'
        f'<row r="2">{cells(CORNER_ROW)}</row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return xlsx(part)
