"""A plan as markdown for pull-request comments: headline counts, a table, collapsible diffs."""

from __future__ import annotations

import html

from ulplan.changes import Plan, ResourceChange
from ulplan.render import layout
from ulplan.render.layout import Row
from ulplan.render.values import format_value, usd


def plan_to_markdown(plan: Plan) -> str:
    """The plan as GitHub-flavoured markdown."""
    changes = layout.ordered_changes(plan)
    parts = [_heading(plan, changes)]
    if changes:
        parts.append(_table(changes))
        parts += [_details(change) for change in changes]
    if plan.outputs:
        parts.append(_outputs(plan))
    if plan.estimated_cost_micro_usd:
        parts.append(_cost(plan))
    warnings = [*plan.warnings, *filter(None, [layout.targeting_note(plan)])]
    parts += [f"> **Warning:** {_inline(w)}" for w in warnings]
    parts += [f"> **Error:** {_inline(e)}" for e in plan.errors]
    return "\n\n".join(parts) + "\n"


def _heading(plan: Plan, changes: list[ResourceChange]) -> str:
    title = "ulplan destroy plan" if plan.destroy else "ulplan plan"
    if plan.errors:
        status = f"{len(plan.errors)} error{'s' if len(plan.errors) > 1 else ''}"
        return f"### {title}: {status}" + (f" — {layout.plan_line(plan)}" if changes else "")
    if not changes:
        return f"### {title}: no changes\n\n{layout.no_changes_line(plan)}"
    return f"### {title}: {layout.plan_line(plan).removeprefix('Plan: ').rstrip('.')}"


def _table(changes: list[ResourceChange]) -> str:
    lines = ["| Address | Action | Reason |", "|---|---|---|"]
    for change in changes:
        action = f"`{layout.marker(change)}` {layout.ACTION_WORDS[change.action]}"
        lines.append(f"| `{change.address}` | {action} | {_cell(layout.reason_text(change))} |")
    return "\n".join(lines)


def _details(change: ResourceChange) -> str:
    body: list[str] = []
    why = layout.explanation(change)
    if why:
        body.append(f"# ({why})")
    body.append(f'{layout.marker(change)} {change.kind} "{change.name}" {{')
    rows, hidden = layout.rows(change)
    width = max((len(row.path) for row in rows), default=0)
    for row in rows:
        body += _diff_lines(row, width)
    if hidden:
        body.append(f"  # ({hidden} unchanged attribute{'s' if hidden > 1 else ''} hidden)")
    body.append("  }")
    # A value holding ``` would end the fence early; a longer fence of tildes cannot be closed by it.
    fence = "~~~~~~" if any("```" in line for line in body) else "```"
    address = html.escape(change.address)
    summary = f"<summary><code>{address}</code> {layout.HEADLINES[change.action]}</summary>"
    block = "\n".join([fence + "diff", *body, fence])
    return f"<details>{summary}\n\n{block}\n\n</details>"


def _diff_lines(row: Row, width: int) -> list[str]:
    """Rows as diff lines: a change becomes a - line and a + line so GitHub colours both."""
    key = row.path.ljust(width)
    forces = "  # forces replacement" if row.forces else ""
    if row.op == "~":
        return [f"-     {key} = {format_value(row.old)}", f"+     {key} = {format_value(row.new)}{forces}"]
    if row.op == "+":
        return [f"+     {key} = {format_value(row.new)}{forces}"]
    if row.op == "-":
        return [f"-     {key} = {format_value(row.old)}{forces}"]
    return [f"      {key} = {format_value(row.new)}"]


def _outputs(plan: Plan) -> str:
    title = "**Outputs after apply**" if plan.has_changes else "**Outputs**"
    lines = [title, "", "| Name | Value |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(format_value(value))} |" for name, value in plan.outputs.items()]
    return "\n".join(lines)


def _cost(plan: Plan) -> str:
    text = f"**Estimated cost:** {usd(plan.estimated_cost_micro_usd)}"
    if plan.balance_micro_usd is not None:
        text += f" of {usd(plan.balance_micro_usd)} balance"
        if plan.estimated_cost_micro_usd > plan.balance_micro_usd:
            text += " — **the balance does not cover it**"
    return text


def _cell(text: str) -> str:
    """Table cells cannot hold pipes or newlines."""
    return text.replace("|", "\\|").replace("\n", " ")


def _inline(text: str) -> str:
    return text.replace("\n", " ")
