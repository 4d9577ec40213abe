"""一窗通办 one-window services: one visit, several police services, a legal clock per item, the queue, the
online and village channels, and ratings whose bad grades are fixed and called back."""
