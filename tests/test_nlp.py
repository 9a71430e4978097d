import pytest

from analysis import nlp as nlp_module
from analysis.nlp import load_pipeline, split_sentences


def test_model_package_loads():
    pipeline = load_pipeline()
    assert pipeline.warning is None
    assert "ner" in pipeline.nlp.pipe_names and "senter" in pipeline.nlp.pipe_names


def test_blank_fallback_warns_when_no_model(monkeypatch):
    monkeypatch.setattr(nlp_module, "MODEL_CANDIDATES", ("no_such_model_a", "no_such_model_b"))
    monkeypatch.setattr(nlp_module, "_loaded", {})
    pipeline = load_pipeline("no_such_model_c")
    assert pipeline.model == "blank:en + sentencizer"
    assert "No English spaCy model" in pipeline.warning
    spans = next(split_sentences(["One sentence here. Another one there."], nlp=pipeline.nlp))
    assert [s[2] for s in spans] == ["One sentence here.", "Another one there."]


def test_abbreviations_do_not_split_sentences():
    text = "The U.S. and the U.K. agreed on Nov. 25 to cap the army. Macron said so."
    spans = next(split_sentences([text], nlp=load_pipeline().nlp))
    assert [s[2] for s in spans] == ["The U.S. and the U.K. agreed on Nov. 25 to cap the army.", "Macron said so."]


def test_the_stance_parse_tag_map_gives_the_attribute_rulers_parts_of_speech():
    """The dictionary twin of the attribute ruler (the stance parse runs it) agrees with the ruler token for token,
    but for the ruler's few rules over several tokens."""
    from pathlib import Path

    nlp = load_pipeline().nlp
    if "briefing_tag_map" not in nlp.pipe_names:
        pytest.skip("no statistical English model: no attribute ruler to mirror")
    texts = [line for path in sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))
             for line in path.read_text("utf-8").splitlines() if len(line) > 40]
    common = ["tok2vec", "tagger", "lemmatizer", "parser"]
    with nlp.select_pipes(enable=common + ["attribute_ruler"]):
        ruled = list(nlp.pipe(texts))
    with nlp.select_pipes(enable=common + ["briefing_tag_map"]):
        mapped = list(nlp.pipe(texts))
    pairs = [(a, b) for x, y in zip(ruled, mapped, strict=True) for a, b in zip(x, y, strict=True)]
    same = sum(a.pos_ == b.pos_ and a.lemma_ == b.lemma_ and str(a.morph) == str(b.morph) for a, b in pairs)
    print(f"\ntag map: {same} of {len(pairs)} tokens with the ruler's part of speech, lemma and morphology")
    assert len(pairs) > 2000 and same / len(pairs) >= 0.995
