#!/usr/bin/env python3
"""Build the world map's shapes once: organisations/world_map.json from Natural Earth.

The source is npm's ``world-atlas`` 2.0.2 (Natural Earth 1:110m countries, public domain;
the package is ISC), vendored in ``static/vendor/world-atlas/``. This script decodes its
TopoJSON, projects it (Equal Earth, which keeps areas true), simplifies each shared border
once (Douglas-Peucker, so neighbours still meet), rounds to whole units of the map and writes
one SVG path per country, keyed by its ISO 3166 code. The server only fills in classes,
counts, titles and links (``organisations/worldmap.py``).

Run it again only when the source changes:

    .venv/bin/python scripts/build_world_map.py
"""

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "vendor" / "world-atlas" / "countries-110m.json"
TARGET = ROOT / "organisations" / "world_map.json"

WIDTH = 1000  # map units across; the page scales the SVG to its box
TOLERANCE = 1.0  # map units a simplified border may stray from the original
MIN_RING_AREA = 4  # square map units: smaller islands are dropped (a country keeps its largest)
LEFT_OUT = {"Antarctica"}  # no organisation works there; it would take a fifth of the height

# Where Natural Earth has no ISO numeric code, the code PeaceNet's country list uses.
NAMED_CODES = {"Kosovo": "XK"}

# Equal Earth (Šavrič, Patterson, Jenny 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y  # SVG's y grows downwards


def decode_arcs(topology):
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * sx + tx, y * sy + ty
            # A border that crosses the antimeridian (Fiji, Chukotka) is kept continuous and
            # then held at the map's edge, instead of a line drawn across the whole world.
            if points and abs(lon - points[-1][0]) > 180:
                lon += 360 if lon < points[-1][0] else -360
            points.append((lon, lat))
        arcs.append([equal_earth(max(-180, min(180, lon)), lat) for lon, lat in points])
    return arcs


def simplify(points, tolerance):
    """Douglas-Peucker, keeping both ends (where borders meet)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def area(points):
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def path(rings):
    """An SVG path with relative moves: 'M x y l dx dy dx dy …z' per ring."""
    parts = []
    last = (0, 0)
    for index, ring in enumerate(rings):
        points = []
        for x, y in ring:
            if not points or points[-1] != (x, y):
                points.append((x, y))
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        x0, y0 = points[0]
        move = f"M{x0} {y0}" if index == 0 else f"m{x0 - last[0]} {y0 - last[1]}"
        steps = []
        px, py = x0, y0
        for x, y in points[1:]:
            steps.append(f"{x - px} {y - py}")
            px, py = x, y
        parts.append(move + "l" + " ".join(steps) + "z")
        last = (x0, y0)
    return "".join(parts).replace(" -", "-")


def main():
    import django

    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacenet.settings")
    django.setup()
    from django_countries import countries

    topology = json.loads(SOURCE.read_text())
    arcs = decode_arcs(topology)
    geometries = [
        g
        for g in topology["objects"]["countries"]["geometries"]
        if g["properties"]["name"] not in LEFT_OUT
    ]
    used = [
        ring_points(ring, arcs)
        for g in geometries
        for polygon in (g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]])
        for ring in polygon
    ]
    xs = [x for ring in used for x, _y in ring]
    ys = [y for ring in used for _x, y in ring]
    scale = WIDTH / (max(xs) - min(xs))
    left, top = min(xs), min(ys)
    height = math.ceil((max(ys) - top) * scale)

    def place(point):
        return ((point[0] - left) * scale, (point[1] - top) * scale)

    simple = [simplify([place(p) for p in arc], TOLERANCE) for arc in arcs]
    shapes = []
    for geometry in geometries:
        name = geometry["properties"]["name"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for ring in polygon:
                points = [(round(x), round(y)) for x, y in ring_points(ring, simple)]
                rings.append((area(points), points))
        biggest = max(size for size, _points in rings)
        kept = [points for size, points in rings if size >= MIN_RING_AREA or size == biggest]
        code = countries.alpha2(int(geometry["id"])) if "id" in geometry else ""
        code = code or NAMED_CODES.get(name, "")
        shapes.append({"code": code, "name": name, "d": path(kept)})
    shapes.sort(key=lambda shape: (shape["code"] == "", shape["code"], shape["name"]))
    TARGET.write_text(
        json.dumps(
            {
                "source": "Natural Earth 1:110m (public domain), via npm world-atlas 2.0.2",
                "projection": "Equal Earth",
                "width": WIDTH,
                "height": height,
                "countries": shapes,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n"
    )
    size = sum(len(shape["d"]) for shape in shapes)
    print(f"{TARGET.relative_to(ROOT)}: {len(shapes)} countries, {size} bytes of paths")


if __name__ == "__main__":
    main()
