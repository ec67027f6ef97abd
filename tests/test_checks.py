"""Each check and each kind of bad input, through the CLI on a scratch copy of the repository."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from conftest import run_cli

FACTS = "facts/facts/chinadaily-2023-01-13-tianjin-work-report.yml"
SOURCE = "facts/sources/chinadaily-2023-01-13-tianjin-work-report.txt"
REGIONS = "facts/regions/core.yml"


def edit(repo: Path, rel: str, old: str, new: str, count: int = 1) -> int:
    """Replace text in a file; returns the 1-based line where the replacement starts."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def check(repo: Path, *args: str):
    proc = run_cli("check", *args, root=repo)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    return proc.returncode, out


def errors(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ": error: " in ln]


def assert_error(out: str, rel: str, line: int | None, *words: str) -> str:
    for ln in errors(out):
        if ln.startswith(f"{rel}:") and (line is None or ln.startswith(f"{rel}:{line}:")) and all(w in ln for w in words):
            return ln
    raise AssertionError(f"no error at {rel}:{line} with {words} in:\n{out}")


# -- the six checks -------------------------------------------------------------------------------

def test_quote_typo_shows_the_closest_passage(repo):
    line = edit(repo, FACTS, "both began operation in late December.", "both began operations in late December.")
    code, out = check(repo)
    assert code == 1
    msg = assert_error(out, FACTS, None, "quote not found", "closest passage")
    assert "both began operation in late December" in msg and "paragraph 9" in msg
    assert int(msg.split(":")[1]) >= line


def test_quote_normalises_only_whitespace_quotes_and_dashes(repo):
    edit(repo, FACTS, "The Beijing-Tangshan intercity rail and northern", "The Beijing–Tangshan   intercity\n        rail and northern")
    assert check(repo)[0] == 0
    edit(repo, FACTS, "intercity\n        rail and northern", "intercity\n        Rail and northern")
    assert check(repo)[0] == 1  # case is not normalised


def test_figure_must_appear_in_its_quote(repo):
    line = edit(repo, FACTS, "value: 5080", "value: 5008")
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, line, "figure value 5,008 does not appear", "5,080")


def test_figure_scale_word_must_match_the_unit(repo):
    line = edit(repo, FACTS, "value: 172.1, unit: billion yuan", "value: 172.1, unit: million yuan")
    code, out = check(repo)
    assert_error(out, FACTS, line, "unit 'million yuan' says million", "billion")


def test_figure_values_compare_numerically(repo):
    # "1,406" in the quote matches 1406.0 written as a float
    edit(repo, FACTS, "value: 1406", "value: 1406.0")
    assert check(repo)[0] == 0


def test_unknown_region_topic_and_source(repo):
    edit(repo, FACTS, "regions: [tianjin, jing-jin-ji]", "regions: [tainjin, jing-jin-ji]")
    edit(repo, FACTS, "topics: [strategy]", "topics: [stratgy]")
    edit(repo, FACTS, "- source: chinadaily-2023-01-13-tianjin-work-report\n      quote: He noted",
         "- source: chinadaily-2023-01-13-tianjin-work-reprt\n      quote: He noted")
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, None, "unknown region 'tainjin'", "did you mean 'tianjin'")
    assert_error(out, FACTS, None, "unknown topic 'stratgy'", "did you mean 'strategy'")
    assert_error(out, FACTS, None, "source 'chinadaily-2023-01-13-tianjin-work-reprt'", "does not exist")


def test_region_parent_must_exist_and_hierarchy_has_no_cycle(repo):
    edit(repo, REGIONS, "  parent: jing-jin-ji\n  aliases: [Beijing Municipality", "  parent: tongzhou\n  aliases: [Beijing Municipality")
    edit(repo, REGIONS, "  parent: jing-jin-ji\n  aliases: [Tianjin Municipality", "  parent: nowhere\n  aliases: [Tianjin Municipality")
    code, out = check(repo)
    assert code == 1
    assert_error(out, REGIONS, None, "cycle", "beijing -> tongzhou -> beijing")
    assert_error(out, REGIONS, None, "parent region 'nowhere' does not exist")


def test_ids_are_unique_across_files(repo):
    (repo / "facts/facts/extra.yml").write_text((repo / FACTS).read_text(encoding="utf-8"), encoding="utf-8")
    code, out = check(repo)
    assert code == 1
    msg = assert_error(out, "facts/facts/extra.yml", None, "duplicate facts id 'tianjin-beijing-companies-2022'")
    assert FACTS in msg


@pytest.mark.parametrize("bad", ["tianjin/companies", "tianjin.companies", "tianjin companies", "Tianjin-Companies"])
def test_ids_must_be_lowercase_slugs(repo, bad):
    line = edit(repo, FACTS, "- id: tianjin-beijing-companies-2022", f"- id: {bad}")
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, line, "is not a lowercase slug")


def add_article(repo: Path, sid: str, text: str, facts: str) -> str:
    """A small synthetic article and its fact file; returns the fact file's path."""
    (repo / f"facts/sources/{sid}.txt").write_text(
        f"---\nid: {sid}\ntitle: Test\npublisher: Test\npublished: 2023-01-01\nlanguage: en\n"
        f"licence: test\ntranslation: none\n---\n{text}\n", encoding="utf-8")
    rel = f"facts/facts/{sid}.yml"
    (repo / rel).write_text(facts, encoding="utf-8")
    return rel



WORDS_FACT = """- id: words-1
  claim: Three parks and 120 roads.
  kind: result
  regions: [fuxin]
  topics: [economy-industry]
  figures:
    - {{label: Parks, value: {parks}, unit: parks}}
    - {{label: Roads, value: 120, unit: roads}}
  citations:
    - source: words
      quote: "The city opened three parks and 120 roads."
"""


@pytest.mark.parametrize("parks,problem", [(3, None), (3.0, None), (4, "figure value 4 does not appear"),
                                           (130, "figure value 130 does not appear")])
def test_a_figure_may_be_written_as_a_number_word(repo, parks, problem):
    rel = add_article(repo, "words", "The city opened three parks and 120 roads.", WORDS_FACT.format(parks=parks))
    code, out = check(repo)
    if problem is None:
        assert code == 0, out
    else:  # the numbers the quote writes, in words too
        assert code == 1
        assert_error(out, rel, 7, problem, "numbers there: 120, three")


def test_a_qualifier_written_with_a_letter_that_only_looks_ascii_is_read(repo):
    """"approxımately" (a dotless ı) matches the cue "approximately" case-blind: the check names the qualifier rather
    than failing with a KeyError."""
    quote = "The city opened approx\u0131mately 120 roads."
    fact = WORDS_FACT.format(parks=3).replace("    - {label: Parks, value: 3, unit: parks}\n", "")
    rel = add_article(repo, "words", quote, fact.replace("three parks and 120 roads", "approx\u0131mately 120 roads"))
    code, out = check(repo)
    assert code == 0, out
    assert any(ln.startswith(f"{rel}:") and "add `qualifier: about`" in ln for ln in out.splitlines()), out


SHARE_FACT = """- id: share-{n}
  claim: A share.
  kind: result
  regions: [fuxin]
  topics: [economy-industry]
  citations:
    - source: shares
      quote: "{quote}"
"""


@pytest.mark.parametrize("quote,warns", [
    ("Projects received 11.056 billion yuan, or 45 percent, of 5.014 billion yuan.", "45% for 11.056 of 5.014, which is 220.5%"),
    ("Projects received 11.056 billion yuan, or 45 percent, of 24.57 billion yuan.", None),
    ("In 2020, 49 of the 130 funded projects came from the region, accounting for 38% of the total.", None),
    ("In 2020, 49 of the 130 funded projects came from the region, accounting for 48% of the total.", "48% for 49 of 130, which is 37.7%"),
    ("A total of 210 projects were signed, with an investment of 74.966 billion yuan, 72 of which were in the region, accounting for 34.29%.", None),
    ("A total of 210 projects were signed, with an investment of 74.966 billion yuan, 72 of which were in the region, accounting for 43.29%.", "43.29% for 72 of 210"),
])
def test_arithmetic_mismatch_is_a_warning(repo, quote, warns):
    rel = add_article(repo, "shares", quote, SHARE_FACT.format(n=1, quote=quote))
    code, out = check(repo)
    assert code == 0, out
    found = [ln for ln in out.splitlines() if ln.startswith(f"{rel}:") and ": warning: arithmetic" in ln]
    if warns is None:
        assert not found, found
    else:
        assert found and warns in found[0], out
        assert check(repo, "--strict")[0] == 1  # --strict makes warnings errors
        html_build = run_cli("build", root=repo)
        assert html_build.returncode == 0
        page = (repo / "site/regions/fuxin/index.html").read_text(encoding="utf-8")
        assert "finding-arithmetic" in page and warns in page.replace("&#39;", "'")
        # once the editor records the problem in `quality`, it is still shown but no longer warned about
        edit(repo, rel, "  claim: A share.\n", "  claim: A share.\n  quality: The source's share is wrong.\n")
        code, out = check(repo, "--strict")
        assert code == 0 and ": warning: arithmetic" not in out


def test_shares_skip_only_quotes_no_pattern_can_match():
    """checks.shares skips a pattern for a quote without the words it needs (SHARE_NEEDS): on random quotes made of the
    patterns' own pieces, in any whitespace, it finds what every pattern run over every quote finds."""
    import random

    from briefing import checks
    from briefing.textmatch import normalise

    def everything(quote):
        text = normalise(quote)
        return [m.group(0) for pattern in checks.SHARE_PATTERNS for m in pattern.finditer(text)]

    examples = ["Projects received 11.056 billion yuan, or 45 percent, of 5.014 billion yuan.",
                "In 2020, 49 of the 130 funded projects came from the region, accounting for 38% of the total.",
                "A total of 210 projects were signed, 72 of which were in the region, accounting for 34.29%.",
                "Of 1,406 firms, 300 of them moved, representing 21 percent; 12 or 5% of all 240 stayed."]
    words = ["of", "or", "which", "them", "the", "all", "accounting for", "representing", "percent", "%", "12", ",",
             ";", "."]
    spaces = [" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2009"]
    rng, found = random.Random(7), 0
    for _ in range(20000):  # an example with words dropped, swapped or added, in any whitespace
        tokens = []
        for token in rng.choice(examples).split():
            roll = rng.random()
            tokens += [] if roll < 0.08 else [rng.choice(words)] if roll < 0.16 else [token, rng.choice(words)] \
                if roll < 0.22 else [token]
        quote = "".join(token + rng.choice(spaces) for token in tokens)
        expected = everything(quote)
        found += bool(expected)
        assert [text for *_, text in checks.shares(quote)] == expected, quote
    assert found > 200  # the random quotes state shares often enough to compare


def test_number_comparisons_without_a_call_per_number_agree_with_same():
    """numbers.same_as and may_be_a_word find what comparing with `same` one by one finds, at the edges of its
    tolerance too (a billionth of the larger value); infinities are the same as themselves only."""
    import math
    import random

    from briefing import numbers

    rng = random.Random(3)
    bases = [0.0, 1.0, 3.0, 12.0, 20.0, 100.0, 101.0, 0.5, 45.5, 1406.0, 172.1e9, 2.5e12, -7.0, 1e-12]
    nudges = [0.0, 1e-10, 9e-10, 1e-9, 1.0000005e-9, 1.1e-9, 2e-9, 1e-7, 0.4, 0.5, 1.0]
    values = [b + sign * nudge * max(1.0, abs(b)) for b in bases for nudge in nudges for sign in (1, -1)]
    values += [rng.uniform(-5, 150) for _ in range(500)] + [math.nan, math.inf, -math.inf]
    words = sorted(set(numbers.WORDS.values()))
    for value in values:
        assert numbers.may_be_a_word(value) == (-1 < value < words[-1] + 1 and any(numbers.same(value, w) for w in words)), value
    listed = [numbers.Number(0, 1, "", v, None) for v in values]
    for value in values:
        assert numbers.same_as(listed, value) == [n for n in listed if numbers.same(n.value, value)], value
    assert sum(len(numbers.same_as(listed, v)) for v in values) > len(values)  # near values count as the same
    assert [n.value for n in numbers.same_as(listed, math.inf)] == [math.inf]

    def digit_numbers(text):  # the numbers, then the scale word after each: what numbers.digit_numbers finds at once
        return [numbers.Number(m.start(), m.end(), m.group(0), float(m.group(0).replace(",", "")),
                               scale.group(1).lower() if (scale := numbers._SCALE_AFTER.match(text, m.end())) else None)
                for m in numbers.DIGITS.finditer(text)]

    pieces = ["12", "1,406", "3.5", "2020", ".", ",", "-", "COVID-19", "5G", "billion", "Million", "thousands", "yuan",
              " ", "  ", "\n", "x"]
    scaled = 0
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        assert numbers.digit_numbers(text) == digit_numbers(text), text
        scaled += any(n.scale for n in digit_numbers(text))
    assert scaled > 200

    def qualifier_cue(text, number):  # both patterns tried around every number: what numbers.qualifier_cue finds
        if before := numbers._CUE_BEFORE.search(text, max(0, number.start - 30), number.start):
            return numbers._qualifier_of(before.group(1)), before.group(1)
        if after := numbers._CUE_AFTER.match(text[number.end:number.end + 40]):
            return numbers._qualifier_of(after.group(1)), after.group(1)
        return None

    cues = [c for table in (numbers.QUALIFIER_CUES, numbers.QUALIFIER_CUES_AFTER) for cs in table.values() for c in cs]
    words = cues + ["MORE THAN", "Over", "oveR", "the", "of", "-", "yuan", "%", "percent", "at", "mo\u017ft", "lea\u017fT",
                    "approx\u0131mately", "\u0130", "than.", "(over", "x-over", "\u00e9t\u00e9", "12", "3.5", "1,406"]
    qualified = 0
    for _ in range(20000):
        text = "".join(rng.choice(words) + rng.choice([" ", " ", "  ", "\n", "\t", "\u00a0", ""])
                       for _ in range(rng.randint(2, 12)))
        for number in numbers.digit_numbers(text):
            expected = qualifier_cue(text, number)
            qualified += expected is not None
            assert numbers.qualifier_cue(text, number) == expected, (text, number)
    assert qualified > 2000
    assert not numbers.same(math.inf, 0.0) and not numbers.same(math.nan, math.nan) and numbers.same(1, 1.0)


def test_quotes_of_a_long_article_are_found_where_str_find_finds_them():
    """textmatch.QuoteFinder (resolve's look-up of an article's many quotes) gives SourceText.find's span for every
    quote: on a long text of a few repeated sentences with numbers, for quotes cut anywhere (mid-word too), found
    once, many times or not at all, written with other spaces and quotation marks, short and long."""
    import random

    from briefing.textmatch import QuoteFinder, SourceText

    rng = random.Random(5)
    phrases = ["Since 2015, under the region\u2019s relocation policy, {p} has opened {n} elderly care beds.",
               "In {y}, {p} completed {n} square kilometers of construction, {k}% more than a year earlier.",
               "{p}, which covers an area of {n} square kilometers, is an important node of the region.",
               "The work will be carried forward in the coming years.", "\u201cWe will seize the opportunity,\u201d he said."]
    places = ["Wutai", "Dawei", "Huanglang", "Lining Economic Zone"]
    paragraphs = []
    while sum(map(len, paragraphs)) < 3 * QuoteFinder.LONG:
        paragraphs.append("  ".join(rng.choice(phrases).format(p=rng.choice(places), n=f"{rng.randint(1, 999):,}",
                                                               y=rng.randint(2014, 2023), k=rng.randint(1, 60))
                                    for _ in range(rng.randint(1, 6))))
    text = SourceText("\n".join(paragraphs))
    assert len(text.norm) > QuoteFinder.LONG and QuoteFinder.worth(text)
    finder = QuoteFinder(text)
    quotes = []
    for _ in range(3000):
        start = rng.randrange(len(text.text) - 200)
        quote = text.text[start:start + rng.choice([5, 30, 38, 39, 40, 60, 120, 200])]
        quote = quote.replace("\u2019", "'").replace("  ", rng.choice([" ", "  ", "\t"]))
        quotes.append(quote if rng.random() > 0.1 else quote[:-3] + "xyz")
    quotes += [rng.choice(phrases[3:]), "Huanglang, which covers an area of", ""]
    found = missing = 0
    for quote in quotes:
        span = text.find(quote)
        assert finder.find(quote) == span, quote
        found, missing = found + (span is not None), missing + (span is None)
    assert finder.finds > QuoteFinder.AFTER and finder._grams is not None  # the look-up was used
    assert found > 2000 and missing > 100


def test_conflicting_figures_are_flagged_and_equal_ones_corroborate(repo):
    code, out = check(repo)
    assert "conflict" not in out
    edit(repo, "facts/facts/xinhua-2023-02-25-ninth-anniversary.yml", "metric: tianjin-companies-from-beijing",
         "metric: tianjin-companies-from-beijing}\n    - {label: Same metric different value, value: 318, unit: projects, metric: tianjin-companies-from-beijing")
    code, out = check(repo)
    assert code == 0 and ": warning: conflict: tianjin-companies-from-beijing" in out


def test_coverage_lists_numbers_no_quote_covers(repo):
    path = repo / SOURCE
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph says 7,777 things happened in 1999.\n", encoding="utf-8")
    code, out = check(repo)
    assert code == 0
    assert re.search(r"84\.6%\s+11/13\s+\d+\s+chinadaily", out), out
    warn = [ln for ln in out.splitlines() if "numeric coverage" in ln]
    assert warn and "7,777 (¶21)" in warn[0] and "1999 (¶21)" in warn[0]


# -- bad input ------------------------------------------------------------------------------------

def test_yaml_syntax_error_points_at_the_line(repo):
    line = edit(repo, FACTS, "  kind: plan\n  date: \"2023\"\n  regions: [tianjin, jing-jin-ji]", "  kind: plan\n  date: \"2023\"\n  regions: [tianjin, jing-jin-ji")
    code, out = check(repo)
    assert code == 1
    msg = assert_error(out, FACTS, None, "YAML syntax")
    assert abs(int(msg.split(":")[1]) - (line + 2)) <= 2


def test_tab_indentation_is_explained(repo):
    edit(repo, FACTS, "\n  kind: plan\n", "\n\tkind: plan\n")
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, None, "tabs cannot indent YAML")


def test_duplicate_keys_are_detected(repo):
    line = edit(repo, FACTS, "  kind: plan\n", "  kind: plan\n  kind: result\n")
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, line + 1, "duplicate key 'kind'", f"first at line {line}")


def test_unknown_key_suggests_the_closest(repo):
    line = edit(repo, FACTS, "  claim: Tianjin's mayor", "  clam: Tianjin's mayor")
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, line, "unknown key 'clam'", "did you mean 'claim'")
    assert_error(out, FACTS, None, "missing the required key 'claim'")


def test_unknown_key_in_a_figure(repo):
    line = edit(repo, FACTS, "{label: Companies from Beijing settling in Tianjin, value: 1406,", "{label: Companies from Beijing settling in Tianjin, valeu: 1406,")
    code, out = check(repo)
    assert_error(out, FACTS, line, "unknown key 'valeu'", "did you mean 'value'")


def test_wrong_types(repo):
    line = edit(repo, FACTS, "value: 318, unit: projects", "value: '318 projects', unit: projects")
    edit(repo, FACTS, "  topics: [strategy]\n", "  topics: strategy\n")
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, line, "figures[1].value", "expected a number")
    assert_error(out, FACTS, None, "key 'topics'", "list")


@pytest.mark.parametrize("date,message", [("2023-02-30", "2023-02-30 is not a calendar date"),
                                          ("2023-13", "is not a calendar date"),
                                          ("last year", "expected YYYY"),
                                          ("2023/2020", "ends (2020) before it starts")])
def test_invalid_dates(repo, date, message):
    line = edit(repo, FACTS, 'date: "2022"', f'date: "{date}"')
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, line, message)


def test_non_utf8_names_the_byte_offset(repo):
    path = repo / FACTS
    data = path.read_bytes().replace("Tianjin's mayor".encode(), b"Tianjin\xe9s mayor", 1)
    offset = data.index(b"\xe9")
    path.write_bytes(data)
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, None, "not UTF-8", f"byte offset {offset}", "0xe9")


def test_bom_and_crlf_are_accepted(repo):
    for rel in (FACTS, SOURCE):
        path = repo / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    code, out = check(repo)
    assert code == 0, out
    assert re.search(r"100\.0%\s+11/11\s+13\s+chinadaily", out)


def test_empty_files(repo):
    (repo / "facts/facts/empty.yml").write_text("", encoding="utf-8")
    (repo / "facts/sources/empty.txt").write_text("", encoding="utf-8")
    code, out = check(repo)
    assert code == 1
    assert "facts/facts/empty.yml:0:0: warning: is empty" in out
    assert_error(out, "facts/sources/empty.txt", 1, "front matter")


def test_python_tags_are_rejected(repo):
    (repo / "facts/facts/evil.yml").write_text("- !!python/object/apply:os.system ['touch pwned']\n", encoding="utf-8")
    code, out = check(repo)
    assert code == 1
    assert_error(out, "facts/facts/evil.yml", 1, "tag:yaml.org,2002:python/object/apply:os.system is not allowed")
    assert not (repo / "pwned").exists()


def test_alias_bomb_is_rejected_quickly(repo):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (repo / "facts/facts/bomb.yml").write_text("- " + "\n  ".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    code, out = check(repo)
    assert time.perf_counter() - start < 20
    assert code == 1
    assert_error(out, "facts/facts/bomb.yml", None, "anchors and aliases")


def test_symlink_outside_the_repository_is_not_followed(repo, tmp_path):
    secret = tmp_path / "secret.yml"
    secret.write_text("- id: leaked\n", encoding="utf-8")
    os.symlink(secret, repo / "facts/facts/link.yml")
    os.symlink(tmp_path, repo / "facts/facts/linked-dir")
    code, out = check(repo)
    assert code == 1
    assert_error(out, "facts/facts/link.yml", None, "outside the repository")
    assert "leaked" not in out


def test_oversized_files_get_a_limit_message(repo):
    (repo / "facts/facts/huge.yml").write_text("# padding\n" * 300_000, encoding="utf-8")
    code, out = check(repo)
    assert code == 1
    assert_error(out, "facts/facts/huge.yml", None, "over the limit of 2,097,152")


def test_removed_source_still_cited(repo):
    (repo / SOURCE).unlink()
    code, out = check(repo)
    assert code == 1
    assert_error(out, FACTS, None, "cites source 'chinadaily-2023-01-13-tianjin-work-report', which does not exist")


def test_all_problems_in_one_run_sorted_with_a_summary(repo):
    edit(repo, FACTS, "value: 5080", "value: 5008")
    edit(repo, FACTS, "topics: [strategy]", "topics: [stratgy]")
    edit(repo, REGIONS, "kind: city\n  parent: hebei\n  aliases: [Chengde City]", "kind: metropolis\n  parent: hebei\n  aliases: [Chengde City]")
    code, out = check(repo)
    errs = errors(out)
    assert len(errs) >= 3
    keys = [(e.split(":")[0], int(e.split(":")[1])) for e in errs]
    assert keys == sorted(keys)
    assert re.search(rf"^{len(errs)} errors, \d+ warnings?$", out, re.M)


# -- safe output ----------------------------------------------------------------------------------

def test_failed_build_leaves_the_previous_site_untouched(repo):
    assert run_cli("build", root=repo).returncode == 0
    before = {p: p.read_bytes() for p in (repo / "site").rglob("*") if p.is_file()}
    edit(repo, FACTS, "value: 5080", "value: 5008")
    proc = run_cli("build", root=repo)
    assert proc.returncode == 1 and "left as it was" in proc.stderr
    after = {p: p.read_bytes() for p in (repo / "site").rglob("*") if p.is_file()}
    assert before == after
    assert not [p for p in repo.iterdir() if p.name.startswith(".site-")]


def test_text_fields_are_escaped_in_html(repo):
    edit(repo, FACTS, "claim: Baodi expects three industrial clusters",
         "claim: <script>alert(1)</script><img src=x onerror=alert(2)> Baodi expects three industrial clusters")
    edit(repo, REGIONS, "summary: The Tianjin district that is a transport hub", "summary: <b onmouseover=alert(3)>hub</b> The Tianjin district that is a transport hub")
    proc = run_cli("build", root=repo)
    assert proc.returncode == 0, proc.stderr
    for page in (repo / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html and "<img src=x onerror" not in html and "<b onmouseover" not in html, page
    baodi = (repo / "site/regions/baodi/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in baodi


def test_chart_bars_must_be_cited_figures_in_one_unit(repo):
    rel = "facts/charts/investment.yml"
    edit(repo, rel, "figure: Total investment of Beijing-Tianjin projects in Cangzhou (cumulative to October 2022)",
         "figure: Beijing-Tianjin projects taken on by Cangzhou (cumulative to October 2022)")
    edit(repo, rel, "fact: chengde-forest-coverage-2012,", "fact: chengde-forest-coverage-2011,")
    code, out = check(repo)
    assert code == 1
    assert_error(out, rel, None, "figure is in 'projects' but the chart's axis is 'billion yuan'")
    assert_error(out, rel, None, "names fact 'chengde-forest-coverage-2011'", "did you mean 'chengde-forest-coverage-2012'")
