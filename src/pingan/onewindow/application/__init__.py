"""An application: one visit or submission bundling several items, each with its legal clock; the one-time
notice of missing materials."""
