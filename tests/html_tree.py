"""HTML parsed into a small element tree (html.parser), for tests of a page's structure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base", "source", "wbr"}


@dataclass
class Element:
    """One element: its tag, attributes and children (text as ``#text`` children)."""

    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    data: str = ""

    @property
    def text(self) -> str:
        """The text directly inside the element."""
        return "".join(child.data for child in self.children if child.tag == "#text")

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if child.tag != "#text":
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Elements inside (or this one) with ``tag`` and the given attribute values;
        ``class_`` matches one of the classes, ``data_x`` the attribute ``data-x``."""
        return [element for element in self.iter() if element.matches(tag, attrs)]

    def matches(self, tag: str | None, attrs: dict[str, str]) -> bool:
        if tag is not None and self.tag != tag:
            return False
        for name, value in attrs.items():
            if name == "class_":
                if value not in self.attrs.get("class", "").split():
                    return False
            elif self.attrs.get(name.replace("_", "-")) != value:
                return False
        return True

    def all_text(self) -> str:
        """The text of the element and its descendants."""
        return self.data + "".join(child.all_text() for child in self.children)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        raise AssertionError(f"</{tag}> closes no open element")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Element("#text", {}, data=data))


def parse(html: str) -> Element:
    """The document's tree; AssertionError if an end tag closes nothing or a tag stays open."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    open_tags = [element.tag for element in builder.stack[1:]]
    assert open_tags == [], f"unclosed elements: {open_tags}"
    return builder.root
