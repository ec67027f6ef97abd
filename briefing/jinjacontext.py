"""The templates' environment, with short paths for what templates do most: call, and escape what they print.

Calls: Jinja compiles every call in a template to `context.call(obj, ...)`, which asks the callable three times whether
it wants the context, the eval context or the environment passed first (hasattr of `__call__`, and
`_PassArg.from_obj` twice). At 100 times the corpus the templates make about 1.5 million calls, nearly all of them to
macros and to View's methods, and those questions were a fifth of the rendering's time. Here a macro, or a method
whose function is not marked with `pass_context`, `pass_eval_context` or `pass_environment`, is called at once, as
Jinja would call it; any other callable goes Jinja's way (Context).

Printing: with autoescape, Jinja compiles `{{ value }}` to `escape(value)`, which makes a Markup of the escaped text
(two Python calls and a new object), only for the page or macro to join it into its text: the Markup is never seen
again. Two million such values at 100x were a quarter of the rendering's time. Here a printed str is escaped straight
to a str, by the very function `escape` uses (the same characters out), and a Markup (a macro's text) is printed as it
is, where `escape` copied it; anything else (a number) still goes through `escape` (CodeGenerator, `Environment.printed`).
"""
from __future__ import annotations

import types

import jinja2
import jinja2.compiler
import jinja2.runtime
import markupsafe
from jinja2 import nodes
from jinja2.nodes import EvalContext
from jinja2.runtime import Macro, missing
from markupsafe import Markup

try:  # what markupsafe.escape does to a str, before making a Markup of it (C, or markupsafe's Python)
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - a markupsafe without it: printed values take the usual path
    _escape_inner = None


def call_macro(macro: Macro, *args):
    """macro(*args): for a macro handed its arguments by position alone (not `caller`, `varargs`, `kwargs`), what
    Macro.__call__ does without its general argument handling, and without copying the macro's text into a new Markup
    when it is one already (Macro._invoke does: a whole page's sections, at times). A quarter of a million calls on
    the region pages at 100x."""
    missing_args = macro._argument_count - len(args)
    if (missing_args < 0 or macro.caller or macro.catch_kwargs or macro.catch_varargs or macro._environment.is_async
            or (args and isinstance(args[0], EvalContext))):  # Macro.__call__ takes its autoescape from that
        return macro(*args)
    text = macro._func(*args, *((missing,) * missing_args)) if missing_args else macro._func(*args)
    if macro._default_autoescape and type(text) is not Markup:
        return Markup(text)
    return text


class Context(jinja2.runtime.Context):
    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature (its arguments may be named self)
        kind = type(__obj)
        if kind is Macro or (kind is types.MethodType and not hasattr(__obj.__func__, "jinja_pass_arg")):
            if kwargs:  # what Jinja adds to a call inside a loop or a block, for the callables that take the context
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            try:
                if kind is Macro and not kwargs:
                    return call_macro(__obj, *args)
                return __obj(*args, **kwargs)
            except StopIteration:  # what Jinja makes of it
                return __self.environment.undefined("value was undefined because a callable raised a StopIteration "
                                                    "exception")
        return super().call(__obj, *args, **kwargs)


def printed(value) -> str:
    """What `{{ value }}` prints under autoescape: a str escaped, a Markup (what a macro returns) as it is (escape
    would copy it into a new one), a number as str makes it (escape would make a Markup of that), anything else as
    `markupsafe.escape` makes it."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    if kind is int or kind is float:  # digits, a sign, a point, "inf": nothing to escape (27,000 at 10x)
        return str(value)
    return markupsafe.escape(value)


class CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code, but for what a template prints under autoescape (`environment.printed(value)`) and for an
    attribute (`fact.claim`: builtins.getattr inline, Jinja's environment.getattr only when there is no such
    attribute)."""

    version = 3  # of the code it writes: templatecache keeps compiled templates by it

    @jinja2.compiler.optimizeconst
    def visit_Getattr(self, node, frame) -> None:
        """`obj.name` is Jinja's `environment.getattr(obj, "name")`: the attribute, else the item, else undefined.
        Written as the attribute looked up inline, and that call only when the object has no such attribute: the
        templates read half a million attributes of the facts and places at 10x the corpus (a Python call each was
        a tenth of rendering the region pages). The object is evaluated once (_ga_o); nothing runs between the
        assignment of _ga_v and its use."""
        if self.environment.is_async or self.environment.sandboxed:
            return super().visit_Getattr(node, frame)
        self.write("(_ga_v if (_ga_v := getattr((_ga_o := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(_ga_o, {node.attr!r}))")

    @jinja2.compiler.optimizeconst
    def visit_Call(self, node, frame, forward_caller: bool = False) -> None:
        """A call `f(a, b)` is Jinja's `context.call(f, a, b)` (Context.call above: a Python call before the call).
        Written inline, for a call with positional arguments alone: a method not marked with a `pass_*` decorator
        is called at once, a macro by call_macro, anything else by context.call (with the loop's and block's
        variables Jinja hands it). The arguments are written once a branch; a call whose arguments hold another call
        goes Jinja's way (the callable's name _ic_f must not be reassigned between its assignment and its call, and
        the code would double at each level). 110,000 calls at 10x the corpus. Unlike context.call, a StopIteration
        raised by a method or macro is not made an undefined value: it fails the page."""
        if (self.environment.is_async or self.environment.sandboxed or forward_caller or node.kwargs or node.dyn_args
                or node.dyn_kwargs or any(isinstance(arg, nodes.Call) or arg.find(nodes.Call) for arg in node.args)):
            return super().visit_Call(node, frame, forward_caller=forward_caller)

        def arguments(leading: bool) -> None:
            for i, arg in enumerate(node.args):
                if leading or i:
                    self.write(", ")
                self.visit(arg, frame)

        self.write("(_ic_f(")
        arguments(False)
        self.write(") if type(_ic_f := ")
        self.visit(node.node, frame)
        self.write(") is environment.bound_method and not hasattr(_ic_f.__func__, 'jinja_pass_arg') else "
                   "environment.call_macro(_ic_f")
        arguments(True)
        self.write(") if type(_ic_f) is Macro else context.call(_ic_f")
        arguments(True)
        if frame.loop_frame:
            self.write(", _loop_vars=_loop_vars")
        if frame.block_frame:
            self.write(", _block_vars=_block_vars")
        self.write("))")

    def _output_child_pre(self, node, frame, finalize) -> None:
        if _escape_inner is None or frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            return super()._output_child_pre(node, frame, finalize)
        self.write("environment.printed(")
        if finalize.src is not None:
            self.write(finalize.src)


class Environment(jinja2.Environment):
    """The engine's templates' environment: Jinja's, with the two short paths above."""

    context_class = Context
    code_generator_class = CodeGenerator
    printed = staticmethod(printed)
    # what the calls written inline (CodeGenerator.visit_Call) look up
    bound_method = types.MethodType
    call_macro = staticmethod(call_macro)
