#!/usr/bin/env python3
"""Validate the facts, render the briefing pages and build the site: `python build_site.py --help`."""
import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main())
