"""`dialplan serve`: runs plans on real calls through the engine's public API.

This is the only part of `dialplan` that imports `engine` (import-linter checks it):
the language, the machine and the tools stay free of SIP.
"""
