"""调解室 HTTP: the mediation API and the pages (intake, board, dispute detail, room schedule, figures)."""
