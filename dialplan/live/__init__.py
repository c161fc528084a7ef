"""The live scenario driver: scenarios over real SIP against a running service."""
