"""布控 Watch lists and silent hits: lists fed by their owners (intel ID numbers, fugitives, protected
persons); when a listed person appears in any module the owner is told, never the user who entered it."""
