"""``passerelle partner ...``: the partner agencies and the legal basis for transfers to each.

``list`` shows every registered agency, whether it is an EU member, and the recorded basis.
``basis`` records the basis for one partner (administrators): the Directive between EU
members; towards or from a third country an adequacy decision, an agreement, safeguards or a
derogation with its justification (LED Art. 36-38; Morocco's Law 09-08, Art. 43-44).
Personal data never goes to a partner whose transfers need a basis that is not recorded.
``transfers`` exports the transfer register for the data-protection officer.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from enum import Enum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from passerelle.cli.context import AS_HELP, caller_for, opened_node, out
from passerelle.domain.transfers import BasisKind
from passerelle.errors import ValidationFailed
from passerelle.ports import TransferQuery

app = typer.Typer(help="Partner agencies and the legal basis of transfers to them.",
                  no_args_is_help=True)

AsOption = Annotated[str | None, typer.Option("--as", help=AS_HELP)]
TRANSFER_COLUMNS = ("id", "at", "sender", "recipient", "record_id", "version", "basis",
                    "reference", "justification", "digest", "summary", "channel")


class RecordableBasis(str, Enum):
    """The bases an administrator may record."""

    EU_DIRECTIVE = BasisKind.EU_DIRECTIVE.value
    ADEQUACY = BasisKind.ADEQUACY.value
    AGREEMENT = BasisKind.AGREEMENT.value
    SAFEGUARDS = BasisKind.SAFEGUARDS.value
    DEROGATION = BasisKind.DEROGATION.value


@app.command("list")
def list_partners() -> None:
    """Every agency with its status and recorded legal basis."""
    with opened_node() as node:
        with node.transactions() as tx:
            agencies = tx.agencies.list()
        bases = {basis.partner: basis for basis in node.federation.bases()}
        own = node.settings.agency_id
    table = Table("agency", "country", "EU member", "legal basis", "reference", "expires")
    for agency in agencies:
        basis = bases.get(agency.id)
        table.add_row(agency.id + (" (this node)" if agency.id == own else ""), agency.country,
                      "yes" if agency.eu_member else "no",
                      basis.kind.value if basis else "-",
                      escape(basis.reference) if basis else "",
                      basis.expires.isoformat() if basis and basis.expires else "")
    out().print(table)


@app.command("basis")
def record_basis(
    partner: Annotated[str, typer.Argument(help="The partner agency's id, e.g. ma")],
    kind: Annotated[RecordableBasis, typer.Option("--kind", help="The legal ground")],
    reference: Annotated[str, typer.Option(
        "--reference", help="The decision, agreement or assessment relied on")] = "",
    justification: Annotated[str, typer.Option(
        "--justification", help="Why (required for a derogation, and recorded in the audit "
        "log)")] = "",
    expires: Annotated[str | None, typer.Option(
        "--expires", help="Last day the basis holds (YYYY-MM-DD)")] = None,
    as_user: AsOption = None,
) -> None:
    """Record the legal basis for transfers to a partner (administrators)."""
    until = None
    if expires is not None:
        try:
            until = dt.date.fromisoformat(expires)
        except ValueError:
            raise ValidationFailed(f"{expires!r} is not YYYY-MM-DD", field="expires") from None
    with opened_node() as node:
        basis = node.federation.record_basis(
            caller_for(node, as_user, justification), partner, BasisKind(kind.value),
            reference, justification, until)
    out().print(f"[green]recorded:[/] transfers to {basis.partner} rest on "
                f"{basis.kind.value}" + (f" ({escape(basis.reference)})" if basis.reference
                                         else ""))


@app.command("transfers")
def export_transfers(
    recipient: Annotated[str | None, typer.Option("--recipient",
                                                  help="Only transfers to this agency")] = None,
    justification: Annotated[str, typer.Option(
        "--justification", help="Why the register is exported (audit log)")] = "",
    as_user: AsOption = None,
) -> None:
    """Export the transfer register as CSV on stdout (auditors)."""
    with opened_node() as node:
        caller = caller_for(node, as_user, justification)
        writer = csv.writer(sys.stdout)
        writer.writerow(TRANSFER_COLUMNS)
        for t in node.federation.transfers(caller, TransferQuery(recipient=recipient)):
            writer.writerow([t.id, t.at.astimezone(dt.UTC).isoformat(), t.sender, t.recipient,
                             t.record_id, t.version, t.basis.value, t.reference,
                             t.justification, t.digest, t.summary, t.channel])
