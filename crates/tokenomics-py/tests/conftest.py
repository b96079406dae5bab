"""Shared helpers: the `tokenomics` binary the plans are compared with.

`cargo xtask python` builds it and passes its path as TOKENOMICS_BIN; without it the
workspace's target/release or target/debug build is used.
"""

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def tokenomics_bin() -> str:
    given = os.environ.get("TOKENOMICS_BIN")
    if given:
        return given
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "tokenomics"
        if path.exists():
            return str(path)
    pytest.fail("no tokenomics binary: set TOKENOMICS_BIN or run `cargo build --bin tokenomics`")


def cli_plan(inputs_text: str, config_text=None, tmp_path=None):
    """`tokenomics plan --inputs - --json` on `inputs_text`: (exit code, plan or stderr)."""
    args = [tokenomics_bin(), "plan", "--inputs", "-", "--json"]
    if config_text is not None:
        config = Path(tmp_path) / "config.toml"
        config.write_text(config_text)
        args += ["--config", str(config)]
    done = subprocess.run(args, input=inputs_text, capture_output=True, text=True)
    if done.returncode == 0:
        return 0, json.loads(done.stdout, parse_float=Decimal)
    return done.returncode, done.stderr.strip()


def cli_message(stderr: str) -> str:
    """The CLI's error line as the bindings word it (`<stdin>` is `<inputs>` there)."""
    line = stderr.splitlines()[-1]
    line = line.removeprefix("error: ")
    return line.replace("<stdin>", "<inputs>", 1)
