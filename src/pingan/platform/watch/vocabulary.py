"""Chinese names of watch-list kinds, the roles a person appears in and the modules records come from."""

from __future__ import annotations

from pingan.platform.watch.models import ListKind

KIND_LABELS = {ListKind.WATCH: "布控名单", ListKind.PROTECTED: "保护对象"}
MODULE_LABELS = {"antifraud": "警银通", "mediation": "调解室", "cases": "打击", "grid": "警网融合",
                 "rental": "租安心", "onewindow": "一窗通办"}
