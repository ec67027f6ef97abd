"""Atom feeds of the history: feed.xml at the site's root (every change) and one per region (its facts and its
sub-regions') and per topic, each holding the latest changes. Written through templates/atom.xml.j2 and ENTRY, not a
feed library: an entry is rendered once and shared by every feed that lists it (a region's, its parents', its topics',
the root's), which keeps a thousand feeds at 100x the corpus cheap. Dates are the commits', so the files are the same
on every build of one commit. Links are absolute, from mkdocs.yml's site_url; without it there are no feeds."""
from __future__ import annotations

from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from .history import ADDED, CORRECTED, REMOVED, Change
from .loader import gc_paused
from .urls import page_url, region_page_src, topic_src
from .whatsnew import CHANGES_SRC, WhatsNew

LIMIT = 50  # entries per feed
ROOT_FEED = "feed.xml"
TITLES = {ADDED: "New", CORRECTED: "Corrected", REMOVED: "Removed"}
# One entry; Markup.format escapes every value. Not a Jinja template: 30,000 entries at 100x render 5x faster so.
ENTRY = Markup("""<entry>
<id>{id}</id>
<title>{title}</title>
<updated>{updated}</updated>
<link rel="alternate" type="text/html" href="{link}"/>
<category term="{kind}"/>
<summary>{summary}</summary>
</entry>""")


def feed_beside(src: str) -> str:
    """The feed of a region or topic page: feed.xml in the page's folder."""
    return page_url(src) + "feed.xml"


def feed_of(src: str) -> str:
    """The feed a page announces (page src -> feed path in the site)."""
    if src in ("index.md", CHANGES_SRC):
        return ROOT_FEED
    parts = src.split("/")
    if parts[0] in ("regions", "topics") and (parts[-1] != "index.md" or len(parts) == 3):
        return feed_beside(src)
    return ""


@gc_paused()  # see history.load
def atom_files(news: WhatsNew, env: jinja2.Environment) -> dict[str, str]:
    """{path in the site: Atom XML} for the root, every region and every topic with changes."""
    if not news.available or not news.site_url or not news.h.changes:
        return {}
    c = news.c
    chains: dict[str, list[str]] = {}  # region -> itself and its ancestors (its changes show in their feeds too)
    feeds: dict[str, list[Change]] = {ROOT_FEED: []}
    for change in reversed(news.h.changes):
        keys = {ROOT_FEED}
        for rid in change.regions:
            if rid in c.regions:
                for r in chains.setdefault(rid, [rid, *c.ancestors(rid)]):
                    keys.add(feed_beside(region_page_src(c, r)))
        keys.update(feed_beside(topic_src(t)) for t in change.topics if t in c.topics)
        for key in keys:
            listed = feeds.setdefault(key, [])
            if len(listed) < LIMIT:
                listed.append(change)
    template = env.get_template("atom.xml.j2")
    rendered: dict[int, Markup] = {}
    host = urlsplit(news.site_url)
    base = news.site_url

    def entry(change: Change) -> Markup:
        if id(change) not in rendered:
            e = news.entry(change)
            rendered[id(change)] = ENTRY.format(
                id=f"tag:{host.hostname},{change.day}:{host.path}fact/{change.fact}/{change.commit[:12]}",
                title=f"{TITLES.get(change.kind, 'Changed')}: {change.claim}", updated=change.stamp, kind=change.kind,
                link=base + page_url(e.src) + "#" + e.anchor, summary="; ".join(e.details))
        return rendered[id(change)]

    out = {}
    for path, changes in sorted(feeds.items()):
        page = path[:-len("feed.xml")]
        title = f"{news.site_name}: what's new" if path == ROOT_FEED else \
            f"{_page_title(c, page)}: what's new – {news.site_name}"
        out[path] = template.render(entries=[entry(ch) for ch in changes], self_url=base + path, page_url=base + page,
                                    title=title, updated=changes[0].stamp, site_name=news.site_name,
                                    site_url=base)
    return out


def _page_title(c, page: str) -> str:
    kind, _, ident = page.strip("/").partition("/")
    records = c.regions if kind == "regions" else c.topics
    return records[ident].name if ident in records else ident
