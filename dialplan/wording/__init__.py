"""Saying values: numbers, ordinals, digits, amounts, dates and times as words of a language."""
