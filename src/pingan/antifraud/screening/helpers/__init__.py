"""The helper processes of a server: the preparer and the pipes it and the store process share."""
