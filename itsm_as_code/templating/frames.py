"""Pages that share a frame: a template rendered once around its named blocks.

Ten thousand incident pages share their head, navigation and footer, the same on every
page but for the title; rendering that frame for each page was a tenth of the page's
cost. A `Frame` renders the whole template once, with the named blocks left as holes,
and then each page renders only those blocks, the template's own compiled blocks in
the one environment (autoescape and filters as for a whole render), between the frame's
fixed pieces. The bytes are those of a whole render on one condition, which the caller
keeps: everything the template reads outside the holes has the same value on every page
the frame serves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from jinja2 import Template
from jinja2.runtime import Context


class _Hole:
    """What the frame's render yields where a block goes (never a string, so no text
    of a page can be mistaken for it)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Frame:
    """`template` rendered with `sample`'s variables, its own blocks `holes` left out
    (jinja2 shows a block once; a hole must not be shown again through `self.name()`)."""

    def __init__(self, template: Template, sample: Mapping[str, Any],
                 holes: Sequence[str]) -> None:
        missing = [name for name in holes if name not in template.blocks]
        if missing:
            raise ValueError(f"{template.name} has no block {', '.join(missing)}")
        context = template.new_context(dict(sample))
        for name in holes:
            context.blocks[name] = [_hole(name)]
        pieces: list[list[str]] = [[]]
        order: list[str] = []
        for part in template.root_render_func(context):
            if isinstance(part, _Hole):
                order.append(part.name)
                pieces.append([])
            else:
                pieces[-1].append(part)
        self.template = template
        self.pieces = ["".join(piece) for piece in pieces]
        self.order = order  # the blocks in the order the frame shows them

    def render(self, variables: Mapping[str, Any]) -> str:
        """The page `variables` make: the frame with this page's blocks in its holes."""
        context: Context = self.template.new_context(dict(variables))
        blocks = self.template.blocks
        parts = [self.pieces[0]]
        for name, piece in zip(self.order, self.pieces[1:], strict=True):
            parts.extend(blocks[name](context))
            parts.append(piece)
        return "".join(parts)


def _hole(name: str) -> Any:
    mark = _Hole(name)

    def block(context: Context) -> Iterator[Any]:
        yield mark

    return block
