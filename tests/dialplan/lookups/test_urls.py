"""Fetch URLs: a literal origin, caller values quoted into path and query, allowed_urls."""

from __future__ import annotations

import pytest

from dialplan.lookups.urls import allowed, origin_problem, pattern_problem, render_url

ALLOWED = ["https://api.example.com/v1/", "http://127.0.0.1:*/"]


@pytest.mark.parametrize("template", [
    "https://api.example.com/v1/{{ caller }}",
    "http://127.0.0.1:8080/x?caller={{ caller }}",
    "https://[::1]:8443/",
])
def test_an_origin_written_literally_is_accepted(template: str) -> None:
    assert origin_problem(template) is None


@pytest.mark.parametrize("template", [
    "https://{{ host }}/x", "{{ url }}", "ftp://api.example.com/", "https://api.example.com",
    "https://user@api.example.com/", "https://api.example.com{{ path }}",
])
def test_an_origin_with_a_template_or_user_part_is_refused(template: str) -> None:
    assert origin_problem(template) is not None


@pytest.mark.parametrize("hostile", [
    "1@evil.example", "x/../../admin", "evil.example:80/", "a?b=c#d", "%2e%2e", "\r\nX: y",
    "//evil.example/", "http://evil.example/",
])
def test_a_hostile_value_never_changes_scheme_host_or_port(hostile: str) -> None:
    url, _ = render_url("https://api.example.com/v1/accounts/{{ caller }}", {"caller": hostile})
    if url is not None:
        assert url.startswith("https://api.example.com/v1/accounts/")
        assert "/" not in url.removeprefix("https://api.example.com/v1/accounts/")
        assert allowed(url, ALLOWED)


@pytest.mark.parametrize("value", ["..", "."])
def test_a_value_naming_a_parent_folder_is_refused(value: str) -> None:
    url, problem = render_url("https://api.example.com/v1/{{ x }}/admin", {"x": value})
    assert url is None and problem is not None and "walks up" in problem


def test_allowed_needs_scheme_host_port_and_path_prefix() -> None:
    assert allowed("https://api.example.com/v1/accounts/1", ALLOWED)
    assert allowed("https://API.example.com:443/v1", ALLOWED)
    assert not allowed("http://api.example.com/v1/accounts/1", ALLOWED)
    assert not allowed("https://api.example.com:8443/v1/x", ALLOWED)
    assert not allowed("https://api.example.com/v10/x", ALLOWED)
    assert not allowed("https://api.example.com/v1/../admin", ALLOWED)
    assert not allowed("https://api.example.com.evil.example/v1/", ALLOWED)
    assert not allowed("https://user@api.example.com/v1/", ALLOWED)
    assert allowed("http://127.0.0.1:4321/anything", ALLOWED)
    assert not allowed("http://127.0.0.2:4321/anything", ALLOWED)
    assert not allowed("https://api.example.com/v1/", [])


def test_allowed_url_patterns_are_checked() -> None:
    assert pattern_problem("https://api.example.com/v1/") is None
    assert pattern_problem("http://127.0.0.1:*/") is None
    assert pattern_problem("api.example.com") is not None
