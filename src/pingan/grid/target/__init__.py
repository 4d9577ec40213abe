"""Yearly targets per grid and member, and the progress of verified work against them."""
