"""Alembic revisions of the directory schema (a package so that it ships)."""
