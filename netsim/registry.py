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

    def register(self, name: str):
        """Decorator: `@ACTIVATIONS.register("tanh")` on a class (instantiated) or a function."""
        def add(obj):
            if name in self:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self[name] = obj() if self.instantiate and isinstance(obj, type) else obj
            return obj
        return add

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
