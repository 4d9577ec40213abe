"""Per-bank decision thresholds: set by hand or calibrated on a bank's own traffic, versioned and
restorable; each bank's daily hold and warn rates watched against its band."""
