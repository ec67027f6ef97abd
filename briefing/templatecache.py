"""Compiled templates kept between processes, in .briefing-cache/templates/.

Jinja compiles a template to Python the first time a process uses it: about 0.15 s of every build for the engine's
templates and Material's (a tenth of a build of the real corpus), and of every rebuild under `serve`, where MkDocs
makes its theme's environment anew each time. Jinja's own FileSystemBytecodeCache keeps the compiled code of each
template file and checks it against the file's source. What it does not check are the environment's settings, which
change the code compiled (trim_blocks, autoescape, delimiters, extensions, the code generator: jinjacontext.py): they
name the folder the code is kept in.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from .filecache import CACHE_DIR

FOLDER = "templates"


def settings(env: jinja2.Environment) -> str:
    """What, besides a template's source, the code Jinja compiles from it depends on."""
    escape = env.autoescape if isinstance(env.autoescape, bool) else \
        f"{env.autoescape.__module__}.{env.autoescape.__qualname__}"
    policies = sorted((k, v) for k, v in env.policies.items() if isinstance(v, (str, int, bool, type(None))))
    generator = (f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}"
                 f" {getattr(env.code_generator_class, 'version', '')}")
    return repr((jinja2.__version__, generator, env.block_start_string, env.block_end_string, env.variable_start_string,
                 env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
                 env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
                 env.keep_trailing_newline, escape, sorted(env.extensions), env.optimized, env.is_async, policies))


def use(env: jinja2.Environment, root: Path) -> jinja2.Environment:
    """The environment, its compiled templates kept under root's cache (left as it is where that cannot be written:
    every process then compiles them, as without the cache)."""
    key = hashlib.blake2b(settings(env).encode(), digest_size=8).hexdigest()
    folder = Path(root) / CACHE_DIR / FOLDER / key
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return env
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
