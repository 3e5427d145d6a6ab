"""A registry of 200 realistic entries for ranking and lookup tests: countries, governments and ministries
(several per country), organisations, and people, many of them sharing a surname or a first name."""

from __future__ import annotations

from annotations.actors import Actor

COUNTRIES = """Russia; Venezuela; United States | US, USA, United States of America; China; Turkey | Türkiye;
United Kingdom | UK, Britain; France; Germany; Ukraine; Belarus; Poland; Colombia; Brazil; Argentina; Chile;
Peru; Ecuador; Bolivia; Cuba; Mexico; Canada; Japan; South Korea | Republic of Korea; North Korea | DPRK; India;
Pakistan; Iran; Iraq; Syria; Israel; Egypt; Saudi Arabia; United Arab Emirates | UAE; Qatar; Nigeria; Niger;
South Africa; Kenya; Ethiopia; Sudan; South Sudan; Australia; New Zealand; Indonesia; Malaysia; Kazakhstan;
Georgia; Italy; Spain; Portugal; Norway"""

GOVERNMENTS = """Russian government; Venezuela's government; Venezuelan government; US government | Washington;
Chinese government | Beijing; Turkish government | Ankara; British government | Whitehall; Kremlin;
White House; Elysee Palace; Russian Foreign Ministry | MFA Russia; Russian Defence Ministry;
Russian Embassy in Washington; Russian Embassy in London; Venezuelan Foreign Ministry;
Venezuelan Defence Ministry; US State Department | State Department; US Department of Defense | Pentagon;
US Treasury; Chinese Foreign Ministry; Chinese Ministry of Commerce | MOFCOM; Turkish Foreign Ministry;
Turkish Defence Ministry; Turkish Ministry of Trade; British Foreign Office | Foreign Office, FCDO;
Ministry of Defence | MoD; Home Office; German Foreign Office | Auswärtiges Amt; Bundestag; French Foreign Ministry
| Quai d'Orsay; Ukrainian Foreign Ministry; Ukrainian Defence Ministry; Colombian Foreign Ministry;
Brazilian Foreign Ministry | Itamaraty; Japanese Foreign Ministry; Indian Ministry of External Affairs | MEA;
Iranian Foreign Ministry; Israeli Prime Minister's Office; Egyptian Foreign Ministry; Saudi Foreign Ministry;
Kazakh Foreign Ministry; Norwegian Ministry of Fisheries; National Assembly of Venezuela | National Assembly;
Federation Council | Russian Senate; State Duma | Duma; European Commission; European Parliament;
Council of the European Union; Polish Foreign Ministry; Greek Foreign Ministry"""

ORGANISATIONS = """United Nations | UN; UN Security Council | UNSC; NATO; World Health Organization | WHO;
International Monetary Fund | IMF; World Bank; OPEC; African Union | AU; Organization of American States | OAS;
Red Cross | ICRC; Amnesty International; Human Rights Watch | HRW; Gazprom; Rosneft; PDVSA; Anadolu Agency | AA;
Reuters; TASS; Xinhua; Interfax; Fernside Port Authority | port authority; Harbour Board of Nordvik;
Nordvik Ferry Union | ferry union; Transport Workers Union; Venezuelan opposition; Hamas; Hezbollah;
Wagner Group | Wagner; Central Bank of Russia | Bank of Russia; European Central Bank | ECB"""

PEOPLE = """Vladimir Putin; Sergei Lavrov; Maria Zakharova; Dmitry Peskov; Konstantin Kosachev; Valentina Matviyenko;
Nicolás Maduro | Nicolas Maduro Moros; Delcy Rodríguez; Jorge Rodríguez; Diosdado Cabello; Yván Gil;
Juan Guaidó; María Corina Machado; Edmundo González; Donald Trump; Joe Biden; Marco Rubio; Antony Blinken;
Xi Jinping; Wang Yi; Mao Ning; Recep Tayyip Erdoğan | Erdogan; Hakan Fidan; Keir Starmer; David Lammy;
Boris Johnson; Mike Johnson; Lyndon Johnson; Emmanuel Macron; Olaf Scholz; Friedrich Merz;
Volodymyr Zelenskyy | Zelensky; Dmytro Kuleba; Andrii Sybiha; Gustavo Petro; Luis Gilberto Murillo;
Luiz Inácio Lula da Silva | Lula; Javier Milei; Narendra Modi; Subrahmanyam Jaishankar; Kim Jong Un;
Kim Yo Jong; Kim Dae-jung; Yoon Suk Yeol; Fumio Kishida; Benjamin Netanyahu; Abbas Araghchi;
Antonio Guterres; Ursula von der Leyen; Kaja Kallas; Jens Stoltenberg; Mark Rutte; Ingrid Solberg;
Erna Solberg; Karl Ek; Karl Marx; Ellen Voss; Anna Voss; Tomas Brek; Lena Holt; Ada Quist; Ines Okafor;
Mohammed bin Salman | MBS; Abdel Fattah el-Sisi | Sisi; Kassym-Jomart Tokayev; Alexander Lukashenko;
Ilham Aliyev; Nikol Pashinyan; Maia Sandu"""


def _entries(block: str, type_: str) -> list[Actor]:
    out = []
    for item in block.replace("\n", " ").split(";"):
        name, _, aliases = item.partition("|")
        out.append(Actor.new(name.strip(), type_, aliases=tuple(a.strip() for a in aliases.split(",") if a.strip())))
    return out


def registry() -> list[Actor]:
    """The 200 entries, freshly made (new ids each call)."""
    return [
        *_entries(COUNTRIES, "country"),
        *_entries(GOVERNMENTS, "government"),
        *_entries(ORGANISATIONS, "organisation"),
        *_entries(PEOPLE, "person"),
    ]
