"""110 calls (警情): recorded, flagged as repeats, disposed."""
