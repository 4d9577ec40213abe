"""一窗通办 HTTP: the one-window API (catalogue, applications and their items, queue tickets, ratings,
rectifications, figures)."""
