"""The grid API under /api/v1/grid: reports, handed calls and the grid force (reports.py); collection, patrols,
publicity, targets and figures (work.py); the signalling of video calls (video.py)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.core.schemas import ERROR_RESPONSES

from . import reports, video, work

router = APIRouter(prefix="/api/v1/grid", tags=["grid"],
                   responses={**ERROR_RESPONSES, 413: {"description": "the photo is too large"}})
router.include_router(reports.router)
router.include_router(work.router)
router.include_router(video.router)
