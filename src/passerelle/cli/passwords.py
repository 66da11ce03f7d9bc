"""Obtaining a password on the command line without leaking it.

Three ways, in order of preference for an operator: the hidden prompt (typed twice), a
generated one (printed once, to be handed over), or the value of an option (fine in scripts
when it comes from an environment variable; a literal on the command line ends up in the shell
history and the process list). ``--no-input`` turns the prompt into an error, so that an
unattended script never hangs waiting for a keyboard.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import typer

from passerelle.errors import ValidationFailed

GENERATED_BYTES = 18  # 24 URL-safe characters, well above the 12-character minimum


@dataclass(frozen=True, slots=True)
class ChosenPassword:
    """A password and whether it was generated (and so must be shown once)."""

    value: str
    generated: bool


def choose_password(given: str | None, generate: bool, no_input: bool, *, field: str,
                    prompt: str) -> ChosenPassword:
    """The password from the option, a generator or the prompt, in that order."""
    if given is not None and generate:
        raise ValidationFailed("give a password or --generate-password, not both", field=field)
    if given is not None:
        return ChosenPassword(given, generated=False)
    if generate:
        return ChosenPassword(secrets.token_urlsafe(GENERATED_BYTES), generated=True)
    if no_input:
        raise ValidationFailed(
            "no password given: pass it as an option, use --generate-password, or drop "
            "--no-input to be prompted", field=field)
    typed: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return ChosenPassword(typed, generated=False)
