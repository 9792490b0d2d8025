"""Which function renders which kind of document.

The CPD record registers itself here; the register app adds certificates from
its AppConfig.ready, so this app never imports the register.
"""

from collections.abc import Callable

from evidence.models import DocumentJob

Renderer = Callable[[DocumentJob], bytes]
_RENDERERS: dict[str, Renderer] = {}


def register_renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def decorator(func: Renderer) -> Renderer:
        _RENDERERS[kind] = func
        return func

    return decorator


def renderer_for(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise LookupError(f"No renderer for documents of kind {kind!r}") from None
