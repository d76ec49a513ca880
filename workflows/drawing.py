"""A picture of a workflow's graph: states in columns by distance from the start.

Drawn on the server as SVG, so the preview works without JavaScript and a
coordinator sees what they built while editing.
"""

from collections import deque
from dataclasses import dataclass

from workflows.graph import Graph

NODE_WIDTH = 170
NODE_HEIGHT = 48
COLUMN_GAP = 90
ROW_GAP = 42
MARGIN = 24

COLOURS = {
    "slate": "#44505c",
    "blue": "#1d4f91",
    "green": "#1e6b3a",
    "orange": "#8a4b00",
    "red": "#a1262b",
    "purple": "#5b3a8c",
}


@dataclass(frozen=True)
class Node:
    name: str
    label: str
    x: int
    y: int
    fill: str
    final: bool

    @property
    def text_x(self) -> int:
        return self.x + NODE_WIDTH // 2

    @property
    def text_y(self) -> int:
        return self.y + NODE_HEIGHT // 2 + 5


@dataclass(frozen=True)
class Edge:
    path: str
    label: str
    label_x: int
    label_y: int


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]
    node_width: int = NODE_WIDTH
    node_height: int = NODE_HEIGHT


def _columns(graph: Graph) -> dict[str, int]:
    """Each state's column: its distance from the initial state."""
    column: dict[str, int] = {}
    start = graph.initial
    if start is not None:
        column[start.name] = 0
        queue = deque([start.name])
        while queue:
            name = queue.popleft()
            for transition in graph.transitions_from(name):
                if transition.target and transition.target not in column:
                    column[transition.target] = column[name] + 1
                    queue.append(transition.target)
    last = max(column.values(), default=-1) + 1
    for name in graph.states:
        column.setdefault(name, last)  # states no transition reaches
    return column


def graph_drawing(graph: Graph) -> Drawing:
    columns = _columns(graph)
    rows: dict[int, int] = {}
    nodes: dict[str, Node] = {}
    for name, state in graph.states.items():
        column = columns[name]
        row = rows.get(column, 0)
        rows[column] = row + 1
        nodes[name] = Node(
            name=name,
            label=state.label,
            x=MARGIN + column * (NODE_WIDTH + COLUMN_GAP),
            y=MARGIN + row * (NODE_HEIGHT + ROW_GAP),
            fill=COLOURS.get(state.colour, COLOURS["slate"]),
            final=state.is_final,
        )
    edges = [
        _edge(nodes[t.source], nodes[t.target], t.label)
        for t in graph.transitions
        if t.source in nodes and t.target in nodes
    ]
    width = MARGIN * 2 + (max(columns.values(), default=0) + 1) * (
        NODE_WIDTH + COLUMN_GAP
    )
    height = MARGIN * 2 + max(rows.values(), default=1) * (NODE_HEIGHT + ROW_GAP) + 40
    return Drawing(width=width, height=height, nodes=list(nodes.values()), edges=edges)


def _edge(source: Node, target: Node, label: str) -> Edge:
    if target.x > source.x:  # forward: from the right side to the left side
        x1, y1 = source.x + NODE_WIDTH, source.y + NODE_HEIGHT // 2
        x2, y2 = target.x, target.y + NODE_HEIGHT // 2
        middle = (x1 + x2) // 2
        path = f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}"
        return Edge(path, label, middle, (y1 + y2) // 2 - 6)
    # backward or within a column: loop under the nodes
    x1, y1 = source.x + NODE_WIDTH // 2, source.y + NODE_HEIGHT
    x2, y2 = target.x + NODE_WIDTH // 2, target.y + NODE_HEIGHT
    low = max(y1, y2) + ROW_GAP - 6
    path = f"M{x1},{y1} C{x1},{low} {x2},{low} {x2},{y2}"
    return Edge(path, label, (x1 + x2) // 2, low - 4)
