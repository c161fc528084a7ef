"""What may go into an extension's fields: nothing that could break a SIP header or URI."""

from __future__ import annotations

import pytest

from dialplan.directory import Extension
from dialplan.directory.digest import check_password, generate_password


@pytest.mark.parametrize("number", ["", "2 01", "201@evil", "201;transport=tcp", "-1",
                                    "a" * 33, "20\r\n1", "<201>", "../201"])
def test_numbers_that_could_break_a_uri_are_refused(number: str) -> None:
    with pytest.raises(ValueError, match="number"):
        Extension(number)


@pytest.mark.parametrize("name", ['Eve" <sip:evil@x>', "a\r\nVia: x", "back\\slash",
                                  "x" * 65, "tab\there"])
def test_display_names_that_could_break_a_header_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="display name"):
        Extension("201", name)


@pytest.mark.parametrize("caller_id", ["", "+", "12ab", "1" * 21, "+49 30 1234"])
def test_caller_ids_are_digits_with_an_optional_plus(caller_id: str) -> None:
    with pytest.raises(ValueError, match="caller ID"):
        Extension("201", caller_id=caller_id)


def test_well_formed_fields_are_kept() -> None:
    kept = Extension("alice.smith", "Alice Smith-Jones (Sales)", max_contacts=20,
                     caller_id="+4930123456", voicemail="201")
    assert kept.as_json() == {"number": "alice.smith", "display_name":
                              "Alice Smith-Jones (Sales)", "enabled": True,
                              "max_contacts": 20, "caller_id": "+4930123456",
                              "voicemail": "201"}


@pytest.mark.parametrize("password", ["short", " padded-secret ", "line\nbreak-secret",
                                      "x" * 129])
def test_weak_or_malformed_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValueError, match="password"):
        check_password(password)


def test_generated_passwords_are_long_distinct_and_acceptable() -> None:
    made = {generate_password() for _ in range(50)}
    assert len(made) == 50
    assert all(check_password(p) == p and len(p) == 20 and p.isalnum() for p in made)
