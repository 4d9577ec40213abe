"""Registers mediation with the platform: the escalation handlers of its clocks (imported for that) and its
part of the demo county."""

from __future__ import annotations

from pingan.mediation import clocks, demo
from pingan.platform import demo as platform_demo

__all__ = ["clocks"]

platform_demo.register_loader(demo.load_mediation_demo)
