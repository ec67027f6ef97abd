"""The templates' environment (briefing/jinjacontext.py) prints exactly what Jinja's own would, by a shorter path."""
from __future__ import annotations

import jinja2
import jinja2.compiler
from markupsafe import Markup, escape

from briefing import jinjacontext, pipeline, templatecache
from briefing.options import Options
from briefing.render import environment, render_pages
from conftest import ROOT


def test_a_printed_value_is_what_escape_makes_of_it():
    values = ["plain", "<b>&'\"</b>", "", "中文 <q>", "a\x00b", Markup("<em>kept</em>"), 3, -12, 2.5, -1e-7, 1e300,
              float("inf"), float("nan"), None, True]
    for value in values:
        assert jinjacontext.printed(value) == str(escape(value)), repr(value)
    assert type(jinjacontext.printed("<x>")) is str and type(jinjacontext.printed(Markup("<x>"))) is Markup


def test_templates_print_through_the_short_path_and_only_under_autoescape():
    source = "{{ a }}{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ m(b) }}"
    assert "environment.printed(" in environment(ROOT / "templates").compile(source, raw=True)
    env = jinjacontext.Environment(autoescape=False)
    assert "environment.printed(" not in env.compile(source, raw=True)
    assert env.from_string(source).render(a="<a>", b="<b>") == "<a><i><b></i>"
    env = jinjacontext.Environment(autoescape=True)
    assert env.from_string(source).render(a="<a>", b=Markup("<b>")) == "&lt;a&gt;<i><b></i>"


MACROS = """
{%- macro plain(a, b) %}<{{ a }}|{{ b }}>{% endmacro %}
{%- macro defaults(a, b="<d>", c=none) %}{{ a }}{{ b }}{{ c }}{% endmacro %}
{%- macro with_caller(a) %}[{{ caller() if caller else "" }}{{ a }}]{% endmacro %}
{%- macro with_varargs(a) %}{{ a }}{{ varargs | join(",") }}{% endmacro %}
{%- macro with_kwargs(a) %}{{ a }}{{ kwargs | dictsort | join(",") }}{% endmacro %}
{%- macro markup(a) %}{{ a }}{% endmacro %}
{%- macro explicit_caller(a, caller=none) %}{{ a }}{% endmacro %}"""


def test_a_macro_called_the_short_way_returns_what_calling_it_does():
    for autoescape in (True, False):
        macros = jinjacontext.Environment(autoescape=autoescape).from_string(MACROS).module
        calls = [("plain", ("<x>", "y")), ("defaults", ("<x>",)), ("defaults", ("x", "y")), ("defaults", ("x", "y", 3)),
                 ("with_caller", ("<x>",)), ("with_varargs", ("x", "<y>", "z")), ("with_kwargs", ("x",)),
                 ("markup", (Markup("<kept>"),)), ("explicit_caller", ("<x>",)), ("plain", ("too", "many", "args"))]
        for name, args in calls:
            macro = getattr(macros, name)
            try:
                expected = macro(*args)
            except TypeError as error:
                expected = error
            try:
                got = jinjacontext.call_macro(macro, *args)
            except TypeError as error:
                got = error
            if isinstance(expected, TypeError):
                assert str(got) == str(expected), (name, args)
                continue
            assert (type(got), got) == (type(expected), expected), (autoescape, name, args)
    escaped = jinjacontext.Environment(autoescape=True).from_string(MACROS).module
    assert jinjacontext.call_macro(escaped.defaults, "<x>") == "&lt;x&gt;&lt;d&gt;None"


def test_the_sites_pages_are_the_bytes_jinjas_own_code_gives():
    corpus, report = pipeline.run(ROOT, Options())
    assert not report.failed()
    ours = environment(ROOT / "templates")
    jinjas = environment(ROOT / "templates")
    jinjas.code_generator_class = jinja2.compiler.CodeGenerator  # escape(value): a Markup for every value printed
    jinjas.context_class = jinja2.runtime.Context  # every call asks what the callable wants passed first
    assert "environment.printed(" not in jinjas.compile("{{ a }}", raw=True)
    one = render_pages(corpus, ours, ROOT / "docs", processes=1).files
    two = render_pages(corpus, jinjas, ROOT / "docs", processes=1).files
    assert one.keys() == two.keys() and len(one) > 80
    assert [src for src in one if one[src].content != two[src].content] == []


def test_code_compiled_by_another_generator_is_kept_apart():
    ours = environment(ROOT / "templates")
    jinjas = environment(ROOT / "templates")
    jinjas.code_generator_class = jinja2.compiler.CodeGenerator
    assert templatecache.settings(ours) != templatecache.settings(jinjas)


class _Thing:
    name = "<thing>"
    nested = None
    data = {"key": "from the item"}

    @property
    def broken(self):
        raise AttributeError("inside the property")  # Jinja then tries the item, then says undefined

    def method(self):
        return "called"


ATTRIBUTES = ("{{ t.name }}|{{ t.nested.name }}|{{ t.data.key }}|{{ d.key }}|{{ d.items() | list | length }}|{{ t.method() }}|"
              "{{ t.missing }}|{{ t.broken }}|{{ (t.name ~ '!').upper() }}|{% for x in [t, t] if x.name %}{{ x.name }}{% endfor %}")


def test_an_attribute_read_inline_is_what_jinjas_getattr_gives():
    """`obj.name` is looked up inline (builtins.getattr), Jinja's environment.getattr only when the object has no such
    attribute: an item of the same name, undefined, a property that raises AttributeError, nested and in a loop's
    condition give what Jinja's own code gives; a strict undefined still fails."""
    t = _Thing()
    t.nested = _Thing()
    values = {"t": t, "d": {"key": "<item>", "items": [1, 2]}}
    for undefined in (jinja2.Undefined, jinja2.ChainableUndefined):
        ours = jinjacontext.Environment(autoescape=True, undefined=undefined)
        jinjas = jinja2.Environment(autoescape=True, undefined=undefined)
        assert "_ga_v := getattr(" in ours.compile(ATTRIBUTES, raw=True)
        assert ours.from_string(ATTRIBUTES).render(values) == jinjas.from_string(ATTRIBUTES).render(values)
    strict = jinjacontext.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    for source in ("{{ t.missing }}", "{{ t.missing.name }}", "{{ t.broken }}"):
        try:
            strict.from_string(source).render(values)
        except jinja2.UndefinedError as error:
            assert "missing" in str(error) or "broken" in str(error)
        else:
            raise AssertionError(source)


class _Calls:
    def plain(self, *args, **kwargs):
        return "plain" + repr(args) + repr(sorted(kwargs.items()))

    @jinja2.pass_context
    def with_context(self, context, x):
        return f"context:{context.get('marker')}:{context.get('inner')}:{x}"  # inner: a loop's own variable

    @jinja2.pass_environment
    def with_environment(self, environment, x):
        return f"environment:{type(environment).__name__ in ('Environment',)}:{x}"

    def __call__(self, x):
        return f"called object:{x}"


CALLS = ("{% macro mac(a, b='d') %}<{{ a }}|{{ b }}>{% endmacro %}"
         "{% macro wrap(a) %}[{{ caller(a) }}]{% endmacro %}"
         "{{ c.plain() }}{{ c.plain(1, 'x') }}{{ c.with_context(2) }}{{ c.with_environment(3) }}{{ c(4) }}{{ mac(5) }}"
         "{{ mac(6, 7) }}{{ range(3) | list }}{{ '<s>'.upper() }}{{ c.plain(c.plain(8)) }}{{ c.plain(x=9) }}"
         "{% call(v) wrap(10) %}{{ c.plain(v) }}{% endcall %}"
         "{% for i in [1, 2] %}{% set inner = i * 10 %}{{ c.plain(i) }}{{ c.with_context(i) }}{{ loop.cycle('odd', 'even') }}{{ mac(i) }}{% endfor %}"
         "{% set ns = namespace(n=0) %}{% for i in [1, 2] if c.plain(i) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
         "{{ missing_callable(1) if false else 'skipped' }}")


def test_a_call_written_inline_is_what_jinjas_context_call_gives():
    """Calls with positional arguments alone are written inline (CodeGenerator.visit_Call): a plain method, a method
    that wants the context or the environment, a callable object, macros (with a default, with a caller), builtins,
    a method of a str, nested calls, keyword arguments, in a loop and its condition: what Jinja's own code gives."""
    values = {"c": _Calls(), "marker": "<here>"}
    for autoescape in (True, False):
        ours = jinjacontext.Environment(autoescape=autoescape)
        jinjas = jinja2.Environment(autoescape=autoescape)
        code = ours.compile(CALLS, raw=True)
        assert "_ic_f(" in code and "context.call(" in code  # inline, and Jinja's way where arguments hold a call
        assert ours.from_string(CALLS).render(values) == jinjas.from_string(CALLS).render(values)
    undefined = jinjacontext.Environment(undefined=jinja2.StrictUndefined).from_string("{{ nothing(1) }}")
    try:
        undefined.render()
    except jinja2.UndefinedError as error:
        assert "nothing" in str(error)
    else:
        raise AssertionError("calling an undefined value must fail as in Jinja")


def test_another_version_of_the_code_generator_keeps_its_code_apart():
    class Next(jinjacontext.CodeGenerator):
        version = jinjacontext.CodeGenerator.version + 1

    ours = environment(ROOT / "templates")
    other = environment(ROOT / "templates")
    other.code_generator_class = Next
    Next.__qualname__ = jinjacontext.CodeGenerator.__qualname__
    Next.__module__ = jinjacontext.CodeGenerator.__module__
    assert templatecache.settings(ours) != templatecache.settings(other)
