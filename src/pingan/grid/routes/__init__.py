"""The grid's API and pages."""
