"""Names in wire copy: the words that make a title, an organisation, a government body, a group or a place (kept as
data), and `guess_type`, which types a name from its words and the words around it.

Knowledge of particular actors ("Kremlin" -> Russia's government) is the registry's: here only the shapes of names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from annotations.suggest.countries import city_named, country_named, demonym_country, is_demonym

__all__ = [
    "AGENCIES",
    "CONNECTORS",
    "STOPWORDS",
    "TITLES",
    "TITLE_SURNAMES",
    "classify",
    "guess_type",
    "head_type",
    "is_title",
    "is_title_head",
    "state_body",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that head a title before a person's name ("Deputy Agriculture Minister Yelena Orlova"), as written.
TITLES = _words(
    """President Vice Premier Minister Prime Chancellor Secretary Undersecretary Spokesman Spokeswoman Spokesperson
    Ambassador Envoy Senator Sen Sen. Governor Gov Gov. Mayor General Gen Gen. Colonel Col Col. Lieutenant Lt Lt.
    Major Maj Maj. Captain Capt Capt. Sergeant Sgt Sgt. Admiral Adm Adm. Marshal Commander Cmdr Judge Justice
    Chairman Chairwoman Chairperson Chair Director Commissioner King Queen Prince Princess Pope Patriarch Sheikh
    Emir Sultan Dr Dr. Mr Mr. Mrs Mrs. Ms Ms. Prof Prof. Professor Rev Rev. Reverend Father Bishop Archbishop Cardinal
    Imam Rabbi Chief CEO Executive Leader Speaker Representative Rep Rep. Lawmaker Deputy Attorney Prosecutor
    Inspector Superintendent Councillor Councilor Adviser Advisor Coach Defender President-elect Ombudsman
    Ayatollah Crown Foreign Interior Defence Defense Finance Economy Trade Health Energy Agriculture Justice
    Education Environment Labour Labor Transport Culture Tourism Sports Digital Home State Acting Former Opposition
    Chief-of-staff Affairs Officer Operating Financial Technology Marketing Commercial Managing Manager"""
)
#: Title words that are also surnames, last in a name after a given name ("Tomas King", "Ana Bishop").
TITLE_SURNAMES = _words("King Bishop Major Marshal Judge Chancellor Speaker Pope")
#: Title words that name the role itself; a title needs one of them (not only "Foreign" or "Acting").
TITLE_HEADS = TITLES - _words(
    """Vice Prime Deputy Acting Former Opposition Foreign Interior Defence Defense Finance Economy Trade Health Energy
    Agriculture Justice Education Environment Labour Labor Transport Culture Tourism Sports Digital Home State Crown
    Executive Chief Affairs Operating Financial Technology Marketing Commercial Managing"""
) | {"Chief"}

#: The last (or first, before "of") word of a government body's name.
GOVERNMENT_HEADS = _words(
    """Ministry Ministries Embassy Consulate Cabinet Government Presidency Chancellery Kremlin Secretariat
    Prefecture Governorate Mission"""
)
#: Government bodies named by one proper name (the country they stand for is a registry alias, not code).
GOVERNMENT_NAMES = _words("Kremlin Pentagon Elysee Élysée Zhongnanhai")
GOVERNMENT_PHRASES = frozenset(
    {
        "white house",
        "downing street",
        "foreign office",
        "home office",
        "state department",
        "cabinet office",
        "blue house",
        "quai d'orsay",
        "presidential office",
    }
)
#: The last (or first, before "of") word of an organisation's name.
ORGANISATION_HEADS = _words(
    """Agency Agencies Council Party Corp Corp. Corporation Group Bank Commission Committee University Association
    Union Court Parliament Assembly Office Service Services Institute Foundation Company Co Co. Inc Inc. Ltd Ltd. LLC
    PLC Plc AG GmbH Authority Board Organization Organisation Federation Fund Network Alliance Coalition League
    Bureau Center Centre Survey Legislature Judiciary Airlines Airways Holdings Reserve Exchange Industries Motors
    Systems Technologies Press
    Times Post Television Radio Broadcasting Club Society Academy School College Hospital Clinic Trust Guard Army
    Navy Police Force Forces Nations Cooperative Co-operative Initiative Watch International Partners Capital Senate
    Congress Duma Knesset Bundestag Rada Cross Crescent Tribunal Department Institution Observatory Chamber
    Federation Confederation Syndicate Cartel Trade-union Congregation Church Fleet Command Directorate Unit
    Railways Railway Energy Petroleum Oil Gas Telecom Pharma Pharmaceuticals Media Studios Foods Mining Steel Rail
    Securities Logistics Shipping Library Museum Gallery Theatre Theater Hotel Brewery Farms Markets Trading
    Insurance Ventures Labs Solutions Consulting Resources Investments Works Productions Entertainment
    Communications Electric Power Fisheries Shippers Growers Producers Workers Employers Brothers Associates
    Cooperatives Collective Project Projects Consortium Dal Programme Program Commune Municipality Prosecutors
    Monitor Observers"""
)
#: Heads of a state body wherever they stand ("Coastal Works Department", "Supreme Court", "Geological Survey").
STATE_HEADS = _words("Department Departments Court Courts Legislature Judiciary Survey Agency Authority Guard")
#: Heads of a state body when the name says whose state it is ("National …", "Federal …", a country, a nationality).
STATE_BODY_HEADS = _words(
    """Service Center Centre Commission Council Institute Force Forces Guard Bureau Office Directorate
    Administration Inspectorate Board Police"""
)
STATE_MARKERS = _words("National Federal State Supreme Constitutional Presidential Royal Provincial Municipal Imperial")
#: Words that make a body international or private however it is headed ("International … Agency", "… News Agency").
NOT_STATE = _words(
    """International News Press World Global European Intergovernmental UN U.N. Atomic Private Independent Sport
    Sports Olympic"""
)
#: Words that open the name of a storm ("Hurricane …", "Tropical Storm …"): other.
STORM_WORDS = _words("Hurricane Typhoon Cyclone Storm Tropical Tornado Superstorm Super")
#: The last word of a law, treaty, declaration or event's name ("Clean Rivers Act", "Korean War"): other.
OTHER_HEADS = _words(
    "Act Declaration Treaty Accord Accords Agreement Convention Protocol Charter Amendment Doctrine War Wars Games"
    " Olympics Championship Championships Cup Festival Expo"
)
OTHER_PHRASES = frozenset({"el niño", "la niña", "el nino", "la nina"})
#: The last word of an armed or political group's name.
GROUP_HEADS = _words("Movement Front Brigade Brigades Militia Militias Rebels Insurgents Battalion Regiment Faction")
#: The last word of a place's name, and the first word of one ("Lake Ordin", "Mount Kenya").
PLACE_HEADS = _words(
    """River Lake Sea Ocean Mountains Mountain Island Islands Province Region City Valley Strait Gulf Bay Peninsula
    Desert Street Square Airport Harbour Harbor Canal Coast Basin District County Oblast Krai Plain Plateau Delta
    Falls Forest Park Bridge Dam Border Crossing Heights Hills Strip Creek Reservoir Lagoon Glacier Pass"""
)
PLACE_STARTS = _words("Lake Mount Cape Gulf Bay Sea Port Strait Isle Fort")
#: Lowercase words inside a name ("Ministry of Agriculture and Forestry", "Russian Embassy in Caracas", "bin").
CONNECTORS = _words("of the for and on in de da del della di du van von der den bin ibn al el le la")
#: News agencies: an actor when they act in the text ("told Reuters"), not in the dateline stamp "(Reuters)".
AGENCIES = _words(
    """Reuters AFP AP TASS Xinhua dpa DPA EFE Anadolu Interfax Bloomberg Kyodo Yonhap ANSA PTI Bernama Antara IRNA
    WAFA SANA KCNA Ukrinform BTA MTI PAP CTK ANP NTB Ritzau STT Lusa RIA Novosti Sputnik AA"""
)
#: Words that make a two-word name a place ("Middle East") or, elsewhere, a body rather than a person's name.
COMPASS = _words("North South East West Middle Central Northern Southern Eastern Western Upper Lower Greater Far Near")
REGIONS = _words(
    """America Americas Africa Asia Europe Oceania Arctic Antarctica Caribbean Balkans Baltic Sahel Pacific Atlantic
    Mediterranean Caucasus Levant Maghreb Scandinavia Latin"""
)
NOT_IN_NAMES = _words(
    """National Democratic Republican Socialist Liberal Conservative Popular People Peoples Federal Royal Islamic
    Christian Social United Free New Green Labour Workers Progressive Patriotic Revolutionary Supreme Joint General
    Public International Global World European African Asian Arab American Union Unity Reform Justice Freedom
    Solidarity Renewal Forward Alternative Civic Citizens Independent"""
)
#: Party members and movements named in the plural: groups ("Republicans said …").
GROUP_NAMES = _words(
    """Republicans Democrats Conservatives Socialists Liberals Communists Islamists Separatists Loyalists Nationalists
    Greens Tories Houthis Taliban Maoists Zionists Sunnis Shiites Shias Kurds Alawites Druze Rohingya Uyghurs Uighurs"""
)
#: Capitalised words that begin sentences or headlines but name nothing.
STOPWORDS = _words(
    """The A An And But Or Nor So Yet For If As At By In On Of To With Without From Into Onto Over Under Up Down Out
    Off About Above Across After Against Along Among Around Before Behind Below Beneath Beside Between Beyond During
    Except Inside Near Outside Since Through Throughout Toward Towards Until Unlike Upon Via Within Despite Although
    Though While Whereas Because Unless Whether When Where Which Who Whom Whose Why How What This That These Those It
    Its He She They We I You Me Him Her Them Us My Our Your Their His Hers Ours Theirs There Here Then Now Today
    Tonight Yesterday Tomorrow Also Meanwhile However Moreover Furthermore Nevertheless Still Even Only Just Already
    Earlier Later Last Next Some Many Most More Much Several Few Both Each Every All Any No Not None Other Others
    Another Such One Two Three Four Five Six Seven Eight Nine Ten First Second Third Once Instead Asked According
    Speaking Addressing Citing Separately Elsewhere Overall Officials Analysts Experts Residents Police Critics
    Witnesses Sources Local Authorities Sir Madam People Staff Supporters Opponents Investigators Researchers
    Scientists Doctors Farmers Workers Protesters Lawmakers Troops Soldiers Rescuers Voters Parents Students
    Teachers Economists Traders Diplomats Observers Activists Neighbours Neighbors Locals Shares Prices Talks
    Photo File Update Updated Editing Reporting Writing Additional Breaking
    Exclusive Analysis Factbox Explainer Live Video Watch Read See Note Editor Editors Copyright Please Contact
    Click Share Follow Subscribe Advertisement Related Live Yes Well Oh Thanks Thank Let Let's Don't It's"""
)
MONTHS_AND_DAYS = _words(
    """January February March April May June July August September October November December Jan Feb Mar Apr Jun
    Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday"""
)
#: Lowercase words after which a capitalised word is a place ("in Caracas", "the town of Selvo").
PLACE_PREPOSITIONS = _words("in at near from to across outside inside into toward towards around of")
#: Lowercase role words after which a name is a person's ("spokesman Dmitry Peskov", "its leader, Toma Belic").
ROLE_WORDS = _words(
    """spokesman spokeswoman spokesperson minister president leader lawyer analyst official officer chief head
    director chairman chairwoman ambassador envoy senator lawmaker deputy adviser advisor economist professor
    researcher commander general judge prosecutor mayor governor secretary correspondent editor founder owner
    manager executive negotiator mediator activist expert farmer resident witness colleague counterpart wife
    husband son daughter father mother brother sister premier chancellor king queen pope strategist scientist
    fellow engineer consultant"""
)
_ROLES = "|".join(sorted(ROLE_WORDS))
_NAME_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?")
_ATOM = re.compile(r"[^\W_]+")
#: A role in apposition after a name: "Feld, a lawyer for the cooperative".
_APPOSED_ROLE = re.compile(r"\s*,\s*(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:" + _ROLES + r")\b")
#: The text before a place's name ("in ", "the town of ").
PLACE_BEFORE = re.compile(
    r"\b(?:in|near|outside|(?:town|city|village|region|state|province|county|district|capital) of)\s+(?:the\s+)?$"
)
_PARTICLES = frozenset("de da del della di du van von der den bin ibn al el le la".split())
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,5}s?|(?:[A-Z]\.){2,4}")


def is_title(word: str) -> bool:
    """Whether `word` (as written) can be part of a title before a name."""
    return word in TITLES or is_title_head(word)


def is_title_head(word: str) -> bool:
    """Whether `word` names a role before a name ("Minister", "Secretary-General", "Gen.")."""
    return word in TITLE_HEADS or ("-" in word and any(p.capitalize() in TITLE_HEADS for p in word.split("-")))


def head_type(word: str) -> str:
    """The type a head word gives a name ("Ministry" -> government), or ""."""
    if word in GOVERNMENT_HEADS or word in GOVERNMENT_NAMES:
        return "government"
    if word in GROUP_HEADS:
        return "group"
    if word in ORGANISATION_HEADS:
        return "organisation"
    if word in PLACE_HEADS:
        return "place"
    if word in OTHER_HEADS:
        return "other"
    return ""


def state_body(content: Sequence[str], head: str) -> bool:
    """Whether a body headed by `head` ("Agency", "Council") whose name's words are `content` is the state's own."""
    if any(w in NOT_STATE for w in content):
        return False
    if head in STATE_HEADS:
        return True
    return head in STATE_BODY_HEADS and any(
        w in STATE_MARKERS or demonym_country(w) or country_named(w) for w in content if w != head
    )


def classify(words: Sequence[str]) -> tuple[str, int]:
    """The type of a capitalised name given as its words (connectors included), and where a person's own name
    starts among them (after the title; 0 if there is no title). ("", 0): nothing this module can tell. Cached:
    a story names its actors again and again."""
    return _classify(tuple(words))


@lru_cache(maxsize=1 << 15)
def _classify(words: tuple[str, ...]) -> tuple[str, int]:
    if not words:
        return "", 0
    joined = " ".join(words)
    folded = joined.casefold()
    if country_named(joined):
        return "country", 0
    if city_named(joined):
        return "place", 0
    if folded in GOVERNMENT_PHRASES or (len(words) == 1 and words[0] in GOVERNMENT_NAMES):
        return "government", 0
    if folded in OTHER_PHRASES or (len(words) >= 2 and words[0] in STORM_WORDS and words[-1] not in STORM_WORDS):
        return "other", 0  # "El Niño", "Hurricane Belinda"
    content = [w for w in words if w not in CONNECTORS]
    if not content or all(is_title(w) for w in content):
        return "", 0  # "of the", "Prime Minister": no name
    if words[0] == "Justice" and len(content) >= 3 and not any(head_type(w) or w in NOT_IN_NAMES for w in content[1:]):
        return "person", 1  # a judge: "Justice" is a title here, not a ministry's word
    # a title and a name: "Deputy Agriculture Minister Yelena Orlova", "Kestovan Prime Minister Ivo Maric"
    heads = [i for i, w in enumerate(words) if is_title_head(w)]
    if len(heads) > 1 and heads[-1] == len(words) - 1 and words[-1] in TITLE_SURNAMES and not is_title(words[-2]):
        heads.pop()  # "General Manager Tomas King": a surname, after a given name
    if heads:  # the name: after the last title head, and after "of …" ("Secretary of State Antony Blinken")
        at = heads[-1] + 1
        joins = [i for i in range(at, len(words)) if words[i] in ("of", "for", "the", "and")]
        at = joins[-1] + 1 if joins else at
        while at < len(words) and is_title(words[at]):
            at += 1
        rest = words[at:]
        if rest and rest[0] not in CONNECTORS and not any(head_type(w) for w in rest):
            return "person", at
    # "Ministry of Defence", "University of Kovara", "Gulf of Aden", "Centre for Regional Studies"
    joint = next((i for i in range(1, len(words)) if words[i] in ("of", "for")), 0)
    if joint:
        first = words[joint - 1]
        kind = head_type(first) or ("place" if first in PLACE_STARTS else "")
        if kind and (words[joint] == "of" or kind in ("organisation", "government")):
            own = kind == "organisation" and state_body(words[:joint], first) and not any(w in NOT_STATE for w in words)
            return ("government" if own else kind), 0
    if any(w in ("Embassy", "Consulate") for w in words):
        return "government", 0
    last_word = content[-1]
    if len(content) >= 2 and " ".join(content[-2:]).casefold() in GOVERNMENT_PHRASES:
        return "government", 0
    if kind := head_type(last_word):
        state = len(content) > 1 and (content[-2] in TITLES or demonym_country(content[0]) or country_named(content[0]))
        if kind == "organisation" and last_word in ("Office", "Department", "Service") and state:
            return "government", 0  # "Foreign Office", "State Department", "Russian Security Service"
        if kind == "organisation" and state_body(content, last_word):
            return "government", 0  # "Supreme Court", "National Weather Service", "Geological Survey"
        return kind, 0
    if len(content) >= 2 and content[0] in PLACE_STARTS:
        return "place", 0
    if len(content) >= 2 and any(head_type(w) for w in content[:-1]):
        return "organisation", 0  # "Lisle Valley Shippers", "Kestova Energy Partners"
    if words[0] in AGENCIES or joined in AGENCIES:
        return "organisation", 0
    if len(content) == 1 and _ACRONYM.fullmatch(last_word):
        return "organisation", 0
    if len(content) == 1 and ((is_demonym(last_word) and last_word.endswith("s")) or last_word in GROUP_NAMES):
        return "group", 0  # "Palestinians", "Kurds" as the subject of a sentence
    if len(content) >= 2 and (is_demonym(content[0]) or country_named(content[0])):
        return "organisation", 0  # "Russian Railways", "Kestova Telecom"
    if len(content) >= 2 and any(w in COMPASS or w in REGIONS for w in content) and len(content) <= 3:
        return "place", 0  # "Middle East", "North Africa", "Southern Europe"
    if len(content) >= 2 and any(w in NOT_IN_NAMES for w in content):
        return "organisation", 0  # "National Rally", "Liberal Democrats": no one is called "National"
    if 2 <= len(content) <= 4 and all(w[:1].isupper() for w in content):
        # a person's name has no "of", "and" or "for" in it: "Joint Chiefs of Staff" is a body
        return (
            "person" if len(content) == len(words) or set(words) - set(content) <= _PARTICLES else "organisation"
        ), 0
    return "", 0


def guess_type(name: str, before: str = "", after: str = "") -> str:
    """The type of actor `name` most likely is (one of person, organisation, government, country, place, group),
    from its words and, if given, the text just `before` and `after` it ("spokesman " before: a person; "in "
    before: a place). Never raises; "organisation" when nothing tells."""
    words = _NAME_WORD.findall(name or "")
    while words and words[0].casefold() == "the":
        words = words[1:]
    kind, _ = classify(words)
    if kind:
        return kind
    tail = _ATOM.findall(before[-40:] if before else "")
    previous = tail[-1] if tail else ""
    if previous in TITLES or previous.casefold() in ROLE_WORDS:
        return "person"
    if PLACE_BEFORE.search(before[-40:] if before else ""):
        return "place"
    if len(words) == 1 and demonym_country(words[0]):
        return "group"
    if after and _APPOSED_ROLE.match(after):
        return "person"  # "Feld, a lawyer for the cooperative"
    if len(words) == 1:
        return "organisation"
    return "person" if len(words) >= 2 else "organisation"
