"""XML parsed safely: no DTD entities, no external entities, no network (defusedxml over ElementTree).

Hostile input is normal input here: an XXE file would read local files, a "billion laughs" file would eat
all memory. Both rely on entity declarations, which are refused before anything is expanded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from stories.model import StoryError

__all__ = ["local", "parse_xml"]


def parse_xml(data: bytes) -> ET.Element:
    """The root element of an XML document. Raises StoryError for malformed or entity-declaring XML."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root: ET.Element = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise StoryError(
            "XML that declares entities is refused (entities can read local files or exhaust memory)"
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise StoryError(f"not well-formed XML (line {line}, column {column})") from None
    except LookupError as exc:  # an encoding Python does not know, in the XML declaration
        raise StoryError(f"XML in an unknown encoding ({exc})") from None
    except (ValueError, RecursionError) as exc:
        raise StoryError(f"unreadable XML ({exc})") from None
    if _depth(root) > MAX_DEPTH:
        raise StoryError(f"XML nested more than {MAX_DEPTH} levels deep is refused")
    return root


#: No real news document nests elements this deep; deeper ones only serve to break parsers.
MAX_DEPTH = 200


def _depth(root: ET.Element) -> int:
    """How deep the element tree goes (iteratively: a recursive walk would itself overflow)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in element)
    return deepest


def local(tag: object) -> str:
    """An element's tag without its namespace: '{http://…}newsItem' -> 'newsItem'."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
