"""The collector's policy under serve (briefing/collector.py): a rebuild's state out of the collector's sight, the
cyclic garbage still collected, nothing kept alive by a freeze."""
from __future__ import annotations

import gc
import weakref

from briefing.collector import KeptState
from briefing.engine import Engine
from briefing.options import Options


class Node:
    pass


def cycle() -> tuple[Node, weakref.ref]:
    node = Node()
    node.me = node
    return node, weakref.ref(node)


def tracked() -> set[int]:
    """What the collector walks (the frozen objects are in none of its generations)."""
    return {id(o) for o in gc.get_objects()}


def test_a_settled_state_is_out_of_the_collectors_sight_and_its_cyclic_garbage_is_collected_first():
    kept = KeptState()
    alive, _ = cycle()
    garbage, gone = cycle()
    del garbage
    kept.settle()
    assert gone() is None  # collected before the freeze: frozen, it would have stayed
    assert id(alive) not in tracked()
    assert kept.full_collections == 1
    newer, _ = cycle()
    kept.settle()
    assert kept.full_collections == 1  # the second walks only what is newer
    assert id(newer) not in tracked()


def test_cyclic_garbage_frozen_alive_is_collected_once_the_frozen_objects_grew():
    kept = KeptState()
    kept.settle()
    stale, gone = cycle()  # alive at the next freeze, garbage after it (like the site engine's configuration)
    kept.settle()
    del stale
    gc.collect()
    assert gone() is not None  # frozen: no collection sees it
    growth = [[i] for i in range(int(kept.baseline * (KeptState.GROWTH - 1)) + 1000)]
    kept.settle()  # frozen now: half as many again
    assert gone() is not None and kept.full_collections == 1
    kept.settle()  # the next one collects everything
    assert gone() is None
    assert kept.full_collections == 2
    assert id(growth) not in tracked()


def test_the_collector_turned_off_is_left_to_its_caller():
    kept = KeptState()
    garbage, gone = cycle()
    del garbage
    gc.disable()
    try:
        kept.settle()
        assert gc.get_freeze_count() == 0 and gone() is not None
    finally:
        gc.enable()


def test_serves_engine_freezes_what_it_keeps_and_lets_the_last_corpus_go(repo):
    """Each rebuild's corpus is frozen once made; an edit's rebuild frees the last one (reference counts: no cycle
    holds it), and the frozen objects do not pile up from one edit to the next."""
    engine = Engine(repo, keep=True)
    options = Options()
    first = engine.refresh(options).corpus
    assert gc.get_freeze_count() > 0 and id(first) not in tracked()
    last = weakref.ref(first)
    del first
    fact_file = sorted((repo / "facts" / "facts").glob("*.yml"))[0]
    text = fact_file.read_text(encoding="utf-8")
    counts = []
    for i in range(3):
        fact_file.write_text(text.replace("claim: ", f"claim: Edit {i}, ", 1), encoding="utf-8")
        state = engine.refresh(options)
        assert state.error is None and any(f"Edit {i}, " in f.claim for f in state.corpus.facts.values())
        assert last() is None  # the corpus of the refresh before
        last = weakref.ref(state.corpus)
        del state
        counts.append(gc.get_freeze_count())
    assert engine.kept.full_collections == 1
    assert max(counts) - min(counts) < 0.05 * min(counts)
