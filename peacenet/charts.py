"""Charts as data: a titled table of rows, and the geometry of its SVG picture.

A ``Chart`` holds what a chart says (its rows, with one number per series); ``bar_layout``
(horizontal bars, for categories) and ``column_layout`` (vertical columns, for a time
series, one or two series side by side) place its shapes in a fixed SVG coordinate system,
so the templates (``templates/peacenet/includes/chart_bars.svg`` and ``chart_columns.svg``)
only draw. No style attributes: the templates use classes, the stylesheet colours them.
"""

from dataclasses import dataclass, field

# The SVG coordinate system (viewBox) every chart is drawn in; it scales to its box.
WIDTH = 640
BAR_ROW = 44  # a label line above each bar, then the bar
BAR_HEIGHT = 16
BAR_LABEL_SPACE = 60  # room after the longest bar for its number
COLUMN_PLOT_HEIGHT = 200
COLUMN_TOP = 24  # room above the tallest column for its number
COLUMN_AXIS = 40  # room under the columns for the axis labels
COLUMN_LEFT = 8


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]
    url: str = ""
    # A short label for a crowded axis (columns); empty where the row is not labelled there.
    axis_label: str = ""


@dataclass
class Chart:
    slug: str
    title: str
    kind: str  # "bars" or "columns"
    label_heading: str
    series: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def template(self):
        return f"peacenet/includes/chart_{self.kind}.svg"

    @property
    def layout(self):
        return bar_layout(self) if self.kind == "bars" else column_layout(self)

    def csv_rows(self):
        """The table as a spreadsheet reads it: a heading row, then one row per label."""
        yield [self.label_heading, *self.series]
        for row in self.rows:
            yield [row.label, *row.values]


def _scale(rows, series, length):
    biggest = max((value for row in rows for value in row.values), default=0)
    return length / biggest if biggest else 0


def bar_layout(chart):
    """Horizontal bars, one row each: its label above, the bar and its number beside."""
    room = WIDTH - BAR_LABEL_SPACE
    scale = _scale(chart.rows, chart.series, room)
    bars = []
    for index, row in enumerate(chart.rows):
        value = row.values[0]
        top = index * BAR_ROW
        width = round(value * scale, 1)
        bars.append(
            {
                "label": row.label,
                "value": value,
                "label_y": top + 14,
                "bar_y": top + 20,
                "width": max(width, 1 if value else 0),
                "value_x": round(width + 6, 1),
                "value_y": top + 20 + BAR_HEIGHT - 3,
            }
        )
    return {
        "width": WIDTH,
        "height": max(len(chart.rows) * BAR_ROW, BAR_ROW),
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


def column_layout(chart):
    """Vertical columns along a time axis; with two series, two columns side by side."""
    count = max(len(chart.rows), 1)
    slot = (WIDTH - 2 * COLUMN_LEFT) / count
    per_series = len(chart.series)
    column_width = round(slot * 0.8 / per_series, 1)
    scale = _scale(chart.rows, chart.series, COLUMN_PLOT_HEIGHT)
    baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    columns, axis = [], []
    for index, row in enumerate(chart.rows):
        left = COLUMN_LEFT + index * slot + slot * 0.1
        for number, value in enumerate(row.values):
            height = round(value * scale, 1)
            x = round(left + number * column_width, 1)
            columns.append(
                {
                    "series": number,
                    "label": row.label,
                    "series_name": chart.series[number],
                    "value": value,
                    "x": x,
                    "y": round(baseline - height, 1),
                    "height": height,
                    "text_x": round(x + column_width / 2, 1),
                    "text_y": round(baseline - height - 4, 1),
                }
            )
        if row.axis_label:
            axis.append(
                {"label": row.axis_label, "x": round(COLUMN_LEFT + (index + 0.5) * slot, 1)}
            )
    return {
        "width": WIDTH,
        "height": baseline + COLUMN_AXIS,
        "baseline": baseline,
        "axis_y": baseline + 20,
        "column_width": column_width,
        "columns": columns,
        "axis": axis,
        "show_values": count <= 12,
        "legend": len(chart.series) > 1,
    }
