"""数据看板 — the leadership dashboard: the branch's figures computed from the modules' ``figures`` as daily
counts, read as a CompStat sheet (this year against last, with significance), charts, a map, drill-down to the
records, and the monthly report."""
