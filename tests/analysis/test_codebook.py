"""The codebook is versioned data: goals, definitions and lexicons in six languages."""

import pytest

from analysis.codebook import CodebookError, available_codebooks, load_codebook, parse_codebook

LANGS = ("en", "fr", "es", "ar", "pt", "sw")


def test_nap_2017_has_the_five_fixed_goal_ids():
    codebook = load_codebook("nap-2017")
    assert codebook.goal_ids == ("participation", "sgbv", "rights", "humanitarian", "peace_ops")
    assert codebook.key == "nap-2017@1.0"
    assert "nap-2017" in available_codebooks()


@pytest.mark.parametrize("lang", LANGS)
def test_every_goal_is_defined_and_has_terms_in_every_language(lang):
    for goal in load_codebook().goals:
        assert goal.definition[lang].strip()
        assert goal.label[lang].strip()
        assert len(goal.terms[lang]) >= 20


def test_unknown_codebook_is_refused_with_the_available_ones():
    with pytest.raises(CodebookError, match="nap-2017"):
        load_codebook("no-such-plan")


def _third_plan(mapping):
    goal = {"id": "x", "label": {"en": "X"}, "definition": {"en": "X"}, "terms": {"en": ["x"]}}
    return {
        "id": "nap-2023",
        "version": "1",
        "languages": ["en"],
        "maps_to": "nap-2017",
        "mapping": mapping,
        "goals": [goal, {**goal, "id": "y"}],
    }


def test_a_new_codebook_maps_its_goals_onto_another():
    codebook = parse_codebook(_third_plan({"x": ["participation"], "y": ["sgbv", "participation"]}))
    assert codebook.map_goals(["y", "x"]) == ["sgbv", "participation"]
    with pytest.raises(KeyError):
        codebook.map_goals(["z"])


def test_a_mapping_must_cover_every_goal():
    with pytest.raises(CodebookError):
        parse_codebook(_third_plan({"x": ["participation"]}))


def test_codebook_without_target_cannot_map():
    with pytest.raises(CodebookError):
        load_codebook().map_goals(["sgbv"])
