"""Foundations every part of Pingan stands on: settings, database, errors, time, identity checks."""
