"""The columns of the records CSV contract, and how one cell is written and read.

The columns are the domain's own field names, taken from the dataclasses themselves, so that a
field added to ``Person``, ``Document`` or ``Markings`` becomes a column without a second list
to keep in step (docs/csv-records.md lists them for partners; a test holds the two together).
``pap`` is left out: it applies to indicators only and the record refuses it on anything else.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass

from passerelle.domain.markings import Markings
from passerelle.domain.records import Document, Person, RecordKind
from passerelle.errors import ValidationFailed
from passerelle.interop.screening_csv import MULTI_SEPARATOR

ID_COLUMN = "id"
NAME_COLUMNS = ("given_names", "family_name", "names_original_script")
"""A persons file must have at least one of these columns: a person needs a name."""

#: A cell that starts with one of these (after any number of apostrophes) is written with a
#: leading apostrophe, so that a spreadsheet shows it as text instead of running it as a
#: formula (OWASP "CSV injection"). The apostrophes matter: see :func:`guard`.
FORMULA_TRIGGERS = "=+-@\t\r"
_GUARDED = re.compile(f"^'*[{re.escape(FORMULA_TRIGGERS)}]")


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name (the domain field's), whether it holds a ``;``-separated list,
    and whether the row must give it a value."""

    name: str
    multi: bool
    required: bool


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns of a file of one kind: ``id``, the details' fields, then the markings'."""

    kind: RecordKind
    details: tuple[Column, ...]
    markings: tuple[Column, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, in the order the writer puts them."""
        return (ID_COLUMN, *(c.name for c in self.details), *(c.name for c in self.markings))

    @property
    def required(self) -> tuple[str, ...]:
        """Columns the header must name: the details' fields that have no default."""
        return tuple(c.name for c in self.details if c.required)


def _columns(cls: type[object], *, leave_out: frozenset[str] = frozenset()) -> tuple[Column, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        Column(f.name, typing.get_origin(hints[f.name]) in (tuple, frozenset),
               f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name not in leave_out)


_MARKINGS = _columns(Markings, leave_out=frozenset({"pap"}))
LAYOUTS: dict[RecordKind, Layout] = {
    RecordKind.PERSON: Layout(RecordKind.PERSON, _columns(Person), _MARKINGS),
    RecordKind.DOCUMENT: Layout(RecordKind.DOCUMENT, _columns(Document), _MARKINGS),
}


def layout_for(kind: RecordKind) -> Layout:
    """The layout of ``kind``; only persons and documents are kept in spreadsheets."""
    layout = LAYOUTS.get(kind)
    if layout is None:
        raise ValidationFailed(f"CSV files hold person or document records, not {kind.value}",
                               field="kind")
    return layout


def columns(kind: RecordKind) -> tuple[str, ...]:
    """The header of a file of ``kind``, as the writer writes it."""
    return layout_for(kind).columns


def guard(cell: str) -> str:
    """The cell as written to a file: with an apostrophe in front when a spreadsheet could take
    it for a formula.

    Values that already start with apostrophes followed by a trigger (``'=x``) get one more, so
    that :func:`unguard` can always take exactly one away: ``unguard(guard(v)) == v`` for every
    ``v``, and a cell no writer guarded (``'t Hooft``) reads as it is.
    """
    return "'" + cell if _GUARDED.match(cell) else cell


def unguard(cell: str) -> str:
    """The value of a cell: one leading apostrophe removed when :func:`guard` put it there,
    i.e. when apostrophes are followed by a formula trigger."""
    return cell[1:] if cell.startswith("'") and _GUARDED.match(cell) else cell


def split(cell: str) -> list[str]:
    """The items of a ``;``-separated cell, trimmed, blank ones dropped, order and repeats
    kept (a list is the record's, not the reader's, to tidy)."""
    return [item.strip() for item in cell.split(MULTI_SEPARATOR) if item.strip()]


def plain(cells: dict[str, str], wanted: tuple[Column, ...]) -> dict[str, object]:
    """The codec's plain data for ``wanted`` columns: an empty or missing cell is left out, so
    that the domain's default applies exactly as for any other input."""
    data: dict[str, object] = {}
    for column in wanted:
        cell = cells.get(column.name, "")
        if cell:
            data[column.name] = split(cell) if column.multi else cell
    return data


def cell_text(value: object, column: str) -> str:
    """The text of one value of the codec's plain data (None, a string or a list of strings).

    Raises ``ValidationFailed`` for a list item holding ``;``: it would read back as two items,
    and a writer must not write what its reader would read differently.
    """
    if value is None:
        return ""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if MULTI_SEPARATOR in str(item):
                raise ValidationFailed(f"{item!r} holds {MULTI_SEPARATOR!r}, the separator of "
                                       "the values of a cell", field=f"{column}[{index}]")
        return MULTI_SEPARATOR.join(str(item) for item in value)
    return str(value)
