"""The data model: what editors write in facts/ (pydantic v2, unknown keys are errors)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG, description="lowercase slug: a-z, 0-9 and single hyphens")]


def _text(value):
    """YAML turns `2022` or `yes` into other types; text fields keep what the editor typed."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, dt.date)):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]

_DAY = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
PERIOD = re.compile(rf"^({_DAY})(?:/({_DAY}))?$")


def parse_day(text: str) -> dt.date:
    """First day of a YYYY, YYYY-MM or YYYY-MM-DD value; ValueError if it is no real date."""
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _period(value):
    value = _text(value)
    if value is None:
        return None
    match = PERIOD.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError("expected YYYY, YYYY-MM, YYYY-MM-DD or a period START/END such as 2020-01/2020-10")
    for part in filter(None, match.groups()):
        try:
            parse_day(part)
        except ValueError:
            raise ValueError(f"{part} is not a calendar date") from None
    start, end = match.groups()
    if end and end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    return value


Period = Annotated[Optional[str], BeforeValidator(_period)]


def _day(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    value = _text(value)
    if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        raise ValueError("expected a date YYYY-MM-DD")
    if value is not None:
        try:
            parse_day(value)
        except ValueError:
            raise ValueError(f"{value} is not a calendar date") from None
    return value


Day = Annotated[Optional[str], BeforeValidator(_day)]


def _rebuilt(cls, fields: dict, fields_set: set):
    """A record as pickled by Strict.__reduce__, without validating it again."""
    record = object.__new__(cls)
    for name, value in (("__dict__", fields), ("__pydantic_fields_set__", fields_set), ("__pydantic_extra__", None),
                        ("__pydantic_private__", None)):
        object.__setattr__(record, name, value)
    return record


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    def __reduce__(self):
        """Pickled (the file cache: filecache.py) as its validated fields; loading is twice as fast as pydantic's
        own pickling, and an entry is only ever what this engine version validated (its key says so)."""
        return _rebuilt, (type(self), self.__dict__, self.__pydantic_fields_set__)


class Kind(str, Enum):
    result = "result"
    target = "target"
    plan = "plan"
    event = "event"
    context = "context"


KIND_LABELS = {"result": "Achieved", "target": "Target", "plan": "Plan", "event": "Event", "context": "Context"}


class RegionKind(str, Enum):
    region = "region"
    municipality = "municipality"
    province = "province"
    new_area = "new-area"
    city = "city"
    district = "district"
    county = "county"
    zone = "zone"


class Source(Strict):
    """Front matter of one article under facts/sources/."""

    id: Slug
    title: Text
    publisher: Text
    published: Day = Field(description="publication date YYYY-MM-DD, or null when the article states none")
    date_note: Optional[Text] = Field(None, description="how the date or period was derived when the article states none")
    authors: list[Text] = Field(default_factory=list)
    language: Text = Field(description="language of the text as stored, e.g. en")
    original_language: Optional[Text] = None
    url: Optional[Text] = None
    licence: Text = Field(description="copyright or licence of the article")
    translation: Text = Field(description="how the text was translated (e.g. machine translation from Chinese)")
    boilerplate: list[Text] = Field(default_factory=list, description="verbatim lines of page furniture (bylines, footers) left out of the coverage count")
    note: Optional[Text] = None


Status = Optional[Literal["draft"]]
"""`status: draft` marks a record written by a machine and not yet reviewed: checked, shown by `serve`, never published
by `build`. Reviewing a draft = correcting it and deleting the `status` line."""

Qualifier = Literal["more than", "about", "at least", "up to", "less than"]
QUALIFIER_SIGNS = {"more than": ">", "about": "≈", "at least": "≥", "up to": "≤", "less than": "<"}  # "> 85 %" in tables


class Region(Strict):
    id: Slug
    name: Text
    name_zh: Text
    kind: RegionKind
    parent: Optional[Slug] = None
    aliases: list[Text] = Field(default_factory=list, description="pinyin, other spellings and machine-translation variants")
    summary: Text
    coordinates: Optional[tuple[float, float]] = Field(None, description="[longitude, latitude] where the schematic map places the region")
    status: Status = Field(None, description="draft: proposed by add-source, not published until an editor reviews it and deletes this line")


class Topic(Strict):
    id: Slug
    name: Text
    name_zh: Optional[Text] = None
    summary: Text


class Term(Strict):
    """A glossary entry."""

    id: Slug
    term: Text
    term_zh: Optional[Text] = None
    pinyin: Optional[Text] = None
    variants: list[Text] = Field(default_factory=list, description="spellings found in the articles, machine-translation errors included")
    definition: Text
    translation_note: Optional[Text] = None


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("expected a number such as 1406 or 172.1 (no thousands separators, no units)")
    return value


class Figure(Strict):
    label: Text
    value: Annotated[Union[int, float], BeforeValidator(_number)]
    unit: Text
    qualifier: Optional[Qualifier] = Field(None, description="what the quote says about the number: 'more than 85%' -> more than")
    metric: Optional[Slug] = Field(None, description="names the measured quantity so that equal figures in other facts corroborate or conflict")


class Citation(Strict):
    source: Slug
    quote: Text


def _unique(values):
    if len(set(values)) != len(values):
        raise ValueError("lists the same id twice")
    return values


class Fact(Strict):
    id: Slug
    claim: Text
    kind: Kind
    date: Period = Field(None, description="the date or period the fact refers to: YYYY, YYYY-MM, YYYY-MM-DD or START/END")
    regions: Annotated[list[Slug], AfterValidator(_unique)] = Field(min_length=1, description="most specific first: the first region's page holds the fact")
    topics: Annotated[list[Slug], AfterValidator(_unique)] = Field(min_length=1)
    figures: list[Figure] = Field(default_factory=list)
    citations: list[Citation] = Field(min_length=1)
    note: Optional[Text] = Field(None, description="the editor's note, shown as such: explanations and outside knowledge (never in the claim)")
    quality: Optional[Text] = Field(None, description="a data-quality problem of the source (contradiction, arithmetic), shown as a warning")
    status: Status = Field(None, description="draft: written by add-source, not published until an editor reviews it and deletes this line")


class Bar(Strict):
    fact: Slug
    figure: Text = Field(description="the label of one of the fact's figures")
    label: Text = Field(description="the bar's label: say where and when, e.g. 'Cangzhou, to Oct 2022'")


class Chart(Strict):
    """A bar chart of figures chosen by an editor: one unit per axis, each bar a cited figure."""

    id: Slug
    title: Text
    description: Text = Field(description="what the chart shows and what it does not (periods differ, ...)")
    unit: Text
    bars: list[Bar] = Field(min_length=2)


@dataclass(frozen=True)
class RecordKind:
    """One kind of YAML record editors write: its folder under facts/ (also its name in messages and `where` keys),
    its model, the Corpus attribute that holds it, and what one record is called in messages."""

    folder: str
    model: type[Strict]
    attr: str
    what: str


# The record kinds, declared once: the loader reads these folders, validation builds these models, export writes
# their JSON Schemas. (Articles, facts/sources/*.txt, are text files with front matter: loader.SOURCES.)
RECORD_KINDS = (
    RecordKind("regions", Region, "regions", "region"),
    RecordKind("topics", Topic, "topics", "topic"),
    RecordKind("glossary", Term, "terms", "glossary term"),
    RecordKind("facts", Fact, "facts", "fact"),
    RecordKind("charts", Chart, "charts", "chart"),
)
