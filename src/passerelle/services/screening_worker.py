"""The node's screening worker: a thread that keeps the watchlist current, screens what
partners send and runs the submitted lists.

Each pass follows the watchlist's changes (``ScreeningService.tick``: new, changed and
withdrawn alerts, and partners' person and document records to screen), then screens every
list waiting (``run_pending``). Passes come every ``interval`` seconds, or at once when
``wake`` is called (a list was submitted). A failed pass is logged and the next one comes:
jobs resume where their last committed chunk ended.
"""

from __future__ import annotations

import logging
import threading

from passerelle.services.screening import ScreeningService

log = logging.getLogger(__name__)
DEFAULT_INTERVAL_S = 1.0


class ScreeningWorker:
    """Runs ``screening``'s background work in a thread of its own (``start``/``stop``)."""

    def __init__(self, screening: ScreeningService,
                 interval: float = DEFAULT_INTERVAL_S) -> None:
        self._screening = screening
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Start the next pass now."""
        self._wake.set()

    def run_once(self) -> None:
        """One pass (see the module docstring)."""
        self._screening.tick()
        self._screening.run_pending()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the worker outlives a bad pass; the error is logged
                log.exception("screening pass failed")
            self._wake.wait(self._interval)
            self._wake.clear()

    def start(self) -> None:
        """Run passes in a daemon thread until ``stop``."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="passerelle-screening",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current pass."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
