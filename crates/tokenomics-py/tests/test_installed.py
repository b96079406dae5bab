"""The module comes from the installed wheel (a clean virtual environment), typed."""

import sys
from pathlib import Path

import moderntensor_tokenomics as t


def test_the_module_is_the_installed_wheel_with_stubs_and_py_typed():
    package = Path(t.__file__).resolve().parent
    assert Path(sys.prefix).resolve() in package.parents
    assert (package / "py.typed").exists()
    assert (package / "moderntensor_tokenomics.pyi").exists() or (package / "__init__.pyi").exists()


def test_functions_carry_docstrings():
    for function in (t.plan, t.schedule, t.emission):
        assert function.__doc__ and len(function.__doc__) > 40
