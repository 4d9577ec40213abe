"""警银通 HTTP: the screening API for bank systems, intel and rules for analysts, the teller page."""
