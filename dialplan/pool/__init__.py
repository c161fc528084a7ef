"""Many engine processes behind Kamailio: the supervisor, its workers, their load and admin."""
