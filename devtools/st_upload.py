"""Uploading a file into a Streamlit `file_uploader` as the browser does, for load tests.

The browser's uploader (1) asks the session for upload URLs (a `file_urls_request` BackMsg,
devtools.st_client), (2) PUTs the file as multipart form data to
`/_stcore/upload_file/<session>/<file id>`, with the XSRF token of the `_streamlit_xsrf` cookie
echoed in the `X-Xsrftoken` header (Streamlit's XSRF protection is on by default: the cookie
comes with any page or health check), and (3) reruns the page with the uploader's widget state,
a `FileUploaderState` naming the uploaded file. This module does the same three steps.
"""

from __future__ import annotations

import asyncio
import http.cookies
import urllib.request
import uuid

from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
from streamlit.proto.WidgetStates_pb2 import WidgetState

from devtools.st_client import StreamlitSession

XSRF_COOKIE = "_streamlit_xsrf"


def xsrf_cookie(base_url: str, timeout: float = 30.0) -> str:
    """The `_streamlit_xsrf` cookie the server at `base_url` (http://host:port) gives a new
    browser; "" when its XSRF protection is off."""
    with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as response:
        jar = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return jar[XSRF_COOKIE].value if XSRF_COOKIE in jar else ""


def put_file(url: str, name: str, data: bytes, xsrf: str, timeout: float = 60.0) -> int:
    """PUT `data` as the one file (named `name`) of a multipart form to `url`, with the XSRF
    cookie and header; returns the HTTP status (an error status raises urllib's HTTPError)."""
    boundary = uuid.uuid4().hex
    quoted = name.replace('"', "%22")
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'.encode(),
            b"Content-Type: application/octet-stream\r\n\r\n",
            data,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if xsrf:
        headers |= {"X-Xsrftoken": xsrf, "Cookie": f"{XSRF_COOKIE}={xsrf}"}
    request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


async def upload(
    session: StreamlitSession, base_url: str, label: str, name: str, data: bytes, xsrf: str, timeout: float = 60.0
) -> float:
    """Upload `data` as file `name` into the uploader labelled `label` on the session's page and
    wait for the page's rerun; returns the seconds from the first request to the rerun's end.
    KeyError when the page shows no such uploader, TimeoutError past `timeout`."""
    widget = session.widgets[label]
    loop = asyncio.get_running_loop()
    start = loop.time()
    urls = (await session.file_urls([name], timeout))[0]
    await asyncio.to_thread(put_file, base_url + urls.upload_url, name, data, xsrf, timeout)
    info = UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id, file_urls=urls)
    state = WidgetState(id=widget.id, file_uploader_state_value=FileUploaderState(uploaded_file_info=[info]))
    await session.act([state], timeout=max(1.0, timeout - (loop.time() - start)))
    return loop.time() - start
