"""Cross-cutting services every module uses: organisation, auth, access, audit, deadlines, notifications, jobs."""
