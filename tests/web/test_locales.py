"""The English catalogue covers the platform pages, and the language switch returns to the same page.

No browser needed. They live outside tests/browser: the live server those tests keep running commits in the
background, and a test transaction that read before such a commit could not write on SQLite."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from pingan import registry
from pingan.platform.org.models import UNIT_KIND_LABELS
from pingan.platform.users.models import ROLE_LABELS, Role, User
from pingan.web import nav
from pingan.web.templating import LANG_COOKIE, english

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "pingan" / "templates"
PLATFORM_TEMPLATES = ["base.html", "login.html", "error.html", "org", "audit"]
CALL = re.compile(r"""_\(\s*(["'])(.+?)\1""")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _template_strings() -> set[str]:
    found = set()
    for name in PLATFORM_TEMPLATES:
        path = TEMPLATES / name
        for file in sorted(path.rglob("*.html")) if path.is_dir() else [path]:
            found.update(m.group(2) for m in CALL.finditer(file.read_text(encoding="utf-8")))
    return {s for s in found if CJK.search(s)}


def test_every_chinese_string_of_the_platform_pages_has_an_english_entry():
    strings = _template_strings() | set(ROLE_LABELS.values()) | set(UNIT_KIND_LABELS.values())
    strings |= {e.label for e in nav.entries_for(User(role=Role.ADMIN))} | {g.label for g in nav.GROUPS}
    assert len(strings) > 50  # the scan really found the templates
    catalogue = english()
    missing = sorted(s for s in strings if s not in catalogue)
    assert not missing, f"add to src/pingan/web/locales/en.yaml: {missing}"
    untranslated = sorted(k for k, v in catalogue.items() if CJK.search(v))
    assert not untranslated, untranslated


def test_every_label_of_every_modules_vocabulary_has_an_english_entry():
    """The labels pages show from the modules' vocabularies (statuses, steps, audit actions…) switch language too."""
    labels = set()
    for name in registry.MODULES:
        vocabulary = importlib.import_module(f"pingan.{name}.vocabulary")
        for attribute in dir(vocabulary):
            table = getattr(vocabulary, attribute)
            if attribute.endswith("LABELS") and isinstance(table, dict):
                labels |= {v for v in table.values() if isinstance(v, str) and CJK.search(v)}
    assert len(labels) > 200
    missing = sorted(s for s in labels if s not in english())
    assert not missing, f"add to the module's src/pingan/web/locales/en_<module>.yaml: {missing}"


def test_english_entries_keep_their_placeholders():
    for zh, en in english().items():
        assert set(re.findall(r"{\w+}", zh)) == set(re.findall(r"{\w+}", en)), zh


@pytest.mark.parametrize(("referer", "expected"), [
    ("http://testserver/org", "/org"),
    ("http://testserver/audit?action=auth.login&page=2", "/audit?action=auth.login&page=2"),
    ("https://evil.example/org", "/"),  # another site: never an open redirect
    ("http://testserver.evil.example/org", "/"),
    ("//evil.example/x", "/"),
    ("javascript:alert(1)", "/"),
    (None, "/"),
])
def test_language_switch_returns_to_the_same_site_page_only(app, referer, expected):
    client = TestClient(app)
    headers = {"referer": referer} if referer else {}
    response = client.get("/lang/en", headers=headers, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == expected
    assert client.cookies.get(LANG_COOKIE) == "en"


def test_unknown_language_changes_nothing(app):
    client = TestClient(app)
    response = client.get("/lang/fr", headers={"referer": "http://testserver/org"}, follow_redirects=False)
    assert response.headers["location"] == "/org"
    assert LANG_COOKIE not in response.cookies


def test_login_page_in_english(app):
    client = TestClient(app)
    client.cookies.set(LANG_COOKIE, "en")
    page = client.get("/login")
    assert '<html lang="en">' in page.text
    assert "Username" in page.text and "Password" in page.text
    assert "用户名" not in page.text


def test_no_chinese_text_is_translated_in_two_catalogue_files():
    """The files are merged in name order, so a second entry would silently replace the first."""
    seen: dict[str, str] = {}
    twice = []
    for path in sorted((TEMPLATES.parent / "web" / "locales").glob("*.yaml")):
        for key in yaml.safe_load(path.read_text(encoding="utf-8")) or {}:
            if key in seen:
                twice.append(f"{key} ({seen[key]}, {path.name})")
            seen[key] = path.name
    assert len(seen) > 300 and not twice, twice
