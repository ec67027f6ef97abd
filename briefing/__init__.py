"""Briefing engine: turns the curated files under facts/ into validated pages for a site engine (MkDocs).

Data flows one way (pipeline.py): read (loader) -> validate -> resolve -> checks -> a frozen Corpus -> render
(render, through templates/) -> the site engine (plugin/), then the search index (searchindex).
"""
