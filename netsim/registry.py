"""A name -> object table with errors that list what is known."""
from .errors import ConfigError


class Registry(dict):
    """Insertion-ordered mapping from a user-facing name to its implementation.

    `kind` names the concept in error messages ("activation", "optimizer", ...). Registered
    classes are stored as one instance each, unless `instantiate` is False (stateful things
    such as optimizers, made per run).
    """

    def __init__(self, kind: str, instantiate: bool = True):
        super().__init__()
        self.kind = kind
        self.instantiate = instantiate
        self._titles: dict[str, str] = {}

    def register(self, name: str, title: str | None = None):
        """Decorator: `@ACTIVATIONS.register("relu", "ReLU")` on a class (instantiated) or a
        function. `title` is how the name reads in the app's choices; without one the name
        reads as itself, capitalised, with spaces for underscores."""
        def add(obj):
            if name in self:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            entry = self[name] = obj() if self.instantiate and isinstance(obj, type) else obj
            if isinstance(getattr(entry, "name", None), str):
                entry.name = name                   # an entry that knows its own name
            if title is not None:
                self._titles[name] = title
            return obj
        return add

    def unregister(self, name: str):
        """Remove an entry (tests add entries of their own, then take them away)."""
        del self[name]
        self._titles.pop(name, None)

    def title(self, name: str) -> str:
        """How `name` reads to a person: "ReLU", "Xavier (Glorot) uniform"."""
        return self._titles.get(name) or name.replace("_", " ").capitalize()

    def get(self, name, field: str | None = None):
        """The entry for `name`, or ConfigError naming the field and the accepted names."""
        try:
            return self[name]
        except (KeyError, TypeError):
            where = field or self.kind
            raise ConfigError(
                f"{where} must be one of {', '.join(self)}; got {name!r}") from None

    def names(self) -> list[str]:
        return list(self)
