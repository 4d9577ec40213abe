"""The screening hot path: the bank contract's request, the decision, and its durable answer."""
