"""Rule thresholds as analysts manage them: stored versions, one active."""
