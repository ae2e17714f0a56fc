"""Rendering ahead of need: a small bounded pool renders the following segments while earlier
ones play, and a request waits for the segment it needs only as long as its deadline allows.

A segment still rendering when the wait is over is reported (`NotReadyInTime`) and keeps
rendering, so the next request finds it ready; a failed render is reported (`RenderFailed`) and
forgotten, so a later request tries again. Nothing here raises anything else.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from skill.audio import AudioRenderer, NotReadyInTime, RenderFailed
from skill.audio.segments import Segment

DEFAULT_WORKERS = 2  # Polly takes about 8 neural calls a second per account: two is plenty
DEFAULT_AHEAD = 4  # segments rendered ahead at most at once: a few sets of the workout
DEFAULT_RENDER_SECONDS = 30.0  # one render's own deadline, retries included
REMEMBERED_READY = 4096  # ids known to be stored, so a warm request asks the store nothing
REMEMBER_SECONDS = 3600.0  # then asked again: the bucket's lifecycle may have expired it

logger = logging.getLogger(__name__)


class AudioLibrary:
    """Segments to URLs, rendered once each, ahead of need where asked."""

    def __init__(self, renderer: AudioRenderer, *, workers: int = DEFAULT_WORKERS,
                 ahead: int = DEFAULT_AHEAD, render_seconds: float = DEFAULT_RENDER_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.renderer = renderer
        self._ahead = ahead
        self._render_seconds = render_seconds
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="audio-render")
        self._lock = threading.Lock()
        self._rendering: dict[str, Future[None]] = {}
        self._ready: OrderedDict[str, float] = OrderedDict()  # id: when it was known stored

    def url_for(self, segment: Segment) -> str:
        """The segment's URL, whether or not it is rendered yet (`ensure` makes sure)."""
        return self.renderer.url_for(segment)

    def ensure(self, segment: Segment, *, timeout: float) -> str:
        """The segment's URL once it is stored, waiting at most `timeout` seconds for it.
        Raises `NotReadyInTime` (it goes on rendering) or `RenderFailed`."""
        if self._known_ready(segment.segment_id):
            return self.url_for(segment)
        job = self._submit(segment)
        try:
            job.result(timeout=max(0.0, timeout))
        except FutureTimeout:
            raise NotReadyInTime(segment.segment_id,
                                 f"not rendered within {timeout:.2f} s") from None
        return self.url_for(segment)

    def render_ahead(self, segments: Iterable[Segment]) -> int:
        """Start rendering `segments` in order, while fewer than `ahead` renders are under way;
        returns how many were started (the rest are asked for again later)."""
        started = 0
        for segment in segments:
            if self._known_ready(segment.segment_id):
                continue
            with self._lock:
                if segment.segment_id in self._rendering:
                    continue
                if len(self._rendering) >= self._ahead:
                    break
            self._submit(segment)
            started += 1
        return started

    def close(self) -> None:
        """Stop taking work; renders under way finish."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, segment: Segment) -> Future[None]:
        segment_id = segment.segment_id
        with self._lock:
            job = self._rendering.get(segment_id)
            if job is None:
                job = self._pool.submit(self._render, segment)
                self._rendering[segment_id] = job
        return job

    def _render(self, segment: Segment) -> None:
        segment_id = segment.segment_id
        try:
            if not self.renderer.has(segment):
                started = self._clock()
                self.renderer.render(segment, started + self._render_seconds)
                logger.info("rendered audio %s with %s in %.2f s (%d billed characters)",
                            segment_id[:12], self.renderer.name, self._clock() - started,
                            segment.billed_characters)
            self._remember(segment_id)
        except RenderFailed as failure:
            logger.warning("audio %s not rendered: %s", segment_id[:12], failure.reason)
            raise
        except Exception as error:  # an adapter's bug must not take the request down
            logger.exception("audio %s: unexpected render error", segment_id[:12])
            raise RenderFailed(segment_id, f"unexpected {type(error).__name__}") from error
        finally:
            with self._lock:
                self._rendering.pop(segment_id, None)

    def _known_ready(self, segment_id: str) -> bool:
        with self._lock:
            known = self._ready.get(segment_id)
            return known is not None and self._clock() - known < REMEMBER_SECONDS

    def _remember(self, segment_id: str) -> None:
        with self._lock:
            self._ready[segment_id] = self._clock()
            self._ready.move_to_end(segment_id)
            while len(self._ready) > REMEMBERED_READY:
                self._ready.popitem(last=False)
