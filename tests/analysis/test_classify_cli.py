"""`consult classify`: JSON Lines in, one JSON line per input out, bad lines on stderr."""

import json

from click.testing import CliRunner

from analysis.cli import classify_command

GOALS = {"participation", "sgbv", "rights", "humanitarian", "peace_ops"}
SECRET = "Amina from Goma, phone 0991234567"


def run(lines: list[str], *args: str):
    return CliRunner().invoke(classify_command, list(args), input="\n".join(lines) + "\n")


def test_one_output_line_per_input_line_in_order():
    lines = [
        json.dumps({"id": 1, "text": "Les casques bleus doivent compter plus de femmes.", "lang": "fr"}),
        json.dumps({"id": "b", "text": "Refugee women in the camp need clean water and midwives."}),
        json.dumps({"id": 3, "text": "El comité aprobó el presupuesto anual."}),
    ]
    result = run(lines)
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b", 3]
    assert out[0]["lang"] == "fr" and "peace_ops" in out[0]["goals"]
    assert out[1]["lang"] == "en" and "humanitarian" in out[1]["goals"]
    assert out[2]["lang"] == "es" and out[2]["goals"] == [] and out[2]["sentiment"] is None
    for record in out:
        assert set(record) == {"id", "goals", "scores", "lang", "sentiment"}
        assert set(record["scores"]) == GOALS
        assert all(0 <= s <= 1 for s in record["scores"].values())
    assert isinstance(out[0]["sentiment"], float)


def test_bad_lines_are_reported_by_number_without_their_text_and_the_stream_goes_on():
    lines = [
        json.dumps({"id": 1, "text": "Women must take part in the peace talks."}),
        "{not json " + SECRET,
        json.dumps({"id": 3, "note": SECRET}),
        json.dumps({"id": 4, "text": 42}),
        json.dumps(["a list", SECRET]),
        json.dumps({"id": 6, "text": "Survivors of rape need justice.", "lang": "en"}),
    ]
    result = run(lines)
    assert result.exit_code == 2
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 6]
    for number in (2, 3, 4, 5):
        assert f"line {number}:" in result.stderr
    assert "line 1:" not in result.stderr and "line 6:" not in result.stderr
    assert SECRET not in result.stderr and "Amina" not in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_invalid_utf8_is_a_bad_line_not_a_crash():
    good = json.dumps({"id": 2, "text": "Women police officers were deployed."}).encode()
    data = b'{"id": 1, "text": "caf\xe9"}\n' + good + b"\n"
    result = CliRunner().invoke(classify_command, [], input=data)
    assert result.exit_code == 2
    assert "line 1: not valid UTF-8" in result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [2]


def test_blank_lines_are_skipped_and_unsupported_hints_fall_back_to_detection():
    lines = ["", json.dumps({"id": 1, "text": "Las mujeres desplazadas necesitan refugio.", "lang": "de"}), "  "]
    result = run(lines)
    assert result.exit_code == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["lang"] == "es"
    assert "line 2: unsupported language hint" in result.stderr


def test_small_batches_give_the_same_results_and_explanations_are_optional():
    lines = [
        json.dumps({"id": i, "text": t})
        for i, t in enumerate(
            [
                "More women should sit in parliament.",
                "The clinic has no contraceptives left.",
                "Soldiers were trained on gender before deployment.",
            ]
        )
    ]
    whole = run(lines).stdout
    assert run(lines, "--batch-size", "1").stdout == whole
    explained = [json.loads(line) for line in run(lines, "--explain").stdout.splitlines()]
    assert all(set(r["explanation"]) == set(r["goals"]) for r in explained)


def test_saved_model_is_used_and_a_broken_one_is_refused(tmp_path):
    from analysis.theming import default_themer

    model = tmp_path / "themer.bin"
    model.write_bytes(default_themer().to_bytes())
    line = json.dumps({"id": 1, "text": "Women mediators need funding."})
    assert run([line], "--model", str(model)).stdout == run([line]).stdout
    broken = tmp_path / "broken.bin"
    broken.write_bytes(b"garbage")
    result = run([line], "--model", str(broken))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
