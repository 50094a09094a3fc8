"""delivery-plan.xlsx: the release as a workbook a person opens by double-click.

A CSV opened that way is read in the machine's code page and has its cells
guessed at: "Mar-23" becomes a date, "2022" a number, "£" two letters. Here
every cell is written with its declared type, so text stays text and dates are
dates. Tools should read the CSV or Parquet files; this is for people.

The file is Office Open XML (ECMA-376) written directly, a column at a time:
XlsxWriter and openpyxl spend 15 to 70 µs a cell, 20 to 80 seconds on the
100-times benchmark corpus; this takes about 2 µs. tests/publish/test_workbook.py
reads it back with openpyxl, and LibreOffice's reading of it is checked in under
tests/fixtures/workbook/.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd

from pipeline.publish.write import FORMULA_STARTS
from pipeline.schema import BOOLEAN, DATE, INTEGER, LIST, OBJECT, PARAGRAPHS, Table

WORKBOOK = "delivery-plan.xlsx"
CELL_LIMIT = 32_767  # Excel's limit on one cell's text: a longer one is cut, and says so
_NARROWEST, _WIDEST = 8, 60  # column widths, in characters
_SAMPLE = 500  # rows looked at to size a column
_SLICE = 2000  # rows turned into XML at a time
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's date serial numbers
_FORMULA_FIRST = frozenset(FORMULA_STARTS)

# cellXfs in styles.xml, by position
_PLAIN, _HEADER, _DATE, _WRAPPED, _AS_TEXT, _WRAPPED_AS_TEXT, _TITLE = range(7)


def write_workbook(
    tables: dict[str, tuple[pd.DataFrame, Table]], about: list[tuple[str, str]], path: Path
) -> None:
    """A sheet saying what the release is (``about``: label and text pairs) and what
    each column means, then one sheet per table with its header frozen and filtered.

    Each table is written a slice of rows at a time, so memory does not grow with it.
    """
    names = ["about", *tables]
    sizes = [0, *(len(frame) + 1 for frame, _ in tables.values())]
    widths = [2, *(len(table.columns) for _, table in tables.values())]
    cut: list[str] = []  # cells longer than a spreadsheet holds, said on the about sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _content_types(len(names)))
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _workbook_xml(names, sizes, widths))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
        package.writestr("xl/styles.xml", _STYLES)
        for number, (frame, table) in enumerate(tables.values(), start=2):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w") as sheet:
                _write_table_sheet(sheet, frame, table, cut)
        if cut:
            about = [*about, ("cut to fit", "; ".join(cut))]
        rows = _about_rows(about, tables)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head([24, 100], None, len(rows)).encode("utf-8"))
            sheet.write("".join(rows).encode("utf-8"))
            sheet.write(_sheet_tail(None, "").encode("utf-8"))


def _about_rows(about, tables) -> list[str]:
    lines = [(("Delivery plan release", _TITLE),)]
    lines += [()]
    lines += [((label, _HEADER), (text, _WRAPPED)) for label, text in about]
    for name, (_, table) in tables.items():
        lines += [(), ((f"sheet {name}", _HEADER), (table.description, _WRAPPED))]
        lines += [
            ((column.name, _PLAIN), (f"{column.type}: {column.description}", _WRAPPED))
            for column in table.columns
        ]
    return [
        _row(
            number,
            "".join(_text_cell(_LETTERS[c] + str(number), t, s) for c, (t, s) in enumerate(cells)),
        )
        for number, cells in enumerate(lines, start=1)
    ]


def _write_table_sheet(sheet, frame: pd.DataFrame, table: Table, cut: list[str]) -> None:
    """The sheet, header first, then the rows a slice at a time; each cell cut to fit is
    added to ``cut``, and says in itself where its whole text is."""
    widths = [
        _width(c.name, _column_texts(frame[c.name].head(_SAMPLE).tolist(), c.type))
        for c in table.columns
    ]
    last = f"{_LETTERS[len(table.columns) - 1]}{len(frame) + 1}"
    sheet.write(_sheet_head(widths, table, len(frame) + 1).encode("utf-8"))
    header = "".join(_text_cell(_LETTERS[c] + "1", n, _HEADER) for c, n in enumerate(table.names))
    sheet.write(_row(1, header).encode("utf-8"))
    for start in range(0, len(frame), _SLICE):
        part = frame.iloc[start : start + _SLICE]
        numbers = [str(n) for n in range(start + 2, start + 2 + len(part))]
        columns = []
        for position, column in enumerate(table.columns):
            values = part[column.name].tolist()
            texts = _column_texts(values, column.type)
            if texts and max(map(len, texts)) > CELL_LIMIT:
                _cut_to_fit(texts, start, table, column.name, cut)
            wraps = column.type in (LIST, OBJECT) or column.text == PARAGRAPHS
            refs = [_LETTERS[position] + n for n in numbers]
            columns.append(_cells(texts, values, column.type, wraps, refs))
        rows = zip(numbers, zip(*columns, strict=True), strict=True)
        sheet.write("".join(_row(n, "".join(cells)) for n, cells in rows).encode("utf-8"))
    sheet.write(_sheet_tail(table, last).encode("utf-8"))


def _cut_to_fit(texts: list[str], start: int, table: Table, column: str, cut: list[str]) -> None:
    for position, text in enumerate(texts):
        if len(text) > CELL_LIMIT:
            marker = (
                f" [cut here to fit a spreadsheet cell: {len(text)} characters in "
                f"all, every one in {table.name}.csv and {table.name}.parquet]"
            )
            texts[position] = text[: CELL_LIMIT - len(marker)] + marker
            cut.append(f"{table.name} row {start + position + 2} {column} ({len(text)} characters)")


def _cells(texts: list[str], values: list, kind: str, wraps: bool, refs: list[str]) -> list[str]:
    """One column's cells as XML at ``refs``; a missing value is no cell at all."""
    if kind == DATE:
        return [
            "" if v is None else f'<c r="{r}" s="{_DATE}"><v>{(v - _EXCEL_EPOCH).days}</v></c>'
            for r, v in zip(refs, values, strict=True)
        ]
    if kind == INTEGER:
        return [
            "" if t == "" else f'<c r="{r}"><v>{t}</v></c>'
            for r, t in zip(refs, texts, strict=True)
        ]
    if kind == BOOLEAN:
        return [
            "" if v is None else f'<c r="{r}" t="b"><v>{int(bool(v))}</v></c>'
            for r, v in zip(refs, values, strict=True)
        ]
    style, as_text = (_WRAPPED, _WRAPPED_AS_TEXT) if wraps else (_PLAIN, _AS_TEXT)
    plain, marked = (f' s="{style}"' if style else ""), f' s="{as_text}"'
    escaped = _escape_all(texts)
    return [  # written out here, not by _text_cell: this is most of the workbook's time
        ""
        if t == ""
        else f'<c r="{r}" t="inlineStr"{marked if t[0] in _FORMULA_FIRST else plain}><is>'
        f'<t xml:space="preserve">{e}</t></is></c>'
        for r, t, e in zip(refs, texts, escaped, strict=True)
    ]


def _text_cell(ref: str, text: str, style: int) -> str:
    """Text as an inline string: never a number, a date or a formula, whatever it looks like
    (a formula-like one is also marked as typed with a leading quote, as the CSV's is)."""
    styled = f' s="{style}"' if style else ""
    return (
        f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{_escape(text)}</t>'
        "</is></c>"
    )


def _row(number: int | str, cells: str) -> str:
    return f'<row r="{number}">{cells}</row>'


def _column_texts(values: list, kind: str) -> list[str]:
    """Text as a person reads it, "" for missing: a list's items and an object's entries
    one per line. A column at a time: a call per cell was a third of the workbook's time."""
    if kind == LIST:
        return ["" if v is None else "\n".join(v) for v in values]
    if kind == OBJECT:
        return [
            "" if v is None else "\n".join(f"{key}: {text}" for key, text in dict(v).items())
            for v in values
        ]
    if kind == DATE:
        return ["" if v is None else v.isoformat() for v in values]
    return ["" if v is None else v if v.__class__ is str else str(v) for v in values]


# XML 1.0 allows no C0 control character but tab, newline and return; SpreadsheetML
# writes one as _xHHHH_, so a literal "_xHHHH_" in the text needs its "_" escaped too.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _has_not_xml(text: str) -> bool:
    """What _NOT_XML finds, found quicker: a substring test first for the rare "_x"."""
    return bool(_CONTROL.search(text)) or ("_x" in text and bool(_NOT_XML.search(text)))


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _escape_all(texts: list[str]) -> list[str]:
    """_escape on every text, as one string when none holds a character XML forbids (the
    NUL that joins them then cannot be in any): three replaces, not a search per cell."""
    joined = "\n".join(texts)
    if _has_not_xml(joined):
        return [_escape(t) for t in texts]
    if "&" not in joined and "<" not in joined and ">" not in joined:
        return texts  # most columns: nothing to escape
    joined = "\0".join(texts).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return joined.split("\0")


def _width(header: str, texts: list[str]) -> int:
    """Wide enough for the header and nine cells in ten's longest line, within bounds."""
    longest = sorted(max(map(len, t.split("\n"))) for t in texts)
    typical = longest[int(len(longest) * 0.9)] if longest else 0
    return max(_NARROWEST, min(_WIDEST, max(len(header), typical) + 2))


def _column_letters(count: int) -> list[str]:
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


_LETTERS = _column_letters(702)  # A to ZZ


def _sheet_head(widths: list[int], table: Table | None, rows: int) -> str:
    """The worksheet's XML up to its first row: size, view (header frozen), column widths."""
    last = f"{_LETTERS[len(widths) - 1]}{max(rows, 1)}"
    wrapped = {
        position
        for position, column in enumerate(table.columns if table else ())
        if column.type in (LIST, OBJECT) or column.text == PARAGRAPHS
    }
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{w}" customWidth="1"'
        + (f' style="{_WRAPPED}"' if (n - 1) in wrapped or (table is None and n == 2) else "")
        + "/>"
        for n, w in enumerate(widths, start=1)
    )
    frozen = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if table
        else ""
    )
    selected = "" if table else ' tabSelected="1"'  # the workbook opens on "about"
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><dimension '
        f'ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0"{selected}>{frozen}'
        f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        "<sheetData>"
    )


def _sheet_tail(table: Table | None, last: str) -> str:
    return "</sheetData>" + (f'<autoFilter ref="A1:{last}"/>' if table else "") + "</worksheet>"


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
    f'Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"/><right style="thin"/><top style="thin"/>'
    '<bottom style="thin"/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" '
    'applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" '
    'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _content_types(sheets: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook_xml(names: list[str], sizes: list[int], widths: list[int]) -> str:
    entries = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    filters = "".join(  # Excel keeps a filter's range as this hidden name; not on "about"
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n - 1}" hidden="1">'
        f"'{name}'!$A$1:${_LETTERS[width - 1]}${size}</definedName>"
        for n, (name, size, width) in enumerate(zip(names, sizes, widths, strict=True), start=1)
        if n > 1
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews>'
        f"<workbookView/></bookViews><sheets>{entries}</sheets>"
        f"<definedNames>{filters}</definedNames></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{links}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_RELATIONSHIPS}/styles" '
        'Target="styles.xml"/></Relationships>'
    )
