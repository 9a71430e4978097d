"""Generate the EntityRuler patterns, the entity catalog and the world map from countryinfo plus data/gazetteer.yaml.

Run `python -m analysis.gazetteer` after editing gazetteer.yaml; the outputs are committed data files,
so the analysis itself never needs countryinfo at run time.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analysis.lexicon import load_yaml

DATA = Path(__file__).parent / "data"
PATTERNS_FILE = DATA / "entity_patterns.jsonl"
CATALOG_FILE = DATA / "entity_catalog.json"
WORLD_FILE = DATA / "world.geojson"
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F0-9 .'’\-&()]+$")


def slug(text: str) -> str:
    """A stable lower-case id fragment for text ('Élysée Palace' -> 'elysee-palace')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _usable_alias(alias: str, curated: set[str]) -> bool:
    if alias in curated:
        return True
    return (
        len(alias) > 3
        and bool(_LATIN.match(alias))
        and not alias.lower().startswith("the ")
        and "," not in alias
        and not alias.isupper()
    )


@dataclass
class _Gazetteer:
    """The catalogue being generated, and which entity each (label, surface) names so far."""

    catalog: dict[str, dict] = field(default_factory=dict)
    claims: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (label, surface) -> (population, id)

    def claim(self, label: str, surface: str, entity_id: str, population: int) -> None:
        """Let entity_id name surface (as label), unless a more populous entity already does."""
        surface = surface.strip()
        if not surface:
            return
        # "Côte d'Ivoire" is as often typeset "Côte d’Ivoire": both spellings name it
        for written in dict.fromkeys([surface, surface.replace("'", "’"), surface.replace("’", "'")]):
            key = (label, written)
            # A surface shared by two entities (a demonym of two countries) goes to the more populous one.
            if key not in self.claims or population > self.claims[key][0]:
                self.claims[key] = (population, entity_id)

    def patterns(self) -> list[dict]:
        """One EntityRuler pattern per claimed surface, in a stable order."""
        found = [{"label": label, "pattern": surface, "id": entity_id}
                 for (label, surface), (_, entity_id) in self.claims.items()]
        return sorted(found, key=lambda p: (p["id"], p["label"], p["pattern"]))


# Curated entries always win over dataset spellings: they claim their surfaces with this population.
_CURATED = 10**12


def generate(curated: dict, countries: dict) -> tuple[list[dict], dict[str, dict]]:
    """Patterns (label, pattern, id) and catalog (id -> name, label, iso3, kind, role) from the two sources."""
    built = _Gazetteer()
    extra = curated.get("countries", {})
    stop_capitals = set(curated.get("capital_stoplist", []))
    seen: set[str] = set()
    # Most populous first: where the dataset lists a part under its state's code (Wales as GBR), the state wins.
    for data in sorted(countries.values(), key=lambda d: -int(d.get("population") or 0)):
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if not iso3 or not data.get("name") or iso3 in seen:
            continue
        seen.add(iso3)
        _add_country(built, iso3, data, extra.get(iso3, {}), stop_capitals)
    for iso3, more in extra.items():  # a country the dataset lacks (Kosovo): curated in full
        if iso3 not in seen and more.get("name"):
            _add_country(built, iso3, {"name": more["name"], "population": more.get("population", 0)}, more,
                         stop_capitals)
    _add_curated_entities(built, curated)
    _add_people(built, curated)
    return built.patterns(), dict(sorted(built.catalog.items()))


def _add_country(built: _Gazetteer, iso3: str, data: dict, more: dict, stop_capitals: set[str]) -> None:
    """One country of the dataset: its names, its demonyms and its capitals, with the curated additions (more)."""
    population = int(data.get("population") or 0)
    name = more.get("name") or data["name"]  # the curated name where the dataset's is outdated
    built.catalog[iso3] = {"name": name, "label": "GPE", "iso3": iso3, "kind": "country"}
    curated_aliases = set(more.get("aliases", []))
    for alias in [name, data["name"], *data.get("altSpellings", []), *curated_aliases]:
        if _usable_alias(alias, curated_aliases | {name}):
            built.claim("GPE", alias, iso3, population)
    demonyms = [d for d in [data.get("demonym"), *more.get("demonyms", [])] if d]
    if demonyms:
        norp_id = f"norp:{iso3.lower()}"
        built.catalog.setdefault(norp_id, {"name": demonyms[0], "label": "NORP", "iso3": iso3, "kind": "demonym"})
        for demonym in demonyms:
            built.claim("NORP", demonym, norp_id, population)
    listed = data.get("capital")
    listed = more.get("capital") or (listed[0] if isinstance(listed, list) and listed else listed)
    for capital in [listed, *more.get("capitals", [])]:
        if capital and capital not in stop_capitals:
            main_capital = listed if listed and listed not in stop_capitals else capital
            place_id = f"place:{slug(main_capital)}"
            built.catalog.setdefault(place_id, {"name": main_capital, "label": "GPE", "iso3": iso3, "kind": "capital"})
            built.claim("GPE", capital, place_id, population)


def _add_curated_entities(built: _Gazetteer, curated: dict) -> None:
    """The curated places, seats of government and organisations, with their aliases."""
    for kind, key in (("place", "places"), ("seat", "seats"), ("organisation", "organisations")):
        for entry in curated.get(key, []):
            entity_id = f"{kind if kind != 'organisation' else 'org'}:{slug(entry['name'])}"
            # A place that is not a seat of government (a venue, a port city) is not its country acting.
            acts_for = entry.get("iso3") if entry.get("metonym", True) else None
            built.catalog[entity_id] = {"name": entry["name"], "label": entry["label"], "iso3": acts_for, "kind": kind}
            if entry.get("iso3") and acts_for is None:
                built.catalog[entity_id]["located_in"] = entry["iso3"]
            for surface in [entry["name"], *entry.get("aliases", [])]:
                built.claim(entry["label"], surface, entity_id, _CURATED)


def _add_people(built: _Gazetteer, curated: dict) -> None:
    """The curated people, named in full, by their aliases and (unless told otherwise) by surname alone."""
    for entry in curated.get("people", []):
        entity_id = f"person:{slug(entry['name'])}"
        built.catalog[entity_id] = {
            "name": entry["name"], "label": "PERSON", "iso3": entry.get("iso3"), "kind": "person",
            "role": entry.get("role"),
        }
        surfaces = [entry["name"], *entry.get("aliases", [])]
        if entry.get("surname", True):
            surfaces.append(entry["name"].split()[-1])
        for surface in surfaces:
            built.claim("PERSON", surface, entity_id, _CURATED)


def load_curated() -> dict:
    """The curated entries of analysis/data/gazetteer.yaml."""
    return load_yaml("gazetteer.yaml")


def render(patterns: list[dict], catalog: dict[str, dict]) -> tuple[str, str]:
    """The two data files' exact text."""
    jsonl = "".join(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n" for p in patterns)
    return jsonl, json.dumps(catalog, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _rounded(coordinates, digits: int):
    if isinstance(coordinates, (int, float)):
        return round(coordinates, digits)
    return [_rounded(c, digits) for c in coordinates]


def world_geojson(countries: dict, *, digits: int = 2) -> str:
    """Country outlines keyed by ISO3 (0.01 degree precision is plenty for a choropleth), as GeoJSON text."""
    features = {}
    for data in countries.values():
        iso3 = (data.get("ISO") or {}).get("alpha3")
        geo = data.get("geoJSON") or {}
        for feature in geo.get("features", []):
            if iso3 and iso3 not in features and feature.get("geometry"):
                geometry = feature["geometry"]
                features[iso3] = {
                    "type": "Feature", "id": iso3, "properties": {"iso3": iso3, "name": data["name"]},
                    "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"], digits)},
                }
    collection = {"type": "FeatureCollection", "features": [features[k] for k in sorted(features)]}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> int:
    from countryinfo import CountryInfo  # a build-time dependency only: pip install '.[test]'

    countries = CountryInfo.all()
    patterns, catalog = generate(load_curated(), countries)
    jsonl, catalog_json = render(patterns, catalog)
    PATTERNS_FILE.write_text(jsonl, "utf-8")
    CATALOG_FILE.write_text(catalog_json, "utf-8")
    WORLD_FILE.write_text(world_geojson(countries), "utf-8")
    # The dashboard serves the same outlines as a static file (see analysis/charts.py WORLD_URL).
    static = Path(__file__).parent.parent / "dashboard" / "static" / "world.geojson"
    static.write_text(world_geojson(countries), "utf-8")
    print(f"wrote {len(patterns)} patterns for {len(catalog)} entities to {PATTERNS_FILE.name} and "
          f"{CATALOG_FILE.name}, and {WORLD_FILE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
