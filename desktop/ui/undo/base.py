"""The one behaviour every undo command of EcoDesk shares.

A page writes first and pushes the command only after the store accepted that write
(``write_then_push``), so the stack never holds a change that did not happen. ``QUndoStack.push``
calls ``redo()`` at once: that first call is skipped, since the write is already done. Undo and
every later redo write through ``apply``; when the store refuses one (the period has been locked
since, the values were changed since), the command puts the sentence on the status bar and marks
itself obsolete, so Qt drops it from the stack instead of keeping a step that cannot be taken.

A command whose write is a bulk one (a whole import) is a ``WorkerCommand``: its first write,
its undo and its redo all run on the one worker of ``desktop.tasks``, with the window disabled.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from db.errors import KnownError
from desktop.tasks import Task, run_task


def verb(undo: bool) -> str:
    """撤销 or 重做, as the status bar says it."""
    return "撤销" if undo else "重做"


class UndoCommand(QUndoCommand):
    """Base of every command: subclasses say how to write (``apply``), nothing else."""

    def __init__(self, text: str, report: Callable[[str], None]) -> None:
        super().__init__(text)
        self._report = report
        self._pushed = False

    def report(self, text: str) -> None:
        """A sentence for the status bar."""
        self._report(text)

    def apply(self, *, undo: bool) -> None:
        """Write the change, or with ``undo`` put back what it replaced.

        Raises a ``KnownError`` when the store refuses; nothing is written then.
        """
        raise NotImplementedError

    def redo(self) -> None:
        if not self._pushed:  # the page wrote it before pushing
            self._pushed = True
            return
        self._step(undo=False)

    def undo(self) -> None:
        self._step(undo=True)

    def _step(self, *, undo: bool) -> None:
        try:
            self.apply(undo=undo)
        except KnownError as exc:
            self.refused(exc.one_line(), undo=undo)
            return
        self.succeeded(undo=undo)

    def succeeded(self, *, undo: bool) -> None:
        """An undo or redo was written: say so."""
        self.report(f"已{verb(undo)}：{self.text()}")

    def refused(self, message: str, *, undo: bool) -> None:
        """An undo or redo was refused: say why, and let Qt drop the command."""
        self.report(f"无法{verb(undo)}“{self.text()}”：{message}")
        self.setObsolete(True)


def write_then_push(
    stack: QUndoStack, command: UndoCommand, *, done: str = "", refused: str = "未保存"
) -> bool:
    """Do the command's first write now and push it only if the store accepted it.

    ``done`` goes to the status bar on success (when the write does not report itself), a refusal
    as "``refused``：reason". Returns whether the command is on the stack.
    """
    try:
        command.apply(undo=False)
    except KnownError as exc:
        command.report(f"{refused}：{exc.one_line()}")
        return False
    stack.push(command)
    if done:
        command.report(done)
    return True


class WorkerCommand(UndoCommand):
    """A command whose writes run on the worker, never on the GUI thread.

    Qt moves the stack's index as soon as ``undo()`` returns, before the worker has written.
    A step the store refuses therefore leaves the stack afterwards, the way Qt drops any refused
    step: the command marks itself obsolete and the stack steps back over it (Qt deletes an
    obsolete command it reaches without calling it). Data and stack agree again, and the user
    could not act in between: the window is disabled until the worker is done.
    """

    def __init__(
        self, text: str, report: Callable[[str], None], stack: QUndoStack, parent: QWidget
    ) -> None:
        super().__init__(text, report)
        self._stack, self._parent = stack, parent

    def write(self, *, undo: bool, source: str) -> int:
        """On the worker: write (or put back) in one transaction; return how many values.

        ``source`` labels the audit rows. Must not touch Qt objects.
        """
        raise NotImplementedError

    def push_when_written(
        self, done: Callable[[int], object], refused: Callable[[str], object]
    ) -> Task:
        """The first write, on the worker; the command is pushed only once it succeeded."""
        source = self.text()

        def written(count: int) -> None:
            self._stack.push(self)
            done(count)

        return run_task(
            self._parent, f"正在写入：{source}…",
            lambda _progress: self.write(undo=False, source=source), written, refused,
            cancellable=False,
        )  # fmt: skip

    def _step(self, *, undo: bool) -> None:
        source = f"{verb(undo)}{self.text()}"
        run_task(
            self._parent, f"正在{source}…",
            lambda _progress: self.write(undo=undo, source=source),
            lambda _count: self.succeeded(undo=undo),
            lambda message: self._refused_later(message, undo=undo),
            cancellable=False,
        )  # fmt: skip

    def _refused_later(self, message: str, *, undo: bool) -> None:
        self.refused(message, undo=undo)
        index = self._stack.index()
        if undo and index < self._stack.count() and self._stack.command(index) is self:
            self._stack.redo()  # obsolete: Qt deletes it without calling redo()
        elif not undo and index > 0 and self._stack.command(index - 1) is self:
            self._stack.undo()
