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
    values = ["plain", "<b>&'\"</b>", "", "中文 <q>", "a\x00b", Markup("<em>kept</em>"), 3, 2.5, None, True]
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


def test_the_sites_pages_are_the_bytes_jinjas_own_code_gives():
    corpus, report = pipeline.run(ROOT, Options())
    assert not report.failed()
    ours = environment(ROOT / "templates")
    jinjas = environment(ROOT / "templates")
    jinjas.code_generator_class = jinja2.compiler.CodeGenerator  # escape(value): a Markup for every value printed
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
