"""A traveller list submitted for screening, all or nothing.

The API and the CLI take a list whole: a list with a bad row is refused with the first
problem named (``InvalidCsv``, field ``row <line>.<column>``, the line counted as a text
editor counts it) and nothing of it is screened, so that the list's provider corrects it and
sends it again rather than having part of a flight screened. The rows are read by the one
reader of the CSV contract (``interop.screening_csv``, docs/screening.md).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from passerelle.errors import InvalidCsv
from passerelle.interop.screening_csv import Rejection, open_list
from passerelle.matching.model import PersonEntry


def read_travellers(path: Path, list_name: str) -> list[PersonEntry]:
    """Every traveller of the CSV file at ``path``; ``InvalidCsv`` for the first problem."""
    travellers: list[PersonEntry] = []
    for item in open_list(path, list_name):
        if isinstance(item, Rejection):
            where = f"row {item.row}" + (f".{item.column}" if item.column else "")
            raise InvalidCsv(f"{item.message} (line {item.row} of {list_name})", field=where)
        travellers.append(item)
    return travellers


def read_traveller_bytes(data: bytes, list_name: str) -> list[PersonEntry]:
    """The same for a list received as bytes (an upload)."""
    with tempfile.TemporaryDirectory(prefix="passerelle-list-") as folder:
        path = Path(folder) / "list.csv"
        path.write_bytes(data)
        return read_travellers(path, list_name)
