"""The one settings object of a node, read from ``PASSERELLE_*`` environment variables.

Built once at start-up (``Settings()``) and passed to whatever needs it; nothing reads the
environment at import time. Outside development, placeholder secrets are refused.
Every field is documented in docs/settings.md (a test checks it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "development-only-secret-change-me"  # noqa: S105 — refused in production


class Settings(BaseSettings):
    """Configuration of one Passerelle node."""

    model_config = SettingsConfigDict(env_prefix="PASSERELLE_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = Field(
        "development", description="development allows placeholder secrets; production does not")
    database_url: str = Field(
        "sqlite:///passerelle.db",
        description="SQLAlchemy URL: sqlite:///FILE (default) or postgresql+psycopg://...")
    agency_id: str = Field("fr", description="The agency that runs this node")
    secret_key: str = Field(
        PLACEHOLDER_SECRET, description="Signs session cookies; at least 32 characters")
    audit_key: str = Field(
        PLACEHOLDER_SECRET,
        description="HMAC key of the audit hash chain; keep it off the database host")
    host: str = Field("127.0.0.1", description="Address `passerelle serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="Port `passerelle serve` listens on")
    max_body_bytes: int = Field(
        50 * 1024 * 1024, ge=1024, description="Largest request body accepted (413 beyond)")
    page_size_max: int = Field(500, ge=1, le=10_000, description="Largest page a search returns")
    session_hours: int = Field(8, ge=1, le=24, description="Lifetime of a web session")
    default_review_days: int = Field(
        365, ge=1, le=3650, description="Review date given to new personal-data records")
    screening_processes: int = Field(
        0, ge=0, le=64, description="Processes that screen a long traveller list (0: one "
        "per CPU)")
    node_key_file: Path | None = Field(
        None, description="The node's Ed25519 signing key (PEM, mode 0600), created by "
        "`passerelle init`; default: next to the SQLite database (bootstrap.node_key_path)")

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment != "production":
            return self
        for name in ("secret_key", "audit_key"):
            value = getattr(self, name)
            if value == PLACEHOLDER_SECRET or len(value) < 32:
                raise ValueError(
                    f"PASSERELLE_{name.upper()} must be set to a secret of at least 32 characters"
                    " in production")
        return self
