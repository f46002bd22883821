"""A plan as terminal text, shaped like Terraform's, with optional colour through rich.

The plan is first laid out as lines of (text, style) segments; without colour the
styles are dropped, with colour rich renders them. rich is imported only when colour is
actually wanted, so plain output and ``ulplan --version`` never load it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ulplan.changes import Plan, ResourceChange
from ulplan.render import layout
from ulplan.render.layout import Row
from ulplan.render.values import format_value, usd

if TYPE_CHECKING:
    from rich.console import Console

Segment = tuple[str, str | None]
Line = list[Segment]

BLANK: Line = [("", None)]
OP_STYLES = {"+": "green", "-": "red", "~": "yellow", "-/+": "magenta", "+/-": "magenta", "<=": "cyan"}


def plan_to_text(plan: Plan, color: bool = False) -> str:
    """The whole plan as a string; ANSI colours only when ``color`` is true."""
    lines = plan_lines(plan)
    if not color:
        return "".join("".join(text for text, _style in line) + "\n" for line in lines)
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=100_000)
    render_lines(lines, console)
    return buffer.getvalue()


def render_text(plan: Plan, console: Console) -> None:
    """Print the plan on a rich console (which decides about colour: NO_COLOR, terminals)."""
    render_lines(plan_lines(plan), console)


def render_lines(lines: list[Line], console: Console) -> None:
    """Print styled lines without rich's highlighting or wrapping getting in the way."""
    from rich.text import Text

    for line in lines:
        text = Text()
        for chunk, style in line:
            text.append(chunk, style=style or "")
        console.print(text, highlight=False, soft_wrap=True, markup=False)


def plan_lines(plan: Plan) -> list[Line]:
    """The plan laid out as styled lines: summary, resource blocks, totals, cost, warnings, errors."""
    lines: list[Line] = []
    changes = layout.ordered_changes(plan)
    if changes:
        lines += _summary(plan, changes)
        for change in changes:
            lines.append(BLANK)
            lines += _block(change)
        lines += [BLANK, [(layout.plan_line(plan), "bold")]]
    elif not plan.errors:
        lines.append([(layout.no_changes_line(plan), "bold green")])
    lines += _outputs(plan) + _cost(plan)
    warnings = [*plan.warnings, *filter(None, [layout.targeting_note(plan)])]
    if warnings or plan.errors:
        lines.append(BLANK)
    lines += [[("Warning: ", "bold yellow"), (w, None)] for w in warnings]
    lines += [[("Error: ", "bold red"), (e, None)] for e in plan.errors]
    return lines


def _summary(plan: Plan, changes: list[ResourceChange]) -> list[Line]:
    heading = ("ulplan will perform these actions: ", "bold")
    lines: list[Line] = [[heading, (layout.summary_counts(plan), None)]]
    for change in changes:
        symbol = layout.marker(change)
        lines.append([(f"  {symbol:>3} ", OP_STYLES.get(symbol)), (change.address, None)])
    return lines


def _block(change: ResourceChange) -> list[Line]:
    lines: list[Line] = [[(f"  # {layout.headline(change)}", "bold")]]
    why = layout.explanation(change)
    if why:
        lines.append([(f"  # ({why})", "dim")])
    if change.estimated_cost_micro_usd:
        lines.append([(f"  # estimated cost: {usd(change.estimated_cost_micro_usd)}", "dim")])
    symbol = layout.marker(change)
    lines.append([(f"{symbol:>3}", OP_STYLES.get(symbol)), (f' {change.kind} "{change.name}" {{', None)])
    rows, hidden = layout.rows(change)
    width = max((len(row.path) for row in rows), default=0)
    lines += [_row(row, width) for row in rows]
    if hidden:
        noun = "attribute" if hidden == 1 else "attributes"
        lines.append([(f"        # ({hidden} unchanged {noun} hidden)", "dim")])
    lines.append([("    }", None)])
    return lines


def _row(row: Row, width: int) -> Line:
    line: Line = [(f"      {row.op} ", OP_STYLES.get(row.op)), (f"{row.path.ljust(width)} = ", None)]
    if row.op == "~":
        line.append((f"{format_value(row.old)} -> {format_value(row.new)}", None))
    else:
        line.append((format_value(row.old if row.op == "-" else row.new), None))
    if row.forces:
        line.append((" # forces replacement", "red"))
    return line


def _outputs(plan: Plan) -> list[Line]:
    if not plan.outputs:
        return []
    width = max(len(name) for name in plan.outputs)
    lines: list[Line] = [BLANK, [("Outputs after apply:" if plan.has_changes else "Outputs:", "bold")]]
    for name, value in plan.outputs.items():
        lines.append([(f"  {name.ljust(width)} = {format_value(value)}", None)])
    return lines


def _cost(plan: Plan) -> list[Line]:
    if not plan.estimated_cost_micro_usd:
        return []
    text = f"Estimated cost: {usd(plan.estimated_cost_micro_usd)}"
    style: str | None = None
    if plan.balance_micro_usd is not None:
        text += f" of {usd(plan.balance_micro_usd)} balance"
        if plan.estimated_cost_micro_usd > plan.balance_micro_usd:
            text += " (the balance does not cover it)"
            style = "bold red"
    return [BLANK, [(text, style)]]
