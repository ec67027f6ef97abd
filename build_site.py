#!/usr/bin/env python3
"""Validate the facts, render the briefing pages and build the site: `python build_site.py --help`."""
import os
import sys
from pathlib import Path


def _use_project_venv() -> None:
    """`python build_site.py ...` with a Python that lacks the requirements runs again in the project's .venv
    (made by `make setup`), instead of failing with an ImportError."""
    venv_python = Path(__file__).resolve().parent / ".venv" / "bin" / "python"
    if Path(sys.prefix).resolve() == venv_python.parent.parent.resolve() or not venv_python.exists():
        return
    try:
        import mkdocs  # noqa: F401
        import pydantic  # noqa: F401
    except ImportError:
        os.execv(str(venv_python), [str(venv_python), *sys.argv])


if __name__ == "__main__":
    _use_project_venv()
    import gc

    from briefing.cli import main

    status = main()
    gc.freeze()  # the process ends: Python's last collection at exit need not walk what the build held (0.7 s at 100x)
    sys.exit(status)
