"""The audit trail: who did what to which record, written in the same transaction as the change."""
