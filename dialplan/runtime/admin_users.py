"""The directory of extensions on the admin endpoint (the same rules as `dialplan users`).

    GET    /users               every extension (read token)
    GET    /users/{number}      one (read token)
    POST   /users               {"number": "201", "display_name": ..., "password": ...}
    PATCH  /users/{number}      the fields to change; "password", or "generate_password"
    DELETE /users/{number}

POST, PATCH and DELETE need the operator token (admin_http.py). An extension added to a
service that is not its registrar (it started with none, and no `[directory]` declared)
is answered with `"restart_needed": true` and why. No answer holds an HA1;
a password made because none was given is in that one answer ("password") and nowhere
else. The directory is read on every request (no cache), in a thread: the event loop
that runs calls never waits on the database.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from aiohttp import web

from dialplan.directory import (
    Directory,
    DirectoryError,
    Extension,
    ExtensionExists,
    NoSuchExtension,
)
from dialplan.directory.digest import generate_password
from dialplan.directory.extension import FIELDS

from .admin_http import json_error

log = logging.getLogger(__name__)
T = TypeVar("T")
_ADD_KEYS = FIELDS | {"number", "password"}
_SET_KEYS = FIELDS | {"password", "generate_password"}


class BadRequest(Exception):
    pass


async def _body(request: web.Request, allowed: frozenset[str]) -> dict[str, Any]:
    try:
        body = json.loads(await request.read() or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadRequest(f"the body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    unknown = set(body) - allowed
    if unknown:
        raise BadRequest(f"unknown fields: {', '.join(sorted(unknown))}")
    return body


def _password(body: dict[str, Any], generate: bool) -> tuple[str | None, bool]:
    """(password, generated): the body's, or a new one if `generate`."""
    given = body.pop("password", None)
    if given is not None:
        if not isinstance(given, str):
            raise BadRequest("password must be a string")
        return given, False
    return (generate_password(), True) if generate else (None, False)


NOT_REGISTRAR = ("this service is not the registrar of its extensions (it started "
                 "without any, and dialplan.toml declares no [directory]): phones can "
                 "register once it is restarted")


class UsersAdmin:
    """`/users` pages over one Directory; `registrar`: whether the service's Kamailio is
    the registrar of its extensions (else an added one is told it needs a restart)."""

    def __init__(self, directory: Directory, registrar: bool) -> None:
        self.directory, self.registrar = directory, registrar

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/users", self.list), web.get("/users/{number}", self.one),
                web.post("/users", self.add), web.patch("/users/{number}", self.change),
                web.delete("/users/{number}", self.remove)]

    async def _do(self, work: Callable[[], T]) -> T | web.Response:
        """`work` in a thread; a refusal as the HTTP error that says why."""
        try:
            return await asyncio.to_thread(work)
        except ExtensionExists as error:
            return json_error(409, str(error))
        except NoSuchExtension as error:
            return json_error(404, str(error))
        except (DirectoryError, ValueError, TypeError) as error:
            return json_error(422, str(error))
        except sa.exc.SQLAlchemyError:
            return json_error(503, "the directory does not answer", {"Retry-After": "5"})

    async def list(self, request: web.Request) -> web.Response:
        found = await self._do(self.directory.list)
        if isinstance(found, web.Response):
            return found
        return web.json_response([extension.as_json() for extension in found])

    async def one(self, request: web.Request) -> web.Response:
        number = request.match_info["number"]
        found = await self._do(lambda: self.directory.get(number))
        if isinstance(found, web.Response):
            return found
        if found is None:
            return json_error(404, f"no extension {number}")
        return web.json_response(found.as_json())

    async def add(self, request: web.Request) -> web.Response:
        try:
            body = await _body(request, _ADD_KEYS)
            password, generated = _password(body, generate=True)
        except BadRequest as error:
            return json_error(400, str(error))
        assert password is not None
        done = await self._do(lambda: self.directory.add(Extension(**body), password))
        if isinstance(done, web.Response):
            return done
        shown: dict[str, Any] = {"password": password} if generated else {}
        if not self.registrar:
            log.warning("extension %s added: %s", done.number, NOT_REGISTRAR)
            shown |= {"restart_needed": True, "note": NOT_REGISTRAR}
        return web.json_response(done.as_json() | shown, status=201)

    async def change(self, request: web.Request) -> web.Response:
        number = request.match_info["number"]
        try:
            body = await _body(request, _SET_KEYS)
            password, generated = _password(body, bool(body.pop("generate_password", False)))
        except BadRequest as error:
            return json_error(400, str(error))
        done = await self._do(lambda: self.directory.set(number, password, **body))
        if isinstance(done, web.Response):
            return done
        shown = {"password": password} if generated else {}
        return web.json_response(done.as_json() | shown)

    async def remove(self, request: web.Request) -> web.Response:
        number = request.match_info["number"]
        done = await self._do(lambda: self.directory.remove(number))
        if isinstance(done, web.Response):
            return done
        return web.json_response({"removed": number})
