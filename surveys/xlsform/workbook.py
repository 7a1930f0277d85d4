"""Reading an .xlsx workbook into plain rows of text, safely, whatever the file holds.

A workbook may come from anyone (an upload in the designer), so everything is bounded:
the file size, the unpacked size of the zip archive, the rows scanned and kept per
sheet, the columns and the length of a cell. openpyxl parses XML through defusedxml
(a dependency for that reason), so entity tricks are refused too. Any failure of the
parser becomes a :class:`WorkbookError` with a translated reason, never a traceback.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

#: Largest workbook accepted, in bytes (XLSForms are rarely above a few hundred kB).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Largest total size of the unpacked archive: guards against zip bombs.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 2000
#: Rows with content kept per sheet (choices lists of places can be long).
MAX_ROWS = {"survey": 5000, "choices": 50000, "settings": 100}
MAX_ROWS_OTHER = 100
#: Rows looked at per sheet, empty ones included (Excel keeps formatted empty rows).
MAX_SCANNED_ROWS = 100_000
MAX_COLUMNS = 250
#: Excel's own limit for one cell.
MAX_CELL_CHARS = 32767

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class WorkbookError(ValueError):
    """The file cannot be read as a workbook; `reason` is translated for the user."""

    def __init__(self, reason: str, sheet: str | None = None, row: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.sheet = sheet
        self.row = row


@dataclass
class Sheet:
    """One worksheet as text: the header row and the rows that hold anything."""

    #: The name as written in the workbook.
    name: str
    header: list[str]
    #: (Excel row number, cells as text, as long as the header), empty rows left out.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def letter(self, index: int) -> str:
        return get_column_letter(index + 1)


def read_workbook(data: bytes) -> dict[str, Sheet]:
    """The worksheets of an .xlsx file as text, keyed by lower-case sheet name.

    :raises WorkbookError: if the file is empty, too large, not an .xlsx workbook
        (an old .xls, a password-protected or corrupt file, an OpenDocument
        spreadsheet, text), or a sheet holds more than the limits allow.
    """
    if not data:
        raise WorkbookError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(
            _("The file is too large (%(size)s MB); an XLSForm is at most %(limit)s MB.",
              size=round(len(data) / 1_048_576, 1), limit=MAX_FILE_BYTES // 1_048_576)
        )
    if data.startswith(_CFB_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise WorkbookError(
                _("The workbook is protected with a password. Open it in your spreadsheet program, "
                  "remove the password and save it again as an Excel workbook (.xlsx).")
            )
        raise WorkbookError(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) and import that file.")
        )
    _check_archive(data)

    from openpyxl import load_workbook

    sheets: dict[str, Sheet] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel features it drops (validation...)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                for worksheet in workbook.worksheets:
                    if not hasattr(worksheet, "iter_rows"):
                        continue  # a chart sheet
                    key = worksheet.title.strip().lower()
                    if key in sheets:
                        continue
                    sheets[key] = _read_sheet(worksheet, MAX_ROWS.get(key, MAX_ROWS_OTHER))
            finally:
                workbook.close()
    except WorkbookError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure on a hostile or corrupt file is the user's file, not a bug
        raise WorkbookError(
            _("The workbook is damaged or is not an Excel workbook (.xlsx); open it in your spreadsheet "
              "program and save it again as .xlsx.")
        ) from None
    return sheets


def _check_archive(data: bytes) -> None:
    """Refuse what is not an .xlsx zip archive, or unpacks to too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookError(
            _("The file is not an Excel workbook (.xlsx). XLSForms from ODK and KoboToolbox are .xlsx files; "
              "save the form in that format and import it again.")
        ) from None
    if len(members) > MAX_ARCHIVE_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise WorkbookError(_("The workbook unpacks to more data than an XLSForm can hold; it was not read."))
    names = {m.filename for m in members}
    if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
        raise WorkbookError(
            _("This is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook (.xlsx) and import that file.")
        )
    if "xl/workbook.xml" not in names:
        raise WorkbookError(
            _("The file is not an Excel workbook (.xlsx). XLSForms from ODK and KoboToolbox are .xlsx files; "
              "save the form in that format and import it again.")
        )


def _read_sheet(worksheet, max_rows: int) -> Sheet:
    """The header and the non-empty rows of a worksheet, within the limits."""
    name = worksheet.title
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1, max_row=MAX_SCANNED_ROWS + 1)
    sheet = Sheet(name=name, header=[])
    for number, values in enumerate(rows, start=1):
        if number > MAX_SCANNED_ROWS:
            raise WorkbookError(
                _("The sheet has more than %(limit)s rows.", limit=MAX_SCANNED_ROWS), sheet=name, row=number
            )
        cells = [_text(value, name, number) for value in values]
        if number == 1:
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise WorkbookError(
                    _("The sheet has more than %(limit)s columns.", limit=MAX_COLUMNS), sheet=name, row=1
                )
            sheet.header = cells
            continue
        if not any(cells[: len(sheet.header)]):
            continue
        if len(sheet.rows) >= max_rows:
            raise WorkbookError(
                _("The sheet has more than %(limit)s rows with content.", limit=max_rows), sheet=name, row=number
            )
        cells = (cells + [""] * len(sheet.header))[: len(sheet.header)]
        sheet.rows.append((number, cells))
    return sheet


def _text(value: object, sheet: str, row: int) -> str:
    """A cell as the user reads it: numbers without a spurious ".0", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise WorkbookError(
            _("A cell holds more than %(limit)s characters.", limit=MAX_CELL_CHARS), sheet=sheet, row=row
        )
    return text.strip()
