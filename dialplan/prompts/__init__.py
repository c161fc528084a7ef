"""Prompts: text to speech with a shared on-disk cache, and recorded prompt files."""
