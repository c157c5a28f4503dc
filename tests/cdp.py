"""Drive headless Chromium from a test, with the standard library only.

Chromium speaks the DevTools protocol (JSON messages) over a websocket. This file has
just enough of both: a websocket client (RFC 6455: an HTTP upgrade, then frames; the
client masks what it sends), and a ``Browser`` that starts Chromium, opens a page,
evaluates JavaScript, clicks like a mouse and takes screenshots.

    with Browser("/usr/bin/chromium") as browser:
        browser.open("http://127.0.0.1:8000/try.html")
        browser.click("#run-demo")
        browser.wait_for("document.querySelector('#output').textContent.includes('AUC')", 180)
"""

import base64
import hashlib
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455's constant for the handshake
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--hide-scrollbars",
         "--remote-debugging-port=0", "--window-size=1280,1000"]


class WebSocket:
    """A websocket client for text messages."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self._read(1)
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if b" 101 " not in response.split(b"\r\n")[0] or accept.encode() not in response:
            raise ConnectionError(f"websocket handshake refused: {response[:200]!r}")

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("the browser closed the websocket")
            data += chunk
        return data

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        n = len(payload)
        header = struct.pack("!B", 0x80 | opcode)
        if n < 126:
            header += struct.pack("!B", 0x80 | n)
        elif n < 65536:
            header += struct.pack("!BH", 0x80 | 126, n)
        else:
            header += struct.pack("!BQ", 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send(self, text: str) -> None:
        self._send_frame(0x1, text.encode("utf-8"))

    def _frame(self) -> tuple:
        first, second = self._read(2)
        n = second & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read(8))[0]
        mask = self._read(4) if second & 0x80 else b""
        payload = self._read(n)
        if mask:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return bool(first & 0x80), first & 0x0F, payload

    def receive(self) -> str:
        """The next text message, joined from its fragments; answers pings on the way."""
        message = b""
        while True:
            final, opcode, payload = self._frame()
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError("the browser closed the websocket")
            message += payload
            if final and opcode in (0x0, 0x1, 0x2):
                return message.decode("utf-8")

    def close(self) -> None:
        self.sock.close()


def console_errors(events: List[Dict[str, Any]]) -> List[str]:
    """The console errors and uncaught exceptions among DevTools events."""
    lines = []
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.consoleAPICalled" and params.get("type") == "error":
            lines.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif event.get("method") == "Runtime.exceptionThrown":
            lines.append(str(params["exceptionDetails"].get("exception", {}).get("description")))
    return lines


class Browser:
    """Headless Chromium with one page, driven through the DevTools protocol."""

    def __init__(self, executable: str, timeout: float = 30.0) -> None:
        self.profile = tempfile.mkdtemp(prefix="logreg-chromium-")
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.next_id, self.events = 0, []  # type: int, List[Dict[str, Any]]
        self.socket = None  # type: Optional[WebSocket]
        try:
            self.socket = WebSocket(self._page_socket(timeout), timeout)
            self.call("Runtime.enable")
            self.call("Page.enable")
        except BaseException:
            self.close()  # never leave a Chromium running behind a failed start
            raise

    def _page_socket(self, timeout: float) -> str:
        """The page's websocket address, once Chromium has written its port."""
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + timeout
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"Chromium did not start; its log: {self.chromium_log()[-2000:]}")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=timeout) as answer:
            targets = json.loads(answer.read().decode())
        return [t for t in targets if t["type"] == "page"][0]["webSocketDebuggerUrl"]

    def chromium_log(self) -> str:
        with open(os.path.join(self.profile, "chromium.log"), "rb") as handle:
            return handle.read().decode("utf-8", "replace")

    def call(self, method: str, **params: Any) -> Dict[str, Any]:
        """Send one command and wait for its answer; events on the way are kept."""
        self.next_id += 1
        asked = self.next_id
        self.socket.send(json.dumps({"id": asked, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.receive())
            if message.get("id") == asked:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)  # an event, or the late answer of a command that timed out

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (awaiting a promise)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float) -> Any:
        """Poll an expression until it is truthy; its value, or TimeoutError.

        A poll that gets no answer within the socket's timeout (a renderer busy with a page
        being replaced can drop an evaluation) is polled again until the deadline, rather
        than failing the test on one lost answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except socket.timeout:
                continue
            if value:
                return value
            time.sleep(0.25)
        raise TimeoutError(f"waited {timeout} s for {expression}; console: {self.console()[-3:]}")

    def wait_event(self, method: str, since: int, timeout: float,
                   matches: Callable[[Dict[str, Any]], bool] = lambda params: True) -> Dict[str, Any]:
        """The first event ``method`` received at or after ``self.events[since]`` whose
        parameters ``matches``; reads the socket until it comes, or TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[since:]:
                if event.get("method") == method and matches(event.get("params", {})):
                    return event["params"]
            since = len(self.events)
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for the event {method}; console: {self.console()[-3:]}")
            try:
                self.events.append(json.loads(self.socket.receive()))
            except socket.timeout:
                continue

    def open(self, url: str, timeout: float = 30.0) -> None:
        """Navigate and wait until the page has loaded: first the protocol's own events (this
        navigation's frame committed, then its load event), and only then a question to the page, so
        that nothing is evaluated in a page that is being torn down."""
        since = len(self.events)
        answer = self.call("Page.navigate", url=url)
        if answer.get("errorText"):
            raise RuntimeError(f"could not open {url}: {answer['errorText']}")
        loader = answer.get("loaderId")  # absent for a navigation within the same document
        if loader:
            navigated = self.wait_event("Page.frameNavigated", since, timeout,
                                        lambda params: params["frame"].get("loaderId") == loader)
            since = next(i for i in range(since, len(self.events)) if self.events[i].get("params") is navigated)
            self.wait_event("Page.loadEventFired", since, timeout)
        self.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'", timeout)

    def click(self, selector: str) -> None:
        """A real mouse click (pressed, released) in the middle of the element."""
        box = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
                            "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); "
                            "return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def viewport(self, width: int, height: int = 900) -> None:
        """Lay pages out as a screen this wide (CSS pixels); a phone below 600 px."""
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)

    def color_scheme(self, scheme: str) -> None:
        """Answer ``prefers-color-scheme`` as ``light`` or ``dark``."""
        self.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": scheme}])

    def screenshot(self, path: str) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))

    def console(self) -> List[str]:
        """What the page wrote to its console, and its uncaught exceptions."""
        lines = []
        for event in self.events:
            if event.get("method") == "Runtime.consoleAPICalled":
                lines.append(" ".join(str(a.get("value", a.get("description", ""))) for a in event["params"]["args"]))
            elif event.get("method") == "Runtime.exceptionThrown":
                lines.append(str(event["params"]["exceptionDetails"].get("exception", {}).get("description")))
        return lines

    def errors(self) -> List[str]:
        """The page's console errors and uncaught exceptions so far."""
        return console_errors(self.events)

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: Optional[BaseException]) -> None:
        self.close()
