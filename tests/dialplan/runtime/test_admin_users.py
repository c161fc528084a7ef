"""`/users` on the admin endpoint, over real HTTP on 127.0.0.1, on both backends: the
operator adds, changes and removes extensions; the read token only lists; no token gets
401 before anything is looked at; no answer holds an HA1; bad bodies are refused."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

from dialplan.directory import Directory, Extension, open_directory, upgrade
from dialplan.directory.digest import ha1
from dialplan.runtime.admin_http import AdminServer, admin_app
from dialplan.runtime.admin_tokens import AdminTokens, Scope
from dialplan.runtime.admin_users import UsersAdmin


def free_port() -> int:
    """A free port on 127.0.0.1 (not the Redis helper's: that would make this in-process
    module count as one that starts processes, tests/conftest.py)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Client:
    """Requests to the endpoint with the read token, the operator's, or none."""

    def __init__(self, session: aiohttp.ClientSession, port: int, tokens: AdminTokens
                 ) -> None:
        self.session, self.port, self.tokens = session, port, tokens

    async def __call__(self, method: str, path: str, scope: Scope | None = Scope.OPERATOR,
                       body: Any = None, raw: bytes | None = None) -> tuple[int, Any]:
        headers = {} if scope is None else {
            "Authorization": f"Bearer {self.tokens.token(scope)}"}
        data = raw if raw is not None else None if body is None else json.dumps(body)
        async with self.session.request(method, f"http://127.0.0.1:{self.port}{path}",
                                        headers=headers, data=data) as answer:
            return answer.status, await answer.json()


def run_admin(url: str, tmp_path: Path,
              test: Callable[[Client, Directory], Awaitable[None]],
              registrar: bool = True) -> None:
    """`test` against an endpoint serving the directory at `url` (for a service whose
    Kamailio is the extensions' `registrar`, or not)."""
    upgrade(url)
    directory = open_directory(url, "pbx.example")
    tokens = AdminTokens(tmp_path / "admin")

    async def scenario() -> None:
        app = admin_app(tokens)
        app.add_routes(UsersAdmin(directory, registrar).routes())
        server = AdminServer(app, "127.0.0.1", free_port(), 5.0)
        await server.start()
        try:
            async with aiohttp.ClientSession() as session:
                await test(Client(session, server.port, tokens), directory)
        finally:
            await server.stop()

    try:
        asyncio.run(scenario())
    finally:
        directory.close()


def test_the_operator_adds_changes_and_removes_extensions(
        directory_url: str, tmp_path: Path) -> None:
    async def test(call: Client, directory: Directory) -> None:
        status, added = await call("POST", "/users", body={
            "number": "201", "display_name": "Reception", "password": "correct horse",
            "max_contacts": 2})
        assert status == 201 and "password" not in added and "restart_needed" not in added
        assert added == Extension("201", "Reception", max_contacts=2).as_json()
        assert directory.password_matches("201", "correct horse")
        status, changed = await call("PATCH", "/users/201", body={
            "enabled": False, "caller_id": "+4930123", "password": "battery staple"})
        assert status == 200 and changed["enabled"] is False
        assert directory.get("201") == Extension("201", "Reception", enabled=False,
                                                 max_contacts=2, caller_id="+4930123")
        assert directory.password_matches("201", "battery staple")
        assert await call("DELETE", "/users/201") == (200, {"removed": "201"})
        assert directory.get("201") is None

    run_admin(directory_url, tmp_path, test)


def test_a_service_that_is_not_the_registrar_says_an_added_extension_needs_a_restart(
        directory_url: str, tmp_path: Path) -> None:
    async def test(call: Client, directory: Directory) -> None:
        status, added = await call("POST", "/users", body={"number": "201"})
        assert status == 201 and added["restart_needed"] is True
        assert "phones can register once it is restarted" in added["note"]
        assert directory.get("201") is not None  # added all the same

    run_admin(directory_url, tmp_path, test, registrar=False)


def test_a_password_not_given_is_generated_and_shown_in_that_answer_only(
        directory_url: str, tmp_path: Path) -> None:
    async def test(call: Client, directory: Directory) -> None:
        status, added = await call("POST", "/users", body={"number": "201"})
        assert status == 201 and directory.password_matches("201", added["password"])
        status, changed = await call("PATCH", "/users/201",
                                     body={"generate_password": True})
        assert directory.password_matches("201", changed["password"])
        assert "password" not in (await call("GET", "/users/201", Scope.READ))[1]

    run_admin(directory_url, tmp_path, test)


def test_the_read_token_lists_but_may_not_change(directory_url: str, tmp_path: Path) -> None:
    async def test(call: Client, directory: Directory) -> None:
        directory.add(Extension("202", "Sales"), "correct horse")
        directory.add(Extension("201", "Reception"), "battery staple")
        status, listed = await call("GET", "/users", Scope.READ)
        assert status == 200 and [e["number"] for e in listed] == ["201", "202"]
        assert (await call("GET", "/users/202", Scope.READ))[1]["display_name"] == "Sales"
        assert (await call("GET", "/users/299", Scope.READ))[0] == 404
        assert (await call("GET", "/users/201%27%20OR%20%271%27=%271", Scope.READ))[0] == 404
        for method, path in [("POST", "/users"), ("PATCH", "/users/201"),
                             ("DELETE", "/users/201")]:
            assert (await call(method, path, Scope.READ, body={"number": "203"}))[0] == 403
        assert [e.number for e in directory.list()] == ["201", "202"]

    run_admin(directory_url, tmp_path, test)


def test_without_a_token_every_users_request_is_refused(
        directory_url: str, tmp_path: Path) -> None:
    async def test(call: Client, directory: Directory) -> None:
        directory.add(Extension("201"), "correct horse")
        for method, path in [("GET", "/users"), ("GET", "/users/201"), ("POST", "/users"),
                             ("PATCH", "/users/201"), ("DELETE", "/users/201")]:
            status, body = await call(method, path, None, body={"number": "666"})
            assert status == 401, (method, path, body)
        assert [e.number for e in directory.list()] == ["201"]

    run_admin(directory_url, tmp_path, test)


def test_no_answer_holds_a_digest(directory_url: str, tmp_path: Path) -> None:
    async def test(call: Client, directory: Directory) -> None:
        digest = ha1("201", "pbx.example", "correct horse")
        answers = [await call("POST", "/users", body={"number": "201",
                                                     "password": "correct horse"}),
                   await call("GET", "/users", Scope.READ),
                   await call("GET", "/users/201", Scope.READ),
                   await call("PATCH", "/users/201", body={"display_name": "x"})]
        text = json.dumps(answers)
        assert digest not in text and "ha1" not in text and "correct horse" not in text

    run_admin(directory_url, tmp_path, test)


def test_bad_requests_are_refused_and_change_nothing(
        directory_url: str, tmp_path: Path) -> None:
    async def test(call: Client, directory: Directory) -> None:
        directory.add(Extension("201", "Reception"), "correct horse")
        refused = [
            (400, await call("POST", "/users", raw=b"{not json")),
            (400, await call("POST", "/users", body=["201"])),
            (400, await call("POST", "/users", body={"number": "202", "ha1": "0" * 32})),
            (400, await call("PATCH", "/users/201", body={"realm": "evil"})),
            (409, await call("POST", "/users", body={"number": "201"})),
            (422, await call("POST", "/users", body={"number": "202@evil.example"})),
            (422, await call("POST", "/users", body={"number": "202", "password": "short"})),
            (422, await call("POST", "/users", body={"number": "202",
                                                     "display_name": 'x" <sip:a@b>'})),
            (422, await call("PATCH", "/users/201", body={"max_contacts": "many"})),
            (422, await call("PATCH", "/users/201", body={"enabled": "yes"})),
            (400, await call("PATCH", "/users/201", body={"password": 12345678})),
            (404, await call("PATCH", "/users/299", body={"display_name": "x"})),
            (404, await call("DELETE", "/users/299")),
            (413, await call("POST", "/users", body={"number": "202",
                                                     "display_name": "x" * 5000})),
        ]
        for expected, (status, body) in refused:
            assert status == expected and body["status"] == expected, body
        assert directory.list() == [Extension("201", "Reception")]
        assert directory.password_matches("201", "correct horse")

    run_admin(directory_url, tmp_path, test)
