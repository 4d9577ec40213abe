"""Seized goods (涉案财物): items with quantity, unit and value, and their append-only custody chain."""
