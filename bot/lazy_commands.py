"""A command module imported the first time one of its commands runs, not at start-up."""

import importlib
from typing import Any


class LazyCommands:
    """Stands for a module of CLI commands: `commands.cmd_x` is a function that imports the
    module when called and runs its `cmd_x`."""

    def __init__(self, module: str) -> None:
        self.module = module

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        module = self.module

        def command(*args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(module), name)(*args, **kwargs)

        command.__name__ = command.__qualname__ = name
        return command
