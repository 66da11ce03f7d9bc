"""``passerelle federation story``: the alert story of docs/alerts.md, played over real HTTP
between four nodes on loopback, as the README shows it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from passerelle.cli.main import app

from .cli_support import port_free


def test_the_story_runs_end_to_end_over_http(tmp_path: Path, base_port: int) -> None:
    result = CliRunner().invoke(
        app, ["federation", "story", "--dir", str(tmp_path / "story"), "--base-port",
              str(base_port), "--passengers", "300"],
        env={"PASSERELLE_ENVIRONMENT": "development", "COLUMNS": "200"},
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for step in ("ma holds it", "is a candidate for fr's alert",
                 "be's TLP:RED alert is not held at ma", "fr's hits inbox holds hit--",
                 "records the hit report's collection from ma",
                 "the same passenger screened again raises nothing"):
        assert step in result.output
    assert "✗" not in result.output
    assert all(port_free(base_port + i) for i in range(4)), "the ports were not released"
