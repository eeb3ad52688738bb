"""The Argos package index: where it is, fetching it, picking a package, downloading it.

Every request goes through one opener whose connections connect within CONNECT_TIMEOUT and
then read with the caller's (longer) timeout, so that without network an install fails within
seconds instead of hanging.
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from l10n.argos.archive import validate
from l10n.argos.limits import Limits
from l10n.argos.packages import PackageInfo, argos_package, install_file
from l10n.argos.versions import version_key
from l10n.errors import ModelError
from l10n.langcodes import is_language_code

INDEX_ENV = "L10N_ARGOS_INDEX"
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
# Without network the connection attempt is what hangs; a reachable server answers a SYN in
# well under a second, so a few seconds is generous and keeps offline failures quick.
CONNECT_TIMEOUT = 3.0

FILE_HINT = (
    "no network? download the .argosmodel file on a machine that has one (see "
    "https://www.argosopentech.com/argospm/index/) and install it from the file: "
    "l10n models install PATH/TO/translate-de_en.argosmodel"
)

_MAX_INDEX_BYTES = 64 << 20
_CHUNK = 1 << 16


class _HTTPConnection(http.client.HTTPConnection):
    """Connects within the connect timeout, then reads with the (longer) read timeout."""

    def __init__(self, *args: Any, read_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timeout = read_timeout

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(self._read_timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, read_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timeout = read_timeout

    def connect(self) -> None:
        super().connect()  # TCP and TLS handshake, both under the connect timeout
        self.sock.settimeout(self._read_timeout)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self._read_timeout = read_timeout

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_HTTPConnection, read_timeout=self._read_timeout)
        return self.do_open(factory, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self._read_timeout = read_timeout

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_HTTPSConnection, read_timeout=self._read_timeout)
        return self.do_open(factory, req, context=self._context)  # type: ignore[attr-defined]


def _urlopen(url: str, timeout: float) -> Any:
    from l10n import __version__

    opener = urllib.request.build_opener(_HTTPHandler(timeout), _HTTPSHandler(timeout))
    request = urllib.request.Request(url, headers={"User-Agent": f"l10n/{__version__}"})
    return opener.open(request, timeout=min(timeout, CONNECT_TIMEOUT))


def _network_error(what: str, url: str, exc: BaseException, timeout: float) -> ModelError:
    if isinstance(exc, urllib.error.HTTPError):
        return ModelError(
            f"cannot download {what}: HTTP {exc.code} {exc.reason} from {url}",
            hint=f"check the index URL (argument or {INDEX_ENV}); " + FILE_HINT,
        )
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        text = f"no answer within {min(timeout, CONNECT_TIMEOUT):g} s (connect) / {timeout:g} s"
    elif isinstance(reason, OSError) and reason.strerror:
        text = reason.strerror
    else:
        text = str(reason) or type(reason).__name__
    if isinstance(reason, FileNotFoundError):
        return ModelError(f"cannot read {what}: file not found: {url}",
                          hint=f"check the index URL (argument or {INDEX_ENV})")
    return ModelError(f"cannot download {what} from {url}: {text}", hint=FILE_HINT)


def resolve_index_url(index_url: str | None = None) -> str:
    """The index to use: the argument, then $L10N_ARGOS_INDEX, then argostranslate's.

    A plain path becomes a file:// URL; a URL ending in '/' gets 'index.json' appended (the
    form argostranslate's ARGOS_PACKAGE_INDEX uses).
    """
    url = index_url or os.environ.get(INDEX_ENV)
    if not url:
        try:
            url = str(argos_package().settings.remote_package_index)
        except ModelError:
            url = DEFAULT_INDEX_URL
    scheme = urllib.parse.urlsplit(url).scheme
    if not scheme or re.match(r"^[A-Za-z]:[\\/]", url):
        url = Path(url).resolve().as_uri()
    if url.endswith("/"):
        url += "index.json"
    return url


_NETWORK_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException, ValueError)


def _fetch_index(url: str, timeout: float) -> list[Any]:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise ModelError(f"unsupported index URL scheme {scheme!r}: {url}",
                         hint="use an http(s):// or file:// URL, or a path")
    try:
        with _urlopen(url, timeout) as response:
            raw = response.read(_MAX_INDEX_BYTES + 1)
    except _NETWORK_ERRORS as exc:
        raise _network_error("the Argos package index", url, exc, timeout) from exc
    if len(raw) > _MAX_INDEX_BYTES:
        raise ModelError(f"the package index at {url} is larger than {_MAX_INDEX_BYTES >> 20} MiB")
    try:
        index = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"the package index at {url} is not valid JSON: {exc}",
                         hint=f"check the index URL (argument or {INDEX_ENV})") from exc
    if not isinstance(index, list):
        raise ModelError(f"the package index at {url} is not a JSON list of packages",
                         hint=f"check the index URL (argument or {INDEX_ENV})")
    return index


def _pick(index: list[Any], from_code: str, to_code: str, url: str) -> dict[str, Any]:
    entries = [e for e in index
               if isinstance(e, dict) and e.get("type", "translate") == "translate"]
    matches = [e for e in entries
               if e.get("from_code") == from_code and e.get("to_code") == to_code]
    if not matches:
        targets = sorted({str(e.get("to_code")) for e in entries
                          if e.get("from_code") == from_code})
        hint = (f"packages from {from_code!r} in this index go to: {', '.join(targets)}"
                if targets else f"this index has no package from {from_code!r}")
        raise ModelError(f"no {from_code}→{to_code} package in the index {url}", hint=hint)
    return max(matches, key=lambda e: version_key(str(e.get("package_version", ""))))


def _download(url: str, target: Path, timeout: float,
              on_progress: Callable[[int, int | None], None] | None) -> None:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise ModelError(f"unsupported download URL scheme {scheme!r}: {url}")
    try:
        with _urlopen(url, timeout) as response, target.open("wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            if on_progress is not None:
                on_progress(done, total)
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                done += len(chunk)
                if on_progress is not None:
                    on_progress(done, total)
    except _NETWORK_ERRORS as exc:
        raise _network_error("the package", url, exc, timeout) from exc
    if total is not None and done != total:
        raise ModelError(f"download of {url} stopped after {done} of {total} bytes",
                         hint="try again; " + FILE_HINT)


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    timeout: float = 10,
    limits: Limits | None = None,
) -> PackageInfo:
    """Download the pair's package named by the Argos index and install it.

    `on_progress(done, total)` is called as bytes arrive (`total` is None when unknown).
    Connecting gives up after min(timeout, CONNECT_TIMEOUT) seconds, a stalled read after
    `timeout`, so without network this fails within seconds.
    """
    for code in (from_code, to_code):
        if not is_language_code(code):
            raise ModelError(f"{code!r} is not a language code",
                             hint="use ISO 639 codes such as 'de' and 'en'")
    if from_code == to_code:
        raise ModelError(f"from and to are both {from_code!r}",
                         hint="name two languages, e.g. `l10n models install de en`")
    limits = limits or Limits.from_env()
    argos_package()  # fail before downloading anything if it could not be installed
    url = resolve_index_url(index_url)
    entry = _pick(_fetch_index(url, timeout), from_code, to_code, url)
    raw_links = entry.get("links")
    links = [urllib.parse.urljoin(url, link) for link in raw_links or [] if isinstance(link, str)]
    if not links:
        raise ModelError(f"the index entry for {from_code}→{to_code} has no download links",
                         hint=FILE_HINT)
    with tempfile.TemporaryDirectory(prefix="l10n-download-") as tmp:
        target = Path(tmp) / f"translate-{from_code}_{to_code}.argosmodel"
        failures: list[ModelError] = []
        for link in links:  # further links are mirrors
            try:
                _download(link, target, timeout, on_progress)
                break
            except ModelError as exc:
                failures.append(exc)
        else:
            if len(failures) == 1:
                raise failures[0]
            raise ModelError(
                f"every download link for {from_code}→{to_code} failed: "
                + "; ".join(f.message for f in failures),
                hint=FILE_HINT,
            )
        meta = validate(target, limits=limits)
        if (meta.from_code, meta.to_code) != (from_code, to_code):
            raise ModelError(
                f"the index promised a {from_code}→{to_code} package, the download is "
                f"{meta.from_code}→{meta.to_code} ({links[0]})",
                hint="the index is wrong; " + FILE_HINT,
            )
        return install_file(target, limits=limits)
