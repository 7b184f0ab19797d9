"""Roster files shaped to cost far more to read than their size suggests.

Each builds in a second or less: an XLSX is written as raw XML into a zip, so a sheet of
hundreds of megabytes of cells costs only its compression. bench/hostile_uploads.py uploads
the same files.
"""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Target="xl/workbook.xml"
 Type="{RELATIONSHIPS}/officeDocument"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>
<sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE}">
<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
SHARED_STRINGS = ["platform", "handle", "instagram"]


def xlsx(sheet_data, *, dimension: str = "", strings=SHARED_STRINGS) -> bytes:
    """A workbook whose first sheet's <sheetData> is the given chunks of XML bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in sheet_data:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def five_rows() -> bytes:
    """A header (platform, handle) and four accounts, in shared strings and inline text."""
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>']
    rows += [
        f'<row r="{r}"><c r="A{r}" t="s"><v>2</v></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>creator{r}</t></is></c></row>'
        for r in range(2, 6)
    ]
    return "".join(rows).encode()


def xlsx_with_empty_cells() -> bytes:
    """About 21 KB: five rows, then one row of 20 MB of empty cells (five million of them)."""

    def sheet_data():
        yield five_rows()
        yield b'<row r="6">'
        for _ in range(20):
            yield b"<c/>" * 250_000
        yield b"</row>"

    return xlsx(sheet_data())


def xlsx_with_forged_dimension() -> bytes:
    """About 195 KB: a <dimension> of A1:XFD1048576, five rows, then a value in column XFD,
    the last one, on every 27th row down to row 1,048,576, the last one."""

    def sheet_data():
        yield five_rows()
        yield "".join(
            f'<row r="{r}"><c r="XFD{r}" t="s"><v>2</v></c></row>' for r in range(6, 1_048_577, 27)
        ).encode()

    return xlsx(sheet_data(), dimension="A1:XFD1048576")


def xlsx_with_many_rows(rows: int = 1_600_000) -> bytes:
    """About 780 KB: a header and 1.6 million accounts (115 MB of sheet XML)."""

    def sheet_data():
        yield five_rows()
        for start in range(0, rows, 10_000):
            yield "".join(
                f'<row><c t="s"><v>2</v></c><c t="inlineStr"><is><t>u{i % 200}</t></is></c></row>'
                for i in range(start, start + 10_000)
            ).encode()

    return xlsx(sheet_data())


def csv_with_a_million_commas() -> bytes:
    """About 1 MB: two accounts, then a row whose value sits after a million commas."""
    return b"platform,handle\ninstagram,anna\ntiktok,ben" + b"," * 1_000_000 + b"x\n"


def csv_with_a_wide_header(columns: int = 150_003) -> bytes:
    """About 1.2 MB: a header of 150,003 named columns and one account."""
    return (",".join(f"c{i}" for i in range(columns)) + "\ninstagram,anna\n").encode()


HOSTILE_FILES = {
    # name: (file name, builder, the words of the message that name the limit and the row)
    "xlsx-empty-cells": (
        "roster.xlsx",
        xlsx_with_empty_cells,
        "more than 2,000,000 cells, counting empty ones (reading stopped at row 6)",
    ),
    "xlsx-forged-dimension": (
        "roster.xlsx",
        xlsx_with_forged_dimension,
        "Row 6 has a value in column XFD, and a file may have at most 100 columns",
    ),
    "xlsx-1.6M-rows": (
        "roster.xlsx",
        xlsx_with_many_rows,
        "more than 50,000 rows (reading stopped at row 50,002)",
    ),
    "csv-million-commas": (
        "roster.csv",
        csv_with_a_million_commas,
        "Row 3 has a value in column number 1,000,002, and a file may have at most 100 columns",
    ),
    "csv-wide-header": (
        "roster.csv",
        csv_with_a_wide_header,
        "Row 1 has a value in column CW, and a file may have at most 100 columns",
    ),
}
