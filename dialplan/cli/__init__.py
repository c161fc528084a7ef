"""The `dialplan` command line."""
