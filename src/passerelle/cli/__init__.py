"""The ``passerelle`` command line (Typer + Rich): one module per command group, wired in
``main``. Commands open the node through ``passerelle.bootstrap`` and call its services."""
