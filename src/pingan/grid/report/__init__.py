"""Reports from the grid (上报): intake with the category's fields and photos, the status table, the clocks."""
