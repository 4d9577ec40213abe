"""Storing decisions: screening rows, the group-commit writer and the store process's client."""
