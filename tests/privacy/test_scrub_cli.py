"""The `consult scrub` command: JSON Lines in, JSON Lines out, bad lines reported."""

from __future__ import annotations

import json

from click.testing import CliRunner

from consult.privacy.cli import scrub_command


def run(stdin: str):
    return CliRunner().invoke(scrub_command, [], input=stdin)


def test_one_output_line_per_input_line_with_original_offsets():
    lines = [
        {"id": 1, "text": "Mon numéro est le +223 76 41 28 90.", "lang": "fr"},
        {"id": "b", "text": "Nothing personal here."},
        {"id": 3, "text": "اسمي سلمى العبيدي", "lang": "ar"},
    ]
    result = run("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b", 3]
    first = out[0]
    assert first["text"] == "Mon numéro est le [PHONE]."
    span = first["spans"][0]
    assert lines[0]["text"][span["start"] : span["end"]] == "+223 76 41 28 90"
    assert span["type"] == "PHONE"
    assert out[1] == {"id": "b", "text": "Nothing personal here.", "spans": []}
    assert out[2]["text"] == "اسمي [PERSON]"
    # UTF-8 as is, not \\u escapes
    assert "اسمي" in result.stdout


def test_bad_lines_are_reported_by_number_and_the_stream_goes_on():
    stdin = (
        '{"id": 1, "text": "call me on +256 772 418 903"}\n'
        '{"id": 2, "text": "broken json +256 772 418 903\n'
        '{"id": 3}\n'
        '{"id": 4, "text": 12345}\n'
        '["not", "an", "object"]\n'
        '{"id": 6, "text": "My name is Kuol Akech."}\n'
    )
    result = run(stdin)
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 6]
    err = result.stderr
    for number in (2, 3, 4, 5):
        assert f"line {number}:" in err
    assert "line 1:" not in err and "line 6:" not in err
    # the raw text of a bad line may hold PII: it is never echoed
    assert "772 418 903" not in err and "broken json" not in err
    assert "Traceback" not in err


def test_blank_lines_are_skipped_and_empty_input_is_fine():
    result = run('\n{"id": 1, "text": "hello"}\n\n')
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1
    assert run("").exit_code == 0


def test_missing_lang_and_null_id_are_accepted():
    result = run('{"text": "I am 44 years old."}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "id": None,
        "text": "I am [DATE_OF_BIRTH].",
        "spans": [{"start": 5, "end": 17, "type": "DATE_OF_BIRTH"}],
    }
