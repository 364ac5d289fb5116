"""Exports: branded leave-behinds (DOCX, PDF through LibreOffice) and reseller packs (zip), and
re-opening a received pack. No Qt here; python-docx and the search index load lazily.

- `api`          the one module the desktop app imports: preflight, export/import with progress
                 and cancel, brand kit and partner editing
- `base`         request/report values, the format registry, share-rule gate, atomic publish,
                 progress/cancel steps, write errors as sentences
- `content`      what an export prints, read from the library into plain values
- `leave_behind` the DOCX renderer (Word styles only) and `export_leave_behind`
- `pack`         `export_pack`: leave-behind + originals + manifest.json/csv + README.txt
- `pack_import`  `import_pack`: verify a pack, add it as a read-only collection
- `pdf`          LibreOffice headless conversion (private profile, timeout, output checked)
- `names`        file names safe on Windows, macOS and Linux
- `docx_kit`     OOXML helpers python-docx lacks
- `cli`          export, import-pack, packs, brand, partner
"""
