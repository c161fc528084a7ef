"""Kamailio in front of engine processes: its configuration and its process."""
