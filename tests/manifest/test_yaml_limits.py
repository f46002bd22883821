"""Hostile YAML is rejected quickly, in bounded memory, with a diagnostic, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.manifest.helpers import errors, load, write
from ulplan.manifest import yamlsource
from ulplan.manifest.diagnostics import Diagnostics

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_an_error(tmp_path: Path) -> None:
    loaded = load(write(tmp_path, {"bomb.yaml": BILLION_LAUGHS}))
    assert loaded.has_errors
    assert any("alias expansion" in e for e in errors(loaded))


def test_too_many_aliases_is_an_error(tmp_path: Path) -> None:
    refs = ", ".join(["*x"] * (yamlsource.MAX_ALIASES + 1))
    loaded = load(write(tmp_path, {"m.yaml": f"x: &x 1\ny: [{refs}]\n"}))
    assert any(f"more than {yamlsource.MAX_ALIASES} aliases" in e for e in errors(loaded))


@pytest.mark.parametrize("depth", [yamlsource.MAX_DEPTH + 5, 5000])  # 5000: past Python's recursion limit
def test_deep_nesting_is_an_error(tmp_path: Path, depth: int) -> None:
    loaded = load(write(tmp_path, {"deep.yaml": "a: " + "[" * depth + "]" * depth + "\n"}))
    # Our own bound, or libyaml's (1000 levels), whichever comes first.
    assert any("nesting deeper than" in e or "maximum nesting depth" in e for e in errors(loaded))


def test_block_nesting_is_bounded_too(tmp_path: Path) -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(yamlsource.MAX_DEPTH + 5))
    loaded = load(write(tmp_path, {"deep.yaml": text}))
    assert any("nesting deeper than" in e for e in errors(loaded))


def test_recursive_alias_is_an_error(tmp_path: Path) -> None:
    loaded = load(write(tmp_path, {"loop.yaml": "a: &a [*a]\n"}))
    assert any("refers to itself" in e for e in errors(loaded))


def test_huge_file_is_rejected_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(yamlsource.MAX_FILE_BYTES + 1)
    loaded = load(tmp_path)
    assert errors(loaded) == ["file is larger than 10 MB"]


def test_not_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "latin.yaml").write_bytes(b"projects:\n  p:\n    description: caf\xe9\n")
    loaded = load(tmp_path)
    assert errors(loaded) == ["file is not valid UTF-8 text"]
    assert loaded.diagnostics[0].location is not None
    assert loaded.diagnostics[0].location.line == 3


def test_python_tags_construct_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "created"
    text = f"projects: !!python/object/apply:os.system ['touch {marker}']\n"
    loaded = load(write(tmp_path, {"evil.yaml": text}))
    assert loaded.has_errors
    assert not marker.exists()


def test_merge_keys_are_supported_and_explicit_keys_win(tmp_path: Path) -> None:
    text = """\
    x-base: &base {region: europe-west4, maxInstances: 3}
    """
    diags = Diagnostics()
    path = write(tmp_path, {"a.yaml": text + "d: {<<: *base, maxInstances: 5}\n"}) / "a.yaml"
    doc = yamlsource.load_yaml(path, diags)
    assert doc is not None and not diags.items
    assert doc.data["d"] == {"region": "europe-west4", "maxInstances": 5}


def test_positions_of_keys_and_values_are_one_based(tmp_path: Path) -> None:
    path = write(tmp_path, {"a.yaml": "projects:\n  p:\n    description: hello\n"}) / "a.yaml"
    doc = yamlsource.load_yaml(path, Diagnostics())
    assert doc is not None
    key = doc.key_at(("projects", "p", "description"))
    value = doc.value_at(("projects", "p", "description"))
    assert (key.line, key.column) == (3, 5)
    assert (value.line, value.column) == (3, 18)


def test_dates_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path, {"a.yaml": "when: 2024-01-01\n"}) / "a.yaml"
    doc = yamlsource.load_yaml(path, Diagnostics())
    assert doc is not None and doc.data == {"when": "2024-01-01"}


def test_positions_inside_one_line_text_are_exact(tmp_path: Path) -> None:
    text = 'a: x ${var.q}\nb: "x ${var.q}"\nc: "\\t ${var.q}"\nd: >\n  x ${var.q}\n'
    doc = yamlsource.load_yaml(write(tmp_path, {"a.yaml": text}) / "a.yaml", Diagnostics())
    assert doc is not None
    columns = {key: doc.text_at((key,), 2).column for key in "abcd"}
    # plain and quoted text: the placeholder itself; escapes or folding: the value's start
    assert columns == {"a": 6, "b": 7, "c": 4, "d": 4}
