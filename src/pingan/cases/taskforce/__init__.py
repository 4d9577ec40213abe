"""Task forces (专班): a lead, members, cases, and tasks raised → allocated → done → resulted."""
