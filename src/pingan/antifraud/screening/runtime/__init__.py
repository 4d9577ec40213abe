"""The screening runtime of one process: engine state, idempotency memory and the writer."""
