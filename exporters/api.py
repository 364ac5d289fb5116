"""The one module the desktop app (pack basket, export dialog, brand kit editor) imports.

Everything here is Qt-free and safe to call from a worker thread; errors are LibraryError
subclasses whose `str()` is a sentence to show as it is. Importing this module is cheap:
python-docx loads only when a document is written.

    pre = preflight(lib, basket.keys(), partner=None)   # refusals, valid-until, rep, partners
    report = export_leave_behind(lib, ExportRequest(keys, Path("ACME.docx"), customer="ACME"),
                                 progress=callback, cancel=cancel_token)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from exporters.base import (
    ExportCancelled,
    ExportedItem,
    ExportFailed,
    ExportRefused,
    ExportReport,
    ExportRequest,
)
from exporters.content import Contact
from exporters.pack_import import ImportPackReport, TamperedPack
from library.branding import (
    BRAND_TEXT_FIELDS,
    PARTNER_TEXT_FIELDS,
    BrandKitInfo,
    PartnerInfo,
    ReceivedPackInfo,
    clean_brand_value,
    delete_partner,
    get_brand,
    get_partner,
    list_partners,
    list_received_packs,
    logo_path,
    read_only_reason,
    save_partner,
    set_brand_logo,
    set_reference_docx,
    update_brand,
)
from library.progress import Cancel, Progress, ProgressCallback

if TYPE_CHECKING:
    from library.core import Library
    from library.sharing import Refusal

__all__ = [
    "BRAND_TEXT_FIELDS",
    "PARTNER_TEXT_FIELDS",
    "BrandKitInfo",
    "Cancel",
    "Contact",
    "ExportCancelled",
    "ExportFailed",
    "ExportPreflight",
    "ExportRefused",
    "ExportReport",
    "ExportRequest",
    "ExportedItem",
    "ImportPackReport",
    "PartnerInfo",
    "Progress",
    "ReceivedPackInfo",
    "TamperedPack",
    "clean_brand_value",
    "delete_partner",
    "export_leave_behind",
    "export_pack",
    "get_brand",
    "get_partner",
    "import_pack",
    "list_partners",
    "list_received_packs",
    "logo_path",
    "pdf_available",
    "preflight",
    "read_only_reason",
    "save_partner",
    "set_brand_logo",
    "set_reference_docx",
    "update_brand",
]


@dataclass(slots=True)
class ExportPreflight:
    """What the export dialog shows before anything is written (read-only, cheap)."""

    keys: list[str]
    recipient: str  # "customer" or "partner"
    refusals: list[Refusal]
    valid_until: date  # as it would be printed: brand validity, capped by the items' expiry
    rep: Contact  # the current user as printed on the cover
    company: str
    partner: PartnerInfo | None
    partners: list[PartnerInfo] = field(default_factory=list)
    pdf_available: bool = False

    @property
    def ok(self) -> bool:
        return not self.refusals

    @property
    def refused_keys(self) -> set[str]:
        return {r.item_key for r in self.refusals}


def preflight(
    lib: Library, keys: list[str], *, partner: str | None = None, today: date | None = None
) -> ExportPreflight:
    """Check `keys` against the share rules for the recipient (a partner when `partner`
    names a profile) and gather what the dialog shows. Raises NotFound for an unknown partner."""
    from sqlalchemy import select

    from exporters.content import rep_contact
    from library.branding import brand_in, partner_info, partner_row
    from library.models import Item
    from library.sharing import share_refusals

    today = today or date.today()
    recipient = "partner" if partner else "customer"
    keys = list(dict.fromkeys(keys))
    with lib.reader() as s:
        refusals = share_refusals(s, keys, recipient, today) if keys else []
        brand = brand_in(s)
        chosen = partner_info(partner_row(s, partner)) if partner else None
        refused = {r.item_key for r in refusals}
        ok_keys = [k for k in keys if k not in refused]
        expiries = s.scalars(
            select(Item.expires_on).where(Item.key.in_(ok_keys), Item.expires_on.is_not(None))
        ).all()
        rep = rep_contact(s, lib.actor)
    valid_until = today + timedelta(days=brand.validity_days)
    valid_until = min([valid_until, *[d for d in expiries if d is not None]])
    return ExportPreflight(
        keys=keys,
        recipient=recipient,
        refusals=refusals,
        valid_until=valid_until,
        rep=rep,
        company=brand.company_name,
        partner=chosen,
        partners=list_partners(lib),
        pdf_available=pdf_available(),
    )


def pdf_available() -> bool:
    """True when LibreOffice is installed, so PDF output can be offered."""
    from exporters.pdf import find_soffice

    return find_soffice() is not None


def export_leave_behind(
    lib: Library,
    request: ExportRequest,
    progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> ExportReport:
    """The branded DOCX (and PDF with `request.pdf`); see exporters.leave_behind."""
    from exporters import leave_behind

    return leave_behind.export_leave_behind(lib, request, progress, cancel)


def export_pack(
    lib: Library,
    request: ExportRequest,
    progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> ExportReport:
    """The reseller pack zip; see exporters.pack."""
    from exporters import pack

    return pack.export_pack(lib, request, progress, cancel)


def import_pack(
    lib: Library,
    path: Path,
    progress: ProgressCallback | None = None,
    cancel: Cancel | None = None,
) -> ImportPackReport:
    """Check a received pack against its manifest and add it as a read-only collection."""
    from exporters import pack_import

    return pack_import.import_pack(lib, path, progress, cancel)
