"""The one error a document import raises: which file, where in it, and why."""


class DocumentError(Exception):
    """A file that cannot be read as a performance-target document."""

    def __init__(self, source: str, where: str | None, reason: str) -> None:
        self.source = source
        self.where = where
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{self.source}: {place}{self.reason}"
