"""租安心 rental safety: rented units at standard addresses with one code each, tenants declared and verified,
the landlord's 3-working-day reporting clocks, inspections with rectification deadlines, silent watch-list checks."""
