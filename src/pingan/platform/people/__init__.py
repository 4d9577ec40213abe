"""实有人口 People: one record per resident ID number, every appearance of it in every module (一人一档),
and the records the same person turns up in again (repeats)."""
