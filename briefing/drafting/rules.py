"""The rules these articles need, in one place: cue words for qualifiers, kinds, dates and places.

The articles are mostly machine translations from Chinese. Their habits, and what the drafts make of them:
- past results in the future tense ("in 2022 the GDP will exceed ..." in a 2023 article): the tense decides nothing
  on its own; a period that ends before the publication month is a result, whatever the verb;
- targets in the past tense ("Dalian's GDP exceeded 1 trillion yuan" in a three-year plan): a period that ends after
  the publication month is a target, whatever the verb;
- relative dates ("last year", "this year", "the first 11 months of last year", "over the past six years",
  "at present") are resolved against the publication date, and a sentence without a date takes the date of the
  nearest earlier sentence of its paragraph that has one (a paragraph's opening year applies to all of it);
- sentences glued together without a space ("...press conference.Relevant officials ...").
Every list below is matched case-insensitively on word boundaries.
"""
from __future__ import annotations

from ..numbers import QUALIFIER_CUES

# -- figures ---------------------------------------------------------------------------------------------------------

# What the quote says about the number -> the Figure.qualifier it becomes: the one table `check` reads too
# (numbers.QUALIFIER_CUES), so a draft and the qualifier warning never disagree.
QUALIFIERS = {cue: qualifier for qualifier, cues in QUALIFIER_CUES.items() for cue in cues}

# Units of measure ("%" stands for "%", "percent" and "per cent"; "percentage points" are not %).
MEASURES = [
    "micrograms per cubic meter", "micrograms per cubic metre", "percentage points", "percentage point",
    "square kilometers", "square kilometres", "square kilometer", "square kilometre", "square meters", "square metres",
    "square meter", "square metre", "cubic meters", "cubic metres", "kilometers", "kilometres", "kilometer",
    "kilometre", "meters", "metres", "kilowatts", "kilowatt-hours", "kilowatt hours", "megawatts", "gigawatts",
    "tons", "tonnes", "ton", "yuan", "US dollars", "dollars", "euros", "mu", "hectares", "hours", "hour", "minutes",
    "days", "years", "months", "TEUs", "TEU", "li", "mile", "miles", "people", "person-times", "times",
    "sq km", "square km", "km", "kg", "GW", "MW", "kW", "kWh", "ha", "RMB", "renminbi", "yuan renminbi",
]
# A rate after the unit belongs to it: "100 billion yuan per year", "15,000 tasks every day".
RATES = {"per year": "per year", "a year": "per year", "annually": "per year", "every year": "per year",
         "per day": "per day", "a day": "per day", "every day": "per day", "daily": "per day"}

# "annual investment of 100 billion yuan": an amount per year.
CURRENCIES = {"yuan", "dollars", "euros", "RMB", "renminbi"}


# A currency written before the number: "$25.5 billion", "RMB 5 billion", "¥300 million" (-> "million yuan").
CURRENCY_BEFORE = {"$": "US dollars", "US$": "US dollars", "USD": "US dollars", "RMB": "yuan", "¥": "yuan",
                   "CNY": "yuan", "€": "euros", "EUR": "euros"}
# Words trimmed from the end of a clause to leave the subject a figure's label names ("the GDP of Binhai will reach").
LABEL_TRIM = {w for q in QUALIFIERS for w in q.split()} | {
    "of", "the", "to", "by", "a", "an", "will", "would", "reach", "reached", "reaches", "be", "is", "was", "were", "are",
    "has", "have", "had", "been", "exceed", "exceeded", "hit", "account", "accounted", "accounting", "for", "grow",
    "grown", "grew", "increased", "rose", "fell", "dropped", "decreased", "at", "with", "total", "strive",
    "strives", "and", "or", "maintained", "up", "down", "than", "more", "less", "nearly", "about", "over", "from",
    "in", "on", "which", "it", "its", "handled", "attract", "attracted", "increase", "decrease", "rise", "fall", "drop",
    "decline", "surpass", "top", "see", "expected", "stand", "stood"} | {c.lower() for c in CURRENCY_BEFORE}

# Words that end the noun phrase a number counts ("1,406 companies with ...").
PHRASE_END = {"with", "and", "or", "in", "from", "to", "of", "have", "has", "had", "was", "were", "is", "are", "will",
              "which", "that", "including", "such", "as", "for", "on", "at", "by", "been", "be", "the", "a", "an",
              "than", "each", "per", "this", "these", "its", "their", "respectively", "accounting", "compared", "last",
              "next", "year", "month", "here", "there"}
# The counted noun is the last plural word of the run of words up to one of these or punctuation
# ("318 new large-sized projects from Beijing" -> projects).

# A year-like number followed by one of these is still a year ("2022 the GDP", "2014, Beijing").
YEAR_FOLLOWERS = {"the", "a", "an", "and", "to", "in", "is", "was", "will", "has", "have", "with", "when", "at", "as",
                  "compared", "level", "year", "years", "levels", "by", "for", "on", "of", "after", "before"}

# -- kinds -----------------------------------------------------------------------------------------------------------

TARGET_CUES = ["strive to", "strives to", "striving to", "aim to", "aims to", "aiming to", "aimed at", "target",
               "targets", "goal", "goals", "is expected to", "are expected to", "expected to", "will strive",
               "should reach", "should be", "to be built",
               "will be built", "will be completed", "is set to", "are set to"]
PLAN_CUES = ["plans to", "plan to", "planning to", "is planning", "is planned to", "are planned to", "will build", "will launch", "will start",
             "will set up", "will establish", "will promote", "will implement", "model of", "scheme"]
# ... unless the sentence says the aim was met ("the target of 100% was achieved").
ACHIEVED_CUES = ["achieved", "fulfilled", "met the", "was reached", "were reached", "was realized", "was realised",
                 "exceeded the target", "ahead of schedule", "was completed", "were completed"]
FUTURE_CUES = ["will", "shall", "is going to", "are going to", "next year", "in the next", "in the coming"]
# Present-tense descriptions of a place: context, not a result.
CONTEXT_CUES = ["there are", "there is", "covers an area", "covering an area", "has a population",
                "with a population", "is located", "to the south of", "to the north of", "to the east of",
                "to the west of", "away from"]
# Descriptions that stay context even when the paragraph gives a date ("There are 30 orders ... of vertebrates").
STOCK_CUES = ["there are", "there is"]
EVENT_CUES = ["was held", "were held", "opened", "opening ceremony", "inaugurated", "was launched", "kicked off",
              "took place", "signed"]

# -- dates -----------------------------------------------------------------------------------------------------------

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
# A month as articles write it, capitalised (so the verb "may" is no month), in full or abbreviated ("Jan. 13").
MONTH = (r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
         r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")


def month_number(name: str) -> int:
    return [m[:3] for m in MONTHS].index(name.strip(".").lower()[:3]) + 1
# "at present" and friends: the figure is a stock at publication, dated to the publication month.
PRESENT_CUES = ["at present", "up to now", "to date", "so far", "as of now", "currently", "by now", "until now",
                "nowadays", "as of today", "up to date"]
# A number of years back from publication: "over the past six years", "in the last five years", "for 8 years".
PAST_YEARS = r"(?:in|over|during|for) (?:the )?(?:past|last|recent) ({n}) years|for (?:more than |over |nearly )?({n}) years"
# "a three-year action plan", "after three years of efforts": a plan running from the publication year.
PLAN_YEARS = r"({n})-year (?:[a-z]+ ){{0,2}}(?:plan|goals?|targets?|programme|program)|after ({n}) years of (?:efforts|work)"

# -- places ----------------------------------------------------------------------------------------------------------

# A capitalised name ending in one of these is a place; unknown ones are proposed as draft regions (kind guessed).
PLACE_SUFFIXES = {
    "New Area": "new-area", "New District": "new-area", "District": "district", "County": "county",
    "City": "city", "Town": "zone", "Township": "zone", "Village": "zone", "Port": "zone", "Economic Zone": "zone",
    "Development Zone": "zone", "Free Trade Zone": "zone", "Bonded Zone": "zone", "Zone": "zone",
    "Industrial Park": "zone", "Science Park": "zone", "Park": "zone", "Reservoir": "zone", "Basin": "zone",
    "League": "city", "Prefecture": "city", "Province": "province", "Metropolitan Area": "region",
    "Metropolitan Circle": "region", "Economic Belt": "region", "Urban Agglomeration": "region",
}
# One lowercase word may stand between a proposed name and its place word: "Shenyang modern metropolitan circle".
PLACE_INFIX = r"(?:[a-z]+\s+)?"
# A capitalised name before one of these is a place too, the words not part of its name: "the Chengde Municipal
# Party Committee" names the city of Chengde.
PLACE_BEFORE = {"Municipal Party Committee": "city", "Municipal Committee": "city", "Municipal Government": "city",
                "Municipal People's Government": "city", "District Committee": "district",
                "District Party Committee": "district", "County Party Committee": "county", "County Committee": "county"}
# Administrative words of a proposed name that the text may leave out ("Yanqing District" is also "Yanqing").
ADMIN_SUFFIXES = ["New Area", "New District", "District", "County", "City", "Province", "League"]
# Words that cannot start such a name ("The District", "Each County").
NOT_NAME_START = {"The", "A", "An", "This", "That", "Each", "Every", "Our", "Its", "Their", "In", "At", "Of", "And",
                  "National", "Provincial", "Municipal", "Party", "Committee"}
# "the district", "the city": the nearest place of that kind mentioned before.
ANAPHORA = {"our province": "province", "our city": "city", "the district": "district", "the county": "county", "the city": "city", "the new area": "new-area",
            "the new district": "new-area", "the province": "province", "the zone": "zone", "the town": "zone",
            "the park": "zone", "the municipality": "municipality"}
# A sentence whose subject is one of these talks about the place named before ("Up to now, it has undertaken 672
# projects", "The province proposes ..."): that place comes first.
SUBJECT_PRONOUNS = r"^(?:[^,]{0,40},\s*)?(it|they|the city|the district|the county|the province|the new area|the town)\b"
# A place after these words is where the figure comes from, or an example ("projects including Huludao
# Industrial Park"), not where it is: it goes after the others. ("of" depends: see places._rank.)
ORIGIN_WORDS = {"from", "with", "than", "including", "like"}
# Places named only in passing are no region of the figure when the sentence names another place: inside a fixed
# phrase naming the region-wide strategy ("serve the coordinated development of Beijing, Tianjin and Hebei" in a
# sentence about Tianjin's GDP), or as where things come from ("3,200 projects from Beijing" undertaken by Wuqing).
# {p} stands for a place name; a sentence naming no other place keeps them (then they are what it is about).
STRATEGY_PHRASES = [
    r"(?:coordinated|integrated|collaborative|joint) development of (?:the )?{p}(?:(?:\s*(?:,|and|, and)\s*|-){p})*"
    r"(?: region)?",
    r"(?:integration|coordination|cooperation) (?:of|between|among) (?:the )?{p}(?:(?:\s*(?:,|and|, and)\s*|-){p})+"
    r"(?: region)?",
    r"{p}(?:-{p})+ (?:coordinated|integrated|collaborative) development(?: strategy)?",
    r"{p}(?:-{p})+ (?:integration|cooperation|coordination)",
]
PASSING_ORIGIN_WORDS = {"from"}
# Single-word aliases shorter than this are abbreviations ("Jin", "Ji") too ambiguous to match in running text.
MIN_ALIAS = 5

# Number words count something only when a plural noun follows within a few words ("nine expressways", "six
# educational and scientific research platforms"); after "the" they refer back ("the three areas"); in a quoted
# slogan they do not count ("four changes"), except for the
# road grids these plans name by their lines: "four horizontal and ten vertical" backbone roads.
NUMBER_WORD_REACH = 4
GRID = r"({w}) (?:horizontal|vertical)(?: lines?)? and ({w}) (?:horizontal|vertical)"
GRID_UNIT = "roads"
# "the first 10 months of 2020": a period, not a figure.
PERIOD_COUNT = r"(?:first|last|past|previous|next|the) \Z"
PERIOD_UNITS = {"months", "quarters", "days", "weeks"}
# "in the past five years", "over the last 10 years": a look-back window ending at publication. when.PAST_YEARS turns
# it into the fact's date (2019/2024), so the count of years is already recorded there and is no figure. A count of
# years that is itself the achievement or the subject ("for 9 consecutive years", "the strategy's 9 years", "a 3-year
# plan") is not matched by this phrase and stays a figure: the rule drops only what the date records.
PERIOD_YEARS = r"\b(?:in|over|during|for) (?:the )?(?:past|last|recent) \Z"
# "population of more than 100 million": the counted noun is before the number.
PEOPLE_NOUNS = {"population": "people", "residents": "people", "people": "people"}
# Words of a proposed name that make no name on their own ("Technology City", "Economic Zone").
GENERIC_NAME_WORDS = {"Technology", "Science", "Economic", "Industrial", "Development", "International", "Innovation",
                      "High-tech", "National", "Demonstration", "Cooperation", "Pilot", "Trade", "Free", "Bonded",
                      "New", "Green", "Modern", "Central", "Comprehensive", "Airport", "Sports", "Cultural",
                      "Tourism", "Ecological", "Key", "Special", "Sci-tech", "Logistics", "Business", "Industry",
                      "University", "Middle", "School", "Olympic", "Winter", "Lion"}
# A place followed by a lowercase word that is none of these, nor ends in -ed or -ly, modifies a noun ("Beijing
# enterprises", "Beijing clothing merchants"): it says where things come from, like "from Beijing".
# A place followed by one of these is the subject of its sentence ("Chaoyang city has introduced 174 projects"), the
# place its figures belong to, not a modifier ("Beijing enterprises have invested ... in Tianjin").
SUBJECT_VERBS = {"has", "have", "had", "is", "was", "were", "are", "will", "introduced", "aims", "plans", "takes",
                 "accelerates", "implemented", "issued", "undertook", "attracted", "signed", "built", "completed",
                 "achieved", "reached", "recorded", "saw", "added", "invested", "received", "launched", "opened"}
# Kind words written after a place's name ("Yanqing District", "Fuxin city"): part of the mention.
KIND_WORDS = r"(?:\s+(?:New Area|New District|District|County|City|Province|Municipality|Town|League)\b)?"

# -- claims ----------------------------------------------------------------------------------------------------------

# Words that only link a sentence to the one before; a claim stands alone without them.
CONNECTIVES = ["among them", "at the same time", "in addition", "meanwhile", "moreover", "furthermore", "besides",
               "in particular", "specifically", "of which", "on this basis", "in this regard", "what's more",
               "at the meantime", "in the meantime", "also"]
# Words that only say where the sentence comes from ("Statistics show that in 2022, ..."): the citation says it.
LEAD_INS = ["statistics show that", "statistics showed that", "the statistics show that", "data show that",
            "data shows that", "the data show that", "the data shows that", "according to statistics,",
            "according to the data,", "it is reported that", "it is understood that", "it is worth mentioning that",
            "it was learned that", "it is learned that"]
# A result in the translation's future tense ("the GDP will exceed ...") is told in the past tense. Only these verbs
# are rewritten (their past forms are certain); any other "will" keeps the sentence's wording.
PAST_TENSE = {
    "reach": "reached", "exceed": "exceeded", "increase": "increased", "decrease": "decreased", "grow": "grew",
    "rise": "rose", "fall": "fell", "drop": "dropped", "decline": "declined", "hit": "hit", "surpass": "surpassed",
    "total": "totalled", "top": "topped", "account for": "accounted for", "handle": "handled", "attract": "attracted",
    "achieve": "achieved", "complete": "completed", "realize": "realized", "realise": "realised", "add": "added",
    "undertake": "undertook", "introduce": "introduced", "maintain": "maintained", "remain": "remained",
    "rank": "ranked", "register": "registered", "record": "recorded", "reduce": "reduced", "build": "built",
    "break through": "broke through", "expand": "expanded", "exceed the": "exceeded the", "stand at": "stood at",
    "invest": "invested", "sign": "signed", "receive": "received", "create": "created", "see": "saw",
    "recruit": "recruited", "open": "opened", "launch": "launched", "plant": "planted", "train": "trained",
    "host": "hosted", "serve": "served", "employ": "employed", "export": "exported", "import": "imported",
    "produce": "produced", "generate": "generated", "save": "saved", "cut": "cut", "bring": "brought", "win": "won",
    "gain": "gained", "welcome": "welcomed", "deliver": "delivered", "settle": "settled", "discharge": "discharged",
}
# "the GDP will be 1.2 trillion yuan": in a result, "will be" before a number is "was" or "were" by the subject's head noun (the
# noun before "of", else the last word before the verb); before anything else it stays.
WILL_BE_NUMBER = r"\bwill be(?=\s+(?:about |more than |over |nearly |around |approximately |up to |at least )?[\d$¥])"
# ... and before a past participle ("a total of 3.27 billion cubic meters of floods will be discharged"), an adverb
# between them allowed ("will be further promoted").
WILL_BE_DONE = (r"\bwill be(?=\s+(?:further |fully |basically |also |successfully |[a-z]+ly )?(?:[a-z]{3,}ed|built|"
                r"made|held|set up|won|seen|given|taken|begun|done|shown|grown|brought|laid|sold|paid|cut|put|kept)\b)")
# Words that refer back to a place, by the region kinds they can name; replaced by that place's name in the claim
# when the drafted first region is of such a kind (the drafter resolved them).
REFERRING = {"the city": {"city", "municipality"}, "our city": {"city", "municipality"},
             "the municipality": {"municipality"}, "the district": {"district", "new-area"},
             "our district": {"district", "new-area"}, "the county": {"county"}, "the province": {"province"},
             "our province": {"province"}, "the new area": {"new-area"}, "the new district": {"new-area"}}
# "(Up to now,) it has undertaken ...": a pronoun subject opening the sentence, where SUBJECT_PRONOUNS makes the drafter
# take the place named before as the first region; named in the claim when the sentence does not name that place.
REFERRING_SUBJECT = r"^((?:[^,]{0,40},\s*)?)[Ii]t(?= (?:has|had|is|was|will|also|now|currently|ranks|accounts)\b)"
# A relative date phrase said of the figure, replaced by the date it resolves to (baselines such as "an increase of
# 4.3% over the previous year" are not dates of the figure and stay).
RELATIVE_YEAR = {"last year": -1, "the past year": -1, "this year": 0, "the current year": 0, "next year": 1,
                 "so far this year": 0, "since the beginning of this year": 0, "since the start of this year": 0}
PRESENT_PHRASES = ["at present", "currently", "up to now", "so far", "to date", "as of now", "by now", "until now",
                   "as of today", "at the moment"]

# -- labels ----------------------------------------------------------------------------------------------------------

# A label that is only a pronoun says nothing: the unit says more ("72 of which" -> "Projects").
LABEL_PRONOUNS = {"which", "it", "they", "them", "this", "these", "those", "that"}
# "City's total installed capacity": a referring word opening a label, named like in the claim.
LABEL_REFERRING = r"^(?:the\s+|our\s+)?(city|district|county|province|municipality|new area)\b"
# "Luring a combined capital": a verb in -ing with its object opens no label; the object is what is measured.
LABEL_VERB = r"^[A-Za-z]+ing\s+(?:a|an|the)\s+(?=\w)"
