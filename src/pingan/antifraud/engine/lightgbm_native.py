"""LightGBM's own library through its C API (`c_api.h`): load a model from its text, score one row (the
single-row fast path, a few microseconds) or many in one call. The screening processes use this instead of
the lightgbm Python package, whose import pulls in scikit-learn and SciPy and costs a second of every start;
training still uses the package.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import struct
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path

_DTYPE_FLOAT64 = 1  # C_API_DTYPE_FLOAT64
_PREDICT_RAW_SCORE = 1  # C_API_PREDICT_RAW_SCORE
_ROW_MAJOR = 1
_LIBRARY_NAME = "lib_lightgbm.so"


class LightGBMUnavailable(OSError):
    pass


@functools.cache
def _library() -> ctypes.CDLL:
    # The places the lightgbm package itself looks for its library (lightgbm/libpath.py), without importing
    # the package.
    spec = importlib.util.find_spec("lightgbm")
    if spec is None or spec.origin is None:
        raise LightGBMUnavailable("the lightgbm package is not installed")
    package = Path(spec.origin).parent
    for candidate in (package.parent / _LIBRARY_NAME, package / "bin" / _LIBRARY_NAME, package / "lib" / _LIBRARY_NAME):
        if candidate.is_file():
            lib = ctypes.cdll.LoadLibrary(str(candidate))
            lib.LGBM_GetLastError.restype = ctypes.c_char_p
            return lib
    raise LightGBMUnavailable(f"{_LIBRARY_NAME} not found beside the lightgbm package in {package}")


def _check(lib: ctypes.CDLL, status: int) -> None:
    if status != 0:
        raise ValueError(f"LightGBM: {lib.LGBM_GetLastError().decode()}")


class NativeBooster:
    """A model loaded from LightGBM's text format into the C library."""

    def __init__(self, model_text: str) -> None:
        lib = self._lib = _library()
        handle, iterations = ctypes.c_void_p(), ctypes.c_int(0)
        _check(lib, lib.LGBM_BoosterLoadModelFromString(model_text.encode(), ctypes.byref(iterations),
                                                          ctypes.byref(handle)))
        self._handle = handle
        weakref.finalize(self, lib.LGBM_BoosterFree, handle)
        features = ctypes.c_int(0)
        _check(lib, lib.LGBM_BoosterGetNumFeature(handle, ctypes.byref(features)))
        self.num_features = features.value
        self._single = ctypes.c_void_p()
        _check(lib, lib.LGBM_BoosterPredictForMatSingleRowFastInit(
            handle, _PREDICT_RAW_SCORE, 0, -1, _DTYPE_FLOAT64, ctypes.c_int32(self.num_features),
            b"num_threads=1", ctypes.byref(self._single)))
        weakref.finalize(self, lib.LGBM_FastConfigFree, self._single)
        self._row = struct.Struct(f"{self.num_features}d")  # one row as LightGBM reads it (float64s)
        self._single_row = (ctypes.c_double * self.num_features)()
        self._single_out, self._single_written = (ctypes.c_double * 1)(), ctypes.c_int64(0)
        self._single_lock = threading.Lock()

    def raw_score(self, row: Sequence[float]) -> float:
        """The raw margin of one row, through LightGBM's single-row fast path."""
        with self._single_lock:  # one prepared single-row configuration, shared by this process's threads
            self._row.pack_into(self._single_row, 0, *row)
            _check(self._lib, self._lib.LGBM_BoosterPredictForMatSingleRowFast(
                self._single, self._single_row, ctypes.byref(self._single_written), self._single_out))
            return self._single_out[0]

    def raw_scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The raw margin of each row (`Booster.predict(rows, raw_score=True)`), on one thread."""
        count, pack = len(rows), self._row.pack
        try:
            data = b"".join([pack(*row) for row in rows])
        except struct.error:
            raise ValueError(f"every row needs {self.num_features} features") from None
        out, written = (ctypes.c_double * count)(), ctypes.c_int64(0)
        _check(self._lib, self._lib.LGBM_BoosterPredictForMat(
            self._handle, ctypes.c_char_p(data), _DTYPE_FLOAT64, ctypes.c_int32(count),
            ctypes.c_int32(self.num_features), _ROW_MAJOR, _PREDICT_RAW_SCORE, 0, -1, b"num_threads=1",
            ctypes.byref(written), out))
        return list(out)
