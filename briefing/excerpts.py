"""Pagefind's excerpts, made in time proportional to the page: a fix to the scripts of the pinned Pagefind (1.5.2).

When the reader opens a result, Pagefind's script (in its web worker, pagefind-worker.js, and in pagefind.js) makes
an excerpt for every section of the page that matches: `build_excerpt`, which splits the page's whole text into words
for each one. A region's page holds a section per fact, so a page of 2,000 matching facts split a text of 200,000
words 2,000 times: 21 s before the first result for "Hebei" in an archive of the real corpus a hundred times over
(its Beijing-Tianjin-Hebei page). The replacement splits a page's text once (kept while the sections of that page are
made) and marks the matched words inside the excerpt's window only: the same excerpts, each in time proportional to
its length (147 ms for that page). tests/test_search.py runs both functions in Chromium over random inputs.

`speed_up(bundle)` rewrites the function in the bundle's scripts after Pagefind wrote them. A Pagefind whose function
differs from ORIGINAL is left as it is (`speed_up` returns the scripts it changed; the test of the bundle fails).
"""
from __future__ import annotations

from pathlib import Path

SCRIPTS = ("pagefind-worker.js", "pagefind.js")

# Pagefind 1.5.2's function, as its scripts hold it (pagefind_web_js/lib/excerpt.ts, bundled)
ORIGINAL = (
    'var build_excerpt=(content,start,length,locations,not_before,not_from)=>{let is_zws_delimited=content.includes('
    '"\\u200B");let fragment_words=[];if(is_zws_delimited){fragment_words=content.split("\\u200B");}else{fragment_words'
    '=content.split(/[\\r\\n\\s]+/g);}let endcap=not_from??fragment_words.length;let startcap=not_before??0;if(endcap-'
    'startcap<length){length=endcap-startcap;}if(start+length>endcap){start=endcap-length;}if(start<startcap){start='
    'startcap;}const joiner=is_zws_delimited?"":" ";const plain_excerpt=fragment_words.slice(start,start+length).join('
    'joiner).trim();for(let word of locations){if(fragment_words[word]?.startsWith(`<mark>`)){continue;}fragment_words'
    '[word]=`<mark>${fragment_words[word]}</mark>`;}const excerpt=fragment_words.slice(start,start+length).join(joiner)'
    '.trim();return{excerpt,plain_excerpt};};'
)

# The same excerpts: the words of the last text split are kept (one page's sections are made one after the other),
# never changed; the window is copied and its matched words marked (a location outside it changed nothing the
# original returned: it marked a word outside the slice, or added one past the end, which the trim drops).
FAST = (
    'var build_excerpt=(content,start,length,locations,not_before,not_from)=>{let split=build_excerpt.split;'
    'if(!split||split.content!==content){const zws=content.includes("\\u200B");split=build_excerpt.split={content,'
    'zws,words:zws?content.split("\\u200B"):content.split(/[\\r\\n\\s]+/g)};}const is_zws_delimited=split.zws;'
    'const fragment_words=split.words;let endcap=not_from??fragment_words.length;let startcap=not_before??0;'
    'if(endcap-startcap<length){length=endcap-startcap;}if(start+length>endcap){start=endcap-length;}'
    'if(start<startcap){start=startcap;}const joiner=is_zws_delimited?"":" ";'
    'const shown=fragment_words.slice(start,start+length);const plain_excerpt=shown.join(joiner).trim();'
    'for(let word of locations){const at=word-start;if(at<0||at>=length||shown[at]?.startsWith(`<mark>`)){continue;}'
    'shown[at]=`<mark>${shown[at]}</mark>`;}const excerpt=shown.join(joiner).trim();return{excerpt,plain_excerpt};};'
)


def speed_up(bundle: Path) -> list[str]:
    """Replace Pagefind's build_excerpt by FAST in the bundle's scripts; the names of the scripts changed."""
    changed = []
    for name in SCRIPTS:
        path = Path(bundle) / name
        if not path.is_file():
            continue
        script = path.read_text(encoding="utf-8")
        if script.count(ORIGINAL) == 1:
            path.write_text(script.replace(ORIGINAL, FAST), encoding="utf-8")
            changed.append(name)
    return changed
