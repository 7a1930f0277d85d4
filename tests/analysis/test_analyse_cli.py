"""`consult analyse` themes what is new, incrementally; `consult retrain` stores a new model."""

from __future__ import annotations

from sqlmodel import func, select

from analysis.models import AnswerTheming, ThemeModel


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_analyse_is_incremental_and_retrain_keeps_previous_models(runner, session, demo):
    assert runner.invoke(args=["demo", "--responses", "12", "--seed", "3"]).exit_code == 0
    result = runner.invoke(args=["analyse", demo])
    assert result.exit_code == 0, result.output
    themed = count(session, AnswerTheming)
    assert themed > 12
    assert f"{themed} answers themed" in result.output

    # Nothing new: nothing themed again.
    result = runner.invoke(args=["analyse", demo])
    assert "0 answers themed" in result.output
    assert f"{themed} were themed before" in result.output

    # New responses: only they are themed.
    assert runner.invoke(args=["demo", "--responses", "3", "--seed", "4"]).exit_code == 0
    result = runner.invoke(args=["analyse", demo])
    session.expire_all()
    added = count(session, AnswerTheming) - themed
    assert 0 < added <= 3 * 8
    assert f"{added} answers themed" in result.output

    result = runner.invoke(args=["retrain"])
    assert result.exit_code == 0, result.output
    assert count(session, ThemeModel) >= 1


def test_analyse_unknown_slug_is_bad_input(runner):
    result = runner.invoke(args=["analyse", "nope"])
    assert result.exit_code == 2
    assert "no consultation 'nope'" in result.output
    assert "Traceback" not in result.output
