"""调解室 HTTP: the mediation API and the pages (intake, board, dispute detail, room schedule, figures)."""

from __future__ import annotations


def routers() -> list:
    from pingan.mediation.routes import api, pages

    return [api.router, pages.router]
