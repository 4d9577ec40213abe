"""Users, roles, passwords, web sessions and API keys."""
