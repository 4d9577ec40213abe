"""Failed log-ins counted per client address and per (account, address), in the server's memory.

The answer to a throttled attempt is the same whether the account exists or not, and a stranger's
failures never lock a user out at an address the stranger does not share: an account is throttled per
address, and an address is throttled as a whole once it has failed on too many attempts.
Counts live in the server process and start again when it restarts.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque

from pingan.core import clock

_SWEEP_EVERY = 1024


class LoginThrottle:
    def __init__(self, *, per_account: int, per_address: int, window: dt.timedelta) -> None:
        self._limits = {"account": per_account, "address": per_address}
        self._window = window
        self._failures: dict[tuple, deque[dt.datetime]] = {}
        self._lock = threading.Lock()
        self._since_sweep = 0

    @staticmethod
    def _keys(address: str, username: str) -> dict[str, tuple]:
        return {"account": ("account", username.casefold(), address), "address": ("address", address)}

    def blocked(self, address: str, username: str) -> bool:
        """True while this account at this address, or this address, has reached its limit of failures."""
        since = clock.now() - self._window
        with self._lock:
            for kind, key in self._keys(address, username).items():
                times = self._failures.get(key)
                if times is not None and len(self._recent(times, since)) >= self._limits[kind]:
                    return True
        return False

    def failed(self, address: str, username: str) -> bool:
        """Count a failure; True if it has just reached a limit (the attempts that follow are refused)."""
        now = clock.now()
        reached = False
        with self._lock:
            for kind, key in self._keys(address, username).items():
                times = self._recent(self._failures.setdefault(key, deque()), now - self._window)
                times.append(now)
                reached = reached or len(times) == self._limits[kind]
            self._since_sweep += 1
            if self._since_sweep >= _SWEEP_EVERY:
                self._sweep(now - self._window)
        return reached

    def succeeded(self, address: str, username: str) -> None:
        """A right password forgives the account's failures at this address (not the address's)."""
        with self._lock:
            self._failures.pop(self._keys(address, username)["account"], None)

    @staticmethod
    def _recent(times: deque[dt.datetime], since: dt.datetime) -> deque[dt.datetime]:
        while times and times[0] <= since:
            times.popleft()
        return times

    def _sweep(self, since: dt.datetime) -> None:
        self._since_sweep = 0
        for key in [k for k, times in self._failures.items() if not self._recent(times, since)]:
            del self._failures[key]
