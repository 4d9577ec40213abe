"""The case register: intake, the status table, the legal clocks and the people on a case."""
