"""The pure model of Passerelle: records, markings, agencies, users and the policy that binds them.

Nothing here performs I/O or imports a framework, an ORM or an HTTP client (enforced by
import-linter). Values are frozen dataclasses; rules are plain functions.
"""
