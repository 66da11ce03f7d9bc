"""What every command needs: the settings, an opened node, who acts, and consoles to write to.

Commands never read the environment or pick a storage adapter themselves: they call
``load_settings`` (once per command, so ``--help`` works even with a broken environment) and
``opened_node``, which goes through ``passerelle.bootstrap``.

Who acts: without ``--as``, the node itself ("system" in the audit log), because whoever runs
the CLI on the node's host already holds its database. ``--as USERNAME`` names the person on
whose behalf the command runs, so that the audit log attributes the action and the policy
applies their roles and need-to-know.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pydantic
from rich.console import Console

from passerelle.bootstrap import node_caller, opened
from passerelle.errors import Forbidden, NotFound, ValidationFailed
from passerelle.node import Node
from passerelle.services.caller import Caller
from passerelle.settings import Settings

AS_HELP = ("Act as this user (their roles and need-to-know apply and the audit log names "
           "them) instead of the node itself")


def out() -> Console:
    """A console on the current stdout (built per call: test runners swap the stream)."""
    return Console(highlight=False)


def err() -> Console:
    """A console on the current stderr."""
    return Console(stderr=True, highlight=False)


def load_settings() -> Settings:
    """The node's settings from ``PASSERELLE_*``; a bad value becomes an error naming the
    environment variable instead of a pydantic traceback."""
    try:
        return Settings()
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        name = "_".join(str(part) for part in first["loc"]) or "settings"
        raise ValidationFailed(first["msg"], field=f"PASSERELLE_{name.upper()}") from None


@contextmanager
def opened_node(settings: Settings | None = None) -> Iterator[Node]:
    """The node behind the settings, closed again when the command ends."""
    with opened(settings or load_settings()) as node:
        yield node


def caller_for(node: Node, username: str | None, justification: str = "") -> Caller:
    """The node itself when ``username`` is None, else that active user of this node."""
    if username is None:
        return node_caller(node.settings.agency_id, justification)
    for user in node.accounts.list_users(None):
        if user.username == username:
            if not user.active:
                raise Forbidden(f"the account {username} is disabled")
            return Caller(user, justification)
    raise NotFound(f"no user {username}", field="as")
