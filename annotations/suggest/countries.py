"""Countries and demonyms as data: every name pycountry knows for a country (name, common and official names, the
short form of "Venezuela, Bolivarian Republic of"), the names newsrooms use that it lacks, and a small demonym
table ("Russian" -> Russia). A demonym alone is never an actor mention; it marks its country's bodies ("Russian
Foreign Ministry")."""

from __future__ import annotations

from functools import cache, lru_cache

from annotations.actors import fold_name as _fold_name

#: Folding is asked for the same few hundred words again and again: kept.
fold_name = lru_cache(maxsize=1 << 14)(_fold_name)

__all__ = ["city_named", "country_named", "country_names", "demonym_country", "is_demonym", "place_named"]

#: Names wire copy uses that pycountry does not give (or gives only in a long form), by alpha-2 code. The first
#: is the name a new entry gets.
NEWSROOM_NAMES: dict[str, tuple[str, ...]] = {
    "RU": ("Russia",),
    "US": ("United States", "U.S.", "US", "USA", "U.S.A.", "America"),
    "GB": ("Britain", "United Kingdom", "UK", "U.K.", "Great Britain"),
    "TR": ("Turkey", "Türkiye"),
    "CZ": ("Czech Republic", "Czechia"),
    "CD": ("Democratic Republic of Congo", "Democratic Republic of the Congo", "DR Congo", "DRC"),
    "CG": ("Republic of Congo", "Congo-Brazzaville"),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "CV": ("Cape Verde",),
    "MM": ("Myanmar", "Burma"),
    "PS": ("Palestine", "Palestinian territories"),
    "VA": ("Vatican", "Holy See"),
    "BN": ("Brunei",),
    "SZ": ("Eswatini", "Swaziland"),
    "MK": ("North Macedonia",),
    "AE": ("United Arab Emirates", "UAE"),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "TL": ("East Timor", "Timor-Leste"),
    "FM": ("Micronesia",),
}

#: Demonym adjectives and plurals, by alpha-2 code (wire usage; not complete, but data: add a line).
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AF": ("Afghan", "Afghans"),
    "AM": ("Armenian", "Armenians"),
    "AR": ("Argentine", "Argentinian", "Argentines"),
    "AU": ("Australian", "Australians"),
    "AT": ("Austrian", "Austrians"),
    "AZ": ("Azerbaijani", "Azeri", "Azerbaijanis"),
    "BY": ("Belarusian", "Belarusians"),
    "BE": ("Belgian", "Belgians"),
    "BR": ("Brazilian", "Brazilians"),
    "BG": ("Bulgarian", "Bulgarians"),
    "CA": ("Canadian", "Canadians"),
    "CL": ("Chilean", "Chileans"),
    "CN": ("Chinese",),
    "CO": ("Colombian", "Colombians"),
    "CU": ("Cuban", "Cubans"),
    "CZ": ("Czech", "Czechs"),
    "DK": ("Danish", "Danes"),
    "EG": ("Egyptian", "Egyptians"),
    "EE": ("Estonian", "Estonians"),
    "ET": ("Ethiopian", "Ethiopians"),
    "FI": ("Finnish", "Finns"),
    "FR": ("French",),
    "GE": ("Georgian", "Georgians"),
    "DE": ("German", "Germans"),
    "GB": ("British", "Briton", "Britons", "English", "Scottish", "Welsh"),
    "GR": ("Greek", "Greeks"),
    "HU": ("Hungarian", "Hungarians"),
    "IN": ("Indian", "Indians"),
    "ID": ("Indonesian", "Indonesians"),
    "IR": ("Iranian", "Iranians"),
    "IQ": ("Iraqi", "Iraqis"),
    "IE": ("Irish",),
    "IL": ("Israeli", "Israelis"),
    "IT": ("Italian", "Italians"),
    "JP": ("Japanese",),
    "JO": ("Jordanian", "Jordanians"),
    "KZ": ("Kazakh", "Kazakhstani", "Kazakhs"),
    "KE": ("Kenyan", "Kenyans"),
    "KP": ("North Korean", "North Koreans"),
    "KR": ("South Korean", "South Koreans"),
    "LV": ("Latvian", "Latvians"),
    "LB": ("Lebanese",),
    "LY": ("Libyan", "Libyans"),
    "LT": ("Lithuanian", "Lithuanians"),
    "MX": ("Mexican", "Mexicans"),
    "MD": ("Moldovan", "Moldovans"),
    "NL": ("Dutch",),
    "NG": ("Nigerian", "Nigerians"),
    "NO": ("Norwegian", "Norwegians"),
    "PK": ("Pakistani", "Pakistanis"),
    "PS": ("Palestinian", "Palestinians"),
    "PE": ("Peruvian", "Peruvians"),
    "PH": ("Philippine", "Filipino", "Filipinos"),
    "PL": ("Polish", "Poles"),
    "PT": ("Portuguese",),
    "QA": ("Qatari", "Qataris"),
    "RO": ("Romanian", "Romanians"),
    "RU": ("Russian", "Russians"),
    "SA": ("Saudi", "Saudis"),
    "RS": ("Serbian", "Serb", "Serbs"),
    "SK": ("Slovak", "Slovaks"),
    "SI": ("Slovenian", "Slovene", "Slovenians"),
    "ZA": ("South African", "South Africans"),
    "ES": ("Spanish", "Spaniards"),
    "SD": ("Sudanese",),
    "SE": ("Swedish", "Swedes"),
    "CH": ("Swiss",),
    "SY": ("Syrian", "Syrians"),
    "TW": ("Taiwanese",),
    "TH": ("Thai",),
    "TR": ("Turkish", "Turks"),
    "UA": ("Ukrainian", "Ukrainians"),
    "AE": ("Emirati", "Emiratis"),
    "US": ("American", "Americans"),
    "VE": ("Venezuelan", "Venezuelans"),
    "VN": ("Vietnamese",),
    "YE": ("Yemeni", "Yemenis"),
    "MY": ("Malaysian", "Malaysians"),
    "SG": ("Singaporean", "Singaporeans"),
    "BD": ("Bangladeshi", "Bangladeshis"),
    "LK": ("Sri Lankan", "Sri Lankans"),
    "NP": ("Nepali", "Nepalese", "Nepalis"),
    "MN": ("Mongolian", "Mongolians"),
    "UZ": ("Uzbek", "Uzbeks"),
    "KG": ("Kyrgyz",),
    "TJ": ("Tajik", "Tajiks"),
    "TM": ("Turkmen",),
    "DZ": ("Algerian", "Algerians"),
    "MA": ("Moroccan", "Moroccans"),
    "TN": ("Tunisian", "Tunisians"),
    "GH": ("Ghanaian", "Ghanaians"),
    "SN": ("Senegalese",),
    "CI": ("Ivorian", "Ivorians"),
    "CM": ("Cameroonian", "Cameroonians"),
    "AO": ("Angolan", "Angolans"),
    "ZM": ("Zambian", "Zambians"),
    "ZW": ("Zimbabwean", "Zimbabweans"),
    "MZ": ("Mozambican", "Mozambicans"),
    "TZ": ("Tanzanian", "Tanzanians"),
    "UG": ("Ugandan", "Ugandans"),
    "RW": ("Rwandan", "Rwandans"),
    "SO": ("Somali", "Somalis"),
    "ER": ("Eritrean", "Eritreans"),
    "ML": ("Malian", "Malians"),
    "TD": ("Chadian", "Chadians"),
    "BO": ("Bolivian", "Bolivians"),
    "EC": ("Ecuadorian", "Ecuadorians"),
    "PY": ("Paraguayan", "Paraguayans"),
    "UY": ("Uruguayan", "Uruguayans"),
    "GT": ("Guatemalan", "Guatemalans"),
    "HN": ("Honduran", "Hondurans"),
    "SV": ("Salvadoran", "Salvadorans"),
    "NI": ("Nicaraguan", "Nicaraguans"),
    "PA": ("Panamanian", "Panamanians"),
    "HT": ("Haitian", "Haitians"),
    "JM": ("Jamaican", "Jamaicans"),
    "IS": ("Icelandic", "Icelanders"),
    "HR": ("Croatian", "Croat", "Croats"),
    "BA": ("Bosnian", "Bosnians"),
    "AL": ("Albanian", "Albanians"),
    "CY": ("Cypriot", "Cypriots"),
    "MT": ("Maltese",),
    "KW": ("Kuwaiti", "Kuwaitis"),
    "BH": ("Bahraini", "Bahrainis"),
    "OM": ("Omani", "Omanis"),
    "KH": ("Cambodian", "Cambodians"),
    "LA": ("Laotian", "Lao"),
    "NZ": ("New Zealander", "New Zealanders"),
}


def _short(name: str) -> str:
    """ "Venezuela, Bolivarian Republic of" -> "Venezuela"; other names as they are."""
    return name.split(",")[0].strip() if "," in name else name


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(folded country name -> the name a new entry gets, folded demonym -> that name)."""
    import pycountry

    names: dict[str, str] = {}
    display: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        common = getattr(country, "common_name", None)
        extra = NEWSROOM_NAMES.get(code, ())
        shown = extra[0] if extra else common or _short(country.name)
        display[code] = shown
        official = getattr(country, "official_name", None)
        for name in (*extra, common, country.name, _short(country.name), official):
            if name:
                names.setdefault(fold_name(name), shown)
                if fold_name(name).startswith("the "):
                    names.setdefault(fold_name(name)[4:], shown)
    demonyms = {fold_name(d): display[code] for code, words in DEMONYMS.items() if code in display for d in words}
    for demonym in demonyms:  # "Georgian", "Jordanian": a demonym is never read as a country name
        names.pop(demonym, None)
    return names, demonyms


def country_named(name: str) -> str | None:
    """The country `name` names ("the Russian Federation", "Russia", "Syria"), as a new entry would call it."""
    folded = fold_name(name)
    return _tables()[0].get(folded[4:] if folded.startswith("the ") else folded)


def demonym_country(word: str) -> str | None:
    """The country a demonym belongs to ("Russian" -> "Russia"), or None."""
    return _tables()[1].get(fold_name(word))


def is_demonym(word: str) -> bool:
    """Whether `word` is a known demonym ("Russian", "Britons")."""
    return fold_name(word) in _tables()[1]


def country_names() -> dict[str, str]:
    """Every folded country name -> the name a new entry gets (for the matcher)."""
    return _tables()[0]


#: Subdivision types whose names wire copy uses as places (not districts, boroughs or counties: too many, and too
#: often common words, "Brent").
_REGION_TYPES = frozenset(
    {
        "State",
        "Province",
        "Region",
        "Land",
        "Oblast",
        "Republic",
        "Governorate",
        "Prefecture",
        "Emirate",
        "Canton",
        "Territory",
        "Krai",
        "Autonomous region",
        "Autonomous republic",
        "Federal district",
        "Autonomous province",
        "Autonomous community",
        "Union territory",
        "Autonomous territory",
        "Special administrative region",
        "Geographical region",
        "Administrative region",
    }
)


@cache
def _places() -> frozenset[str]:
    """Folded one-word names of countries' subdivisions (states, provinces, regions) that are not English words."""
    import pycountry

    common = set(
        "centre center central north south east west capital island islands western eastern northern southern "
        "coast lakes upper lower national".split()
    )
    out = set()
    for sub in pycountry.subdivisions:
        if sub.type not in _REGION_TYPES:
            continue  # districts, boroughs and counties are too many and too often common words ("Brent")
        name = fold_name(sub.name)
        if " " not in name and len(name) >= 4 and name not in common:
            out.add(name)
    return frozenset(out)


def place_named(word: str) -> bool:
    """Whether `word` is the one-word name of a country's subdivision ("Bavaria", "Crimea")."""
    return fold_name(word) in _places()


#: Capitals and cities that wire copy names without saying what they are ("Moscow said", "talks in Doha").
CITIES = frozenset(
    fold_name(c)
    for c in """Abu Dhabi|Abuja|Accra|Addis Ababa|Algiers|Almaty|Amman|Amsterdam|Ankara|Antananarivo|Astana|Asuncion|
    Athens|Baghdad|Baku|Bamako|Bangkok|Bangui|Beijing|Beirut|Belgrade|Berlin|Bern|Bishkek|Bogota|Brasilia|
    Bratislava|Brussels|Bucharest|Budapest|Buenos Aires|Cairo|Canberra|Caracas|Chisinau|Colombo|Conakry|
    Copenhagen|Dakar|Damascus|Dhaka|Doha|Dublin|Dushanbe|Freetown|Gaborone|Georgetown|Guatemala City|Hanoi|Harare|
    Havana|Helsinki|Islamabad|Jakarta|Jerusalem|Juba|Kabul|Kampala|Kathmandu|Khartoum|Kigali|Kinshasa|Kyiv|Kiev|
    La Paz|Lagos|Libreville|Lima|Lisbon|Ljubljana|London|Luanda|Lusaka|Luxembourg|Madrid|Malabo|Managua|Manama|
    Manila|Maputo|Mexico City|Minsk|Mogadishu|Monrovia|Montevideo|Moscow|Muscat|Nairobi|Naypyitaw|New Delhi|
    Niamey|Nicosia|Nouakchott|Oslo|Ottawa|Ouagadougou|Panama City|Paris|Phnom Penh|Podgorica|Port-au-Prince|
    Prague|Pretoria|Pristina|Pyongyang|Quito|Rabat|Reykjavik|Riga|Riyadh|Rome|San Jose|San Salvador|Sanaa|
    Santiago|Santo Domingo|Sarajevo|Seoul|Singapore|Skopje|Sofia|Stockholm|Sucre|Taipei|Tallinn|Tashkent|Tbilisi|
    Tegucigalpa|Tehran|Tel Aviv|Tirana|Tokyo|Tripoli|Tunis|Ulaanbaatar|Vienna|Vientiane|Vilnius|Warsaw|
    Washington|Wellington|Windhoek|Yaounde|Yerevan|Zagreb|Istanbul|Shanghai|Hong Kong|Mumbai|Karachi|Lahore|
    Dubai|Jeddah|Geneva|Frankfurt|Munich|Hamburg|Milan|Barcelona|Marseille|Lyon|St Petersburg|Saint Petersburg|
    New York|Los Angeles|Chicago|Houston|San Francisco|Toronto|Montreal|Vancouver|Sydney|Melbourne|Osaka|
    Sao Paulo|Rio de Janeiro|Johannesburg|Cape Town|Casablanca|Alexandria|Aleppo|Mosul|Basra|Gaza|Ramallah|
    Kharkiv|Odesa|Odessa|Donetsk|Luhansk|Kherson|Mariupol|Sevastopol|Goma|Mombasa|Kandahar|Herat|Benghazi|
    Brussels|Strasbourg|The Hague|Davos|Kaliningrad|Vladivostok|Novosibirsk|Chongqing|Shenzhen|Guangzhou|Wuhan|
    Kolkata|Chennai|Bangalore|Bengaluru|Hyderabad|Ho Chi Minh City|Davao|Cebu|Surabaya|Medan""".split("|")
)


def city_named(name: str) -> bool:
    """Whether `name` is a capital or a city wire copy names often ("Moscow", "New Delhi")."""
    return fold_name(name) in CITIES
