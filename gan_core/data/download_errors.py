"""Why a keras.datasets download failed, in one line a user can act on.

keras.utils.get_file wraps network errors in a bare Exception (the urllib error stays on
its __context__), raises ValueError on a checksum mismatch, lets OSError through from
writing the file, and the loaders then raise whatever gzip, tarfile, zipfile or pickle
raise on a damaged archive. Each cause asks for something else: go online, free disk
space, or download again.
"""

from __future__ import annotations

import errno
import gzip
import pickle
import tarfile
import urllib.error
import zipfile
import zlib

from gan_core.data.imageset import one_line_reason

OFFLINE_HINT = "the embedded 'mnist-5k' works offline"
_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_CORRUPT = (tarfile.TarError, zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError, pickle.UnpicklingError)


def _chain(err: BaseException):
    """The error and every error it was raised from or during, innermost last."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__


def download_failure(source: str, err: BaseException, cache_folder) -> str:
    """The one-line message for `err`, raised while keras fetched or read `source`.

    Tells apart: the server's HTTP answer, no network (offline), a full disk, a file the
    user may not write, a checksum mismatch, a corrupt archive; anything else keeps its
    own short reason."""
    chain = list(_chain(err))
    for e in chain:
        if isinstance(e, urllib.error.HTTPError):
            return (
                f"'{source}' could not be downloaded: the server answered HTTP {e.code} {e.reason}; "
                f"try again later ({OFFLINE_HINT})"
            )
    for e in chain:
        if isinstance(e, OSError) and e.errno in _DISK_FULL:
            return (
                f"'{source}' could not be downloaded: the disk is full ({one_line_reason(e)}); "
                f"free some space where the keras cache is ({cache_folder})"
            )
    for e in chain:
        if isinstance(e, urllib.error.URLError):
            return (
                f"'{source}' needs the internet the first time, and this machine looks offline "
                f"({one_line_reason(e.reason)}); {OFFLINE_HINT}"
            )
    for e in chain:
        if isinstance(e, PermissionError):
            return (
                f"'{source}' could not be saved: no permission to write {e.filename or cache_folder} "
                f"({one_line_reason(e.strerror or e)})"
            )
    for e in chain:
        if isinstance(e, ValueError) and "hash does not match" in str(e):
            return (
                f"'{source}' was downloaded but failed its checksum (an incomplete or altered file); "
                f"try again, keras downloads it anew"
            )
    for e in chain:
        if isinstance(e, _CORRUPT):
            return (
                f"'{source}' was downloaded but the archive is corrupt ({one_line_reason(e)}); "
                f"delete its files in {cache_folder} and try again"
            )
    reason = str(err).rpartition(" -- ")[2] or type(err).__name__
    return f"'{source}' could not be downloaded ({one_line_reason(reason)}); {OFFLINE_HINT}"
