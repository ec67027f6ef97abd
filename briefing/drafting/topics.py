"""Topics for a sentence, from the topics' own words and the words of the facts editors filed under each topic."""
from __future__ import annotations

import math
import re
from collections import Counter

_STOP = set("""a an the and or of in on at to for from by with as is are was were be been has have had will would
this that these those it its their our his her he she they we which who what when where than more most over under
into also such other all each per year years said says total about new""".split())


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z-]+", text.lower()) if w not in _STOP and len(w) > 2]


class TopicModel:
    """Naive Bayes over words: each topic's name and summary, plus the quotes and claims of the facts filed under it."""

    def __init__(self, topics: list[dict], facts: list[dict]):
        self.ids = [t["id"] for t in topics]
        self.counts = {t["id"]: Counter(words(f"{t.get('name', '')} {t.get('summary', '')} {t['id'].replace('-', ' ')}") * 3)
                       for t in topics}
        self.docs = Counter({tid: 1 for tid in self.ids})
        for fact in facts:
            text = " ".join([str(fact.get("claim", ""))] + [str(c.get("quote", "")) for c in fact.get("citations") or []])
            for tid in fact.get("topics") or []:
                if tid in self.counts:
                    self.counts[tid].update(words(text))
                    self.docs[tid] += 1
        self.vocab = set().union(*self.counts.values()) if self.counts else set()
        self.totals = {tid: sum(c.values()) for tid, c in self.counts.items()}

    def score(self, text: str) -> list[tuple[float, str]]:
        ws = [w for w in words(text) if w in self.vocab]
        n_docs = sum(self.docs.values())
        out = []
        for tid in self.ids:
            logp = math.log(self.docs[tid] / n_docs)
            denom = self.totals[tid] + len(self.vocab)
            logp += sum(math.log((self.counts[tid][w] + 1) / denom) for w in ws)
            out.append((logp, tid))
        return sorted(out, reverse=True)

    def topics(self, text: str) -> list[str]:
        """The best topic, and the second when it is nearly as likely (within a factor of e²)."""
        ranked = self.score(text)
        if not ranked:
            return []
        chosen = [ranked[0][1]]
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < 2.0:
            chosen.append(ranked[1][1])
        return chosen
