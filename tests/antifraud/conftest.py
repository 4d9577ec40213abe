"""Anti-fraud fixtures: a committed county, bank API keys and a live app whose screening engine is booted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from pingan.antifraud.screening.runtime.current import shutdown_runtime
from pingan.app import create_app
from tests.antifraud.factories import Live, seed_county


@pytest.fixture
def live(committed_db) -> Iterator[Live]:
    keys = seed_county()
    app = create_app(run_scheduler=False)
    with TestClient(app):  # runs the lifespan: boots the engine, drains the writer at the end
        yield Live(app, TestClient(app, headers={"Authorization": f"Bearer {keys['TZB']}"}),
                   TestClient(app, headers={"Authorization": f"Bearer {keys['HYRCB']}"}), keys)
    shutdown_runtime()
