"""Pingan (平安): the community-safety platform of a county-level police branch."""

__version__ = "0.1.0"
