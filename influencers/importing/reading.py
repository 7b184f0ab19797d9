"""Reading roster files as a stream, with limits checked while reading.

What a read costs is bounded by what it reads, never by the file's size: an XLSX is a zip, so
22 KB can unpack to 20 MB of empty cells, and one CSV line can hold a million commas. A file
is read once, row by row, and the first limit reached stops the read with a message that names
the limit and the row.

Row numbers are the spreadsheet's: the header is the first row with a value, blank rows are
skipped but keep their numbers, and a cell's text is stripped.

An XLSX is read here rather than by openpyxl's read-only worksheet, which trusts the sheet's
<dimension> (a forged one pads every row to column XFD and every sheet to row 1,048,576),
parses a whole sheet without one when it is opened, and builds each <row> whole before
handing it over (a 21 KB file of one 5-million-cell row took 18 s and 1.6 GB). Here expat
streams the parts, nothing keeps a tree, and every cell counts as it is parsed. openpyxl
still decides what a number format means (dates) and how a serial becomes a date.
"""

import codecs
import csv
import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from xml.parsers import expat

from django.core.exceptions import ValidationError
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

MAX_FILE_MB = 10
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_ROWS = 50_000  # data rows, blank ones aside
MAX_COLUMNS = 100  # empty cells at the end of a row do not count
# A bio is the longest text a roster holds: 150 characters on Instagram, 1,000 on YouTube.
MAX_CELL_CHARS = 2_000
# Every cell a reader produces counts, empty or not (in a CSV every comma makes one), and a row
# without cells counts as one: 50,000 rows of the 29 columns of a directory export are 1.45
# million.
MAX_CELLS = 2_000_000
# An XLSX may repeat one long shared text in every cell, which the limits above allow to make
# 4 billion characters. A 50,000-row directory export holds about 13 million.
MAX_TEXT_CHARS = 25_000_000
# An .xlsx unpacks to several times its size; a legitimate 50,000-row sheet is well under this.
MAX_XLSX_UNPACKED_MB = 200
# The styles part is the one whose contents are kept (a number format per cell style).
MAX_XLSX_STYLES_MB = 10
HEAD_BYTES = 64 * 1024  # what an upload is sniffed by
XML_CHUNK = 64 * 1024
# Nodes that are no cells (formatting, links, anything) cost time too: every part is held to
# this many expat events (a tag opening or closing, a piece of text). The sheet of a
# 50,000-row directory export makes 9 million.
MAX_XML_EVENTS = 20_000_000
MAX_XML_DEPTH = 64
# Expat keeps a tag, comment or instruction whole until it ends; a megabyte without one ending
# is no workbook.
MAX_XML_TOKEN = 1024 * 1024
MAX_CELL_NODES = 10_000  # rich-text runs and their formatting inside one cell

MSG_TOO_LARGE = (
    f"The file is larger than {MAX_FILE_MB} MB. Split it into smaller files and import them "
    "one after another."
)
MSG_NOT_UTF8 = "The file is not UTF-8 text. In Excel use Save As → CSV UTF-8."
MSG_BINARY_CSV = (
    "The file is not a CSV text file (it contains binary data). Upload a .csv saved as "
    "CSV UTF-8, or an .xlsx workbook."
)
MSG_NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx). In Excel use Save As → Excel Workbook (.xlsx) "
    "or CSV UTF-8."
)
MSG_OLD_XLS = (
    "Old .xls workbooks cannot be read. In Excel use Save As → Excel Workbook (.xlsx) or CSV UTF-8."
)
MSG_EXTENSION = "Upload a .csv or .xlsx file."
MSG_EMPTY = "The file has no rows under its header row."
MSG_FILE_GONE = "The uploaded file is no longer available. Upload it again."
MSG_SAME_COLUMN = "The file has two columns named “{name}”: rename or remove one."
MSG_CSV = "The file could not be read as CSV (row {row:,}: {detail}). Check quotes and separators."
# The limits' messages: {limit} is filled in when one is reached, {stop} says at which row.
MSG_TOO_MANY_ROWS = (
    "The file has more than {limit:,} rows{stop}. Split it into smaller files and import them "
    "one after another."
)
MSG_TOO_MANY_COLUMNS = (
    "Row {row:,} has a value in column {column}, and a file may have at most {limit} columns. "
    "Delete the columns the import does not need and upload the file again."
)
MSG_CELL_TOO_LONG = (
    "Row {row:,} has a cell longer than {limit:,} characters{where}. Shorten it and upload the "
    "file again."
)
MSG_OPEN_QUOTE = " A quote that is never closed makes the rest of a CSV file one long cell."
MSG_TOO_MANY_CELLS = (
    "The file has more than {limit:,} cells, counting empty ones{stop}. Delete the empty rows "
    "and columns around the data, or split the file."
)
MSG_TOO_MUCH_TEXT = (
    "The file holds more than {limit:,} characters of text{stop}. Split it into smaller files "
    "and import them one after another."
)
MSG_XLSX_UNPACKED = (
    "The workbook unpacks to more than {limit} MB. Delete what the import does not need (other "
    "sheets, pictures), or use Save As → CSV UTF-8."
)
MSG_XLSX_NODES = (
    "The workbook holds far more than its cells (one of its parts goes on past {limit:,} XML "
    "nodes). Delete the formatting and anything else the import does not need, or use Save As "
    "→ CSV UTF-8."
)
MSG_XLSX_STYLES = (
    "The workbook's formatting alone is larger than {limit} MB. In Excel use Save As → CSV "
    "UTF-8 and upload that."
)


def check_upload(upload) -> None:
    """The checks an upload gets before it is stored: size, extension and its first bytes.

    Cheap whatever the file holds, so the web request answers at once; the rest of the file is
    read by the worker. Raises ValidationError with a message for the user.
    """
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(MSG_TOO_LARGE)
    extension = Path(upload.name).suffix.lower()
    if extension == ".xls":
        raise ValidationError(MSG_OLD_XLS)
    if extension not in (".csv", ".xlsx"):
        raise ValidationError(MSG_EXTENSION)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if extension == ".xlsx":
        if not head.startswith(b"PK\x03\x04"):  # an .xlsx is a zip archive
            raise ValidationError(MSG_NOT_XLSX)
    else:
        _check_csv_head(head)


def _check_csv_head(head: bytes) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, Excel's "Unicode Text"
        raise ValidationError(MSG_NOT_UTF8)
    if b"\x00" in head:
        raise ValidationError(MSG_BINARY_CSV)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)  # a cut character at the end is fine
    except UnicodeDecodeError:
        raise ValidationError(MSG_NOT_UTF8) from None


class Sheet:
    """A roster file being read: its header row at once, then its data rows one at a time.

    Iterating yields (row number, cells) for every row with a value; `columns` names the
    columns once the rows have been read.
    """

    def __init__(self, file, name: str):
        budget = _Budget()
        extension = Path(name).suffix.lower()
        if extension == ".csv":
            records = _csv_records(file, budget)
        elif extension == ".xlsx":
            records = _xlsx_records(file, budget)
        else:
            raise ValidationError(MSG_EXTENSION)
        self._rows = _rows(records, budget)
        first = next(self._rows, None)
        if first is None:
            raise ValidationError(MSG_EMPTY)
        self.header = first[1]
        named = [name for name in self.header if name]
        if len(set(named)) < len(named):
            twice = next(name for name in named if named.count(name) > 1)
            raise ValidationError(MSG_SAME_COLUMN.format(name=_shown(twice)))
        self._right_of_header: set[int] = set()  # positions there with a value in some row
        self.data_rows = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        for number, cells in self._rows:
            self.data_rows += 1
            self._right_of_header.update(i for i in range(width, len(cells)) if cells[i])
            yield number, cells
        if not self.data_rows:
            raise ValidationError(MSG_EMPTY)

    @property
    def columns(self) -> list[str]:
        """One name per cell position; "" where a position is no column.

        A header cell without a name is "Unnamed: <position>", as pandas calls it, and so is a
        position right of the header with a value in some row (a trailing comma on the data
        rows then keeps every value in its column); one empty all the way down is no column.
        """
        width = max([len(self.header), *(i + 1 for i in self._right_of_header)])
        return [
            (self.header[i] if i < len(self.header) else "")
            or (f"Unnamed: {i}" if i < len(self.header) or i in self._right_of_header else "")
            for i in range(width)
        ]


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _column_name(number: int) -> str:
    """Column 28 as a spreadsheet shows it (AB), or by number past the last one (XFD)."""
    return get_column_letter(number) if number <= 16_384 else f"number {number:,}"


def _stopped(row: int | None) -> str:
    return f" (reading stopped at row {row:,})" if row else ""


def _too_many_columns(row: int, column: int) -> str:
    return MSG_TOO_MANY_COLUMNS.format(row=row, column=_column_name(column), limit=MAX_COLUMNS)


def _too_long(row: int, where: str = "") -> str:
    return MSG_CELL_TOO_LONG.format(row=row, limit=MAX_CELL_CHARS, where=where)


class _Budget:
    """What a read has cost so far; the first limit reached stops it."""

    def __init__(self):
        self.cells = 0
        self.text = 0

    def spend_cells(self, count: int, row: int | None) -> None:
        self.cells += max(count, 1)
        if self.cells > MAX_CELLS:
            raise ValidationError(MSG_TOO_MANY_CELLS.format(limit=MAX_CELLS, stop=_stopped(row)))

    def spend_text(self, count: int, row: int | None) -> None:
        self.text += count
        if self.text > MAX_TEXT_CHARS:
            raise ValidationError(
                MSG_TOO_MUCH_TEXT.format(limit=MAX_TEXT_CHARS, stop=_stopped(row))
            )


def _rows(records, budget: _Budget) -> Iterator[tuple[int, list[str]]]:
    """The records that have a value, stripped and held to the limits; the header first."""
    data_rows = -1  # the first row with a value is the header
    for number, record in records:
        if len(record) > MAX_COLUMNS:
            # Past the limit only empty cells may follow; look before copying the record.
            column = next((i for i in range(MAX_COLUMNS, len(record)) if record[i].strip()), -1)
            if column >= 0:
                raise ValidationError(_too_many_columns(number, column + 1))
            record = record[:MAX_COLUMNS]
        cells = [cell.strip() for cell in record]
        width = len(cells)
        while width and not cells[width - 1]:
            width -= 1
        if not width:
            continue
        del cells[width:]
        for position, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                raise ValidationError(_too_long(number, f" (column {_column_name(position + 1)})"))
        budget.spend_text(sum(map(len, cells)), number)
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise ValidationError(MSG_TOO_MANY_ROWS.format(limit=MAX_ROWS, stop=_stopped(number)))
        yield number, cells


# --- CSV -------------------------------------------------------------------------------------


def _csv_records(file, budget: _Budget) -> Iterator[tuple[int, list[str]]]:
    """Every record of a CSV file with its row number, decoded as it is read."""
    _check_csv_head(file.read(HEAD_BYTES))
    file.seek(0)
    # utf-8-sig: with or without Excel's byte-order mark. newline="" as the csv module wants.
    lines = _text_lines(io.TextIOWrapper(file, encoding="utf-8-sig", newline=""))
    number = 0
    try:
        for line in lines:
            number += 1
            if line.strip():
                break
            budget.spend_cells(0, number)
        else:
            raise ValidationError(MSG_EMPTY)
        # Excel in many European locales saves CSV with semicolons; quoted names aside.
        header = "".join(line.split('"')[::2])
        separator = max([",", ";", "\t"], key=header.count)
        reader = csv.reader(chain([line], lines), delimiter=separator, strict=True)
        number -= 1
        for record in reader:
            number += 1
            budget.spend_cells(len(record), number)
            yield number, record
    except UnicodeDecodeError:
        raise ValidationError(MSG_NOT_UTF8) from None
    except csv.Error as error:
        number += 1  # the record being read when it failed
        if "field larger than field limit" in str(error):
            raise ValidationError(_too_long(number) + MSG_OPEN_QUOTE) from None
        raise ValidationError(MSG_CSV.format(row=number, detail=error)) from None


def _text_lines(text: io.TextIOWrapper) -> Iterator[str]:
    for line in text:
        if "\x00" in line:
            raise ValidationError(MSG_BINARY_CSV)
        yield line


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx_records(file, budget: _Budget) -> Iterator[tuple[int, list[str]]]:
    """Every row of an XLSX file's first worksheet, as the spreadsheet shows its values."""
    if file.read(4) != b"PK\x03\x04":
        raise ValidationError(MSG_NOT_XLSX)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = {info.filename: info for info in archive.infolist()}
            if sum(info.file_size for info in parts.values()) > MAX_XLSX_UNPACKED_MB * 1024**2:
                raise ValidationError(MSG_XLSX_UNPACKED.format(limit=MAX_XLSX_UNPACKED_MB))
            sheet, strings, styles, date1904 = _workbook_parts(archive, parts)
            shared = _SharedStrings(budget)
            if strings:
                _parse_whole(archive, strings, shared)
            formats = _Styles()
            if styles:
                if parts[styles].file_size > MAX_XLSX_STYLES_MB * 1024**2:
                    raise ValidationError(MSG_XLSX_STYLES.format(limit=MAX_XLSX_STYLES_MB))
                _parse_whole(archive, styles, formats)
            reader = _SheetRows(shared.strings, *formats.dates(), date1904, budget)
            with archive.open(sheet) as stream:
                for _ in _parse(stream, reader):
                    yield from reader.done
                    reader.done.clear()
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        expat.ExpatError,
        ValueError,
        IndexError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted part
    ):
        # A damaged zip or sheet fails in many ways; all mean "not a workbook".
        raise ValidationError(MSG_NOT_XLSX) from None


def _parse(stream, handler: "_Handler") -> Iterator[None]:
    """Feed one part to expat a chunk at a time, pausing after each (callers yield rows).

    A DOCTYPE (never in a workbook, and the way to entity expansion), a token longer than
    MAX_XML_TOKEN or more than MAX_XML_EVENTS events end the read; the handler refuses nesting
    deeper than MAX_XML_DEPTH.
    """
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = handler.start, handler.end
    parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = _refuse
    quiet = 0
    while chunk := stream.read(XML_CHUNK):
        before = handler.events
        parser.Parse(chunk, False)
        quiet = quiet + len(chunk) if handler.events == before else 0
        if quiet > MAX_XML_TOKEN:
            raise ValidationError(MSG_NOT_XLSX)
        if handler.events > MAX_XML_EVENTS:
            raise ValidationError(MSG_XLSX_NODES.format(limit=MAX_XML_EVENTS))
        yield
    parser.Parse(b"", True)


def _refuse(*args):
    raise ValidationError(MSG_NOT_XLSX)


def _parse_whole(archive: zipfile.ZipFile, name: str, handler: "_Handler") -> None:
    with archive.open(name) as stream:
        for _ in _parse(stream, handler):
            pass


class _Handler:
    """Expat's callbacks for one part: element names reach `opened` and `closed` without
    their namespace prefix."""

    depth = events = 0

    def start(self, name, attrs):
        self.depth += 1
        self.events += 1
        if self.depth > MAX_XML_DEPTH:
            raise ValidationError(MSG_NOT_XLSX)
        self.opened(name[name.find(":") + 1 :], attrs)

    def end(self, name):
        self.depth -= 1
        self.events += 1
        self.closed(name[name.find(":") + 1 :])

    def text(self, data):
        self.events += 1

    def opened(self, tag, attrs):
        pass

    def closed(self, tag):
        pass


class _Relationships(_Handler):
    """A .rels part: the targets of the relationships asked for, by id or by type."""

    def __init__(self, ids=(), types=()):
        self.ids, self.types = set(ids), types
        self.by_id: dict[str, tuple[str, str]] = {}
        self.by_type: dict[str, str] = {}

    def opened(self, tag, attrs):
        if tag != "Relationship" or attrs.get("TargetMode") == "External":
            return
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        if attrs.get("Id") in self.ids:
            self.by_id[attrs["Id"]] = (kind, attrs.get("Target", ""))
        if kind in self.types:
            self.by_type.setdefault(kind, attrs.get("Target", ""))


class _Workbook(_Handler):
    """workbook.xml: its date system and its sheets' relationship ids, in order."""

    MAX_SHEETS = 1_000

    def __init__(self):
        self.date1904 = False
        self.sheet_ids: list[str] = []

    def opened(self, tag, attrs):
        if tag == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet" and len(self.sheet_ids) < self.MAX_SHEETS:
            self.sheet_ids += [value for key, value in attrs.items() if key.endswith(":id")][:1]


def _workbook_parts(archive: zipfile.ZipFile, parts: dict) -> tuple[str, str, str, bool]:
    """The paths of the first worksheet, the shared strings and the styles; the date system."""

    def relationships(source: str, **asked) -> _Relationships:
        rels = _Relationships(**asked)
        name = posixpath.join(posixpath.dirname(source), "_rels", posixpath.basename(source))
        name += ".rels"
        if name in parts:
            _parse_whole(archive, name, rels)
        return rels

    def path(source: str, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

    root = relationships("", types=("officeDocument",))
    workbook = path("", root.by_type.get("officeDocument", "xl/workbook.xml"))
    if workbook not in parts:
        raise ValidationError(MSG_NOT_XLSX)
    book = _Workbook()
    _parse_whole(archive, workbook, book)
    rels = relationships(workbook, ids=book.sheet_ids, types=("sharedStrings", "styles"))
    sheets = [rels.by_id.get(sheet_id) for sheet_id in book.sheet_ids]
    sheet = next((path(workbook, t) for kind, t in filter(None, sheets) if kind == "worksheet"), "")
    if sheet not in parts:
        raise ValidationError(MSG_NOT_XLSX)
    found = [rels.by_type.get(kind) for kind in ("sharedStrings", "styles")]
    strings, styles = (path(workbook, t) if t and path(workbook, t) in parts else "" for t in found)
    return sheet, strings, styles, book.date1904


class _SharedStrings(_Handler):
    """sharedStrings.xml: every text, held to the read's limits.

    Phonetic guides (<rPh>) are not part of a text, as in openpyxl. A text longer than a cell
    may be is kept cut short, still too long to be accepted where it is used.
    """

    def __init__(self, budget: _Budget):
        self.budget = budget
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.size = 0
        self.capture = False
        self.phonetic = 0

    def opened(self, tag, attrs):
        if tag == "si":
            self.parts, self.size = [], 0
        elif tag == "t":
            self.capture = not self.phonetic
        elif tag == "rPh":
            self.phonetic += 1

    def closed(self, tag):
        if tag == "si":
            text = "".join(self.parts)
            self.budget.spend_text(len(text), None)
            if len(self.strings) >= MAX_CELLS:  # more texts than cells may be read
                raise ValidationError(MSG_TOO_MANY_CELLS.format(limit=MAX_CELLS, stop=""))
            self.strings.append(text)
        elif tag == "t":
            self.capture = False
        elif tag == "rPh":
            self.phonetic -= 1

    def text(self, data):
        self.events += 1
        if self.capture and self.size <= MAX_CELL_CHARS * 10:
            self.parts.append(data)
            self.size += len(data)


class _Styles(_Handler):
    """styles.xml: the number format of each cell style, to tell dates from numbers."""

    def __init__(self):
        self.custom: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.in_cell_xfs = False

    def opened(self, tag, attrs):
        if tag == "numFmt":
            self.custom[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            self.in_cell_xfs = True
        elif tag == "xf" and self.in_cell_xfs:
            self.cell_formats.append(int(attrs.get("numFmtId", 0)))

    def closed(self, tag):
        if tag == "cellXfs":
            self.in_cell_xfs = False

    def dates(self) -> tuple[set[str], set[str]]:
        """The style ids (as written in a cell's s="...") of dates and of durations."""
        dates, durations, known = set(), set(), {}
        for style, format_id in enumerate(self.cell_formats):
            if format_id not in known:
                code = self.custom.get(format_id) or builtin_format_code(format_id) or ""
                known[format_id] = (is_date_format(code), is_timedelta_format(code))
            is_date, is_duration = known[format_id]
            if is_date:
                dates.add(str(style))
            if is_duration:
                durations.add(str(style))
        return dates, durations


class _SheetRows(_Handler):
    """A worksheet's <sheetData>, row by row, each cell counted as it is parsed.

    A row's values are kept by position up to its last value; a value past MAX_COLUMNS stops
    the read there, and so does the cell budget, within a row if need be. Rows missing from
    the sheet cost nothing: row numbers come from the file.
    """

    def __init__(self, strings, dates, durations, date1904, budget: _Budget):
        self.strings, self.dates, self.durations = strings, dates, durations
        self.epoch = CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH
        self.budget = budget
        self.done: list[tuple[int, list[str]]] = []  # rows parsed, not yet handed over
        self.number = 0
        self.cells: list[str] = []
        self.row_cells = 0
        self.column = 0
        self.in_cell = False
        self.kind = self.style = None
        self.parts: list[str] = []
        self.size = 0
        self.capture = False
        self.phonetic = 0
        self.nodes = 0

    # The three callbacks below run for every node of the sheet: they are _Handler's, inlined.

    def start(self, name, attrs):
        self.depth += 1
        self.events += 1
        if self.depth > MAX_XML_DEPTH:
            raise ValidationError(MSG_NOT_XLSX)
        tag = name[name.find(":") + 1 :]
        if self.in_cell:
            self.nodes += 1
            if self.nodes > MAX_CELL_NODES:
                raise ValidationError(_too_long(self.number))
            if tag == "v" or (tag == "t" and not self.phonetic):
                self.capture = True
            elif tag == "rPh":
                self.phonetic += 1
        elif tag == "c":
            budget = self.budget
            budget.cells += 1
            if budget.cells > MAX_CELLS:
                budget.spend_cells(0, self.number)  # raises, with the message
            self.row_cells += 1
            ref = attrs.get("r")
            self.column = _column_of(ref) if ref else self.column + 1
            self.kind, self.style = attrs.get("t", "n"), attrs.get("s")
            self.in_cell, self.parts, self.size, self.nodes = True, [], 0, 0
        elif tag == "row":
            number = attrs.get("r")
            self.number = int(number) if number else self.number + 1
            self.cells, self.row_cells, self.column = [], 0, 0

    def end(self, name):
        self.depth -= 1
        self.events += 1
        if self.in_cell:
            tag = name[name.find(":") + 1 :]
            if tag == "c":
                self.in_cell = self.capture = False
                if self.parts:  # an empty cell, most of a padded sheet, has no value to keep
                    self._cell()
            elif tag in ("v", "t"):
                self.capture = False
            elif tag == "rPh":
                self.phonetic -= 1
        elif name[name.find(":") + 1 :] == "row":
            # Empty cells filled in before a value count too, and a row without cells as one.
            filled = len(self.cells) - self.row_cells
            if filled > 0 or not self.row_cells:
                self.budget.spend_cells(filled, self.number)
            self.done.append((self.number, self.cells))

    def text(self, data):
        self.events += 1
        if self.capture:
            self.size += len(data)
            if self.size > MAX_CELL_CHARS * 10:
                raise ValidationError(_too_long(self.number))
            self.parts.append(data)

    def _cell(self) -> None:
        value = self._value("".join(self.parts))
        if not value.strip():
            return
        if self.column > MAX_COLUMNS:
            raise ValidationError(_too_many_columns(self.number, self.column))
        if len(self.cells) < self.column:
            self.cells += [""] * (self.column - len(self.cells))
        self.cells[self.column - 1] = value

    def _value(self, text: str) -> str:
        """A cell's value as pandas read it before: numbers without a needless ".0"."""
        kind = self.kind
        if kind == "s":
            index = int(text) if text else -1
            if index < 0:
                raise ValueError(text)
            return self.strings[index]
        if kind == "b":
            return {"1": "True", "0": "False"}.get(text.strip(), text)
        if kind == "d":
            return str(from_ISO8601(text)) if text else ""
        if kind != "n" or not text:  # inlineStr, str (a formula's text), e (an error: #N/A)
            return text
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
        if self.style in self.dates:
            try:
                return str(from_excel(number, self.epoch, timedelta=self.style in self.durations))
            except (OverflowError, ValueError):
                return "#VALUE!"  # as openpyxl shows a date outside the calendar
        if isinstance(number, float) and number.is_integer():
            return str(int(number))
        return str(number)


def _column_of(reference: str) -> int:
    """The column number of a cell reference: "AB12" -> 28."""
    number = 0
    for character in reference:
        if "A" <= character <= "Z":
            number = number * 26 + ord(character) - 64
        elif number:
            return number
        else:
            raise ValueError(reference)
    return number
