"""Alembic scripts of the directory schema (env.py, versions/)."""
