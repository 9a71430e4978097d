"""Who a noun phrase stands for: the country actor of a token, from the gazetteer, the phrase and the article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.entities import catalog, country_names
from analysis.lexicon import load_yaml


@dataclass(frozen=True)
class ActorWords:
    """The word lists of positions.yaml that say who acts for a country."""

    actor_nouns: frozenset[str]  # heads that act for the country that modifies them ("the Polish government")
    person_titles: frozenset[str]  # of those, the ones a single person holds ("the minister", "President X")
    definites: frozenset[str]  # "the country", "the government": the latest actor of the paragraph
    organisations: dict[str, str]  # gazetteer id -> actor code of an organisation acting on its own (EU, NATO, UN)
    organisation_names: dict[str, str]  # actor code -> name
    first_person: frozenset[str]
    third_person: dict[str, str]  # pronoun -> kind of antecedent ("person" or "state")
    group_pronouns: frozenset[str]  # "they", "their": the latest group of actors
    plural_definites: frozenset[str]
    relational: frozenset[str]  # "allies", "counterpart": others named by their tie to the country modifying them
    region_words: frozenset[str]  # "South" in "South American": the demonym names a region
    country_groups: frozenset[str] = frozenset()  # gazetteer ids of groups of countries ("the G7"), not actors
    definite_determiners: frozenset[str] = frozenset({"the"})  # "the ministers", "these countries", "both sides"
    collective_nouns: frozenset[str] = frozenset()  # "this group of countries": the latest group of actors
    guest_nouns: frozenset[str] = frozenset()  # "her counterparts", "each Ally": a readout's other parties


@lru_cache(maxsize=1)
def words() -> ActorWords:
    """positions.yaml's actor word lists."""
    data = load_yaml("positions.yaml")["actors"]
    organisations = {entity: entry["code"] for entry in data["organisations"] for entity in entry["entities"]}
    return ActorWords(
        actor_nouns=frozenset(data["nouns"]) | frozenset(data["person_titles"]),
        person_titles=frozenset(data["person_titles"]), definites=frozenset(data["definites"]),
        organisations=organisations,
        organisation_names={entry["code"]: entry["name"] for entry in data["organisations"]},
        first_person=frozenset(data["first_person"]), third_person=dict(data["third_person"]),
        group_pronouns=frozenset(data["group_pronouns"]), plural_definites=frozenset(data["plural_definites"]),
        relational=frozenset(data["relational"]), region_words=frozenset(data["region_words"]),
        country_groups=frozenset(data.get("country_groups", ())),
        definite_determiners=frozenset(data["definite_determiners"]),
        collective_nouns=frozenset(data["collective_nouns"]), guest_nouns=frozenset(data["guest_nouns"]),
    )


def actor_name(code: str) -> str:
    """A country's or acting organisation's name from its code."""
    return country_names().get(code) or words().organisation_names.get(code) or code


def actor_codes() -> dict[str, str]:
    """Every actor code with its name: countries and the organisations acting on their own."""
    return {**country_names(), **words().organisation_names}


@dataclass(frozen=True)
class EntityActor:
    code: str
    kind: str  # the gazetteer kind: country, capital, seat, person, organisation, demonym


def entity_actors(doc) -> dict[int, EntityActor]:
    """Token index -> the actor of every gazetteer entity token that stands for a country or acting organisation."""
    known, orgs = catalog(), words().organisations
    found: dict[int, EntityActor] = {}
    for ent in doc.ents:
        info = known.get(ent.ent_id_)
        if not info:
            continue
        code = orgs.get(ent.ent_id_) or info.get("iso3")
        if not code or (info["kind"] == "place"):
            continue
        if info["kind"] == "demonym" and ent.start > 0 and doc[ent.start - 1].lower_ in words().region_words:
            continue  # "the South American group Mercosur" is not American
        for token in ent:
            found[token.i] = EntityActor(code, info["kind"])
    return found


@dataclass
class Mention:
    """An actor named in an article: where, and whether it is a person or a state."""

    sentence: int
    position: int
    code: str | None  # None: a person whose country the article does not say
    kind: str  # "person", "state" or "demonym"
    end: int = -1  # where the mention ends in its sentence, when known


@dataclass
class ArticleContext:
    """What an article says about who is who: people linked to their country, and the actors of each paragraph."""

    people: dict[str, str] = field(default_factory=dict)  # a person's name or surname -> actor code
    mentions: dict[int, list[Mention]] = field(default_factory=dict)  # sentence index -> actors named in it
    paragraph: dict[int, int] = field(default_factory=dict)  # sentence index -> paragraph number
    author: str | None = None  # the actor that publishes the article (a government's own statement), if any
    group: tuple[str, ...] = ()  # the latest several actors that held one stance together ("we" of a joint text)
    participants: tuple[str, ...] = ()  # a government text's parties named in its lead (a call's, a meeting's)
    joint: bool = False  # the text is a joint statement of its participants: its "we" is all of them
    titles: dict[str, str] = field(default_factory=dict)  # an office the article gives a country -> its code
    unlisted_voice: bool = False  # the text speaks as a group it names by its label only ("we, the G7"): no one's

    def previous(self, sentence: int, kind: str) -> str | None:
        """The actor an anaphor of this kind points to: the first such actor of the nearest earlier sentence of the
        paragraph that names one (the subject comes first in English), or None when that one is unknown."""
        paragraph = self.paragraph.get(sentence)
        for index in range(sentence - 1, -1, -1):
            if self.paragraph.get(index) != paragraph:
                return None
            named = [m for m in self.mentions.get(index, []) if m.kind == kind]
            if named:
                return named[0].code
        return None


@lru_cache(maxsize=4)
def surface_forms(kinds: frozenset[str]) -> dict[str, str]:
    """Every written form of a gazetteer entity of these kinds that stands for a country -> its ISO3 code; with
    "organisation" among the kinds, the organisations acting on their own -> their actor code."""
    from analysis.nlp import entity_patterns

    known, orgs = catalog(), words().organisations
    found = {}
    for pattern in entity_patterns():
        info = known.get(pattern["id"])
        if not info or info["kind"] not in kinds or not isinstance(pattern["pattern"], str):
            continue
        code = orgs.get(pattern["id"]) if info["kind"] == "organisation" else info.get("iso3")
        if code:
            found[pattern["pattern"]] = code
    return found


def _origins() -> dict[str, str]:
    """Every written form of a country or demonym -> the country's ISO3 code."""
    return surface_forms(frozenset({"country", "demonym"}))


@lru_cache(maxsize=1)
def _person_patterns() -> tuple[re.Pattern, ...]:
    """'Belarusian President Alexander Lukashenko', "Hungary's foreign minister Péter Szijjártó",
    'Alexander Lukashenko, the Belarusian president', 'President Herzog of Israel'."""
    origin = "|".join(re.escape(n) for n in sorted(_origins(), key=len, reverse=True) if len(n) > 2 or n.isupper())
    titles = _titles_alternation()
    rank = r"(?:(?:deputy|vice|foreign|defen[cs]e|prime|first|senior|acting|chief|interior|finance)[ -])*"
    # "Minister for Europe and Foreign Affairs", "Secretary of State": an office's name may run on after the title.
    title = rf"(?P<title>(?i:{rank}(?:{titles}))(?: (?:of|for|and) (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)?){{0,3}})"
    name = r"(?P<name>(?:[A-Z][\w'’-]*\.? ){0,3}[A-Z][\w'’-]+)"
    return (
        re.compile(rf"\b(?P<origin>{origin})(?:'s|’s)?(?: \([A-Z.]+\))? {title} {name}"),
        re.compile(rf"{name}, (?:the |a |an )?(?:[a-z]+ )?(?P<origin>{origin}) {title}\b"),
        re.compile(rf"\b{title} {name} of (?:the )?(?P<origin>{origin})\b"),
    )


@dataclass(frozen=True)
class Links:
    """What an article's person patterns link to one country: people (full name and surname) and offices."""

    people: dict[str, str]  # a person's name or surname -> actor code
    titles: dict[str, str]  # an office, lower-case ("foreign minister") -> actor code


@lru_cache(maxsize=1)
def _titles_alternation() -> str:
    """The person titles as one regular-expression alternation, longest first."""
    return "|".join(re.escape(t) for t in sorted(words().person_titles, key=len, reverse=True))


@lru_cache(maxsize=1)
def _title_word() -> re.Pattern:
    """Any person title: every person pattern needs one, so a sentence without one is not matched at all."""
    return re.compile(rf"(?i:\b(?:{_titles_alternation()}))")


def links_in(texts: list[str]) -> Links:
    """People and offices the texts link to one country ("Belarusian President Alexander Lukashenko"); a name or
    office two countries share is dropped."""
    origins, title_word = _origins(), _title_word()
    people: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    for text in texts:
        if not title_word.search(text):
            continue
        for pattern in _person_patterns():
            for match in pattern.finditer(text):
                code = origins.get(match.group("origin"))
                if not code:
                    continue
                name = match.group("name").strip()
                for key in (name, name.split()[-1]):
                    people.setdefault(key, set()).add(code)
                titles.setdefault(match.group("title").strip().lower(), set()).add(code)
    return Links(*({key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}
                   for found in (people, titles)))


def people_in(texts: list[str]) -> dict[str, str]:
    """People the texts link to a country, by full name and by surname (a name two countries share is dropped)."""
    return links_in(texts).people
