"""PDFs, judged as a PDF reader judges them.

qpdf (through pikepdf) resolves the cross-reference table, object streams and incremental
updates as readers do, so every object a reader could act on is seen however its names are
spelt (``/J#61vaScript`` is ``/JavaScript``) and wherever it is compressed. Three views are
walked: the file as its table describes it (which must parse without any repair), each earlier
revision, and every object a reader rebuilding the file would find, including objects no table
lists. The bytes are kept as uploaded: re-writing would break signatures on certificates.
"""

import io
import re
import zlib
from contextlib import suppress

import pikepdf
from django.utils.translation import gettext as _

from evidence.uploads import detection
from evidence.uploads.refusals import damaged, encrypted, polyglot, refuse

MAX_OBJECT_STREAM_BYTES = 64 * 1024 * 1024  # unpacked, in total; far beyond any real file
MAX_REVISIONS = 64
MAX_NODES = 2_000_000
# Action types refused wherever they are, clicked or automatic.
_REFUSED_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/GoToR": "remote_file"}
_REFUSED_ACTIONS |= {"/GoToE": "remote_file", "/SubmitForm": "submit_form"}
_REFUSED_ACTIONS |= {"/ImportData": "import_data", "/RichMediaExecute": "rich_media"}


_KEYS = {"/JS": "javascript", "/JavaScript": "javascript", "/XFA": "xfa"}
_KEYS |= {"/EmbeddedFiles": "embedded_file", "/EF": "embedded_file"}
_KEYS |= {"/RichMediaContent": "rich_media"}
_VALUES = {("/Type", "/EmbeddedFile"): "embedded_file", ("/Subtype", "/RichMedia"): "rich_media"}
_VALUES |= {("/Subtype", "/FileAttachment"): "embedded_file"}


class _Unreadable(Exception):
    """Part of the file cannot be read, so we cannot vouch for it."""


def _message(code: str) -> str:
    # Translators: each completes a refusal that starts with the quoted file name.
    return {
        "javascript": _("%(file)s contains JavaScript, which a PDF reader would run."),
        "launch": _("%(file)s contains an action that starts a program or opens another file."),
        "remote_file": _(
            "%(file)s contains a link that opens a file on a network share or the internet, "
            "which can reveal a reader's Windows sign-in."
        ),
        "submit_form": _("%(file)s contains a form that sends what is typed in it elsewhere."),
        "import_data": _("%(file)s contains a form that fills itself in from another file."),
        "auto_uri": _("%(file)s opens a web address by itself when it is opened or used."),
        "embedded_file": _("%(file)s has other files attached inside it."),
        "xfa": _("%(file)s contains a dynamic (XFA) form, which carries its own scripts."),
        "rich_media": _("%(file)s contains embedded media (RichMedia or Flash)."),
    }[code]


def check_pdf(data: bytes, subject: str) -> bytes:
    sniff = detection.SNIFF_BYTES
    if (
        detection.contains_zip(data)
        or detection.has_markup(data[7:sniff])
        or detection.has_markup(data[-sniff:])
    ):
        raise polyglot(subject, "pdf")
    try:
        finding = _find_active_content(data)
    except pikepdf.PasswordError as exc:
        raise encrypted(subject) from exc
    except Exception as exc:
        # _Unreadable, or any of the several kinds qpdf and pikepdf raise on hostile bytes.
        raise damaged(subject, _("a PDF")) from exc
    if finding == "encrypted":
        raise encrypted(subject)
    if finding:
        hint = _("Print it to a new PDF (“Save as PDF”) and upload that copy.")
        raise refuse(finding, _message(finding), subject, hint)
    return data


def _find_active_content(data: bytes) -> str | None:
    # Every complete PDF ends with %%EOF; without it the file was cut short.
    if b"%%EOF" not in data[-detection.SNIFF_BYTES :]:
        raise _Unreadable("no %%EOF at the end")
    budget = [MAX_OBJECT_STREAM_BYTES]
    with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            return "encrypted"
        seen: set = set()
        finding = _walk_view(pdf, seen, budget)
        if warnings := pdf.get_warnings():  # qpdf had to repair something to read it
            raise _Unreadable(warnings[0])
    if finding:
        return finding
    for view in _other_views(data):
        with suppress(pikepdf.PdfError), pikepdf.open(io.BytesIO(view)) as pdf:
            if finding := _walk_view(pdf, seen, budget):
                return finding
    return None


def _other_views(data: bytes):
    """Each earlier revision, then the whole file as a reader rebuilding it would see it."""
    ends = [m.end() for m in re.finditer(rb"%%EOF", data)]
    if len(ends) > MAX_REVISIONS:
        raise _Unreadable("too many revisions")
    for end in ends[:-1]:
        yield data[:end]
    # Without "startxref" qpdf rebuilds the table from every "N G obj" in the file.
    yield data.replace(b"startxref", b"startxrex")


def _walk_view(pdf: pikepdf.Pdf, seen: set, budget: list[int]) -> str | None:
    table = pdf.get_xref_table()
    unpacked: dict = {}
    # Object streams are measured before qpdf is asked to unpack them.
    for number in {entry.obj_stream_number for entry in table.values() if entry.type == 2}:
        _unpack(pdf.get_object((number, 0)), budget, unpacked)
    roots = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream):
            continue
        # An object at the same place in the file as one already walked is the same object.
        if entry := table.get(obj.objgen):
            container = table.get((entry.obj_stream_number, 0))
            place = (entry.offset, container and container.offset, entry.obj_stream_index)
            if place in seen:
                continue
            seen.add(place)
        roots.append(obj)
        if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Type") == "/ObjStm":
            # Objects packed in a stream that no table points into are still there for a
            # reader that rebuilds the table.
            roots.extend(_packed_objects(obj, budget, unpacked))
    return _walk(roots)


# A reference to another object; parsed away from the rest of the file it reads as null.
_REFERENCE = re.compile(rb"(?<![\w.+-])\d+\s+\d+\s+R(?!\w)")


def _packed_objects(stream: pikepdf.Stream, budget: list[int], unpacked: dict) -> list:
    body = _unpack(stream, budget, unpacked)
    first = int(stream.stream_dict.get("/First", 0))
    try:
        return list(pikepdf.Object.parse(b"[" + _REFERENCE.sub(b"null", body[first:]) + b"]"))
    except Exception as exc:  # qpdf raises several kinds on bytes it cannot parse
        raise _Unreadable("object stream") from exc


def _unpack(stream: pikepdf.Stream, budget: list[int], unpacked: dict) -> bytes:
    if stream.objgen in unpacked:
        return unpacked[stream.objgen]
    filters = stream.stream_dict.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    raw = stream.read_raw_bytes()
    if filters is None:
        body = raw
    elif filters == "/FlateDecode" and "/DecodeParms" not in stream.stream_dict:
        # Writers compress object streams with plain Flate; unpacked here with a cap, as
        # a few kilobytes can unpack to gigabytes.
        try:
            body = zlib.decompressobj().decompress(raw, max(budget[0], 0) + 1)
        except zlib.error as exc:
            raise _Unreadable("object stream") from exc
    else:
        raise _Unreadable("object stream filter")
    budget[0] -= len(body)
    if budget[0] < 0:
        raise _Unreadable("object streams too large")
    unpacked[stream.objgen] = body
    return body


def _walk(roots: list) -> str | None:
    """Judge every dictionary in ``roots`` and inside them, not following references: every
    indirect object is a root of its own."""
    stack = list(roots)
    for _count in range(MAX_NODES):
        if not stack:
            return None
        obj = stack.pop()
        if isinstance(obj, pikepdf.Array):
            children = list(obj)
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            dictionary = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if finding := _judge(dictionary):
                return finding
            children = list(dictionary.values())
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Array | pikepdf.Dictionary) and not child.is_indirect
        )
    raise _Unreadable("too many objects")


def _judge(d: pikepdf.Dictionary) -> str | None:
    for key in d:  # /JavaScript as a key is the document-level script tree
        if finding := _KEYS.get(key):
            return finding
    action = d.get("/S")
    if isinstance(action, pikepdf.Name) and str(action) in _REFUSED_ACTIONS:
        return _REFUSED_ACTIONS[str(action)]
    for (key, value), finding in _VALUES.items():
        if d.get(key) == value:
            return finding
    # A web address followed by a click is a link; one followed on open, on a page or field
    # event, or as the next step of such an action, happens without anyone choosing it.
    triggered = [d["/OpenAction"]] if "/OpenAction" in d else []
    if isinstance(d.get("/AA"), pikepdf.Dictionary):
        triggered.extend(d["/AA"].values())
    return "auto_uri" if _any_uri(triggered) else None


def _any_uri(actions: list) -> bool:
    for _count in range(1000):  # /Next chains can loop
        if not actions:
            return False
        action = actions.pop()
        if isinstance(action, pikepdf.Array):
            actions.extend(action)
        elif isinstance(action, pikepdf.Dictionary):
            if action.get("/S") == "/URI":
                return True
            if "/Next" in action:
                actions.append(action["/Next"])
    raise _Unreadable("endless chain of actions")
