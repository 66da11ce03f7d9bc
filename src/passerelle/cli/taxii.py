"""``passerelle taxii``: TAXII 2.1 tools. ``serve-fixture`` serves a fixture file over TAXII.

The fixture server answers like a partner's TAXII server with known content, for testing
clients (and the node's own TAXII client) against it. It needs no database and no settings.
The file is read and checked before the server starts: a bad file stops the command with the
file and the JSON path at fault (exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.markup import escape

from passerelle.cli.context import out

app = typer.Typer(help="TAXII 2.1 tools.", no_args_is_help=True)


@app.command("serve-fixture")
def serve_fixture_command(
    file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, readable=True,
        help="Fixture file in the reference TAXII server's (medallion's) JSON data format")],
    user: Annotated[str, typer.Option("--user", help="User name clients send with HTTP Basic")],
    password: Annotated[str, typer.Option(
        "--password", envvar="PASSERELLE_TAXII_PASSWORD",
        help="Password clients send with HTTP Basic (also read from "
             "PASSERELLE_TAXII_PASSWORD)")],
    page_size: Annotated[int, typer.Option(
        "--page-size", min=1, max=10_000,
        help="Most objects in one page; clients asking for more get this many")] = 100,
    port: Annotated[int, typer.Option(
        "--port", min=1, max=65535, help="Port to listen on")] = 8021,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on (Basic sends the password in clear: keep "
                       "127.0.0.1 unless behind TLS)")] = "127.0.0.1",
) -> None:
    """Serve a TAXII fixture file over TAXII 2.1 (HTTP Basic, in memory)."""
    from passerelle.api.taxii import fixture_app  # here: keeps the other commands fast

    application = fixture_app(file, user, password, page_size)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 — display only
    shown = f"[{shown}]" if ":" in shown else shown  # an IPv6 address in a URL
    out().print(f"serving {escape(str(file))} on [bold]http://{escape(shown)}:{port}/taxii2/"
                "[/] (Ctrl+C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="info")


@app.command("pull")
def pull_command(
    url: Annotated[str, typer.Argument(
        help="The collection's URL: <API root URL>collections/<collection id>/")],
    owner: Annotated[str, typer.Option(
        "--owner", help="The agency the objects are attributed to (their owner here)")],
    user: Annotated[str | None, typer.Option("--user", help="HTTP Basic user name")] = None,
    password: Annotated[str | None, typer.Option(
        "--password", envvar="PASSERELLE_TAXII_PASSWORD",
        help="HTTP Basic password (also read from PASSERELLE_TAXII_PASSWORD)")] = None,
    page_size: Annotated[int, typer.Option(
        "--page-size", min=1, max=10_000, help="Objects asked for in one page")] = 100,
    justification: Annotated[str, typer.Option(
        "--justification", help="Why the collection is imported (audit log)")] = "",
) -> None:
    """Import every object of a TAXII 2.1 collection as records owned by ``--owner``.

    What Passerelle models is stored (and audited); what it does not is counted by reason.
    Exit 1 when some objects were rejected.
    """
    from passerelle.cli.context import err, opened_node
    from passerelle.federation.taxii_source import pull_collection

    auth = (user, password or "") if user else None
    with opened_node() as node, err().status("reading the collection...") as status:
        report = pull_collection(
            node, url, owner, auth=auth, page_size=page_size, justification=justification,
            progress=lambda r: status.update(f"{r.objects} objects read, {r.stored} stored"))
    out().print(f"{report.objects} objects in {report.pages} pages: {report.stored} stored, "
                f"{report.unchanged} unchanged, {report.context} context objects, "
                f"{sum(report.rejected.values())} rejected")
    for code, count in report.rejected.most_common():
        out().print(f"  {escape(code)}: {count}")
    for example in report.examples:
        out().print(f"  [dim]{escape(example)}[/]")
    if report.rejected:
        raise typer.Exit(1)
