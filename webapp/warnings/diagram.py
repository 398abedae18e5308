"""The workflow's state diagram, drawn from `workflows.transitions.TRANSITIONS`.

Edges come from the table, so the help page cannot drift from the rules. Node positions are
a layout hint only; a state missing from it is placed on an extra row. Rule targets are
resolved the way `transition()` resolves them: the next approval step stays in 待审批 or
reaches 已下达, escalation goes back to 待审批, tolerance revokes or stays (减责), pause,
resume and records (登记书面检查) stay. Events that stay in their state are listed under the
state, not drawn as loops.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from flask_babel import gettext as _

from webapp.i18n import translate
from workflows.states import OPEN_STATES, Event, State
from workflows.tiers import role_label
from workflows.transitions import STEP_ROLE, TRANSITIONS, Rule, Transition

NODE_W, NODE_H = 112, 40
ROW_OPEN, ROW_FINAL = 150, 400

# Open states on one row in workflow order, the ends below; a state missing here (a new
# one added to the table) is placed on an extra row rather than left out.
LAYOUT: dict[State, tuple[int, int]] = {
    State.DRAFT: (90, ROW_OPEN),
    State.PENDING_APPROVAL: (300, ROW_OPEN),
    State.ISSUED: (510, ROW_OPEN),
    State.RECTIFYING: (720, ROW_OPEN),
    State.REVIEWING: (930, ROW_OPEN),
    State.REVOKED: (300, ROW_FINAL),
    State.REFERRED: (510, ROW_FINAL),
    State.LIFTED: (930, ROW_FINAL),
}


@dataclass(frozen=True)
class Edge:
    """Events leading from one state (None: from every open state) to another."""

    source: State | None
    target: State
    events: tuple[Event, ...]


def _targets(row: Transition, source: State) -> tuple[tuple[State, str], ...]:
    """Return (target, note) for one row fired from one state."""
    match row.target:
        case Rule.NEXT_APPROVAL_STEP:
            return ((State.PENDING_APPROVAL, _("下一审批环节")), (State.ISSUED, _("最后环节")))
        case Rule.ESCALATE:
            return ((State.PENDING_APPROVAL, _("升一级重新审批")),)
        case Rule.TOLERANCE:
            return ((State.REVOKED, _("免责")), (source, _("减责降一级")))
        case Rule.PAUSE | Rule.RESUME | Rule.RECORD:
            return ((source, ""),)
        case State() as target:
            return ((target, ""),)
    return ()


def _label_of(item: State | Event) -> str:
    """Return a state's or event's label in the UI's language."""
    return translate(item.label)


def _order(state: State) -> int:
    return list(State).index(state)


def graph() -> tuple[list[Edge], dict[State, list[str]]]:
    """Return the edges between states and, per state, the events that stay in it.

    An event leading from every open state to one target becomes a single edge with
    `source=None` (drawn from the frame around the open states).
    """
    edges: dict[tuple[State, State], list[Event]] = defaultdict(list)
    loops: dict[State, list[str]] = defaultdict(list)
    for row in TRANSITIONS:
        for source in sorted(row.sources, key=_order):
            for target, note in _targets(row, source):
                if target is source:
                    text = _label_of(row.event) + (_("（%(note)s）", note=note) if note else "")
                    if text not in loops[source]:
                        loops[source].append(text)
                elif row.event not in edges[(source, target)]:
                    edges[(source, target)].append(row.event)
    grouped: dict[State, list[Event]] = defaultdict(list)
    for target in State:
        for event in Event:
            sources = [s for s in OPEN_STATES if s is not target]
            if sources and all(event in edges.get((s, target), []) for s in sources):
                grouped[target].append(event)
                for s in sources:
                    edges[(s, target)].remove(event)
    result = [
        Edge(s, t, tuple(events))
        for (s, t), events in sorted(edges.items(), key=lambda kv: (_order(kv[0][0]), kv[0][1]))
        if events
    ]
    result += [Edge(None, t, tuple(events)) for t, events in grouped.items()]
    return result, dict(loops)


def _positions() -> dict[State, tuple[int, int]]:
    positions = dict(LAYOUT)
    extra = [s for s in State if s not in positions]
    for index, state in enumerate(extra):
        positions[state] = (90 + index * 210, ROW_FINAL + 120)
    return positions


def _border_point(cx: float, cy: float, dx: float, dy: float) -> tuple[float, float]:
    """Return where a ray from a node's centre in direction (dx, dy) leaves its box."""
    scale = min(
        (NODE_W / 2) / abs(dx) if dx else math.inf, (NODE_H / 2) / abs(dy) if dy else math.inf
    )
    return cx + dx * scale, cy + dy * scale


def _label(x: float, y: float, text: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" text-anchor="middle" '
        f'fill="#1f2329" paint-order="stroke" stroke="#fff" stroke-width="4">{escape(text)}</text>'
    )


def _curve(sx, sy, cx, cy, ex, ey, title: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (
        f'<path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
        f'stroke="#8f959e" stroke-width="1.4"{dash} marker-end="url(#arrow)">'
        f"<title>{escape(title)}</title></path>"
    )


def svg() -> str:
    """Return the state diagram as an inline SVG document fragment."""
    edges, loops = graph()
    pos = _positions()
    open_xs = [pos[s][0] for s in OPEN_STATES]
    frame = (
        min(open_xs) - NODE_W / 2 - 14,
        ROW_OPEN - NODE_H / 2 - 14,
        max(open_xs) - min(open_xs) + NODE_W + 28,
        NODE_H + 28,
    )
    legend = [
        _("↻ %(state)s：%(events)s", state=_label_of(state), events=_("、").join(loops[state]))
        for state in State
        if loops.get(state)
    ]
    width = max(x for x, _y in pos.values()) + NODE_W
    bottom = max(y for _x, y in pos.values()) + NODE_H
    height = bottom + 30 + 18 * len(legend)
    diagram_name, open_frame = escape(_("预警流程状态图")), escape(_("未办结"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{diagram_name}" class="state-diagram">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#646a73"/></marker></defs>',
        f'<rect x="{frame[0]}" y="{frame[1]}" width="{frame[2]}" height="{frame[3]}" rx="10" '
        'fill="none" stroke="#c9cdd4" stroke-dasharray="6 4"/>',
        f'<text x="{frame[0] + 8}" y="{frame[1] + frame[3] + 14}" font-size="11" '
        f'fill="#646a73">{open_frame}</text>',
    ]
    for edge in edges:
        label = " / ".join(_label_of(e) for e in edge.events)
        x2, y2 = pos[edge.target]
        if edge.source is None:
            sx, sy = x2 - 40, frame[1] + frame[3]
            ex, ey = x2 - 40, y2 - NODE_H / 2
            out.append(
                _curve(
                    sx,
                    sy,
                    sx,
                    (sy + ey) / 2,
                    ex,
                    ey,
                    _(
                        "任一未办结状态 → %(state)s：%(events)s",
                        state=_label_of(edge.target),
                        events=label,
                    ),
                    dashed=True,
                )
            )
            out.append(_label(sx, (sy + ey) / 2 + 4, label))
            continue
        x1, y1 = pos[edge.source]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1
        # Bend each edge to its left: forward along the row below it, backward above it, so
        # A→B and B→A never overlap; longer edges bend further to clear the nodes between.
        nx, ny = -dy / length, dx / length
        bend = 22 + 0.12 * length
        cx, cy = (x1 + x2) / 2 + nx * bend, (y1 + y2) / 2 + ny * bend
        sx, sy = _border_point(x1, y1, cx - x1, cy - y1)
        ex, ey = _border_point(x2, y2, cx - x2, cy - y2)
        title = _(
            "%(source)s → %(target)s：%(events)s",
            source=_label_of(edge.source),
            target=_label_of(edge.target),
            events=label,
        )
        out.append(_curve(sx, sy, cx, cy, ex, ey, title))
        lx, ly = (sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4
        out.append(_label(lx, ly + 4, label))
    for state, (x, y) in pos.items():
        final = state.is_final
        out.append(
            f'<g class="node" data-state="{state.value}"><rect x="{x - NODE_W / 2}" '
            f'y="{y - NODE_H / 2}" width="{NODE_W}" height="{NODE_H}" rx="{18 if final else 6}" '
            f'fill="{"#fdecea" if final else "#fff"}" stroke="#b3261e" '
            f'stroke-width="{2 if final else 1.5}"/>'
            f'<text x="{x}" y="{y + 5}" font-size="14" text-anchor="middle" '
            f'font-weight="600" fill="#1f2329">{escape(_label_of(state))}</text></g>'
        )
    for index, text in enumerate(legend):
        out.append(
            f'<text x="10" y="{bottom + 30 + index * 18}" font-size="12" '
            f'fill="#646a73">{escape(text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def mermaid() -> str:
    """Return the same diagram as Mermaid text, for documents that render it."""
    edges, loops = graph()
    lines = ["stateDiagram-v2", f"    [*] --> {State.DRAFT.value}"]
    for state in State:
        lines.append(f"    {state.value} : {_label_of(state)}")
    for edge in edges:
        label = " / ".join(_label_of(e) for e in edge.events)
        sources = [edge.source] if edge.source else sorted(OPEN_STATES, key=_order)
        for source in sources:
            lines.append(f"    {source.value} --> {edge.target.value} : {label}")
    for state, texts in loops.items():
        lines.append(f"    {state.value} --> {state.value} : {' / '.join(texts)}")
    for state in State:
        if state.is_final:
            lines.append(f"    {state.value} --> [*]")
    return "\n".join(lines)


@dataclass(frozen=True)
class Row:
    """One line of the help page's transition table."""

    event: Event
    sources: list[State]
    target: str
    who: str
    needs: list[str]


def table() -> list[Row]:
    """Return the transition table in words: event, from, to, who, what it needs."""
    from workflows.guards import GUARDS

    targets = {
        Rule.NEXT_APPROVAL_STEP: _("下一审批环节；最后环节通过后为「已下达」"),
        Rule.REJECTION: _("首次送审退回「拟预警」；升级未获批准则回到升级前的状态和等级"),
        Rule.ESCALATE: _("升一级，回到「待审批」"),
        Rule.TOLERANCE: _("免责：「已撤销」；减责：降一级，状态不变"),
        Rule.PAUSE: _("状态不变，暂停计时"),
        Rule.RESUME: _("状态不变，期限顺延暂停的工作日"),
        Rule.RECORD: _("状态和等级不变，登记在案"),
    }
    rows = []
    for row in TRANSITIONS:
        who = _("、").join(
            _("当前审批环节的角色") if code == STEP_ROLE else translate(role_label(code))
            for code in row.who
        )
        target = _label_of(row.target) if isinstance(row.target, State) else targets[row.target]
        rows.append(
            Row(
                row.event,
                sorted(row.sources, key=list(State).index),
                target,
                who,
                [translate(GUARDS[name].message) for name in row.guards],
            )
        )
    return rows
