"""Intel lists shared by every bank: entries, their import and the engine state that follows them."""
