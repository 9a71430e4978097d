"""The one loader of the data files shipped in analysis/data."""

from pathlib import Path

import pytest

from analysis.lexicon import MissingDataFile, load_json, load_jsonl, load_yaml, read_text, shipped

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(p.name for p in (ROOT / "analysis" / "data").glob("*.yaml"))


def test_every_yaml_file_of_the_data_folder_is_listed():
    assert {"chrome.yaml", "events.yaml", "figures.yaml", "gazetteer.yaml", "positions.yaml", "stop_words.yaml"} <= set(
        YAML_FILES)
    assert set(YAML_FILES) <= set(shipped())


@pytest.mark.parametrize("name", YAML_FILES)
def test_each_yaml_file_loads_as_a_mapping_once(name):
    data = load_yaml(name)
    assert isinstance(data, dict) and data
    assert load_yaml(name) is data  # cached: each file is read and parsed once per process


def test_the_json_files_load():
    assert isinstance(load_json("entity_catalog.json"), dict)
    assert load_json("world.geojson")["type"] == "FeatureCollection"
    patterns = load_jsonl("entity_patterns.jsonl")
    assert patterns and all({"label", "pattern", "id"} <= set(p) for p in patterns)
    assert read_text("stop_words.yaml") == (ROOT / "analysis" / "data" / "stop_words.yaml").read_text("utf-8")


@pytest.mark.parametrize("load", [load_yaml, load_json, load_jsonl, read_text])
def test_a_missing_file_is_an_error_that_names_it(load):
    with pytest.raises(MissingDataFile, match=r"analysis/data/no_such_file\.yaml: no such data file") as raised:
        load("no_such_file.yaml")
    assert isinstance(raised.value, FileNotFoundError)
    assert "figures.yaml" in str(raised.value)  # and says which files there are


def test_only_the_loader_reads_the_data_folder():
    readers = sorted(p.name for p in (ROOT / "analysis").glob("*.py")
                     if 'resources.files("analysis")' in p.read_text("utf-8") and p.name != "lexicon.py")
    assert readers == []
