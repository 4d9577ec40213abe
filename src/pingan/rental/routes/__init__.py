"""租安心 HTTP: the rental API, the officers' pages, the landlords' portal and the public declaration page."""
