"""Passerelle: lawful, fast exchange of counter-terrorism information between partner agencies."""

__version__ = "0.1.0"
