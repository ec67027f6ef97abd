#!/usr/bin/env python3
"""Synthetic but valid corpora for the benchmarks: `python benchmarks/make_corpus.py 10 [--out DIR]`.

Scale 1 is shaped like the real corpus (5 sources of ~60 facts, ~60 regions, 11 topics, ~100 glossary terms);
scale N has 5N sources and ~300N facts, regions growing as 60*N^0.61 (~1,000 at 100x), topics as 11*N^0.25 and
glossary terms as 96*N^0.5. Sources are articles of English sentences with numbers ("1,406 companies",
"172.1 billion yuan", years, percentages); every sentence with digits is quoted by a fact, so numeric coverage is
100 %; each figure's value is written in its fact's quote, with the scale word its unit names. Some facts quote two
passages or two articles, some figures share a metric (corroboration), and a few findings are planted at the real
corpus's rate (an arithmetic slip, a conflict), so `build_site.py check` reports 0 errors and a few warnings.

Everything is derived from a seeded random.Random: the same scale and seed give byte-identical files.

The corpus is written into a copy of the repository (briefing/, templates/, docs/, mkdocs.yml, build_site.py and a
fresh facts/), by default benchmarks/.corpora/x<N>/ (ignored by git). The facts/ tree is reused when the scale,
seed and this generator are unchanged; the code is always copied afresh so the engine measured is the current one.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO / "benchmarks" / ".corpora"
# Copied from the working tree on every run: these folders, and every file at the top of the repository
# (mkdocs.yml, build_site.py, jieba-user.txt, ...); never facts/ (generated), tests, notes, the site or environments.
COPIED_DIRS = ["briefing", "templates", "docs", "schema", "overrides", "hooks"]
FACTS_PER_SOURCE = 60
STAMP = ".corpus-stamp.json"

# -- names -------------------------------------------------------------------------------------------------------
SYLLABLES = {
    "bao": "保", "ding": "定", "cang": "沧", "zhou": "州", "lang": "廊", "fang": "坊", "heng": "衡", "shui": "水",
    "xing": "邢", "tai": "台", "han": "邯", "dan": "丹", "qin": "秦", "huang": "黄", "dao": "岛", "zhang": "张",
    "jia": "家", "kou": "口", "cheng": "承", "de": "德", "tang": "唐", "shan": "山", "jin": "金", "an": "安",
    "fu": "阜", "xin": "新", "chao": "朝", "yang": "阳", "hu": "葫", "lu": "芦", "pan": "盘", "tie": "铁",
    "ling": "岭", "shun": "顺", "ben": "本", "xi": "西", "dong": "东", "ying": "营", "liao": "辽", "da": "大",
    "lian": "连", "shen": "沈", "wu": "武", "qing": "清", "bin": "滨", "hai": "海", "he": "河", "li": "丽",
    "nan": "南", "bei": "北", "ping": "平", "gu": "谷", "mi": "密", "yun": "云", "huai": "怀", "rou": "柔",
    "yan": "延", "men": "门", "tou": "头", "feng": "丰", "shi": "石", "jing": "景", "chang": "昌", "tong": "通",
    "yi": "义", "kang": "康", "ning": "宁", "le": "乐", "quan": "泉", "song": "松", "zhuo": "涿", "ren": "任",
    "qiu": "丘", "xian": "县", "wei": "卫", "mao": "茂", "sha": "沙", "rong": "容", "gao": "高", "zhao": "赵",
}
TOP_REGIONS = [  # the real corpus's top of the hierarchy (the home page's region cards look these ids up)
    ("jing-jin-ji", "Beijing-Tianjin-Hebei region", "京津冀", "region", None, None),
    ("beijing", "Beijing", "北京市", "municipality", "jing-jin-ji", (116.4, 39.9)),
    ("tianjin", "Tianjin", "天津市", "municipality", "jing-jin-ji", (117.2, 39.13)),
    ("hebei", "Hebei", "河北省", "province", "jing-jin-ji", (114.51, 38.04)),
    ("liaoning", "Liaoning", "辽宁省", "province", None, (122.6, 41.2)),
]
TOPICS = [
    ("strategy", "Strategy and planning", "战略与规划"), ("relocation", "Non-capital functions and industrial relocation", "非首都功能疏解与产业转移"),
    ("transport", "Transport", "交通"), ("economy-industry", "Economy, industry and investment", "经济、产业与投资"),
    ("innovation", "Science, technology and innovation", "科技创新"), ("ecology", "Ecology and environment", "生态环境"),
    ("public-services", "Public services", "公共服务"), ("talent", "Talent and employment", "人才与就业"),
    ("opening-up", "Opening-up and trade", "对外开放"), ("urban-development", "Urban development", "城市建设"),
    ("culture-tourism", "Culture and tourism", "文化旅游"), ("digital-economy", "Digital economy", "数字经济"),
    ("water-resources", "Water resources", "水资源"), ("agriculture", "Agriculture and rural areas", "农业农村"),
    ("health", "Health care", "医疗卫生"), ("energy", "Energy", "能源"), ("ports-logistics", "Ports and logistics", "港口物流"),
    ("finance", "Finance", "金融"), ("housing", "Housing", "住房"), ("education", "Education", "教育"),
    ("sports", "Sports", "体育"), ("elderly-care", "Elderly care", "养老"), ("emergency", "Emergency management", "应急管理"),
    ("heritage", "Cultural heritage", "文化遗产"), ("forestry", "Forestry and grassland", "林业草原"),
    ("data-centres", "Data centres and computing", "数据中心与算力"), ("hydrogen", "Hydrogen energy", "氢能"),
    ("biomedicine", "Biomedicine", "生物医药"), ("aviation", "Aviation", "航空"), ("rail-freight", "Rail freight", "铁路货运"),
    ("marine-economy", "Marine economy", "海洋经济"), ("new-materials", "New materials", "新材料"),
    ("robotics", "Robotics", "机器人"), ("consumption", "Consumption", "消费"), ("employment", "Employment", "就业"),
]
PUBLISHERS = [("Xinhua News Agency", "xinhua"), ("China Daily", "chinadaily"), ("Hebei Daily", "hebei-daily"),
              ("Tianjin Daily", "tianjin-daily"), ("Beijing Daily", "beijing-daily"), ("Liaoning Daily", "liaoning-daily"),
              ("People's Daily", "peoples-daily"), ("Economic Daily", "economic-daily")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Hu", "Guo"]
GIVEN = ["Wei", "Fang", "Jing", "Lei", "Yu", "Min", "Hao", "Bei", "Yujing", "Yukun", "Xiaoming", "Jun", "Tao", "Lin"]

# Count nouns for "N <things>" (plural), with the topic they belong to.
THINGS = [("companies", "relocation"), ("enterprises", "economy-industry"), ("projects", "economy-industry"),
          ("institutions", "relocation"), ("hospitals", "public-services"), ("schools", "public-services"),
          ("patents", "innovation"), ("high-tech enterprises", "innovation"), ("charging piles", "energy"),
          ("5G base stations", "digital-economy"), ("intercity trains a day", "transport"), ("talents", "talent"),
          ("jobs", "employment"), ("elderly care beds", "elderly-care"), ("villages", "agriculture"),
          ("hectares of forest", "forestry"), ("data centre racks", "data-centres"), ("container routes", "ports-logistics"),
          ("scenic spots", "culture-tourism"), ("research platforms", "innovation"), ("industrial parks", "economy-industry")]
MONEY = [("billion yuan", 1, 900), ("million yuan", 10, 9000), ("trillion yuan", 1, 12)]
AREA = [("million square meters", 1, 90), ("square kilometers", 10, 9000), ("kilometers", 10, 2000)]
ORGS = ["industrial innovation center", "technology transfer platform", "logistics hub", "medical consortium",
        "vocational education alliance", "green finance service center", "cross-border e-commerce zone",
        "hydrogen energy demonstration base", "talent service station", "big data exchange"]
VERBS = ["attracted", "introduced", "signed", "completed", "built", "registered", "added", "opened"]
FILLERS = [
    "The {adj} work of {place} has taken on a new look, and the region’s cooperation keeps deepening.",
    "Officials in {place} said the next step is to improve services for the enterprises that have settled there.",
    "This has laid a solid foundation for the high-quality development of {place}.",
    "The people of {place} have a stronger sense of gain, happiness and security.",
    "{Place} will continue to adhere to the principle of the market leading and the government guiding.",
    "Coordinated development has become the consensus and conscious action of the three places.",
    "The {adj} mechanism between {place} and its neighbours is becoming more mature.",
    "“We will seize the opportunity and make solid progress,” the person in charge said.",
    "Two of the three pilot measures have already been copied by other cities in the region.",
    "Behind these changes is the steady work of grassroots cadres in {place}.",
]
ADJ = ["collaborative", "ecological", "industrial", "transport", "innovation", "public-service", "cultural", "talent"]
HEADINGS = ["Deepening cooperation and steady progress", "Solid steps in relocation", "Transport integration speeds up",
            "Innovation drives development", "Green development shows results", "Sharing public services"]


def slugify(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() and ch.isascii() else "-" for ch in text)
    return "-".join(filter(None, out.split("-")))


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def num(x: float) -> str:
    """How the article writes a number: 1406 -> "1,406", 172.1 -> "172.1"."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def yval(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


@dataclass
class Region:
    id: str
    name: str
    name_zh: str
    kind: str
    parent: str | None
    aliases: list[str]
    summary: str
    coordinates: tuple[float, float] | None
    province: str  # the file it is written to


@dataclass
class Sentence:
    """A sentence of an article; `fact` set when a fact quotes it."""

    text: str
    numeric: bool
    fact: dict | None = None


@dataclass
class Source:
    id: str
    title: str
    publisher: str
    published: str | None
    authors: list[str]
    boilerplate: list[str]
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)


class Generator:
    def __init__(self, scale: float, seed: int, facts_per_source: int = FACTS_PER_SOURCE):
        self.scale = scale
        self.facts_per_source = facts_per_source
        self.rng = random.Random(f"briefing-corpus-{seed}-{scale}")
        self.used_names: set[str] = set()
        self.used_ids: set[str] = set()
        self.n_sources = max(1, round(5 * scale))
        self.n_regions = max(len(TOP_REGIONS) + 3, round(60 * scale ** 0.61))
        self.n_topics = min(len(TOPICS), max(3, round(11 * scale ** 0.25)))
        self.n_terms = max(5, round(96 * scale ** 0.5))
        self.warnings_planted = {"arithmetic": 0, "conflict": 0}
        self.metrics = 0

    # -- names and ids ---------------------------------------------------------------------------------------
    def name(self, syllables: int = 2) -> tuple[str, str]:
        keys = list(SYLLABLES)
        for _ in range(1000):
            parts = [self.rng.choice(keys) for _ in range(syllables)]
            pinyin = "".join(parts).capitalize()
            if pinyin not in self.used_names:
                self.used_names.add(pinyin)
                return pinyin, "".join(SYLLABLES[p] for p in parts)
        return self.name(syllables + 1)

    def unique_id(self, base: str) -> str:
        base = slugify(base)[:60].strip("-")
        rid, k = base, 2
        while rid in self.used_ids:
            rid, k = f"{base}-{k}", k + 1
        self.used_ids.add(rid)
        return rid

    # -- regions: provinces -> cities -> districts -------------------------------------------------------------
    def regions(self) -> list[Region]:
        rng = self.rng
        out = [Region(rid, name, zh, kind, parent, [f"{name} {'Province' if kind == 'province' else 'Municipality'}"]
                      if kind != "region" else ["Jing-Jin-Ji", "Jingjinji", "capital region"],
                      f"{name}, one of the places whose coordinated development the articles follow.", coords, rid)
               for rid, name, zh, kind, parent, coords in TOP_REGIONS]
        for r in out:
            self.used_ids.add(r.id)
            self.used_names.add(r.name)
        extra_provinces = max(0, round(4 * self.scale ** 0.3) - 4)
        for _ in range(extra_provinces):
            name, zh = self.name()
            rid = self.unique_id(name)
            out.append(Region(rid, name, zh + "省", "province", None, [f"{name} Province", name.lower()],
                              f"A province of {name} that the articles cover as a partner of the capital region.",
                              self.coords(), rid))
        provinces = [r for r in out if r.kind in ("province", "municipality")]
        cities: list[Region] = []
        budget = self.n_regions - len(out)
        n_cities = max(2, round(budget * 0.3))
        for i in range(n_cities):
            parent = provinces[i % len(provinces)] if i < len(provinces) else rng.choice(provinces)
            if parent.kind == "municipality":  # municipalities have districts, not cities
                parent = rng.choice([p for p in provinces if p.kind == "province"])
            name, zh = self.name()
            kind = "new-area" if rng.random() < 0.04 else "city"
            label = f"{name} New Area" if kind == "new-area" else name
            rid = self.unique_id(label)
            aliases = [f"{name} City" if kind == "city" else f"{name} New District", f"{name} Shi",
                       name.replace("an", "’an", 1) if "an" in name else f"{name}-shi"]
            cities.append(Region(rid, label, zh + ("新区" if kind == "new-area" else "市"), kind, parent.id, aliases,
                                 f"A {kind.replace('-', ' ')} in {parent.name} that takes on projects and functions from the capital.",
                                 self.coords(), parent.id))
        out += cities
        hosts = cities + [p for p in provinces if p.kind == "municipality"]
        weights = [3.0 if h.kind == "municipality" else 1.0 for h in hosts]
        while len(out) < self.n_regions:
            parent = rng.choices(hosts, weights)[0]
            name, zh = self.name()
            kind = rng.choices(["district", "county", "zone"], [5, 3, 2])[0]
            suffix = {"district": ("District", "区"), "county": ("County", "县"), "zone": ("Economic Zone", "经济区")}[kind]
            label = f"{name} {suffix[0]}" if kind == "zone" else name
            rid = self.unique_id(label)
            out.append(Region(rid, label, zh + suffix[1], kind, parent.id, [f"{name} {suffix[0]}", name.upper() if kind == "zone" else f"{name} Qu"],
                              f"A {kind} of {parent.name}.", self.coords() if rng.random() < 0.8 else None, parent.province))
        return out

    def metric(self, place: str, unit: str, date: str | None) -> str:
        """A metric slug of its own (facts sharing one corroborate or conflict; only corroborate() shares them)."""
        self.metrics += 1
        return slugify(f"{place[:40]}-{unit}-{date or 'na'}-m{self.metrics}")

    def coords(self) -> tuple[float, float]:
        return round(self.rng.uniform(113.8, 124.4), 2), round(self.rng.uniform(37.8, 42.4), 2)

    # -- sentences with numbers: (main clause, figures, claim, kind, date) -----------------------------------------
    def numeric_sentence(self, place: Region, topics: list[str]) -> dict:
        rng = self.rng
        year = rng.randint(2014, 2023)
        P = place.name
        n = rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 99999)])
        thing, thing_topic = rng.choice(THINGS)
        money_unit, lo, hi = rng.choice(MONEY)
        money = round(rng.uniform(lo, hi), 1)
        area_unit, alo, ahi = rng.choice(AREA)
        area = round(rng.uniform(alo, ahi), rng.choice([0, 1])) if area_unit.startswith("million") else rng.randint(alo, ahi)
        pct = rng.choice([round(rng.uniform(1, 60), 1), rng.randint(2, 95)])
        month, day = rng.randrange(12), rng.randint(1, 28)
        target_year = rng.choice([2025, 2027, 2030, 2035])
        kind = rng.choices(["result", "plan", "context", "target", "event", "share"], [38, 26, 19, 9, 6, 2])[0]
        fig = lambda label, value, unit, qualifier=None: {"label": label, "value": value, "unit": unit,  # noqa: E731
                                                          "qualifier": qualifier}
        topic = thing_topic if thing_topic in topics else topics[0]
        if kind == "result":
            variant = rng.randrange(4)
            verb = rng.choice(VERBS)
            if variant == 0:
                text = f"By the end of {year}, {P} had {verb} {num(n)} {thing} from Beijing and Tianjin, with a total investment of {num(money)} {money_unit}"
                figs = [fig(f"{thing.capitalize()} from Beijing and Tianjin {verb} by {P}, by the end of {year}", n, thing),
                        fig(f"Investment of the {thing} {verb} by {P}, by {year}", money, money_unit)]
                claim = f"By the end of {year} {P} had {verb} {num(n)} {thing} from Beijing and Tianjin, worth {num(money)} {money_unit} of investment."
            elif variant == 1:
                text = f"In {year}, {P} completed {num(area)} {area_unit} of construction, {num(pct)}% more than a year earlier"
                figs = [fig(f"Construction completed in {P}, {year}", area, area_unit),
                        fig(f"Growth of construction completed in {P}, {year} on {year - 1}", pct, "%")]
                claim = f"{P} completed {num(area)} {area_unit} of construction in {year}, up {num(pct)}% on the year before."
            elif variant == 2:
                text = f"Statistics show that in {year}, the total output of {P} will exceed {num(money)} {money_unit}, an increase of {num(pct)} percent"
                figs = [fig(f"Total output of {P}, {year}", money, money_unit, "more than")]
                claim = f"The total output of {P} exceeded {num(money)} {money_unit} in {year} (the translation uses the future tense)."
            else:
                text = f"Since {year}, under the region’s relocation policy, {P} has {verb} {num(n)} {thing}, and {num(area)} {area_unit} of land has been made available for them"
                figs = [fig(f"{thing.capitalize()} {verb} by {P} since {year}", n, thing)]
                claim = f"{P} has {verb} {num(n)} {thing} since {year}."
            date = str(year) if variant != 3 else f"{year}/2023"
            topic_kind = "result"
        elif kind == "plan":
            text = f"{P} plans to invest {num(money)} {money_unit} in {num(n)} {rng.choice(ADJ)} projects over the next {rng.choice(['three', 'five', 'two'])} years, starting in {year}"
            figs = [fig(f"Planned investment in projects of {P} from {year}", money, money_unit),
                    fig(f"Planned projects of {P} from {year}", n, "projects")]
            claim = f"{P} plans to invest {num(money)} {money_unit} in {num(n)} projects from {year}."
            date, topic_kind = str(year), "plan"
        elif kind == "target":
            text = f"By {target_year}, {P} will strive to build {num(n)} {thing} and a network of {num(area)} {area_unit}"
            figs = [fig(f"Target for {thing} in {P} by {target_year}", n, thing),
                    fig(f"Target network length or area of {P} by {target_year}", area, area_unit)]
            claim = f"{P} aims to have {num(n)} {thing} and {num(area)} {area_unit} by {target_year}; this is a target, not a result."
            date, topic_kind = str(target_year), "target"
        elif kind == "event":
            org = rng.choice(ORGS)
            text = f"On {MONTHS[month]} {day}, {year}, the {P} {org} was unveiled, the first of its kind to settle in the region’s new industrial belt"
            figs = []
            claim = f"The {P} {org} was unveiled on {day} {MONTHS[month]} {year}."
            date, topic_kind = f"{year}-{month + 1:02d}-{day:02d}", "event"
        elif kind == "context":
            pop = round(rng.uniform(1, 30), 1)
            text = f"{P}, which covers an area of {num(rng.randint(200, 20000))} square kilometers and has a population of more than {num(pop)} million, is an important node of the region"
            figs = [fig(f"Population of {P}", pop, "million people", "more than")]
            claim = f"{P} has more than {num(pop)} million inhabitants."
            date, topic_kind = None, "context"
        else:  # a share the checks recompute: correct, except a planted slip at the real corpus's rate
            whole = rng.randint(50, 900)
            part = rng.randint(5, whole - 1)
            stated = round(100.0 * part / whole, 2)
            slip = self.warnings_planted["arithmetic"] < max(1, round(self.scale)) and rng.random() < 0.3
            if slip:
                stated = round(stated + 7.5, 2)
                self.warnings_planted["arithmetic"] += 1
            text = f"A total of {num(whole)} projects were signed in {year}, {num(part)} of which came from Beijing, accounting for {num(stated)}%"
            figs = [fig(f"Projects signed in {P}, {year}", whole, "projects"), fig(f"Projects from Beijing signed in {P}, {year}", part, "projects")]
            claim = f"{P} signed {num(whole)} projects in {year}, {num(part)} of them from Beijing."
            date, topic_kind = str(year), "result"
        return {"clause": text, "figures": figs, "claim": claim, "kind": topic_kind, "date": date, "topic": topic}

    # -- articles ----------------------------------------------------------------------------------------------
    def sources(self, regions: list[Region], topic_ids: list[str]) -> list[Source]:
        rng = self.rng
        # Facts pile up on some places: a Zipf-like weight over a shuffled order of the regions.
        ranked = regions[:]
        rng.shuffle(ranked)
        weights = [1.0 / (i + 1) ** 0.7 for i in range(len(ranked))]
        children: dict[str, list[Region]] = {}
        for r in regions:
            if r.parent:
                children.setdefault(r.parent, []).append(r)
        by_id = {r.id: r for r in regions}
        out = []
        for s in range(self.n_sources):
            publisher, pslug = rng.choice(PUBLISHERS)
            year = rng.randint(2019, 2023)
            dated = rng.random() > 0.1
            published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if dated else None
            focus, _ = self.name()
            self.used_names.discard(focus)
            title_topic = rng.choice(["coordinated development", "industrial relocation", "transport integration",
                                      "ecological protection", "innovation cooperation", "public services"])
            title = f"{focus.capitalize()} moves forward – a summary of {title_topic} in the region"
            sid = self.unique_id(f"{pslug}-{published or str(year) + '-undated'}-{title_topic}-{s + 1}")
            authors = [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}" for _ in range(rng.randint(0, 3))]
            day = int(published[-2:]) if published else rng.randint(1, 28)
            dateline = f"{publisher}, {rng.choice(['Beijing', 'Tianjin', 'Shijiazhuang', 'Shenyang'])}, {MONTHS[int(published[5:7]) - 1] if published else 'March'} {day}th Topic: {title}"
            byline = f"{publisher} reporters {', '.join(authors)}" if authors else f"Source: {publisher}"
            src = Source(sid, title, publisher, published, authors, [dateline, byline])
            # a home region for the article, and the places it talks about (its subtree mostly)
            home = rng.choices(ranked, weights)[0]
            family = [home] + children.get(home.id, []) + ([by_id[home.parent]] if home.parent else [])
            facts_here = self.facts_per_source + rng.randint(-8, 8)
            sentences: list[Sentence] = []
            while sum(1 for x in sentences if x.numeric) < facts_here:
                if rng.random() < 0.33:
                    place = rng.choice(family) if rng.random() < 0.5 else rng.choices(ranked, weights)[0]
                    sentences.append(Sentence(rng.choice(FILLERS).format(place=place.name, Place=place.name, adj=rng.choice(ADJ)), False))
                    continue
                place = rng.choice(family) if rng.random() < 0.4 else rng.choices(ranked, weights)[0]
                ts = rng.sample(topic_ids, min(len(topic_ids), rng.choices([1, 2, 3], [52, 42, 6])[0]))
                made = self.numeric_sentence(place, ts)
                clause = made["clause"]
                tail = None
                if rng.random() < 0.12:  # "<clause with figures>, <a clause without digits>.": the quote is the first part
                    tail = rng.choice(["which has injected new vitality into the regional economy",
                                       "and the work will be carried forward in the coming years",
                                       "according to the local development and reform commission"])
                text = clause + (f", {tail}." if tail else ".")
                others = [r for r in rng.sample(ranked, k=min(3, len(ranked))) if r.id != place.id]
                n_regions = rng.choices([1, 2, 3], [59, 27, 14])[0]
                fact = {"place": place, "regions": [place.id] + [r.id for r in others[: n_regions - 1]], "topics": list(dict.fromkeys(ts)),
                        "kind": made["kind"], "date": made["date"], "claim": made["claim"], "figures": made["figures"],
                        "quote": clause if tail else text, "extra_quotes": []}
                if rng.random() < 0.4:
                    for f in fact["figures"][:1]:  # a metric names the quantity so that other facts can corroborate it
                        f["metric"] = self.metric(place.id, f["unit"], made["date"])
                sentences.append(Sentence(text, True, fact))
            # paragraphs: 1-6 sentences, the occasional heading line
            i = 0
            while i < len(sentences):
                if rng.random() < 0.06:
                    src.paragraphs.append([Sentence(rng.choice(HEADINGS), False)])
                k = rng.choices([1, 2, 3, 4, 5, 6], [10, 20, 25, 20, 15, 10])[0]
                src.paragraphs.append(sentences[i:i + k])
                i += k
            for para in src.paragraphs:
                for j, sent in enumerate(para):
                    if not sent.fact:
                        continue
                    fact = sent.fact
                    r = rng.random()
                    if r < 0.08 and j + 1 < len(para):  # the quote runs over the next sentence
                        fact["quote"] = sent.text + " " + para[j + 1].text
                    elif r < 0.12:  # the editor typed straight quotes where the article has curly ones
                        fact["quote"] = fact["quote"].replace("’", "'")
                    src.facts.append(fact)
            # a second passage of the same article (10 %), or of another article (below)
            for fact in src.facts:
                if rng.random() < 0.1:
                    other = rng.choice(src.facts)
                    if other is not fact and other["quote"] not in fact["extra_quotes"]:
                        fact["extra_quotes"].append((sid, other["quote"]))
            out.append(src)
        self.corroborate(out)
        return out

    def corroborate(self, sources: list[Source]) -> None:
        """Facts restated by a second article: a sentence with the same figure in that article, cited by the fact,
        and a fact of the second article with the same metric and period (a conflict now and then)."""
        rng = self.rng
        if len(sources) < 2:
            return
        conflicts_wanted = max(1, round(self.scale))
        for src in sources:
            for fact in list(src.facts):
                if not fact["figures"] or fact.get("twin") or rng.random() >= 0.04:
                    continue
                other = rng.choice([s for s in sources if s is not src])
                fig = fact["figures"][0]
                place = fact["place"]
                value = fig["value"]
                conflict = self.warnings_planted["conflict"] < conflicts_wanted and rng.random() < 0.25
                stated = (value + 1 if float(value).is_integer() else round(value + 0.5, 1)) if conflict else value
                restated = (f"According to figures released by {place.name}, the {fig['label'][:1].lower() + fig['label'][1:]} "
                            f"came to {num(stated)} {fig['unit']}.")
                metric = fig.get("metric") or self.metric(place.id, fig["unit"], fact["date"])
                fig["metric"] = metric
                twin = {"place": place, "regions": [place.id], "topics": fact["topics"][:1], "kind": fact["kind"],
                        "date": fact["date"], "claim": f"{other.publisher} also reports {num(stated)} {fig['unit']} for {place.name}.",
                        "figures": [{"label": f"{fig['label']} (as restated by {other.publisher})", "value": stated,
                                     "unit": fig["unit"], "metric": metric}],
                        "quote": restated.rstrip("."), "extra_quotes": [], "twin": True}
                if conflict:
                    self.warnings_planted["conflict"] += 1
                else:
                    fact["extra_quotes"].append((other.id, twin["quote"]))
                para = rng.choice(other.paragraphs)
                para.append(Sentence(restated, True, twin))
                other.facts.append(twin)

    # -- writers -----------------------------------------------------------------------------------------------
    def write(self, root: Path) -> dict:
        rng = self.rng
        facts_dir = root / "facts"
        if facts_dir.exists():
            shutil.rmtree(facts_dir)
        for d in ("sources", "facts", "regions", "topics", "glossary", "charts"):
            (facts_dir / d).mkdir(parents=True)
        regions = self.regions()
        topics = TOPICS[: self.n_topics]
        topic_ids = [t[0] for t in topics]
        # regions: one file per top-level province or municipality
        files: dict[str, list[str]] = {}
        top_of = {r.id: r.province for r in regions}
        for r in regions:
            key = top_of.get(r.province, r.province)
            lines = [f"- id: {r.id}", f"  name: {q(r.name)}", f"  name_zh: {r.name_zh}", f"  kind: {r.kind}"]
            if r.parent:
                lines.append(f"  parent: {r.parent}")
            lines.append(f"  aliases: [{', '.join(q(a) for a in r.aliases)}]")
            lines.append(f"  summary: {q(r.summary)}")
            if r.coordinates:
                lines.append(f"  coordinates: [{r.coordinates[0]}, {r.coordinates[1]}]")
            files.setdefault(key, []).append("\n".join(lines))
        for key, items in files.items():
            (facts_dir / "regions" / f"{key}.yml").write_text(
                "# yaml-language-server: $schema=../../docs/data/schema/regions.schema.json\n# Synthetic regions (benchmarks/make_corpus.py)\n"
                + "\n".join(items) + "\n", encoding="utf-8")
        (facts_dir / "topics" / "topics.yml").write_text(
            "# Synthetic topics (benchmarks/make_corpus.py)\n" + "".join(
                f"- id: {tid}\n  name: {q(name)}\n  name_zh: {zh}\n  summary: {q(f'Facts about {name.lower()} across the region.')}\n"
                for tid, name, zh in topics), encoding="utf-8")
        # glossary: files of ~30 terms
        terms = []
        for i in range(self.n_terms):
            name, zh = self.name()
            tid = self.unique_id(f"term-{name}")
            terms.append(f"- id: {tid}\n  term: {q(name + ' ' + rng.choice(['mechanism', 'plan', 'zone', 'corridor', 'alliance']))}\n"
                         f"  term_zh: {zh}\n  pinyin: {q(name.lower())}\n"
                         f"  variants: [{q(name + ' Gongcheng')}, {q(name.upper())}]\n"
                         f"  definition: {q(f'A term the articles use for the {name} arrangement between Beijing, Tianjin and Hebei.')}\n"
                         + (f"  translation_note: {q('The machine translation renders it in several ways.')}\n" if rng.random() < 0.5 else ""))
        for k in range(0, len(terms), 30):
            (facts_dir / "glossary" / f"terms-{k // 30 + 1:03d}.yml").write_text(
                "# Synthetic glossary (benchmarks/make_corpus.py)\n" + "".join(terms[k:k + 30]), encoding="utf-8")
        sources = self.sources(regions, topic_ids)
        n_facts = 0
        figures_by_unit: dict[str, list[tuple[str, str, Region]]] = {}  # unit -> [(fact id, figure label, place)]
        for src in sources:
            front = [f"id: {src.id}", f"title: {q(src.title)}", f"publisher: {q(src.publisher)}",
                     f"published: {src.published or 'null'}"]
            if not src.published:
                front.append(f"date_note: {q('The article gives only a dateline without a year; the period is derived from its content.')}")
            front += [f"authors: [{', '.join(src.authors)}]", "language: en", "original_language: zh", "url: null",
                      f"licence: {q(f'Copyright of {src.publisher}. Quoted here for research and commentary.')}",
                      "translation: Machine translation from Chinese (unknown engine); text kept verbatim, errors included.",
                      "boilerplate:"] + [f"  - {q(b)}" for b in src.boilerplate]
            body = "\n\n".join(src.boilerplate + [" ".join(s.text for s in para) for para in src.paragraphs if para])
            (facts_dir / "sources" / f"{src.id}.txt").write_text("---\n" + "\n".join(front) + "\n---\n" + body + "\n", encoding="utf-8")
            out = ["# yaml-language-server: $schema=../../docs/data/schema/facts.schema.json",
                   f"# Synthetic facts from {src.id} (benchmarks/make_corpus.py)", ""]
            for fact in src.facts:
                fid = self.unique_id(f"{fact['regions'][0]}-{fact['kind']}-{fact['date'] or 'undated'}")
                lines = [f"- id: {fid}", f"  claim: {q(fact['claim'])}", f"  kind: {fact['kind']}"]
                if fact["date"]:
                    lines.append(f"  date: {q(fact['date'])}")
                lines += [f"  regions: [{', '.join(fact['regions'])}]", f"  topics: [{', '.join(fact['topics'])}]"]
                if fact["figures"]:
                    lines.append("  figures:")
                    for f in fact["figures"]:
                        figures_by_unit.setdefault(f["unit"], []).append((fid, f["label"], fact["place"]))
                        metric = f", metric: {f['metric']}" if f.get("metric") else ""
                        qualifier = f", qualifier: {f['qualifier']}" if f.get("qualifier") else ""
                        lines.append(f"    - {{label: {q(f['label'])}, value: {yval(f['value'])}, unit: {q(f['unit'])}"
                                     f"{qualifier}{metric}}}")
                lines.append("  citations:")
                for sid, quote in [(src.id, fact["quote"])] + fact["extra_quotes"]:
                    lines += [f"    - source: {sid}", f"      quote: {q(quote)}"]
                if rng.random() < 0.05:
                    lines.append(f"  note: {q('The machine translation puts this result in the future tense.')}")
                out.append("\n".join(lines) + "\n")
                n_facts += 1
            (facts_dir / "facts" / f"{src.id}.yml").write_text("\n".join(out), encoding="utf-8")
        n_charts = self.write_charts(facts_dir / "charts" / "charts.yml", figures_by_unit, n_facts)
        return {"charts": n_charts, "scale": self.scale, "sources": len(sources), "facts": n_facts, "regions": len(regions),
                "topics": len(topics), "terms": len(terms), "planted_warnings": dict(self.warnings_planted)}


    def write_charts(self, path: Path, figures_by_unit: dict, n_facts: int) -> int:
        """Editors' bar charts (facts/charts/), about one per hundred facts as in the real corpus: 2-6 figures of one unit."""
        rng = self.rng
        units = sorted(u for u, figs in figures_by_unit.items() if len(figs) >= 2)
        items = []
        for k in range(max(1, round(n_facts / 100))):
            unit = rng.choice(units)
            bars = rng.sample(figures_by_unit[unit], min(len(figures_by_unit[unit]), rng.randint(2, 6)))
            lines = [f"- id: chart-{k + 1}-{slugify(unit) or 'percent'}", f"  title: {q(f'{unit.capitalize()} reported by place, chart {k + 1}')}",
                     f"  description: {q('Figures each place reports; the periods differ, see each label.')}",
                     f"  unit: {q(unit)}", "  bars:"]
            lines += [f"    - {{fact: {fid}, figure: {q(label)}, label: {q(place.name + ', ' + label.rsplit(', ', 1)[-1])}}}"
                      for fid, label, place in bars]
            items.append("\n".join(lines))
        path.write_text("# Synthetic charts (benchmarks/make_corpus.py)\n" + "\n".join(items) + "\n", encoding="utf-8")
        return len(items)


def _generator_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def copy_code(root: Path, source: Path = REPO) -> None:
    """The repository's code, templates, docs and top-level files, copied afresh (the engine under test is the current one)."""
    root.mkdir(parents=True, exist_ok=True)
    # never .git: in a git worktree it is a file, and a copy of it would make the corpus a checkout of this repository
    names = [d for d in COPIED_DIRS if (source / d).is_dir()] + [p.name for p in source.iterdir()
                                                                 if p.is_file() and p.name != ".git"]
    for name in names:
        src, dst = source / name, root / name
        if dst.is_dir():
            shutil.rmtree(dst)
        elif dst.exists():
            dst.unlink()
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dst)


def make_corpus(scale: float, out: Path | None = None, seed: int = 1, force: bool = False,
                code_from: Path = REPO, facts_per_source: int = FACTS_PER_SOURCE) -> tuple[Path, dict]:
    """Write (or reuse) the corpus of this scale, with the code copied from `code_from`; returns (repository copy,
    statistics). `facts_per_source`: about that many facts quote each article (long articles: fewer, bigger pages)."""
    root = Path(out) if out else CORPORA / f"x{scale:g}"
    copy_code(root, code_from)
    stamp_path = root / STAMP
    key = {"scale": scale, "seed": seed, "generator": _generator_hash()}
    if facts_per_source != FACTS_PER_SOURCE:
        key["facts_per_source"] = facts_per_source
    if not force and stamp_path.exists() and (root / "facts").is_dir():
        stamp = json.loads(stamp_path.read_text())
        if stamp.get("key") == key:
            return root, stamp["stats"]
    stats = Generator(scale, seed, facts_per_source).write(root)
    stamp_path.write_text(json.dumps({"key": key, "stats": stats}, indent=1))
    return root, stats


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("scale", type=float, help="scale factor: 1 is about the real corpus (~300 facts), 100 about 30,000 facts")
    p.add_argument("--out", type=Path, help="repository copy to write (default benchmarks/.corpora/x<scale>)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--force", action="store_true", help="regenerate facts/ even if the stamp matches")
    p.add_argument("--facts-per-source", type=int, default=FACTS_PER_SOURCE,
                   help=f"about how many facts quote each article (default {FACTS_PER_SOURCE})")
    args = p.parse_args(argv)
    root, stats = make_corpus(args.scale, args.out, args.seed, args.force, facts_per_source=args.facts_per_source)
    print(f"{root}: {stats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
