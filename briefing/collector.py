"""Python's cyclic garbage collector and the state `serve` keeps from one rebuild to the next.

Under serve the engine keeps its corpus, its memo and the pages between rebuilds: about 1.6 million objects the
collector tracks at 100 times the corpus. Python starts a full collection by itself whenever a quarter more objects
have lived long enough, and a full collection walks every one of them: a second at 100x, on about one rebuild in
eight to ten (those one-fact edits showed in 2.1-2.6 s, the others in 1.1-1.4 s). KeptState takes a rebuild's state
out of the collector's sight (gc.freeze) as soon as it is made: the collector then walks only what is newer.

Frozen objects are still freed when nothing refers to them any more (reference counts), but never as cyclic
garbage. So each freeze follows a collection of what is not frozen yet: the rebuild's new objects (rendering leaves
Jinja's contexts, in cycles that hold the new corpus; frozen, they would keep it alive after the next rebuild) and
the garbage of the last site build (MkDocs' pages and navigation): 0.05-0.07 s at 100x, 0.2 s after a full build.
What is alive at that moment and becomes cyclic garbage later (the site engine's configuration of the build under
way) stays frozen, about 70 objects a rebuild: once the frozen objects are half as many again as after the last
full collection, the next rebuild makes one.
"""
from __future__ import annotations

import gc


class KeptState:
    """The collector's policy for a process that keeps a rebuild's state until the next one (the Engine of serve)."""

    GROWTH = 1.5  # a full collection once the frozen objects are this many times those after the last one

    def __init__(self) -> None:
        self.baseline = 0  # objects frozen after the last full collection (0: none made yet)
        self.full_collections = 0

    def settle(self) -> None:
        """A rebuild's state is made: collect what is not frozen (all of it, the first time and when the frozen
        objects grew past GROWTH), then freeze everything alive. Nothing when the collector is off: the caller
        manages it."""
        if not gc.isenabled():
            return
        full = not self.baseline or gc.get_freeze_count() > self.baseline * self.GROWTH
        if full:
            gc.unfreeze()  # back into the oldest generation: the collection below walks everything
            self.full_collections += 1
        gc.collect()
        gc.freeze()
        if full:
            self.baseline = gc.get_freeze_count()
