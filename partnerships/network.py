"""Who works with whom (``/partnerships/network/``): published organisations as nodes, the
public partnerships that are forming or active as the edges between their accepted partners.

networkx places the nodes (a spring layout with a fixed seed, so the picture is stable);
the whole picture, its layout and the list beside it, is computed once per content
generation and selection (``peacenet.lib.caching``), from three queries.
"""

import hashlib
import math
from itertools import combinations

import networkx as nx

from organisations.models import Organisation
from peacenet.lib.caching import cached_for_generation

from .models import Answer, Participant, ProposalStatus

SHOWN = (ProposalStatus.FORMING, ProposalStatus.ACTIVE)
CACHE_SECONDS = 600
SEED = 20160923  # the day of the seminar the network grew out of
WIDTH, HEIGHT = 1000, 640
MARGIN_X, MARGIN_Y = 110, 30  # room for the names under the nodes at the sides
LABELLED = 30  # with more nodes than this, only the busiest are named in the picture


def node_shape(kind, x, y, r):
    """An SVG path for a node: its shape says its kind (circle, square, triangle, diamond,
    hexagon), so the picture does not rely on colour."""
    if kind == Organisation.Kind.DIASPORA:
        arc = f"a{r:.1f} {r:.1f} 0 1 0"
        return f"M{x - r:.1f} {y:.1f}{arc} {2 * r:.1f} 0{arc} {-2 * r:.1f} 0z"
    corners = {
        Organisation.Kind.NGO: [45, 135, 225, 315],
        Organisation.Kind.GOVERNMENT: [270, 30, 150],
        Organisation.Kind.KNOWLEDGE_INSTITUTE: [0, 90, 180, 270],
    }.get(kind, [0, 60, 120, 180, 240, 300])
    if kind == Organisation.Kind.NGO:
        r *= 0.9  # a square as large to the eye as the circle
    points = [
        (x + r * math.cos(math.radians(angle)), y + r * math.sin(math.radians(angle)))
        for angle in corners
    ]
    return "M" + "L".join(f"{px:.1f} {py:.1f}" for px, py in points) + "z"


def _selection_key(proposals):
    sql, params = proposals.order_by("pk").values("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    return f"partnerships:network:v1:{digest}"


def network(proposals):
    """The network of the partnerships in ``proposals`` (a QuerySet of public ones),
    cached for the content generation and this selection."""
    proposals = proposals.filter(status__in=SHOWN)
    return cached_for_generation(
        _selection_key(proposals), lambda: _compute(proposals), CACHE_SECONDS
    )


def _compute(proposals):
    rows = list(
        Participant.objects.filter(
            proposal__in=proposals.values("pk"),
            answer=Answer.ACCEPTED,
            organisation__status=Organisation.Status.PUBLISHED,
        )
        .order_by("proposal__title", "proposal_id", "organisation_id")
        .values_list(
            "proposal_id",
            "proposal__title",
            "proposal__slug",
            "proposal__status",
            "organisation_id",
        )
    )
    partnerships = {}
    for proposal_id, title, slug, status, organisation_id in rows:
        entry = partnerships.setdefault(
            proposal_id, {"title": title, "slug": slug, "status": status, "members": []}
        )
        entry["members"].append(organisation_id)
    organisations = {
        o["pk"]: o
        for o in Organisation.objects.filter(pk__in={row[4] for row in rows}).values(
            "pk", "name", "slug", "kind"
        )
    }

    graph = nx.Graph()
    graph.add_nodes_from(sorted(organisations))
    edges = {}
    for entry in partnerships.values():
        for a, b in combinations(sorted(entry["members"]), 2):
            edge = edges.setdefault((a, b), {"active": False, "count": 0})
            edge["count"] += 1
            edge["active"] |= entry["status"] == ProposalStatus.ACTIVE
    graph.add_edges_from(edges)
    positions = nx.spring_layout(graph, seed=SEED, iterations=100) if graph else {}
    place = _placer(positions)

    counts = dict.fromkeys(organisations, 0)
    partners = {pk: [] for pk in organisations}
    for entry in partnerships.values():
        for member in entry["members"]:
            counts[member] += 1
            partners[member].append(
                {
                    "title": entry["title"],
                    "slug": entry["slug"],
                    "status": entry["status"],
                    "with": sorted(
                        (organisations[o]["name"], organisations[o]["slug"])
                        for o in entry["members"]
                        if o != member
                    ),
                }
            )
    busiest = sorted(organisations, key=lambda pk: (-counts[pk], organisations[pk]["name"]))
    labelled = set(busiest[:LABELLED])
    nodes = []
    for pk, organisation in organisations.items():
        x, y = place(positions[pk])
        r = 6 + 4 * math.sqrt(counts[pk])
        nodes.append(
            {
                **organisation,
                "partnerships": counts[pk],
                "x": x,
                "y": y,
                "r": round(r, 1),
                "d": node_shape(organisation["kind"], x, y, r),
                "label": organisation["name"] if pk in labelled else "",
                "label_y": round(y + r + 12, 1),
                "partners": partners[pk],
            }
        )
    nodes.sort(key=lambda node: node["name"].lower())
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "nodes": nodes,
        "edges": [
            {
                "x1": place(positions[a])[0],
                "y1": place(positions[a])[1],
                "x2": place(positions[b])[0],
                "y2": place(positions[b])[1],
                "active": edge["active"],
                "count": edge["count"],
            }
            for (a, b), edge in sorted(edges.items())
        ],
        "partnership_count": len(partnerships),
    }


def _placer(positions):
    """Scale networkx's coordinates into the picture, keeping a margin for labels."""
    xs = [p[0] for p in positions.values()] or [0]
    ys = [p[1] for p in positions.values()] or [0]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1

    def place(point):
        x = (
            WIDTH / 2
            if len(positions) == 1
            else MARGIN_X + (point[0] - min(xs)) / span_x * (WIDTH - 2 * MARGIN_X)
        )
        y = (
            HEIGHT / 2
            if len(positions) == 1
            else MARGIN_Y + (point[1] - min(ys)) / span_y * (HEIGHT - 2 * MARGIN_Y - 20)
        )
        return round(float(x), 1), round(float(y), 1)

    return place
