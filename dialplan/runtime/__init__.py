"""The executor: runs plans on real calls through the engine's public API (`dialplan serve`)."""
