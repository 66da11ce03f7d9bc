"""Alembic migrations of the Passerelle schema (run through ``passerelle.storage.migrate``)."""
