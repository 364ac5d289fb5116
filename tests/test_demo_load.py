"""`main.py demo`: a newcomer's first library is complete, consistent and searchable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

import main
from library.core import Library
from library.demo.loader import load_demo
from library.errors import InvalidInput
from library.models import Asset, Item, PersonaProfile, Term, User

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "lib"
    with Library.open(root) as lib:
        report = load_demo(lib)
    assert report["items"] >= 40
    return root


def test_demo_loads_people_personas_taxonomies_and_items_with_real_files(demo_lib: Path) -> None:
    with Library.open(demo_lib) as lib, lib.reader() as s:
        assert s.scalar(select(func.count()).select_from(Item)) >= 40
        statuses = {a for a in s.scalars(select(Asset.extraction_status))}
        assert statuses == {"ok"}  # every demo file is readable
        assert (
            s.scalar(select(func.count()).select_from(Term).where(Term.taxonomy == "persona")) == 5
        )
        assert (
            s.scalar(select(func.count()).select_from(Term).where(Term.taxonomy == "product")) == 3
        )
        assert (
            s.scalar(select(func.count()).select_from(Term).where(Term.taxonomy == "competitor"))
            == 3
        )
        profiles = s.scalars(select(PersonaProfile)).all()
        assert len(profiles) == 5 and all(p.goals and p.pains and p.buying_role for p in profiles)
        assert s.scalar(select(func.count()).select_from(User).where(User.email != "")) >= 4
        kinds = set(s.scalars(select(Item.kind)))
        assert kinds == {"collateral", "case-study", "competitor-insight"}
        media = {m for m in s.scalars(select(Asset.media_type))}
        assert any("pdf" in m for m in media) and any("wordprocessing" in m for m in media)
        assert any("presentation" in m for m in media) and any("spreadsheet" in m for m in media)
        with_sections = s.scalars(select(Item).where(Item.kind == "case-study")).all()
        assert all(
            i.case_study and i.case_study.results and i.case_study.quote for i in with_sections
        )
        assert (
            s.scalar(select(func.count()).select_from(Item).where(Item.owner_id.is_not(None))) >= 40
        )


def test_demo_refuses_a_library_that_already_has_items(demo_lib: Path) -> None:
    with Library.open(demo_lib) as lib, pytest.raises(InvalidInput, match="already has"):
        load_demo(lib)


def test_demo_library_passes_check(demo_lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main.main(["check", "--library", str(demo_lib), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0, out["problems"]


def test_demo_has_roles_versions_history_and_feedback(demo_lib: Path) -> None:
    """The demo shows governance at work: every role, dated versions with change notes, the
    reviewers' approvals, and flags and requests from the field in the marketers' queue."""
    from datetime import datetime, timedelta

    from library import feedback, governance, users

    with Library.open(demo_lib) as lib:
        roles = {u.role for u in users.list_users(lib)}
        assert roles == {"admin", "marketer", "reviewer", "rep", "partner"}
        revised = [i for i in governance.whats_new(lib, datetime(2000, 1, 1)) if i.version > 1]
        assert revised and all(len(i.change_note) > 20 for i in revised)
        lib.actor = "Jonas Eklund"  # a marketer
        queue = feedback.queue(lib)
        assert {f.kind for f in queue} == {"flag", "request"}
        assert all(f.created_by in ("Marcus Lee", "Sophie Brandt") for f in queue)
        assert len(feedback.queue(lib, status=None)) == 5
        history = governance.audit(lib, revised[0].item_key)
        assert [(e.action, e.actor) for e in history if e.action == "approve"] == [
            ("approve", "Daniel Osei")
        ]
        lib.actor = "Lena Voss"  # the partner sees partner-shareable, approved, current items
        from library.items import list_items

        seen = list_items(lib)
        assert {i.format for i in seen} == {
            "partner-kit",
            "data-sheet",
            "brochure",
            "case-study",
            "white-paper",
            "demo-video",
        }
        assert all(i.audience == "partner" and i.status == "approved" for i in seen)
        week = datetime.now() - timedelta(days=7)
        assert all(e.change in ("new", "updated") for e in governance.whats_new(lib, week))


def test_demo_sets_the_brand_kit_with_a_stored_logo(demo_lib: Path) -> None:
    """GIVEN a fresh demo library THEN exports carry the demo company, not the defaults: its
    name, colours, texts and a logo kept in the file store (and known to `check`)."""
    from PIL import Image

    from library.branding import get_brand, logo_path, referenced_digests
    from library.demo import content

    with Library.open(demo_lib) as lib:
        brand = get_brand(lib)
        assert not brand.is_default and brand.company_name == "Lumenfield Software"
        assert (brand.primary_color, brand.secondary_color) == ("0B4F6C", "B86E12")
        assert brand.website and brand.footer_text and brand.validity_days == 60
        assert brand.intro == content.BRAND_KIT["intro"]
        assert "{company}" in brand.disclaimer and "Your company" not in brand.disclaimer
        logo = logo_path(lib, brand.logo_sha256)
        assert logo is not None and brand.logo_name == "lumenfield-logo.png"
        with Image.open(logo) as im:
            assert im.format == "PNG" and im.width > 2 * im.height >= 300
        with lib.reader() as s:
            assert brand.logo_sha256 in referenced_digests(s)


def test_demo_adds_the_reseller_with_logo_and_contact(demo_lib: Path) -> None:
    from library.branding import list_partners, logo_path
    from library.users import list_users

    with Library.open(demo_lib) as lib:
        (partner,) = list_partners(lib)
        assert partner.name == "Northgate Solutions"
        assert logo_path(lib, partner.logo_sha256) is not None
        lena = next(u for u in list_users(lib) if u.role == "partner")
        assert (partner.contact_name, partner.contact_email, partner.contact_phone) == (
            lena.name,
            lena.email,
            lena.phone,
        )
        assert partner.website and "Lumenfield" in partner.intro
        reps = [u for u in list_users(lib) if u.role == "rep"]
        assert len(reps) == 2 and all(u.title and u.email and u.phone for u in reps)


def _shareable(lib: Library, audiences: set[str]) -> list[str]:
    from datetime import date

    with lib.reader() as s:
        rows = s.execute(
            select(Item.key, Item.format, Item.expires_on).where(
                Item.status == "approved", Item.audience.in_(audiences)
            )
        ).all()
    today = date.today()
    return [k for k, fmt, exp in rows if fmt != "battle-card" and (exp is None or exp >= today)]


def test_a_co_branded_partner_pack_from_demo_items_is_not_refused(
    demo_lib: Path, tmp_path: Path
) -> None:
    """GIVEN the demo's partner-shareable, approved, current items WHEN a rep exports a pack for
    the demo reseller THEN no rule refuses it and the leave-behind inside carries both brands,
    the rep's contact details and the partner's contact."""
    import zipfile

    from docx import Document

    from exporters.api import ExportRequest, export_pack, preflight

    with Library.open(demo_lib) as lib:
        lib.actor = "Marcus Lee"
        keys = _shareable(lib, {"partner"})
        assert len(keys) >= 8
        pre = preflight(lib, keys, partner="Northgate Solutions")
        assert pre.ok, [r.message for r in pre.refusals]
        assert pre.company == "Lumenfield Software" and pre.rep.title and pre.rep.phone
        out = tmp_path / "northgate.zip"
        report = export_pack(
            lib, ExportRequest(keys, out, customer="ACME Corp", partner="Northgate Solutions")
        )
        assert len(report.items) == len(keys)
        customer_keys = _shareable(lib, {"customer", "partner"})
        assert len(customer_keys) >= 15
        assert preflight(lib, customer_keys).ok
    with zipfile.ZipFile(out) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".docx") and "/files/" not in n)
        (tmp_path / "lb.docx").write_bytes(zf.read(name))
        readme = zf.read(next(n for n in zf.namelist() if n.endswith("README.txt"))).decode()
    doc = Document(str(tmp_path / "lb.docx"))
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert "Your company" not in text and "Lumenfield Software and Northgate Solutions" in text
    assert "Enterprise Account Executive" in text and "lena.voss@northgate.example" in text
    assert "About Northgate Solutions" in text and "ACME Corp" in text
    pictures = doc.inline_shapes
    assert len(pictures) >= 2  # our logo and the partner's on the cover
    assert "www.lumenfield.example" in readme and "Lumenfield Software" in readme


def test_demo_branding_keeps_a_library_s_own_brand_kit_and_partners(lib: Library) -> None:
    """GIVEN a library that already has a brand kit and a partner of the demo's name WHEN the
    demo's branding step runs (as with `demo --force`) THEN neither is overwritten."""
    from library.branding import get_brand, get_partner, save_partner, update_brand
    from library.demo import DemoCatalog, DemoPartner, content
    from library.demo.loader import _branding
    from library.demo.logos import northgate_logo

    update_brand(lib, {"company_name": "Acme Robotics", "primary_color": "#123456"})
    save_partner(lib, "Northgate Solutions", {"contact_name": "Our own contact"})
    logo = lib.root / "ng.png"
    logo.write_bytes(northgate_logo())
    catalog = DemoCatalog(
        company=content.COMPANY,
        products=[],
        competitors=[],
        industries=[],
        regions=[],
        stages=[],
        personas=[],
        users=[],
        items=[],
        brand=dict(content.BRAND_KIT),
        brand_logo=None,
        partners=[
            DemoPartner("NORTHGATE SOLUTIONS", {"contact_name": "Lena Voss"}, logo),
            DemoPartner("Fjordline Partners", {"contact_name": "Ola Nordmann"}, logo),
        ],
    )
    assert _branding(lib, catalog, True) == (False, ["Fjordline Partners"])
    brand = get_brand(lib)
    assert (brand.company_name, brand.primary_color) == ("Acme Robotics", "123456")
    assert get_partner(lib, "Northgate Solutions").contact_name == "Our own contact"
    assert get_partner(lib, "Fjordline Partners").logo_sha256 is not None
