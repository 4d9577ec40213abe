"""The 打击 part of the demo county (loaded once; a second load changes nothing)."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_cases_demo(db: Session) -> None:
    return None
