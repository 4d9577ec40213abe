"""The queue: kiosk tickets called to a window, with waiting and serving times."""
