"""An audio renderer that renders nothing: each segment is "stored" the moment it is asked
for and handed out at a URL that names it, so the stream's tests and benchmarks stay fast. It
remembers each URL's segment, so a simulated player knows how long each item plays."""

from __future__ import annotations

import threading

from skill.audio.library import AudioLibrary
from skill.audio.segments import Segment

BASE_URL = "https://audio.example"


class ListedRenderer:
    name = "listed"

    def __init__(self) -> None:
        self.stored: dict[str, Segment] = {}
        self.renders = 0
        self._lock = threading.Lock()

    def has(self, segment: Segment) -> bool:
        return segment.segment_id in self.stored

    def render(self, segment: Segment, deadline: float) -> None:
        with self._lock:
            self.renders += 1
            self.stored[segment.segment_id] = segment

    def url_for(self, segment: Segment) -> str:
        return f"{BASE_URL}/{segment.segment_id}.mp3"

    def segment_at(self, url: str) -> Segment:
        """The segment a URL names (it must have been rendered)."""
        return self.stored[url.removeprefix(f"{BASE_URL}/").removesuffix(".mp3")]


def listed_library() -> tuple[AudioLibrary, ListedRenderer]:
    renderer = ListedRenderer()
    return AudioLibrary(renderer), renderer
