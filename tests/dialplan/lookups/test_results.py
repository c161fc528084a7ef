"""Response bodies as call variables: flattened JSON, bounded in size, depth and count."""

from __future__ import annotations

import json

import pytest

from dialplan.lookups.results import Limits, Refused, decode
from dialplan.lookups.secrets import fill_secrets


def test_objects_and_arrays_become_dotted_names_with_a_count() -> None:
    body = json.dumps({"balance": 42.5, "owner": {"name": "Ann"}, "ok": True, "none": None,
                       "items": [{"name": "tea"}, {"name": "cake"}]}).encode()
    assert decode("account", body) == {
        "account.balance": 42.5, "account.owner.name": "Ann", "account.ok": True,
        "account.none": "", "account.items.count": 2, "account.items.0.name": "tea",
        "account.items.1.name": "cake"}


def test_a_scalar_body_is_the_variable_itself_and_an_empty_body_sets_nothing() -> None:
    assert decode("n", b"42") == {"n": 42}
    assert decode("n", b"") == {}


def test_keys_that_are_not_plain_words_are_left_out() -> None:
    assert decode("a", b'{"x.y": 1, "__class__": 2, "": 3, "ok": 4}') == {
        "a.__class__": 2, "a.ok": 4}


@pytest.mark.parametrize(("body", "why"), [
    (b"<html>oops</html>", "not JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "over"),
    (b"[" * 20 + b"]" * 20, "deeper"),
    (b"[" * 5000 + b"]" * 5000, "deeper"),
    (json.dumps(list(range(1000))).encode(), "more than"),
    (b'{"a": 1', "not JSON"),
])
def test_huge_deep_or_malformed_bodies_are_refused(body: bytes, why: str) -> None:
    with pytest.raises(Refused, match=why):
        decode("a", body, Limits(max_bytes=65_536))


def test_long_strings_are_cut_to_the_limit() -> None:
    assert decode("a", json.dumps({"s": "x" * 5000}).encode())["a.s"] == "x" * 1000


def test_secrets_come_from_the_environment_and_missing_ones_are_named() -> None:
    environ = {"API_TOKEN": "s3cr3t"}
    assert fill_secrets("Bearer $API_TOKEN", environ) == ("Bearer s3cr3t", [])
    assert fill_secrets("k=${API_TOKEN}!", environ) == ("k=s3cr3t!", [])
    assert fill_secrets("Bearer $OTHER", environ) == (None, ["OTHER"])
    assert fill_secrets("costs $5", environ) == ("costs $5", [])
