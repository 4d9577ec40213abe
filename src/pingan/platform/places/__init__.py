"""标准地址 Standard addresses: the tree under each grid (road or village, number, building, unit, room), its
CSV import, and the matching of free text to scored candidates."""
