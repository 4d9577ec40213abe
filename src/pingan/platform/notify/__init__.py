"""Notifications: events written as outbox rows in the caller's transaction, delivered after commit."""
