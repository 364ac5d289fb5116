"""What's new for items approved without a publish date (imported or synced before dates were kept)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from library import governance
from library.core import Library
from tests.test_governance import make


def test_an_approved_item_without_a_publish_date_is_news_not_a_crash(lib: Library) -> None:
    """GIVEN an approved item whose publish date is empty (older library, sync)
    WHEN What's new is asked THEN it is listed as new instead of failing."""
    before = datetime.now() - timedelta(days=1)
    key = make(lib, title="Imported sheet", status="approved")
    with lib.transaction() as s:
        s.execute(text("UPDATE items SET published_at=NULL WHERE key=:k"), {"k": key})
    news = governance.whats_new(lib, before)
    assert [(e.item_key, e.change) for e in news] == [(key, "new")]
