"""The templates' context (Environment.context_class) with a short path for the calls templates make most.

Jinja compiles every call in a template to `context.call(obj, ...)`, which asks the callable three times whether it
wants the context, the eval context or the environment passed first (hasattr of `__call__`, and
`_PassArg.from_obj` twice). At 100 times the corpus the templates make about 1.5 million calls, nearly all of them to
macros and to View's methods, and those questions were a fifth of the rendering's time. Here a macro, or a method
whose function is not marked with `pass_context`, `pass_eval_context` or `pass_environment`, is called at once, as
Jinja would call it; any other callable goes Jinja's way.
"""
from __future__ import annotations

import types

import jinja2.runtime
from jinja2.runtime import Macro


class Context(jinja2.runtime.Context):
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature (its arguments may be named self)
        kind = type(__obj)
        if kind is Macro or (kind is types.MethodType and not hasattr(__obj.__func__, "jinja_pass_arg")):
            if kwargs:  # what Jinja adds to a call inside a loop or a block, for the callables that take the context
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # what Jinja makes of it
                return __self.environment.undefined("value was undefined because a callable raised a StopIteration "
                                                    "exception")
        return super().call(__obj, *args, **kwargs)
