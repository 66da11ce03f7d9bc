"""Writing person or document records as CSV, in the columns the reader reads.

The writer never writes what its reader would read differently: a list item holding ``;`` or
a value too large for a cell is refused (``ValidationFailed`` naming the record and the
column) rather than written altered. Cells a spreadsheet could run as a formula are guarded
with a leading apostrophe, which the reader takes away again (``layout.guard``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from passerelle.domain.codec import dataclass_to_dict, markings_to_dict
from passerelle.domain.records import Record, RecordKind
from passerelle.errors import ValidationFailed
from passerelle.interop.records_csv.layout import Layout, cell_text, guard, layout_for
from passerelle.interop.screening_csv import MAX_ROW_CHARS, MAX_VALUE_CHARS

BOM = "\ufeff"


def write_records(records: Iterable[Record], kind: RecordKind, stream: IO[str], *,
                  bom: bool = False) -> int:
    """Write the header and one row per record to ``stream``; return the number of rows.

    ``stream`` is a text stream opened with ``newline=""`` (lines end with ``\\n``; values
    holding line breaks are quoted). ``bom=True`` starts the file with a byte-order mark, which
    a spreadsheet needs to open UTF-8 (and Arabic script) correctly; the reader accepts both.

    Every record must be of ``kind``: another kind raises ``ValidationFailed`` (field
    ``kind``), as does a value the reader would read differently; rows before it are already
    written, so write to a temporary file and keep it only when this returns.
    """
    layout = layout_for(kind)
    writer = csv.writer(stream, lineterminator="\n")
    if bom:
        stream.write(BOM)
    writer.writerow(layout.columns)
    count = 0
    for record in records:
        writer.writerow(row(record, layout))
        count += 1
    return count


def row(record: Record, layout: Layout) -> list[str]:
    """The cells of one record, guarded, in the layout's order."""
    if record.kind is not layout.kind:
        raise ValidationFailed(f"{record.id} is a {record.kind.value} record: a "
                               f"{layout.kind.value}s file holds {layout.kind.value} records "
                               "only", field="kind")
    details, markings = dataclass_to_dict(record.details), markings_to_dict(record.markings)
    try:
        cells = [guard(record.id)]
        cells += [guard(cell_text(details[c.name], c.name)) for c in layout.details]
        cells += [guard(cell_text(markings[c.name], c.name)) for c in layout.markings]
    except ValidationFailed as error:
        raise ValidationFailed(f"{record.id}: {error.detail}", field=error.field) from None
    _check_size(record.id, layout.columns, cells)
    return cells


def _check_size(record_id: str, columns: tuple[str, ...], cells: list[str]) -> None:
    lengths = [len(cell) for cell in cells]
    widest = lengths.index(max(lengths))
    if lengths[widest] > MAX_VALUE_CHARS:
        raise ValidationFailed(f"{record_id}: the value has {lengths[widest]:,} characters, "
                               f"more than the {MAX_VALUE_CHARS:,} a cell may hold",
                               field=columns[widest])
    if sum(lengths) > MAX_ROW_CHARS:
        raise ValidationFailed(f"{record_id}: the row would have {sum(lengths):,} "
                               f"characters, more than the {MAX_ROW_CHARS:,} a row may hold",
                               field=columns[widest])
