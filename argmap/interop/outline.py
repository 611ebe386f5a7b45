"""A Markdown outline of the argument, for pasting into documents.

The same tree as the page's outline (:attr:`argmap.graph.ArgumentGraph.outline`): the
thesis first, under each statement what supports it and what attacks it, each statement
written out once and marked "(see above)" where it comes again.
"""

from __future__ import annotations

from argmap.graph import ArgumentGraph, OutlineItem, Role

_ROLE = {
    Role.ROOT: "",
    Role.SUPPORTS: "*supports:* ",
    Role.LINKED: "",
    Role.ATTACKS: "*attacks:* ",
    Role.UNDERCUTS: "*undercuts:* ",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def to_markdown(graph: ArgumentGraph) -> str:
    argument_map = graph.map
    lines = [f"# {_flat(argument_map.title)}", ""]
    source = argument_map.source
    if not source.is_empty():
        parts = [p for p in (source.title, source.author, source.publisher, source.date) if p]
        shown = ", ".join(_flat(p) for p in parts) or (source.url or "")
        if source.url and parts:
            shown = f"[{_flat(parts[0])}]({source.url})" + "".join(
                f", {_flat(p)}" for p in parts[1:]
            )
        lines += [f"Source: {shown}", ""]
    if argument_map.summary:
        lines += [argument_map.summary.strip(), ""]

    def item_line(item: OutlineItem, depth: int) -> None:
        indent = "  " * depth
        if item.node is None:
            reason = item.reason
            assert reason is not None
            word = "together support" if reason.linked else "supports (as a named reason)"
            lines.append(f"{indent}- *{word}* (`{reason.id}`):")
        else:
            node = graph.nodes[item.node]
            number = graph.numbers[item.node]
            role = _ROLE[item.role]
            if item.node == argument_map.thesis and item.role is Role.ROOT:
                role = "*thesis:* "
            if item.repeated:
                lines.append(f"{indent}- {role}**{number}** (see above)")
                return
            lines.append(f"{indent}- {role}**{number}** {_flat(node.text)}")
        for child in item.children:
            item_line(child, depth + 1)

    for root in graph.outline:
        item_line(root, 0)
    return "\n".join(lines).rstrip("\n") + "\n"
