"""Durable deadlines (SLA clocks) on any record, scanned by a job that escalates each level once."""
