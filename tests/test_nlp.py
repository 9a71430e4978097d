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
