"""The world map's shapes are made once by a committed script from the vendored Natural Earth
source: running it again gives exactly the committed file, so the map the server fills in is
the one the script describes (projection, simplification, the codes of the countries)."""

import importlib.util
import re
from pathlib import Path

from organisations.worldmap import shapes

ROOT = Path(__file__).resolve().parents[2]


def build_script():
    path = ROOT / "scripts" / "build_world_map.py"
    spec = importlib.util.spec_from_file_location("build_world_map", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_shapes_are_what_the_script_makes_of_the_vendored_source(tmp_path):
    script = build_script()
    script.ROOT, script.TARGET = tmp_path, tmp_path / "world_map.json"

    script.main()

    committed = ROOT / "organisations" / "world_map.json"
    assert script.TARGET.read_text() == committed.read_text()


def test_the_shapes_are_whole_units_of_a_map_the_page_can_carry():
    data = shapes()

    assert (data["width"], data["projection"]) == (1000, "Equal Earth")
    assert "Antarctica" not in {shape["name"] for shape in data["countries"]}
    for shape in data["countries"]:
        assert re.fullmatch(r"[Mmlz0-9 \-]+", shape["d"]), shape["name"]
    assert sum(len(shape["d"]) for shape in data["countries"]) < 20_000
