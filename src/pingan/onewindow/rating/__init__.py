"""好差评: ratings of completed items and the rectification of bad ones."""
