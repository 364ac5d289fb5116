"""Brand kit, partner profiles and received packs: what exports look like and who they are for.

- `BrandKit`: one row per library (id 1), edited by admins. Logos and the optional reference DOCX
  live in the file store (`lib.store`) by SHA-256, like every other file; the row only points to
  them. A fresh library has no row: `get_brand()` returns defaults, so exports work at once.
- `PartnerProfile`: a reseller we co-brand with (name, logo, contact, intro text).
- `ReceivedPack` + `ReceivedPackItem`: packs this library imported (`import-pack`). Items that
  came from a pack are a read-only collection: `read_only_reason()` says why an edit must be
  refused; `exporters.pack` is the only writer.

Services return plain values (`BrandKitInfo`, `PartnerInfo`, `ReceivedPackInfo`), never ORM rows.
Blobs are stored before the transaction that references them (see `library.store`).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from library.errors import InvalidInput, LibraryError, NotFound
from library.models import Base, Meta, User, utcnow

if TYPE_CHECKING:
    from library.core import Library

DEFAULT_COMPANY = "Your company"
DEFAULT_PRIMARY = "17375E"  # deep navy: headings, title rule, table header
DEFAULT_SECONDARY = "C0504D"  # warm accent: sub-headings, quote bar
DEFAULT_FONT = "Arial"  # metric-compatible everywhere (Liberation Sans on Linux)
DEFAULT_VALIDITY_DAYS = 90
DEFAULT_DISCLAIMER = (
    "This document is provided for information only; it is not an offer or a contract. "
    "Results quoted in case studies are those reported by the customers named and depend on "
    "each customer's situation. © {year} {company}. All rights reserved."
)
PAPER_SIZES = ("A4", "Letter")
MAX_LOGO_PIXELS = 1200  # longest side after normalizing; logos print at a few centimetres
MAX_LOGO_INPUT_BYTES = 20 * 1024 * 1024
MAX_REFERENCE_BYTES = 20 * 1024 * 1024
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# -- models --------------------------------------------------------------------------------------
class BrandKit(Base):
    """The library's brand kit; at most one row (id 1). Colours are 6-digit hex without '#'."""

    __tablename__ = "brand_kit"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str] = mapped_column(String(200), default="")
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    logo_name: Mapped[str] = mapped_column(String(500), default="")
    primary_color: Mapped[str] = mapped_column(String(6), default=DEFAULT_PRIMARY)
    secondary_color: Mapped[str] = mapped_column(String(6), default=DEFAULT_SECONDARY)
    heading_font: Mapped[str] = mapped_column(String(64), default=DEFAULT_FONT)
    body_font: Mapped[str] = mapped_column(String(64), default=DEFAULT_FONT)
    disclaimer: Mapped[str] = mapped_column(Text, default=DEFAULT_DISCLAIMER)
    footer_text: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    validity_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_VALIDITY_DAYS)
    paper: Mapped[str] = mapped_column(String(16), default="A4")
    reference_sha256: Mapped[str | None] = mapped_column(String(64))
    reference_name: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class PartnerProfile(Base):
    """A reseller/channel partner we co-brand leave-behinds and packs with."""

    __tablename__ = "partner_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), unique=True)
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    logo_name: Mapped[str] = mapped_column(String(500), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(64), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReceivedPack(Base):
    """A pack imported with `import-pack`: where it came from and until when it is valid."""

    __tablename__ = "received_packs"
    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(36), unique=True)  # manifest's pack_id
    name: Mapped[str] = mapped_column(String(300))
    sender: Mapped[str] = mapped_column(String(200), default="")  # the sending company
    source_library: Mapped[str] = mapped_column(String(64), default="")
    partner: Mapped[str] = mapped_column(String(200), default="")
    prepared_for: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[str] = mapped_column(String(40), default="")  # as written by the sender
    valid_until: Mapped[date | None] = mapped_column(Date)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(500), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200), default="")


class ReceivedPackItem(Base):
    """Links a local item to the pack it came from (an item may be in several packs)."""

    __tablename__ = "received_pack_items"
    pack_row_id: Mapped[int] = mapped_column(
        ForeignKey("received_packs.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(
        ForeignKey("items.key", ondelete="CASCADE"), primary_key=True, index=True
    )
    source_key: Mapped[str] = mapped_column(String(36))
    source_version: Mapped[int] = mapped_column(Integer, default=1)


# -- values --------------------------------------------------------------------------------------
@dataclass(slots=True)
class BrandKitInfo:
    """The brand kit as exporters and the UI see it. `logo_sha256`/`reference_sha256` name blobs
    in the library's file store (or are None)."""

    company_name: str
    logo_sha256: str | None
    logo_name: str
    primary_color: str
    secondary_color: str
    heading_font: str
    body_font: str
    disclaimer: str
    footer_text: str
    website: str
    intro: str
    validity_days: int
    paper: str
    reference_sha256: str | None
    reference_name: str
    updated_at: datetime | None = None
    updated_by: str = ""
    is_default: bool = False


@dataclass(slots=True)
class PartnerInfo:
    name: str
    logo_sha256: str | None = None
    logo_name: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    intro: str = ""


@dataclass(slots=True)
class ReceivedPackInfo:
    pack_id: str
    name: str
    sender: str
    partner: str
    prepared_for: str
    created_at: str
    valid_until: date | None
    imported_at: datetime
    imported_by: str
    file_name: str
    item_keys: list[str] = field(default_factory=list)


# Fields `brand set FIELD=VALUE` accepts (logo and reference have their own commands: files).
BRAND_TEXT_FIELDS = (
    "company_name",
    "primary_color",
    "secondary_color",
    "heading_font",
    "body_font",
    "disclaimer",
    "footer_text",
    "website",
    "intro",
    "validity_days",
    "paper",
)
PARTNER_TEXT_FIELDS = (
    "name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "intro",
)


# -- brand kit -----------------------------------------------------------------------------------
def library_company_name(session: Session) -> str:
    """The company name a fresh library knows: Meta 'company_name' / 'company', else a default."""
    for key in ("company_name", "company"):
        row = session.get(Meta, key)
        if row is not None and row.value.strip():
            return row.value.strip()
    return DEFAULT_COMPANY


def _brand_info(row: BrandKit | None, session: Session) -> BrandKitInfo:
    if row is None:
        return BrandKitInfo(
            company_name=library_company_name(session),
            logo_sha256=None,
            logo_name="",
            primary_color=DEFAULT_PRIMARY,
            secondary_color=DEFAULT_SECONDARY,
            heading_font=DEFAULT_FONT,
            body_font=DEFAULT_FONT,
            disclaimer=DEFAULT_DISCLAIMER,
            footer_text="",
            website="",
            intro="",
            validity_days=DEFAULT_VALIDITY_DAYS,
            paper="A4",
            reference_sha256=None,
            reference_name="",
            is_default=True,
        )
    return BrandKitInfo(
        company_name=row.company_name or library_company_name(session),
        logo_sha256=row.logo_sha256,
        logo_name=row.logo_name,
        primary_color=row.primary_color,
        secondary_color=row.secondary_color,
        heading_font=row.heading_font,
        body_font=row.body_font,
        disclaimer=row.disclaimer,
        footer_text=row.footer_text,
        website=row.website,
        intro=row.intro,
        validity_days=row.validity_days,
        paper=row.paper,
        reference_sha256=row.reference_sha256,
        reference_name=row.reference_name,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def brand_in(session: Session) -> BrandKitInfo:
    """The brand kit read in the caller's session (defaults when none was saved)."""
    return _brand_info(session.get(BrandKit, 1), session)


def get_brand(lib: Library) -> BrandKitInfo:
    with lib.reader() as s:
        return brand_in(s)


def logo_path(lib: Library, digest: str | None) -> Path | None:
    """The stored PNG of a brand or partner logo (`logo_sha256`), for previews; None if unset."""
    if not digest:
        return None
    path = lib.store.path_for(digest)
    return path if path.is_file() else None


def _require_admin(session: Session, actor: str, what: str) -> None:
    """Only admins change the brand kit and partner profiles, once the library has an admin.

    Why "once": a library made before roles existed has no admin yet and must still be
    brandable. The actor is matched by name or e-mail, case-insensitively (library.users)."""
    admins = session.scalars(select(User).where(User.role == "admin")).all()
    if not admins:
        return
    folded = " ".join(actor.split()).casefold()
    if any(folded in (a.name.casefold(), (a.email or "").casefold()) for a in admins):
        return
    try:
        from library.users import PermissionDenied

        error: type[LibraryError] = PermissionDenied
    except ImportError:
        error = LibraryError
    raise error(
        f"Only an admin can change {what}; {actor or 'you'} is not an admin of this library."
    )


def _brand_row(session: Session) -> BrandKit:
    row = session.get(BrandKit, 1)
    if row is None:
        row = BrandKit(
            id=1,
            company_name=library_company_name(session),
            primary_color=DEFAULT_PRIMARY,
            secondary_color=DEFAULT_SECONDARY,
            heading_font=DEFAULT_FONT,
            body_font=DEFAULT_FONT,
            disclaimer=DEFAULT_DISCLAIMER,
            footer_text="",
            website="",
            intro="",
            validity_days=DEFAULT_VALIDITY_DAYS,
            paper="A4",
            logo_name="",
            reference_name="",
        )
        session.add(row)
    return row


def clean_brand_value(field_name: str, raw: str) -> Any:
    """Validate one user-typed brand kit value; raises InvalidInput with a sentence."""
    value = _CONTROL.sub("", str(raw)).strip()
    if field_name in ("primary_color", "secondary_color"):
        m = _HEX.match(value)
        if not m:
            raise InvalidInput(f"{field_name}: '{raw}' is not a colour (use hex like #17375E).")
        hexa = m.group(1)
        if len(hexa) == 3:
            hexa = "".join(c * 2 for c in hexa)
        return hexa.upper()
    if field_name in ("heading_font", "body_font"):
        if not value or len(value) > 64 or any(c in value for c in "<>&\"'"):
            raise InvalidInput(f"{field_name}: give a font family name such as Arial.")
        return value
    if field_name == "validity_days":
        try:
            days = int(value)
        except ValueError:
            raise InvalidInput(f"validity_days: '{raw}' is not a number of days.") from None
        if not 1 <= days <= 3650:
            raise InvalidInput("validity_days: use a number of days between 1 and 3650.")
        return days
    if field_name == "paper":
        for size in PAPER_SIZES:
            if value.casefold() == size.casefold():
                return size
        raise InvalidInput(f"paper: use one of {', '.join(PAPER_SIZES)}.")
    if field_name == "company_name" and not value:
        raise InvalidInput("company_name: the brand kit needs a company name.")
    return value


def update_brand(
    lib: Library, changes: dict[str, str], *, actor: str | None = None
) -> BrandKitInfo:
    """Set brand kit fields (`BRAND_TEXT_FIELDS`) from user-typed values, in one transaction."""
    actor = actor if actor is not None else lib.actor
    unknown = [k for k in changes if k not in BRAND_TEXT_FIELDS]
    if unknown:
        raise InvalidInput(
            f"'{unknown[0]}' is not a brand kit field (use one of: {', '.join(BRAND_TEXT_FIELDS)}; "
            "the logo and reference document have their own commands)."
        )
    cleaned = {k: clean_brand_value(k, v) for k, v in changes.items()}
    with lib.transaction() as s:
        _require_admin(s, actor, "the brand kit")
        row = _brand_row(s)
        for k, v in cleaned.items():
            setattr(row, k, v)
        row.updated_at, row.updated_by = utcnow(), actor
        lib.record(s, "brand-changed", None, actor, changes=cleaned)
        s.flush()
        return _brand_info(row, s)


def set_brand_logo(lib: Library, path: Path | None, *, actor: str | None = None) -> BrandKitInfo:
    """Store `path` (PNG, JPEG, GIF, WebP or SVG, rasterized) as the brand logo,
    normalized to PNG; None removes the logo."""
    actor = actor if actor is not None else lib.actor
    digest: str | None = None
    name = ""
    if path is not None:
        png = prepare_logo(path)
        digest, _ = lib.store.add_bytes(png)
        name = path.name
    with lib.transaction() as s:
        _require_admin(s, actor, "the brand kit")
        row = _brand_row(s)
        row.logo_sha256, row.logo_name = digest, name
        row.updated_at, row.updated_by = utcnow(), actor
        lib.record(s, "brand-changed", None, actor, logo=name or None, sha256=digest)
        s.flush()
        return _brand_info(row, s)


def set_reference_docx(
    lib: Library, path: Path | None, *, actor: str | None = None
) -> BrandKitInfo:
    """Use `path` (a .docx) as the base of leave-behinds: its styles, headers and footers are kept
    and its body is replaced. None goes back to the built-in design."""
    actor = actor if actor is not None else lib.actor
    digest: str | None = None
    name = ""
    if path is not None:
        check_reference_docx(path)
        digest, _ = lib.store.add_file(path)
        name = path.name
    with lib.transaction() as s:
        _require_admin(s, actor, "the brand kit")
        row = _brand_row(s)
        row.reference_sha256, row.reference_name = digest, name
        row.updated_at, row.updated_by = utcnow(), actor
        lib.record(s, "brand-changed", None, actor, reference_docx=name or None, sha256=digest)
        s.flush()
        return _brand_info(row, s)


def check_reference_docx(path: Path) -> None:
    """Raise InvalidInput unless `path` is a Word document python-docx can open as a template."""
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file.")
    if path.stat().st_size > MAX_REFERENCE_BYTES:
        raise InvalidInput(f"{path.name} is larger than 20 MB; a reference document holds styles.")
    if path.suffix.lower() != ".docx":
        raise InvalidInput(
            f"{path.name}: the reference document must be a .docx (save a .dotx or .doc as .docx)."
        )
    try:
        import docx

        docx.Document(str(path))
    except Exception as e:
        raise InvalidInput(f"{path.name} cannot be opened as a Word document: {e}.") from None


# -- logos ---------------------------------------------------------------------------------------
def prepare_logo(path: Path) -> bytes:
    """Read a logo file and return PNG bytes (longest side <= MAX_LOGO_PIXELS).

    SVG and SVGZ are rasterized (`rasterize_svg`). Raises InvalidInput with a sentence."""
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file.")
    if path.stat().st_size > MAX_LOGO_INPUT_BYTES:
        raise InvalidInput(f"{path.name} is larger than 20 MB; please use a smaller logo file.")
    data = path.read_bytes()
    head = data[:512].lstrip().lower()
    if path.suffix.lower() in (".svg", ".svgz") or head.startswith((b"<svg", b"<?xml")):
        data = rasterize_svg(path)
    return _normalize_png(data, path.name)


def rasterize_svg(path: Path) -> bytes:
    """PNG bytes of the SVG (or gzipped .svgz) at `path`, longest side MAX_LOGO_PIXELS.

    Uses resvg-py (a self-contained wheel on Windows, macOS and Linux), else cairosvg, else
    `rsvg-convert`. The markup is rendered from a string, so an SVG cannot pull in other local
    files through relative links."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        import gzip

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            raise InvalidInput(f"{path.name} is a damaged compressed SVG.") from None
    text = raw.decode("utf-8", errors="replace")
    resvg = _optional_module("resvg_py")
    if resvg is not None:
        try:
            w, h = _png_size(bytes(resvg.svg_to_bytes(svg_string=text)))
            if w >= h:
                png = resvg.svg_to_bytes(svg_string=text, width=MAX_LOGO_PIXELS)
            else:
                png = resvg.svg_to_bytes(svg_string=text, height=MAX_LOGO_PIXELS)
            return bytes(png)
        except (ValueError, RuntimeError, OSError) as e:
            raise InvalidInput(f"{path.name} could not be rasterized: {_first_line(e)}.") from None
    cairosvg = _optional_module("cairosvg")
    if cairosvg is not None:
        try:
            return bytes(cairosvg.svg2png(bytestring=raw, output_width=MAX_LOGO_PIXELS))
        except Exception as e:
            raise InvalidInput(f"{path.name} could not be rasterized: {_first_line(e)}.") from None
    rsvg = shutil.which("rsvg-convert")
    if rsvg:
        try:
            out = subprocess.run(
                [rsvg, "--width", str(MAX_LOGO_PIXELS), "--keep-aspect-ratio"],
                input=raw,
                capture_output=True,
                timeout=30,
                check=True,
            )
        except (subprocess.SubprocessError, OSError) as e:
            raise InvalidInput(f"{path.name} could not be rasterized: {_first_line(e)}.") from None
        return out.stdout
    raise InvalidInput(
        f"{path.name} is an SVG, and no SVG rasterizer is installed (resvg-py, cairosvg or "
        "rsvg-convert); export the logo as PNG and use that file."
    )


def _optional_module(name: str) -> Any:
    """The module `name`, or None when it (or a library it loads, e.g. cairo) is missing."""
    import importlib

    try:
        return importlib.import_module(name)
    except (ImportError, OSError):
        return None


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("the renderer returned no image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0].rstrip(".") if text else type(e).__name__


def _trim(im: Any) -> Any:
    """The logo without its empty margins (transparent or pure white), so it lines up with the
    page margins; a blank image is returned as it is."""
    from PIL import Image, ImageChops

    rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, rgba).convert("RGB")
    ink = ImageChops.difference(flat, Image.new("RGB", rgba.size, (255, 255, 255))).getbbox()
    if ink is None:
        return im
    pad = max(1, round(max(im.size) * 0.01))  # keep anti-aliased edges
    box = (
        max(0, ink[0] - pad),
        max(0, ink[1] - pad),
        min(im.size[0], ink[2] + pad),
        min(im.size[1], ink[3] + pad),
    )
    return im.crop(box) if box != (0, 0, *im.size) else im


def _normalize_png(data: bytes, name: str) -> bytes:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            im = opened if opened.mode in ("RGB", "RGBA") else opened.convert("RGBA")
            im = _trim(im)
            im.thumbnail((MAX_LOGO_PIXELS, MAX_LOGO_PIXELS))
            out = io.BytesIO()
            im.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except Image.DecompressionBombError:
        raise InvalidInput(f"{name} is an image too large to use as a logo.") from None
    except Exception:
        raise InvalidInput(
            f"{name} is not an image Frontline can use as a logo (use PNG, JPEG or SVG)."
        ) from None


# -- partners ------------------------------------------------------------------------------------
def partner_info(p: PartnerProfile) -> PartnerInfo:
    return PartnerInfo(
        name=p.name,
        logo_sha256=p.logo_sha256,
        logo_name=p.logo_name,
        contact_name=p.contact_name,
        contact_email=p.contact_email,
        contact_phone=p.contact_phone,
        website=p.website,
        intro=p.intro,
    )


def _clean_partner_name(name: str) -> str:
    name = " ".join(_CONTROL.sub("", name).split())
    if not name:
        raise InvalidInput("A partner needs a name.")
    if len(name) > 200:
        raise InvalidInput("A partner name has at most 200 characters.")
    return name


def partner_row(session: Session, name: str) -> PartnerProfile:
    """The partner named `name` (case-insensitive); raises NotFound with a hint."""
    folded = " ".join(name.split()).casefold()
    row = session.scalar(select(PartnerProfile).where(PartnerProfile.name_folded == folded))
    if row is None:
        raise NotFound(f"No partner named '{name}' (add it with: partner add \"{name}\").")
    return row


def get_partner(lib: Library, name: str) -> PartnerInfo:
    with lib.reader() as s:
        return partner_info(partner_row(s, name))


def list_partners(lib: Library) -> list[PartnerInfo]:
    with lib.reader() as s:
        rows = s.scalars(select(PartnerProfile).order_by(PartnerProfile.name_folded)).all()
        return [partner_info(p) for p in rows]


def save_partner(
    lib: Library,
    name: str,
    values: dict[str, str],
    *,
    logo: Path | None = None,
    clear_logo: bool = False,
    create: bool = True,
    update: bool = False,
    actor: str | None = None,
) -> PartnerInfo:
    """Create (`create`) and/or update (`update`) the partner `name` with `values`
    (`PARTNER_TEXT_FIELDS`; `name` renames) and optionally a logo file (`clear_logo` removes
    it). Raises InvalidInput when creating an existing partner without `update`, NotFound when
    updating a missing one."""
    actor = actor if actor is not None else lib.actor
    unknown = [k for k in values if k not in PARTNER_TEXT_FIELDS]
    if unknown:
        raise InvalidInput(
            f"'{unknown[0]}' is not a partner field (use one of: {', '.join(PARTNER_TEXT_FIELDS)})."
        )
    name = _clean_partner_name(name)
    cleaned = {k: _CONTROL.sub("", str(v)).strip() for k, v in values.items()}
    if "name" in cleaned:
        cleaned["name"] = _clean_partner_name(cleaned["name"])
    digest = None
    if logo is not None:
        digest, _ = lib.store.add_bytes(prepare_logo(logo))
    with lib.transaction() as s:
        _require_admin(s, actor, "partner profiles")
        row = s.scalar(select(PartnerProfile).where(PartnerProfile.name_folded == name.casefold()))
        if row is None:
            if not create:
                raise NotFound(f"No partner named '{name}' (add it with: partner add \"{name}\").")
            row = PartnerProfile(
                name=name,
                name_folded=name.casefold(),
                logo_name="",
                contact_name="",
                contact_email="",
                contact_phone="",
                website="",
                intro="",
            )
            s.add(row)
            action = "partner-added"
        elif not update:
            raise InvalidInput(f"A partner named '{row.name}' exists already (use partner set).")
        else:
            action = "partner-changed"
        for k, v in cleaned.items():
            setattr(row, k, v)
        if "name" in cleaned:
            clash = s.scalar(
                select(PartnerProfile).where(
                    PartnerProfile.name_folded == cleaned["name"].casefold(),
                    PartnerProfile.id != row.id,
                )
            )
            if clash is not None:
                raise InvalidInput(f"A partner named '{clash.name}' exists already.")
            row.name_folded = cleaned["name"].casefold()
        if logo is not None:
            row.logo_sha256, row.logo_name = digest, logo.name
        elif clear_logo:
            row.logo_sha256, row.logo_name = None, ""
        row.updated_at = utcnow()
        lib.record(s, action, None, actor, partner=row.name, changes=cleaned)
        s.flush()
        return partner_info(row)


def delete_partner(lib: Library, name: str, *, actor: str | None = None) -> None:
    """Remove the partner profile `name` (admins). Past exports keep their record in the
    activity log; the logo stays in the file store until `check` collects unused files."""
    actor = actor if actor is not None else lib.actor
    with lib.transaction() as s:
        _require_admin(s, actor, "partner profiles")
        row = partner_row(s, name)
        lib.record(s, "partner-removed", None, actor, partner=row.name)
        s.delete(row)


# -- received packs (read-only collection) -------------------------------------------------------
def received_pack_of(session: Session, item_key: str) -> tuple[str, str] | None:
    """(name, sender) of the newest received pack `item_key` came from, or None."""
    row = session.execute(
        select(ReceivedPack.name, ReceivedPack.sender)
        .join(ReceivedPackItem, ReceivedPackItem.pack_row_id == ReceivedPack.id)
        .where(ReceivedPackItem.item_key == item_key)
        .order_by(ReceivedPack.imported_at.desc())
        .limit(1)
    ).first()
    return (str(row[0]), str(row[1] or "")) if row is not None else None


def read_only_reason(session: Session, item_key: str) -> str | None:
    """A sentence naming the item and saying why it must not be edited (it came from a received
    pack, or from a subscribed channel), or None when the item is the library's own or unknown.
    The rule itself lives in `library.items.read_only_reason`."""
    from library import items as item_service
    from library.models import Item

    item = session.scalar(select(Item).where(Item.key == item_key))
    return item_service.read_only_reason(session, item) if item is not None else None


def require_editable(session: Session, item_key: str) -> None:
    """Raise LibraryError (the `read_only_reason` sentence) when `item_key` came from a received
    pack or a subscribed channel (see `library.items.ensure_editable`)."""
    reason = read_only_reason(session, item_key)
    if reason is not None:
        raise LibraryError(reason)


def list_received_packs(lib: Library) -> list[ReceivedPackInfo]:
    with lib.reader() as s:
        packs = s.scalars(select(ReceivedPack).order_by(ReceivedPack.imported_at.desc())).all()
        out = []
        for p in packs:
            keys = s.scalars(
                select(ReceivedPackItem.item_key).where(ReceivedPackItem.pack_row_id == p.id)
            ).all()
            out.append(
                ReceivedPackInfo(
                    pack_id=p.pack_id,
                    name=p.name,
                    sender=p.sender,
                    partner=p.partner,
                    prepared_for=p.prepared_for,
                    created_at=p.created_at,
                    valid_until=p.valid_until,
                    imported_at=p.imported_at,
                    imported_by=p.imported_by,
                    file_name=p.file_name,
                    item_keys=list(keys),
                )
            )
        return out


def referenced_digests(session: Session) -> set[str]:
    """Blobs the brand kit and partner profiles use (so `check`/gc don't call them orphans)."""
    digests: set[str] = set()
    row = session.get(BrandKit, 1)
    if row is not None:
        digests.update(d for d in (row.logo_sha256, row.reference_sha256) if d)
    digests.update(
        d for d in session.scalars(select(PartnerProfile.logo_sha256)).all() if d is not None
    )
    return digests
