"""Which function renders which kind of document.

The CPD record registers itself here; the register app adds certificates from
its AppConfig.ready, so this app never imports the register.
"""

from collections.abc import Callable

from evidence.models import DocumentJob

Renderer = Callable[[DocumentJob], bytes]
_RENDERERS: dict[str, Renderer] = {}
# What each kind makes, when it is not a PDF: (file extension, content type).
_OUTPUTS: dict[str, tuple[str, str]] = {}


def register_renderer(
    kind: str, *, extension: str = "pdf", content_type: str = "application/pdf"
) -> Callable[[Renderer], Renderer]:
    def decorator(func: Renderer) -> Renderer:
        _RENDERERS[kind] = func
        _OUTPUTS[kind] = (extension, content_type)
        return func

    return decorator


def output_for(kind: str) -> tuple[str, str]:
    """The file extension and content type of a document of ``kind``."""
    return _OUTPUTS.get(kind, ("pdf", "application/pdf"))


def renderer_for(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise LookupError(f"No renderer for documents of kind {kind!r}") from None
