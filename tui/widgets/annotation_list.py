"""AnnotationList: the rows of the annotation panel; a click jumps to one, Enter edits it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList

__all__ = ["AnnotationList"]


class AnnotationList(OptionList):
    """An OptionList whose options are annotations (option id = annotation id). Enter asks to edit the
    highlighted one; Escape hands the focus back to the text."""

    BINDINGS = [
        Binding("enter", "edit", "Edit", show=False, id="panel.edit", tooltip="Edit the highlighted annotation"),
        Binding("escape", "leave", "Back to text", show=False, id="panel.leave", tooltip="Back to the story text"),
    ]

    @dataclass
    class Edit(Message):
        """Enter on an annotation."""

        ann_id: str

    class Leave(Message):
        """Escape: the user is done with the list."""

    def action_edit(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Edit(option.id))

    def action_leave(self) -> None:
        self.post_message(self.Leave())
