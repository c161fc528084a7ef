"""The Directory on both backends: extensions added, read, changed, removed; only
digests stored; and Kamailio's subscriber view showing exactly the enabled ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from dialplan.directory import (
    Directory,
    DirectoryError,
    Extension,
    ExtensionExists,
    NoSuchExtension,
    open_directory,
    upgrade,
)
from dialplan.directory.digest import ha1, ha1b


@pytest.fixture
def directory(directory_url: str) -> Iterator[Directory]:
    upgrade(directory_url)
    opened = open_directory(directory_url, "pbx.example")
    yield opened
    opened.close()


def _subscribers(directory: Directory) -> list[tuple[str, ...]]:
    with directory.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT username, domain, password, ha1, ha1b FROM subscriber ORDER BY username"))]


def test_an_added_extension_is_read_back_with_every_field(directory: Directory) -> None:
    assert directory.is_empty()
    added = Extension("201", "Reception", max_contacts=3, caller_id="+4930123456",
                      voicemail="201")
    directory.add(added, "correct horse")
    assert directory.get("201") == added
    assert directory.list() == [added]
    assert not directory.is_empty()
    assert directory.get("202") is None


def test_only_the_digests_are_stored_never_the_password(directory: Directory) -> None:
    directory.add(Extension("201"), "correct horse")
    with directory.engine.connect() as connection:
        stored = " ".join(str(value) for row in connection.execute(sa.text(
            "SELECT * FROM extensions")) for value in row)
    assert "correct horse" not in stored
    assert _subscribers(directory) == [
        ("201", "pbx.example", "", ha1("201", "pbx.example", "correct horse"),
         ha1b("201", "pbx.example", "correct horse"))]
    assert ha1("201", "pbx.example", "correct horse") == __import__("hashlib").md5(
        b"201:pbx.example:correct horse").hexdigest()


def test_a_disabled_or_removed_extension_is_gone_from_kamailios_view(
        directory: Directory) -> None:
    directory.add(Extension("201"), "correct horse")
    directory.add(Extension("202"), "battery staple")
    directory.set("201", enabled=False)
    assert [row[0] for row in _subscribers(directory)] == ["202"]
    directory.remove("202")
    assert _subscribers(directory) == []
    directory.set("201", enabled=True)
    assert [row[0] for row in _subscribers(directory)] == ["201"]


def test_set_changes_the_fields_named_and_the_password_if_given(
        directory: Directory) -> None:
    directory.add(Extension("201", "Reception"), "correct horse")
    changed = directory.set("201", display_name="Front desk", caller_id="+4930999")
    assert changed == Extension("201", "Front desk", caller_id="+4930999")
    assert directory.get("201") == changed
    assert directory.password_matches("201", "correct horse")
    directory.set("201", password="battery staple")
    assert directory.password_matches("201", "battery staple")
    assert not directory.password_matches("201", "correct horse")


def test_a_change_made_elsewhere_is_seen_at_once(directory: Directory,
                                                 directory_url: str) -> None:
    """No cache: another process or host changing a row is what the next read sees."""
    directory.add(Extension("201", "Reception"), "correct horse")
    assert directory.get("201") == Extension("201", "Reception")
    elsewhere = open_directory(directory_url, "pbx.example")
    try:
        elsewhere.set("201", display_name="Night desk", enabled=False)
    finally:
        elsewhere.close()
    assert directory.get("201") == Extension("201", "Night desk", enabled=False)


def test_refusals_say_why_and_change_nothing(directory: Directory) -> None:
    directory.add(Extension("201", "Reception"), "correct horse")
    with pytest.raises(ExtensionExists):
        directory.add(Extension("201"), "battery staple")
    with pytest.raises(NoSuchExtension):
        directory.set("299", display_name="x")
    with pytest.raises(NoSuchExtension):
        directory.remove("299")
    with pytest.raises(DirectoryError, match="no such field"):
        directory.set("201", ha1="0" * 32)
    with pytest.raises(ValueError, match="password"):
        directory.set("201", password="short")
    with pytest.raises(ValueError, match="max contacts"):
        directory.set("201", max_contacts=0)
    assert directory.get("201") == Extension("201", "Reception")
    assert directory.password_matches("201", "correct horse")
