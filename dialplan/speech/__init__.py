"""Speech input: one recognizer service per host, which engine processes stream audio to."""
