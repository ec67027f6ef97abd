"""Briefing engine: turns the curated files under facts/ into validated pages for MkDocs.

Data flows one way: load (loader) -> validate (schema, checks) -> model (corpus) -> render (render) -> MkDocs (hook).
"""
