"""Users, their roles, web sessions and API keys: the tables every part of the platform reads (log-in and
key checks are `platform.auth`)."""
