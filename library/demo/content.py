"""The demo company's catalog as data: Lumenfield Software, a revenue-planning vendor, with its
products, competitors, buyer personas, people and ~50 pieces of sales content.

Everything here is plain data plus a few builders that turn structured facts (a case study's
results, a battle card's sections) into the document the file writers render, so the catalog
metadata and the text inside the files never disagree. Dates are offsets from `today`
(`published_ago`, `expires_in`, ...); `library.demo.build_demo` turns them into dates.
Text may contain {{published_at}}, {{expires_on}}, {{verify_by}} or {{last_verified}}: they are
filled with the item's dates when the file is written.

The company, people, customers and competitors are fictional. Phone numbers use the ranges
reserved for fiction (+1 555 01xx, +44 20 7946 0xxx) and e-mail uses the .example domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from library.vocab import DEFAULT_STAGES


# -- document model (format-neutral; render.py writes it as PDF or DOCX) ------------------------
@dataclass(slots=True)
class H:
    text: str
    level: int = 1


@dataclass(slots=True)
class P:
    text: str


@dataclass(slots=True)
class Bullets:
    items: list[str]


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative column widths


@dataclass(slots=True)
class Quote:
    text: str
    author: str


@dataclass(slots=True)
class Callouts:
    items: list[tuple[str, str]]  # (big number, caption)


@dataclass(slots=True)
class PageBreak:
    pass


Block = H | P | Bullets | Table | Quote | Callouts | PageBreak


@dataclass(slots=True)
class DocFile:
    """A document written as PDF or DOCX, chosen by the extension of `name`."""

    name: str
    title: str
    label: str  # the band over the title: "Data sheet", "Battle card"...
    blocks: list[Block]
    subtitle: str = ""
    footer: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = "en"


@dataclass(slots=True)
class Slide:
    title: str
    bullets: list[str] = field(default_factory=list)
    notes: str = ""
    kicker: str = ""
    callouts: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class DeckFile:
    name: str
    title: str
    subtitle: str
    slides: list[Slide]
    cover_notes: str = ""
    keywords: list[str] = field(default_factory=list)


Cell = str | int | float | None


@dataclass(slots=True)
class Sheet:
    """One worksheet, placed from A1 exactly as given (formulas are strings starting with '=')."""

    name: str
    rows: list[list[Cell]]
    header_rows: list[int] = field(default_factory=list)  # 1-based
    total_rows: list[int] = field(default_factory=list)
    input_cells: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # 'B5:B9' or 'C' -> number format
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str = ""


@dataclass(slots=True)
class BookFile:
    name: str
    title: str
    subtitle: str
    sheets: list[Sheet]
    keywords: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TextFile:
    name: str
    title: str
    text: str


FileSpec = DocFile | DeckFile | BookFile | TextFile


@dataclass(slots=True)
class Piece:
    """One catalog item before its files are written and its dates are known."""

    title: str
    summary: str
    format: str
    files: list[FileSpec]
    owner: str
    kind: str = ""  # empty: the kind the format implies (vocab.FORMATS)
    status: str = "approved"
    audience: str = "customer"
    language: str = "en"
    personas: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_ago: int | None = None  # days before today; None = never published
    expires_in: int | None = None  # days after today (negative: already expired)
    verify_in: int | None = None  # days after today; case studies and battle cards derive it
    version: int = 1
    change_note: str = ""
    case_study: dict[str, Any] | None = None
    battle_card: dict[str, Any] | None = None  # last_verified comes from last_verified_ago
    last_verified_ago: int | None = None


def md(text: str, **inserts: Block) -> list[Block]:
    """A tiny Markdown subset for long copy: '# ' / '## ' headings, '- ' bullets, '> text -- who'
    quotes, '---' page breaks, '[[name]]' for a block passed as `name=`; other paragraphs are
    separated by blank lines."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("[[") and lines[0].endswith("]]"):
            blocks.append(inserts[lines[0][2:-2]])
        elif lines[0] == "---":
            blocks.append(PageBreak())
        elif lines[0].startswith("## "):
            blocks.append(H(lines[0][3:], 2))
            blocks.extend(md("\n".join(lines[1:]), **inserts))
        elif lines[0].startswith("# "):
            blocks.append(H(lines[0][2:], 1))
            blocks.extend(md("\n".join(lines[1:]), **inserts))
        elif lines[0].startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:])
                else:  # a wrapped bullet continues
                    items[-1] += " " + line
            blocks.append(Bullets(items))
        elif lines[0].startswith("> "):
            quote, _, who = " ".join(ln.lstrip("> ") for ln in lines).partition(" -- ")
            blocks.append(Quote(quote.strip(), who.strip()))
        else:
            blocks.append(P(" ".join(lines)))
    return blocks


# -- the company -----------------------------------------------------------------------------------
COMPANY = "Lumenfield Software"
FORECAST, COMP, TERRITORY = "Lumenfield Forecast", "Lumenfield Comp", "Lumenfield Territory"
PRODUCTS = [FORECAST, COMP, TERRITORY]
SPIREWORKS, QUOTABASE, MERIDIAN = "Spireworks", "Quotabase", "Meridian RevCloud"
COMPETITORS = [SPIREWORKS, QUOTABASE, MERIDIAN]
HEALTHCARE, MANUFACTURING, FINSERV = "Healthcare", "Manufacturing", "Financial services"
RETAIL, PUBLIC, LOGISTICS = "Retail", "Public sector", "Logistics"
SOFTWARE, TELECOM = "Software & technology", "Telecommunications"
INDUSTRIES = [HEALTHCARE, MANUFACTURING, FINSERV, RETAIL, PUBLIC, LOGISTICS, SOFTWARE, TELECOM]
NA, EMEA, APAC, LATAM = "North America", "EMEA", "APAC", "LATAM"
REGIONS = [NA, EMEA, APAC, LATAM]
STAGES = list(DEFAULT_STAGES)
(PROSPECTING, DISCOVERY, EVALUATION, PROPOSAL, NEGOTIATION, WON, LOST, ONBOARDING, EXPANSION) = (
    STAGES
)

CFO, VPSO, SECURITY, REVOPS, PROCUREMENT = (
    "CFO",
    "VP Sales Ops",
    "IT Security Lead",
    "RevOps Manager",
    "Procurement Manager",
)

PERSONAS: list[dict[str, str]] = [
    {
        "name": CFO,
        "titles": "Chief Financial Officer; VP Finance; Finance Director; Group Financial Controller",
        "seniority": "C-level / executive",
        "department": "Finance",
        "buying_role": "economic buyer",
        "goals": "Give the board and investors a revenue number they can rely on; keep cost of "
        "sales in line with plan; close the books on time with commission expense that stands "
        "up to audit; fund growth without adding finance headcount.",
        "pains": "Forecast misses that only surface in the last two weeks of the quarter; "
        "commission accruals rebuilt in spreadsheets every month; overpayments found after the "
        "money has gone; key-person risk in the one analyst who understands the comp model; "
        "auditors asking for evidence that takes days to assemble.",
        "objections": "We just paid for a CRM upgrade, why another tool? Show me payback inside "
        "12 months. Implementation will distract my team at year-end. Another subscription in "
        "an already tight budget.",
        "needs_to_see": "An ROI model built on their own numbers with a clear payback month; a "
        "peer CFO reference in their industry; total cost including implementation and internal "
        "effort; the SOC 2 Type II report and an example audit trail; how commission "
        "capitalisation under ASC 340-40 / IFRS 15 is handled.",
        "channels": "Peer introductions and CFO roundtables; audit-firm and analyst content; "
        "two-page executive briefs; short meetings with a clear agenda; LinkedIn (reads, rarely "
        "engages).",
    },
    {
        "name": VPSO,
        "titles": "VP Sales Operations; Director of Sales Operations; VP Revenue Operations; "
        "Chief of Staff to the CRO",
        "seniority": "VP / director",
        "department": "Sales",
        "buying_role": "champion",
        "goals": "Run a forecast call that takes 30 minutes, not three hours; launch comp plans "
        "and territories on day one of the fiscal year; give the CRO one view of pipeline "
        "health; be the person who made the number predictable.",
        "pains": "Sunday nights reconciling CRM exports; reps disputing commission statements; "
        "territory carves that take a whole quarter; losing credibility with finance when the "
        "call moves late in the quarter.",
        "objections": "My team has no capacity for another implementation. Will managers and "
        "reps actually use it? We bought a forecasting tool before and it became shelfware.",
        "needs_to_see": "A live demo on data that looks like theirs; a 6-10 week plan with named "
        "owners; adoption figures from similar customers; material to win the CFO and CRO "
        "(business case, ROI model, executive slides).",
        "channels": "RevOps communities and Slack groups; practitioner webinars; demos and "
        "sandboxes; peer references; review sites.",
    },
    {
        "name": SECURITY,
        "titles": "IT Security Lead; Information Security Manager; Head of IT Risk; "
        "Enterprise Architect",
        "seniority": "Manager / senior manager",
        "department": "IT / Information Security",
        "buying_role": "technical evaluator",
        "goals": "Approve new SaaS without adding unmanaged risk; keep personal data in the "
        "agreed regions; enforce SSO and least-privilege access; pass their own audits "
        "(SOC 2, ISO 27001, HIPAA where it applies).",
        "pains": "Vendors who need a month to answer a security questionnaire; shadow "
        "spreadsheets full of salary and commission data; integrations that ask for full CRM "
        "admin rights; unclear sub-processor lists.",
        "objections": "Compensation data is too sensitive to leave our systems. We need EU data "
        "residency. Your CRM integration asks for too many permissions.",
        "needs_to_see": "SOC 2 Type II report and ISO 27001 certificate; a completed standard "
        "questionnaire (CAIQ or SIG Lite); data-flow diagram and sub-processor list; SSO, SCIM, "
        "role-based access and audit logs; penetration-test summary; data residency options.",
        "channels": "Security questionnaires and trust portals; technical calls with the "
        "vendor's security team; peer CISOs; vendor-risk platforms.",
    },
    {
        "name": REVOPS,
        "titles": "RevOps Manager; Sales Operations Analyst; Sales Compensation Analyst; "
        "CRM Administrator",
        "seniority": "Manager / individual contributor",
        "department": "Revenue Operations",
        "buying_role": "user",
        "goals": "Stop rebuilding the same reports every week; calculate commissions without "
        "formula errors; answer a rep's question with a link instead of a spreadsheet; keep CRM "
        "data clean enough to trust.",
        "pains": "Fragile workbooks with 40 tabs; manual CSV exports from the CRM; the month-end "
        "crunch of statement disputes; being the single point of failure when something "
        "breaks.",
        "objections": "Will I have to learn a scripting language to build plans? What happens to "
        "our custom CRM fields? Who maintains it after go-live?",
        "needs_to_see": "A hands-on sandbox; plans, crediting rules and hierarchies configured "
        "without code; CRM field mapping; admin training and documentation; hours saved per "
        "month.",
        "channels": "Sandboxes and trials; how-to videos; community forums; admin "
        "certification; peer recommendations.",
    },
    {
        "name": PROCUREMENT,
        "titles": "Procurement Manager; Strategic Sourcing Lead; IT Procurement Specialist; "
        "Vendor Management Office",
        "seniority": "Manager",
        "department": "Procurement",
        "buying_role": "blocker",
        "goals": "Best total cost over the contract term; limited vendor risk and lock-in; "
        "standard terms with clear exit and data-return clauses; fewer software vendors, "
        "not more.",
        "pains": "Requests that arrive at quarter-end with artificial deadlines; opaque pricing "
        "and surprise uplifts at renewal; non-standard paper; missing security or financial due "
        "diligence.",
        "objections": "Can you match the cheaper alternative? We need a three-year price cap. "
        "Your MSA is not on our paper. Why is implementation not included?",
        "needs_to_see": "A transparent price list and the reason for any discount; multi-year "
        "pricing with renewal caps; standard MSA, DPA and SLA up front; a due-diligence pack "
        "(financials, insurance, certifications); clear termination and data-return terms.",
        "channels": "RFPs and sourcing portals; e-mail with documents attached; vendor "
        "comparison matrices; analyst pricing benchmarks.",
    },
]

ADMIN, PMM, CONTENT, REVIEWER, REP_NA, REP_EMEA, PARTNER = (
    "Priya Raman",
    "Jonas Eklund",
    "Maya Okafor",
    "Daniel Osei",
    "Marcus Lee",
    "Sophie Brandt",
    "Lena Voss",
)

USERS: list[dict[str, str]] = [
    {
        "name": ADMIN,
        "title": "Sales Enablement Platform Manager",
        "email": "priya.raman@lumenfield.example",
        "phone": "+1 617 555 0110",
        "region": NA,
        "role": "admin",
    },
    {
        "name": PMM,
        "title": "Senior Product Marketing Manager, Competitive Intelligence",
        "email": "jonas.eklund@lumenfield.example",
        "phone": "+44 20 7946 0321",
        "region": EMEA,
        "role": "marketer",
    },
    {
        "name": CONTENT,
        "title": "Content Marketing Lead",
        "email": "maya.okafor@lumenfield.example",
        "phone": "+1 617 555 0134",
        "region": NA,
        "role": "marketer",
    },
    {
        "name": REVIEWER,
        "title": "Director of Sales Enablement",
        "email": "daniel.osei@lumenfield.example",
        "phone": "+1 617 555 0157",
        "region": NA,
        "role": "reviewer",
    },
    {
        "name": REP_NA,
        "title": "Enterprise Account Executive",
        "email": "marcus.lee@lumenfield.example",
        "phone": "+1 415 555 0142",
        "region": NA,
        "role": "rep",
    },
    {
        "name": REP_EMEA,
        "title": "Account Executive, DACH and UK",
        "email": "sophie.brandt@lumenfield.example",
        "phone": "+44 20 7946 0815",
        "region": EMEA,
        "role": "rep",
    },
    {
        "name": PARTNER,
        "title": "Alliance Manager, Northgate Solutions (Lumenfield reseller)",
        "email": "lena.voss@northgate.example",
        "phone": "+49 40 555 0190",
        "region": EMEA,
        "role": "partner",
    },
]

# The brand kit exports use (library.branding.update_brand fields, as an admin would type them).
# Colours are the demo documents' palette (render.BRAND; the accent is render.ACCENT darkened so
# small capitals printed in it stay readable on white). Arial: Word has it everywhere and
# LibreOffice uses the metric-compatible Liberation Sans for it, so pages break the same way.
# The intro and disclaimer use the placeholders exports fill in: {customer}, {company},
# {partner} (the co-branding partner, else the company), {rep}, {count}; {year} in the disclaimer.
WEBSITE = "www.lumenfield.example"
BRAND_KIT: dict[str, str] = {
    "company_name": COMPANY,
    "primary_color": "#0B4F6C",
    "secondary_color": "#B86E12",
    "heading_font": "Arial",
    "body_font": "Arial",
    "website": WEBSITE,
    "footer_text": f"{COMPANY} · Forecast, pay and plan with confidence",
    "validity_days": "60",
    "paper": "A4",
    # No {count} ("the 1 sections" when a rep leaves a single piece behind) and no {rep}: the
    # person exporting is the login name until they have a profile ("prepared by jsmith"), and
    # the cover lists the rep's contact details anyway.
    "intro": "Thank you for your time. As promised, here is the material we discussed, "
    "brought together for {customer}. Each section sums up one piece in a few minutes of "
    "reading, and the original documents are listed at the end. Everything in this selection "
    "is approved and current, and {partner} is happy to walk you through any of it.",
    "disclaimer": "Prepared for the organisation named on the cover and provided for "
    "information only: this document is not an offer, a contract or a commitment to deliver "
    "any feature. Customer results are those reported by the customers named, measured in "
    "their own environments; yours will depend on your data, processes and adoption. Prices, "
    "offers and programme terms apply until the valid-until date shown and may change after "
    "it. Lumenfield, Lumenfield Forecast, Lumenfield Comp and Lumenfield Territory are "
    "trademarks of {company}. © {year} {company}. All rights reserved.",
}

# Resellers we co-brand with (library.branding.save_partner fields). Northgate is the partner
# whose alliance manager (PARTNER) uses the library; its tier matches the partner kit's table.
PARTNER_PROFILES: list[dict[str, str]] = [
    {
        "name": "Northgate Solutions",
        "contact_name": PARTNER,
        "contact_email": "lena.voss@northgate.example",
        "contact_phone": "+49 40 555 0190",
        "website": "www.northgate.example",
        "intro": "Northgate Solutions is a Hamburg-based revenue-operations consultancy and a "
        "Premier partner in the Lumenfield Partner Network. Our 40 consultants have delivered "
        "more than 60 forecasting, commission and territory-planning projects for sales teams "
        "in Germany, Austria, Switzerland and the Nordics, and we stay with you from the "
        "first workshop to go-live and through your first quarter-end close.",
    },
]

# Flags and content requests from the field, and marketing's answers (library.feedback).
# `item`: the title of the item a flag is about; days are counted back from today.
FEEDBACK: list[dict[str, Any]] = [
    {
        "kind": "flag",
        "item": "Competitive update: Spireworks raises prices and moves forecasting to Premier",
        "category": "outdated",
        "text": "Spireworks announced a second price change on their Q3 earnings call; the "
        "per-seat figures in the table are the old ones.",
        "by": REP_NA,
        "days_ago": 2,
    },
    {
        "kind": "flag",
        "item": "Lumenfield Comp data sheet",
        "category": "missing-info",
        "text": "German buyers ask whether Comp needs works-council (Betriebsrat) approval; "
        "the data sheet says nothing about it.",
        "by": REP_EMEA,
        "days_ago": 6,
        "status": "answered",
        "answer": "Good catch: the next version gets a section on works councils. Until then "
        "use the security and compliance pack, which covers employee-data processing.",
        "answered_by": CONTENT,
        "answered_days_ago": 4,
    },
    {
        "kind": "request",
        "text": "A case study from a US hospital or health system (a provider, not a device "
        "maker) using Comp.",
        "query": "hospital comp case study",
        "by": REP_NA,
        "days_ago": 1,
    },
    {
        "kind": "request",
        "text": "A German-language data sheet for Lumenfield Forecast.",
        "query": "forecast datenblatt deutsch",
        "by": REP_EMEA,
        "days_ago": 3,
    },
    {
        "kind": "flag",
        "item": "Lumenfield Partner Network kit",
        "category": "wrong",
        "text": "The deal-registration link in section 2 of the kit returns a 404.",
        "by": PARTNER,
        "days_ago": 9,
        "status": "closed",
        "answer": "Fixed in the partner portal; the link in the kit works again.",
        "answered_by": PMM,
        "answered_days_ago": 8,
    },
]

CONFIDENTIAL = "INTERNAL USE ONLY - do not send to customers or partners."


# -- products and data sheets ------------------------------------------------------------------------
PRODUCT_FACTS: dict[str, dict[str, Any]] = {
    FORECAST: {
        "slug": "forecast",
        "tagline": "A revenue forecast your CFO can plan on.",
        "overview": "Lumenfield Forecast turns the weekly pipeline review from a debate about "
        "spreadsheets into a decision about deals. It reads your CRM every 15 minutes, shows "
        "exactly what changed since last week, and puts an explainable AI call next to every "
        "rep and manager call, so leaders can see where the number is soft before the quarter "
        "is lost rather than after.",
        "capabilities": [
            (
                "Pipeline inspection",
                "Deal-level changes since the last call: amount, close date, stage and "
                "next step, with pushed and slipped deals flagged for the manager.",
            ),
            (
                "Explainable AI call",
                "A machine-learning forecast per segment, trained on your own last 8-12 "
                "quarters, that shows the top five drivers behind every number. It sits next "
                "to the human call; it never overwrites it.",
            ),
            (
                "Roll-up and submission",
                "Hierarchy-aware roll-ups with overrides that require a reason, and a full "
                "submission history for every manager and week.",
            ),
            (
                "Deal-risk signals",
                "More than 40 signals from CRM activity and calendar metadata (never "
                "e-mail content): single-threaded deals, no next step, close date moved twice.",
            ),
            (
                "Accuracy tracking",
                "Forecast accuracy by segment, manager and week of quarter, so you know "
                "which calls to trust and coach the ones you can't.",
            ),
        ],
        "specs": [
            ("CRM connectors", "Salesforce, HubSpot, Microsoft Dynamics 365 (read and write-back)"),
            ("Refresh", "Every 15 minutes; on demand before the forecast call"),
            ("History used by the AI call", "Up to 12 quarters of opportunity history"),
            ("Hosting", "Multi-tenant SaaS in the US (Virginia) or EU (Frankfurt) region"),
            ("Identity", "SAML 2.0 SSO, SCIM provisioning, role-based access"),
            ("Typical go-live", "6 weeks (Launch package)"),
        ],
        "callouts": [
            (
                "±4.8%",
                "average forecast variance at week 6 of the quarter (customers live 12+ months)",
            ),
            ("5 hrs", "saved per front-line manager per week on forecast preparation"),
            ("6 weeks", "typical time from kickoff to the first forecast call"),
        ],
        "personas": [VPSO, REVOPS, CFO],
        "tags": ["forecasting", "pipeline", "AI"],
    },
    COMP: {
        "slug": "comp",
        "tagline": "Commissions that are right the first time, and provable.",
        "overview": "Lumenfield Comp replaces commission spreadsheets with plans that finance "
        "can audit and reps can understand. Plans are configured without code, statements "
        "update during the month, and every change to a plan, a credit or a payout is "
        "recorded with who approved it. Finance gets accruals, amortisation schedules and "
        "journal entries without a month-end rebuild.",
        "capabilities": [
            (
                "No-code plan designer",
                "Tiers, accelerators, decelerators, SPIFs, splits, draws, caps and clawbacks, "
                "with effective dating and versioned plan documents for e-signature.",
            ),
            (
                "Live rep statements",
                "Web and mobile statements that update as deals close, with the deal-level "
                "detail behind every line, so reps stop keeping shadow spreadsheets.",
            ),
            (
                "Disputes with an SLA",
                "Reps raise a query on the statement line itself; analysts resolve it in a "
                "queue with a service-level clock and a full history.",
            ),
            (
                "Finance controls",
                "Accruals, ASC 340-40 and IFRS 15 commission capitalisation and amortisation, "
                "GL export to NetSuite, SAP S/4HANA and Dynamics 365 Finance.",
            ),
            (
                "Payroll handoff",
                "Approved payouts exported to Workday, ADP or UKG on your pay calendar, with "
                "multi-currency support and FX rates locked per period.",
            ),
        ],
        "specs": [
            ("Payees", "Proven from 50 to 12,000 payees per tenant"),
            ("Recalculation", "Full recalculation of 5,000 payees in under 15 minutes"),
            ("Currencies", "Any ISO 4217 currency; FX locked per pay period"),
            ("Integrations", "CRM, ERP/GL, HRIS and payroll via native connectors or SFTP"),
            ("Compliance", "SOC 2 Type II, ISO 27001, HIPAA-eligible environment with BAA"),
            ("Typical go-live", "8-10 weeks (Enterprise package)"),
        ],
        "callouts": [
            ("99.7%", "of statements correct on the first run after go-live"),
            ("-68%", "average reduction in commission disputes in year one"),
            ("2 days", "taken out of the month-end close"),
        ],
        "personas": [CFO, REVOPS, VPSO],
        "tags": ["commissions", "incentive compensation", "ASC 340-40"],
    },
    TERRITORY: {
        "slug": "territory",
        "tagline": "Fair territories and quotas, planned in weeks instead of a quarter.",
        "overview": "Lumenfield Territory gives sales operations one model for accounts, "
        "territories, capacity and quota. Score accounts on potential, carve territories by "
        "rules or by hand, test the plan against hiring and attrition, and publish owners back "
        "to the CRM. Because it shares a data model with Forecast and Comp, a mid-year "
        "re-carve shows its pipeline and commission impact before anyone is moved.",
        "capabilities": [
            (
                "Account potential scoring",
                "Combine firmographics, install base, spend and your own propensity data into "
                "one potential score per account and segment.",
            ),
            (
                "Territory modelling",
                "Rule-based carves with drag-and-drop exceptions, balance checks on potential, "
                "workload and travel time, and side-by-side scenarios.",
            ),
            (
                "Capacity planning",
                "Ramp curves, attrition and hiring plans turned into realistic productive "
                "capacity per quarter.",
            ),
            (
                "Quota setting",
                "Top-down and bottom-up quotas reconciled in one place, with fairness checks "
                "that flag outliers before plans are issued.",
            ),
            (
                "Re-carves with impact preview",
                "Move accounts mid-year and see the effect on pipeline coverage, quota and "
                "commission credit before you publish it to the CRM.",
            ),
        ],
        "specs": [
            ("Accounts", "Up to 2 million accounts per model"),
            ("Scenarios", "Unlimited side-by-side scenarios with version history"),
            (
                "CRM write-back",
                "Account owner and territory fields in Salesforce, HubSpot, Dynamics 365",
            ),
            ("Data in", "CRM, data warehouse (Snowflake, BigQuery) or CSV"),
            ("Planners", "Platform licence includes 10 planner seats"),
            ("Typical go-live", "6-8 weeks, timed to your planning calendar"),
        ],
        "callouts": [
            ("3 weeks", "median annual planning cycle, down from 11"),
            ("+19 pts", "more reps reaching 80% of quota after a balanced carve"),
            ("1 model", "for territories, quotas and commission credit"),
        ],
        "personas": [VPSO, REVOPS],
        "tags": ["territory planning", "quota setting", "capacity planning"],
    },
}


def data_sheet(product: str, *, extra: list[Block] | None = None) -> DocFile:
    facts = PRODUCT_FACTS[product]
    blocks: list[Block] = [
        P(facts["overview"]),
        Callouts(list(facts["callouts"])),
        H("What it does"),
    ]
    for name, text in facts["capabilities"]:
        blocks += [H(name, 2), P(text)]
    blocks += [
        H("Technical specifications"),
        Table([], [list(row) for row in facts["specs"]], [1, 2.4]),
        *(extra or []),
        H("Works with the rest of Lumenfield"),
        P(
            "Forecast, Comp and Territory share one data model and one security boundary. "
            "Start with the product that solves today's problem; add the others without a "
            "second implementation, a second integration or a second contract."
        ),
        P(
            "Talk to your Lumenfield account executive about a guided demo on your own CRM data, "
            "or see lumenfield.example/trust for our SOC 2 Type II report and sub-processor list."
        ),
    ]
    return DocFile(
        name=f"collateral/{COMPANY.split()[0]}-{facts['slug'].title()}-Data-Sheet.pdf",
        title=f"{product} data sheet",
        subtitle=facts["tagline"],
        label="Data sheet",
        blocks=blocks,
        keywords=[product, *facts["tags"]],
    )


# -- persona one-pagers ------------------------------------------------------------------------------
PERSONA_PITCH: dict[str, dict[str, Any]] = {
    CFO: {
        "slug": "cfo",
        "for": "chief financial officers and finance leaders",
        "title": "Lumenfield for CFOs: a revenue number you can take to the board",
        "hook": "Finance owns the number the board hears, but not the pipeline behind it or the "
        "commission model that pays for it. Lumenfield gives finance the same view of revenue "
        "that sales operations has, with the controls auditors expect.",
        "points": [
            "Forecast variance typically falls to within ±5% by week 6 of the quarter, with an "
            "explainable AI call you can hold next to the sales call.",
            "Commission expense is calculated, accrued and capitalised (ASC 340-40 / IFRS 15) in "
            "one system; journal entries flow to your GL without a month-end rebuild.",
            "Every plan change, override and payout carries who approved it and when, ready for "
            "your auditors.",
            "Overpayments caught before payroll: customers recover 1-3% of variable compensation "
            "in year one.",
        ],
        "proof": "Brightcask's CFO reached payback in seven months and cut platform costs by 38% "
        "after replacing Spireworks.",
        "ask": "Bring one quarter of your pipeline history and last year's commission payouts; "
        "we will build your ROI and payback model with you in a 45-minute session.",
    },
    VPSO: {
        "slug": "sales-ops",
        "for": "sales and revenue operations leaders",
        "title": "Lumenfield for Sales Operations leaders: run the number, not the spreadsheets",
        "hook": "Sales operations sits between the CRO who wants a confident call and the "
        "finance team who wants it to be right. Lumenfield takes the weekly reconciliation off "
        "your desk so your team can spend its time on the deals and the plan.",
        "points": [
            "Forecast calls drop from three hours to under an hour: managers see what changed "
            "since last week instead of re-reading the pipeline.",
            "Territories and quotas for the new fiscal year are ready before kickoff, not six "
            "weeks after it.",
            "Reps see live commission statements, so disputes and shadow spreadsheets fall away.",
            "Go-live in 6-10 weeks with a named Lumenfield project lead and a fixed-fee package.",
        ],
        "proof": "Krontal Maschinenbau cut its territory planning cycle from eleven weeks to "
        "three; Meridale Diagnostics reduced commission disputes by 71%.",
        "ask": "Book a working session: we will load a sample of your CRM data and run your next "
        "forecast call in Lumenfield side by side with your current process.",
    },
    SECURITY: {
        "slug": "it-security",
        "for": "IT, security and enterprise architecture teams",
        "title": "Lumenfield for IT and security teams: approved in weeks, not quarters",
        "hook": "Revenue data and compensation data are among the most sensitive records a "
        "company holds. Lumenfield is built so your security review is short because the "
        "answers are already written down and independently audited.",
        "points": [
            "SOC 2 Type II and ISO 27001:2022 certified; HIPAA-eligible environment with a "
            "Business Associate Agreement on request.",
            "Data residency in the US (Virginia) or EU (Frankfurt); no customer data leaves the "
            "chosen region, including backups and support access.",
            "SAML 2.0 single sign-on, SCIM provisioning, role- and field-level permissions, and "
            "an exportable audit log of every access and change.",
            "The CRM integration uses a dedicated integration user with read access to named "
            "objects and write access to four forecast fields, nothing more.",
        ],
        "proof": "Our standard security pack (SOC 2 report, CAIQ answers, pen-test summary, "
        "sub-processors) is typically all a review needs.",
        "ask": "Ask your account executive for the security and compliance pack, or schedule a "
        "call with our security team directly.",
    },
    REVOPS: {
        "slug": "revops",
        "for": "RevOps managers, comp analysts and CRM admins",
        "title": "Lumenfield for RevOps managers: fewer tabs, fewer tickets, fewer late nights",
        "hook": "If you are the person who keeps the forecast workbook and the commission model "
        "alive, Lumenfield is designed to be the tool you administer, not the tool that "
        "administers you.",
        "points": [
            "Plans, crediting rules, hierarchies and quotas configured in a visual designer, "
            "with no scripting language to learn.",
            "Custom CRM fields mapped once, in the admin console, and kept in sync every 15 "
            "minutes.",
            "Reps raise commission questions on the statement line; you resolve them in a queue "
            "instead of an inbox.",
            "Admin certification, a sandbox per customer and a named customer success manager "
            "after go-live.",
        ],
        "proof": "TransAndes Logística cut its commission run from six days to six hours across "
        "three currencies.",
        "ask": "Request a sandbox: you will have a working copy of Lumenfield with sample data "
        "and a guided admin exercise within one business day.",
    },
    PROCUREMENT: {
        "slug": "procurement",
        "for": "procurement and vendor management teams",
        "title": "Buying Lumenfield: a straightforward purchase for procurement teams",
        "hook": "We want the commercial conversation to be as short as the security review. "
        "This page sets out how we price, contract and renew, so there are no surprises at "
        "signature or at renewal.",
        "points": [
            "Published list prices per user or payee; discounts are tied to term and volume, "
            "not to quarter-end pressure.",
            "Renewal uplift capped at 5% a year for multi-year agreements, written into the "
            "order form.",
            "Standard MSA, DPA (with EU Standard Contractual Clauses) and SLA available before "
            "the first proposal; we will review your paper for agreements over USD 150,000.",
            "Fixed-fee implementation packages, and full data export in open formats at any "
            "time and at termination.",
        ],
        "proof": "Vendor due-diligence pack available on request: certifications, insurance "
        "certificates and a financial standing letter.",
        "ask": "Send us your vendor onboarding requirements at the start of the evaluation and "
        "we will return everything in one pack within five business days.",
    },
}


def persona_one_pager(persona: str) -> DocFile:
    pitch = PERSONA_PITCH[persona]
    profile = next(p for p in PERSONAS if p["name"] == persona)
    blocks: list[Block] = [
        P(pitch["hook"]),
        H("What we hear from people in your role"),
        P(profile["pains"]),
        H("What changes with Lumenfield"),
        Bullets(list(pitch["points"])),
        H("Proof"),
        P(pitch["proof"]),
        H("Next step"),
        P(pitch["ask"]),
    ]
    return DocFile(
        name=f"collateral/Lumenfield-for-{pitch['slug']}-one-pager.pdf",
        title=pitch["title"],
        subtitle=f"A one-page brief for {pitch['for']}",
        label="One-pager",
        blocks=blocks,
        keywords=[persona, "persona", "one-pager"],
    )


# -- case studies ------------------------------------------------------------------------------------
_CS_HEADINGS = {
    "en": ("At a glance", "The challenge", "The solution", "The results", "About"),
    "de": ("Auf einen Blick", "Die Herausforderung", "Die Lösung", "Die Ergebnisse", "Über"),
}
_CS_ROWS = {
    "en": ("Customer", "Industry", "Region", "Products", "Replaced"),
    "de": ("Kunde", "Branche", "Region", "Produkte", "Abgelöst"),
}


def case_study_doc(
    name: str,
    title: str,
    subtitle: str,
    cs: dict[str, Any],
    *,
    about: str,
    region: str,
    products: list[str],
    replaced: str = "",
    language: str = "en",
    label: str = "Case study",
) -> DocFile:
    """The customer story as a document, written from its structured fields."""
    glance, challenge, solution, results, about_h = _CS_HEADINGS[language]
    r_customer, r_industry, r_region, r_products, r_replaced = _CS_ROWS[language]
    facts = [
        [r_customer, cs["customer"]],
        [r_industry, cs["industry"]],
        [r_region, region],
        [r_products, ", ".join(products)],
    ]
    if replaced:
        facts.append([r_replaced, replaced])
    # Headline numbers up front when they are short enough for a callout box; all results
    # are listed in the results section anyway.
    headline = [(r["value"], r["metric"]) for r in cs["results"] if len(r["value"]) <= 20][:3]
    blocks: list[Block] = [
        *([Callouts(headline)] if len(headline) >= 2 else []),
        H(glance),
        Table([], facts, [1, 3]),
        H(challenge),
        *[P(para) for para in cs["challenge"].split("\n\n")],
        H(solution),
        *[P(para) for para in cs["solution"].split("\n\n")],
        H(results),
        Bullets([f"{r['metric']}: {r['value']}" for r in cs["results"]]),
        Quote(cs["quote"], cs["quote_author"]),
        H(f"{about_h} {cs['customer']}"),
        P(about),
    ]
    return DocFile(
        name=name,
        title=title,
        subtitle=subtitle,
        label=label if language == "en" else "Fallstudie",
        footer="" if language == "en" else f"{COMPANY}. Alle Rechte vorbehalten.",
        blocks=blocks,
        keywords=[cs["customer"], cs["industry"], *products],
        language=language,
    )


def _results(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"metric": m, "value": v} for m, v in pairs]


MERIDALE = {
    "customer": "Meridale Diagnostics",
    "industry": HEALTHCARE,
    "challenge": "Meridale Diagnostics runs 23 clinical laboratories and serves more than "
    "3,000 physician practices across the US Midwest. Its 180 account executives and territory "
    "managers are paid partly on test-volume growth in their accounts. Because the order data "
    "behind those volumes contains protected health information (PHI), the compensation team "
    "could only work from de-identified monthly extracts prepared by IT, which arrived three "
    "weeks after month-end.\n\n"
    "Nobody liked the result. Reps waited almost a month to see their commission, disputes "
    "piled up because nobody could see the order-level detail, and every audit meant "
    "rebuilding the extracts by hand. Moving commission data into a general-purpose "
    "spreadsheet tool had been ruled out by the privacy office under HIPAA.",
    "solution": "Meridale chose Lumenfield Comp in Lumenfield's HIPAA-eligible environment, "
    "with a signed Business Associate Agreement (BAA). The connector to Meridale's laboratory "
    "information system strips patient identifiers at ingestion: only account, test code, "
    "date and volume ever reach Lumenfield, and the privacy office approved the field list "
    "before go-live.\n\n"
    "Commission plans, including quarterly accelerators and a clawback for cancelled standing "
    "orders, were rebuilt in the no-code designer in four weeks. Lumenfield Forecast followed "
    "two months later and gave regional directors a volume forecast per account that finally "
    "matched the numbers used for pay.",
    "results": _results(
        ("Commission statements available after month-end", "2 days (was 19)"),
        ("Commission disputes in the first two quarters", "-71%"),
        ("Audit preparation for commission expense", "2 days (was 3 weeks)"),
        ("Patient identifiers stored in the compensation system", "None"),
    ),
    "quote": "We could not put patient data anywhere near a commission spreadsheet, and with "
    "Lumenfield we didn't have to. They signed a BAA, kept PHI out of the model entirely, and "
    "our reps now see their commission two days after month-end instead of three weeks.",
    "quote_author": "Dana Whitaker, VP Revenue Operations, Meridale Diagnostics",
}

KRONTAL = {
    "customer": "Krontal Maschinenbau GmbH",
    "industry": "Maschinenbau",
    "challenge": "Die Krontal Maschinenbau GmbH aus Heilbronn entwickelt Verpackungsmaschinen "
    "für die Lebensmittel- und Pharmaindustrie und verkauft sie mit 140 Vertriebsmitarbeitenden "
    "und 35 Handelspartnern in 31 Ländern. Die jährliche Gebiets- und Quotenplanung lief über "
    "Excel-Dateien, die zwischen Vertriebsleitung, Controlling und den Regionen hin- und "
    "hergeschickt wurden. Ein Planungszyklus dauerte elf Wochen; die neuen Vertriebsgebiete "
    "standen meist erst im Februar fest, sechs Wochen nach Beginn des Geschäftsjahres.\n\n"
    "Hinzu kam eine unzuverlässige Prognose: Der prognostizierte Auftragseingang wich im "
    "Schnitt um 18 % vom Ist ab, weil Projekte mit langen Entscheidungszyklen zu optimistisch "
    "bewertet wurden. Für das Controlling war die Zahl kaum planbar.",
    "solution": "Krontal führte zunächst Lumenfield Territory ein. Das Modell verbindet "
    "Kundenpotenziale aus SAP S/4HANA mit den Verkaufschancen aus Salesforce und bewertet "
    "jedes Gebiet nach Potenzial, Arbeitslast und Reisezeit. Szenarien werden nebeneinander "
    "verglichen, bevor die Gebietsverantwortung zurück in Salesforce geschrieben wird.\n\n"
    "Drei Monate später folgte Lumenfield Forecast mit einer KI-gestützten Prognose, die die "
    "langen Projektlaufzeiten im Maschinenbau berücksichtigt. Alle Daten liegen im "
    "EU-Rechenzentrum in Frankfurt; Betriebsrat und Datenschutzbeauftragte haben die "
    "Einführung gemäß DSGVO begleitet.",
    "results": _results(
        ("Planungszyklus für Gebiete und Quoten", "3 statt 11 Wochen"),
        ("Abweichung der Auftragseingangsprognose", "6 % statt 18 %"),
        ("Vertriebsmitarbeitende mit mindestens 80 % Zielerreichung", "67 % statt 48 %"),
    ),
    "quote": "Zum ersten Mal standen unsere Gebiete vor dem Start des Geschäftsjahres fest – "
    "und jeder im Vertrieb versteht, warum sein Gebiet so aussieht, wie es aussieht.",
    "quote_author": "Katharina Vogel, Leiterin Vertriebssteuerung, Krontal Maschinenbau GmbH",
}

ASHGROVE = {
    "customer": "Ashgrove Mutual",
    "industry": FINSERV,
    "challenge": "Ashgrove Mutual is a UK mutual insurer whose 480 financial advisers work "
    "from 62 branches and a national telephony centre. Adviser pay combined base salary with a "
    "quarterly bonus driven by sales volume and a quality gate from file reviews. The scheme "
    "was calculated in a chain of spreadsheets maintained by two people in the reward team.\n\n"
    "Under the FCA's Consumer Duty, Ashgrove had to show that its incentive arrangements did "
    "not encourage poor customer outcomes, and to evidence every change to them. An internal "
    "audit also found that £1.1 million had been overpaid in the previous financial year, "
    "mostly through manual adjustments that had never been reversed.",
    "solution": "Ashgrove implemented Lumenfield Comp over ten weeks. The quality gate from "
    "file reviews is now part of the plan itself: a bonus is only released when the adviser's "
    "quality score for the quarter meets the threshold, and advisers can see the rule on their "
    "statement. Every plan change goes through a two-step approval by Reward and Compliance, "
    "and the audit trail is reported to the board risk committee each quarter.\n\n"
    "Before launch, the reward team used scenario modelling to optimise the balance between "
    "volume and quality measures, and to see the cost and the distribution of pay across the "
    "organisation before a single adviser was paid under the new scheme.",
    "results": _results(
        ("Overpayments found by internal audit", "None since go-live (£1.1m the year before)"),
        ("Quarterly bonus run", "2 working days (was 8)"),
        ("Adviser pay queries", "-58%"),
        ("Plan changes approved and logged", "100%"),
    ),
    "quote": "Consumer Duty asks us to prove that the way we pay advisers puts customers first. "
    "Lumenfield lets us show it plan by plan and payment by payment, and our reward team "
    "finally has time to think about the scheme rather than just calculate it.",
    "quote_author": "Owen Pritchard, Head of Reward, Ashgrove Mutual",
}

PELICAN = {
    "customer": "Pelican Outfitters",
    "industry": RETAIL,
    "challenge": "Pelican Outfitters sells outdoor apparel and footwear through its own stores "
    "and through a 90-person wholesale team that serves 4,000 independent retailers and "
    "regional chains in the US and Canada. Territories had grown by accident: reps who joined "
    "early kept the best accounts, new hires inherited long drives and small stores, and "
    "first-year attrition on the wholesale team had reached 24%.\n\n"
    "Every re-carve was a six-week negotiation in spreadsheets, so the company avoided doing "
    "them, which made the imbalance worse each season.",
    "solution": "Pelican's sales operations team built account potential scores in Lumenfield "
    "Territory from sell-through data, store size and category mix, then carved territories "
    "on potential and drive time instead of history. Senior reps kept their key relationships "
    "as protected accounts, while new hires received territories with realistic potential.\n\n"
    "Lumenfield Comp followed for the next season, paying on sell-through rather than "
    "sell-in, so reps are rewarded for accounts that re-order.",
    "results": _results(
        ("Territory planning for a season", "9 days (was 6 weeks)"),
        ("First-year attrition on the wholesale team", "13% (was 24%)"),
        ("Gap in quota attainment, top vs bottom quartile", "-31%"),
    ),
    "quote": "The old territories rewarded whoever had been here longest. Now a new rep gets a "
    "patch they can actually win in, and our best people still keep the accounts they built.",
    "quote_author": "Alicia Moreno, Director of Wholesale Sales Operations, Pelican Outfitters",
}

NORDVIK = {
    "customer": "Nordvik Energi",
    "industry": PUBLIC,
    "challenge": "Nordvik Energi is a state-owned energy company in Norway. Its commercial "
    "division sells long-term power purchase agreements (PPAs) and grid-connection services "
    "to industrial customers, with deal cycles of 9 to 18 months. As a public-sector "
    "organisation, Nordvik reports its commercial outlook to its ministry owner every quarter, "
    "and a forecast that missed by 12% had become a governance issue.\n\n"
    "The division was already licensed for its CRM vendor's bundled forecasting module, but it "
    "offered a roll-up of what sellers entered and nothing more.",
    "solution": "Nordvik ran an open tender under EEA public procurement rules and selected "
    "Lumenfield Forecast over two other bidders, including the CRM vendor's own forecasting "
    "offer. Lumenfield's AI call was trained on eleven quarters of PPA history and learned the "
    "long, uneven decision cycles of industrial energy buyers. Each manager's submission now "
    "carries a reason for every override, which gives the finance director a documented basis "
    "for the figure reported to the ministry.",
    "results": _results(
        ("Forecast variance", "4.5% (was 12%)"),
        ("Time spent on the quarterly forecast", "-65%"),
        ("Contract signature to first forecast call", "9 weeks"),
    ),
    "quote": "Reporting to the ministry makes our forecast a public commitment. With "
    "Lumenfield we can explain every number, including the ones we changed and why.",
    "quote_author": "Ingrid Solberg, Finance Director, Commercial Division, Nordvik Energi",
}

TRANSANDES = {
    "customer": "TransAndes Logística",
    "industry": LOGISTICS,
    "challenge": "TransAndes Logística is a freight forwarder and contract-logistics provider "
    "in Chile, Peru and Colombia. Its 210 sellers are paid on gross margin per shipment, in "
    "local currency, with regional accelerators and a separate plan for key-account managers. "
    "The monthly commission run took six working days: shipment data came from two transport "
    "management systems, exchange rates were applied by hand, and each country had its own "
    "spreadsheet.\n\n"
    "Sellers regularly disputed margins because freight costs were adjusted after invoicing, "
    "and management had no consistent view of which plans were driving profitable volume.",
    "solution": "TransAndes implemented Lumenfield Comp with connectors to both transport "
    "management systems and its ERP. Exchange rates are locked per pay period, margin "
    "adjustments flow through automatically with a clear history on the seller's statement, "
    "and all three countries run on one plan framework with local variations. Lumenfield "
    "Territory followed to rebalance key accounts across Santiago, Lima and Bogotá.",
    "results": _results(
        ("Monthly commission run", "6 hours (was 6 days)"),
        ("Commission disputes", "-52%"),
        ("Average gross margin per shipment", "+3.1 points"),
    ),
    "quote": "We used to have three spreadsheets and three versions of the truth. Now every "
    "seller in Chile, Peru and Colombia sees the same rules, and the margin behind every peso, "
    "sol and dollar they earn.",
    "quote_author": "Rodrigo Fuentes, Commercial Director, TransAndes Logística",
}

BRIGHTCASK = {
    "customer": "Brightcask",
    "industry": SOFTWARE,
    "challenge": "Brightcask makes inventory and purchasing software for hospitality groups "
    "and has 160 sellers across Singapore, Australia, Japan and India. It had used Spireworks' "
    "revenue platform for three years, but only the forecasting module was in regular use, "
    "and the renewal quote moved forecasting into a higher tier at a 35% increase.\n\n"
    "Managers also distrusted the platform's AI score because it could not explain itself; "
    "most kept a parallel spreadsheet for the forecast call.",
    "solution": "Brightcask ran a four-quarter backtest of Lumenfield Forecast on its own "
    "opportunity history before signing, and went live seven weeks after contract. The "
    "explainable AI call shows managers the drivers behind each segment forecast, so it became "
    "part of the weekly call instead of a number to argue with. Brightcask kept its existing "
    "conversation-intelligence tool, which Lumenfield reads as an activity signal.",
    "results": _results(
        ("Contract to first live forecast call", "7 weeks"),
        ("Forecast variance", "4% (was 14%)"),
        ("Annual cost versus the Spireworks renewal quote", "-38%"),
        ("Weekly forecast call", "45 min (was 3 hours)"),
    ),
    "quote": "We were paying for a platform and using one module of it. Lumenfield did that "
    "one job better, went live in seven weeks and paid for itself in seven months.",
    "quote_author": "Mei Lin Tan, Chief Financial Officer, Brightcask",
}

SOUTHERN_CROSS = {
    "customer": "Southern Cross Telecom",
    "industry": TELECOM,
    "challenge": "Southern Cross Telecom is an Australian mobile and broadband provider with "
    "1,400 commissioned staff in retail stores, telesales and business sales. It adopted "
    "Quotabase four years ago for its retail teams, but as business plans grew more complex "
    "(multi-year contracts, device financing, clawbacks on early cancellation), the month-end "
    "recalculation took up to nine hours and had to be rerun whenever a plan changed "
    "retroactively.\n\n"
    "Finance also needed an amortisation schedule for capitalised commissions under AASB 15, "
    "which was maintained in a separate spreadsheet.",
    "solution": "Southern Cross migrated all 1,400 payees to Lumenfield Comp in ten weeks, "
    "retail first and business sales second, running both systems in parallel for one pay "
    "period. Clawbacks for early cancellations are calculated from billing events, and "
    "capitalisation and amortisation under AASB 15 (Australia's equivalent of IFRS 15) are "
    "produced inside Lumenfield, with journal entries exported to SAP.",
    "results": _results(
        ("Commission disputes", "-64%"),
        ("Full recalculation for all payees", "20 min (was 9 hours)"),
        ("Payroll corrections after pay day", "-90%"),
    ),
    "quote": "Quotabase was fine when we had three simple retail plans. Lumenfield handles the "
    "contracts, the clawbacks and the accounting at our scale, and our store managers have "
    "stopped calling payroll every month.",
    "quote_author": "Liam O'Connell, General Manager, Sales Performance, Southern Cross Telecom",
}

HARBOURLINE = {
    "customer": "Harbourline Insurance",
    "industry": FINSERV,
    "challenge": "Harbourline Insurance sells group benefits and commercial insurance to "
    "Canadian employers through 120 account executives and a broker channel. Its forecast was "
    "a roll-up inside the CRM, and it had missed by 8-14% in each of the previous six "
    "quarters. The CRM vendor's forecasting add-on, included in the enterprise agreement, "
    "offered roll-ups but no accuracy tracking and no separate forecast for the broker channel.",
    "solution": "Before committing, Harbourline asked Lumenfield to backtest four quarters of "
    "history: the Lumenfield AI call came within 3.9% on average, against 11% for the CRM "
    "roll-up. Lumenfield Forecast went live in eight weeks with separate direct and broker "
    "forecasts and a weekly accuracy report for each regional vice-president.",
    "results": _results(
        ("Forecast variance in the four-quarter backtest", "3.9% vs 11% for the CRM roll-up"),
        ("Forecast variance after go-live", "Within 5% in each of the first three quarters"),
        ("Time saved per regional VP", "4 hours a week"),
    ),
    "quote": "The backtest settled the argument. We could see, on our own numbers, how much "
    "closer Lumenfield would have been every single quarter.",
    "quote_author": "Claire Dubois, SVP Finance, Harbourline Insurance",
}

CALLOWAY = {
    "customer": "Calloway Medical Devices",
    "industry": HEALTHCARE,
    "challenge": "Calloway Medical Devices designs and manufactures surgical stapling and "
    "energy devices, sold to hospitals in the US and Europe by 300 clinical sales "
    "representatives. Hospital purchasing has consolidated into integrated delivery networks "
    "and group purchasing organisations, but territories were still drawn on ZIP codes, so "
    "three reps could cover one health system and nobody owned the contract.\n\n"
    "Quota setting had become a negotiation that lasted until the end of the first quarter.",
    "solution": "Calloway rebuilt its coverage model in Lumenfield Territory around integrated "
    "delivery networks, with overlay specialists for energy devices and a named owner for each "
    "purchasing contract. Quotas were set bottom-up from procedure volumes and reconciled with "
    "the top-down plan in the same model, and the final carve was published to Salesforce two "
    "weeks before the sales kickoff.",
    "results": _results(
        ("Territories redesigned", "300 in 5 weeks"),
        ("Quotas issued before the fiscal year started", "100% (were 6 weeks late)"),
        ("Reps calling on the same health system", "1 owner + 1 specialist (was up to 3)"),
    ),
    "quote": "For the first time our territories match how hospitals actually buy. Our reps "
    "know who owns each relationship, and quotas were in their hands before kickoff.",
    "quote_author": "Dr. Samuel Reyes, VP Commercial Operations, Calloway Medical Devices",
}


# -- battle cards ------------------------------------------------------------------------------------
def battle_card_doc(name: str, competitor: str, overview: str, bc: dict[str, Any]) -> DocFile:
    """A Klue/Crayon-style card: the structured sections, in the order reps read them."""
    blocks: list[Block] = [
        P(overview),
        H("Why we win"),
        Bullets(list(bc["why_we_win"])),
        H("Why we lose"),
        Bullets(list(bc["why_we_lose"])),
        H("Objections and answers"),
        Table(
            ["When they say", "You say"],
            [[o["objection"], o["answer"]] for o in bc["objections"]],
            [1, 2],
        ),
        H("Landmines to set"),
        Bullets(list(bc["landmines"])),
        H("Pricing notes"),
        P(bc["pricing_notes"]),
        H("Proof points"),
        Bullets(list(bc["proof_points"])),
        P(
            "Last verified {{last_verified}} by Competitive Intelligence; re-verify by "
            "{{verify_by}}. Heard something new in a deal? Tell Jonas Eklund in #compete."
        ),
    ]
    return DocFile(
        name=name,
        title=f"Battle card: Lumenfield vs {competitor}",
        subtitle=f"How to position against {competitor}, and when to walk away",
        label="Battle card",
        blocks=blocks,
        footer=CONFIDENTIAL,
        keywords=[competitor, "battle card", "competitive"],
    )


SPIREWORKS_OVERVIEW = (
    "Spireworks is the large, well-funded incumbent in revenue platforms: conversation "
    "intelligence, engagement, forecasting and enablement in one suite, sold top-down to CROs. "
    "We meet them in most enterprise forecasting deals. They are strongest when the buyer wants "
    "one vendor for everything; we are strongest when the buyer wants the forecast to be right "
    "and live this quarter, and when finance has a seat at the table."
)
SPIREWORKS_CARD: dict[str, Any] = {
    "why_we_win": [
        "Time to value: Lumenfield Forecast is live in 6 weeks on average; Spireworks' own "
        "partners quote 4-6 months for the full platform.",
        "Finance-grade commissions: Spireworks has no native incentive compensation; they "
        "resell a partner product with its own contract and data model.",
        "Explainable AI: our call shows the top five drivers behind every number; managers "
        "learn to ignore a score they can't question.",
        "Multi-CRM: Salesforce, HubSpot and Dynamics 365 with the same features; the Spireworks "
        "Dynamics connector is read-only.",
        "Commercial flexibility: no platform fee, adopt product by product.",
    ],
    "why_we_lose": [
        "The buyer wants one vendor for call recording, engagement and forecasting. We do not "
        "record calls.",
        "The CRO ran Spireworks at a previous company and sponsors it top-down.",
        "Very large sales organisations (5,000+ sellers) where Spireworks' global SI partners "
        "already run the CRM programme.",
    ],
    "objections": [
        {
            "objection": "Spireworks does everything in one platform.",
            "answer": "It does a lot, and if call recording is a must-have that matters. Ask "
            "how many modules they will deploy in year one, and what forecasting costs now it "
            "sits in the Premier tier. Most of our customers run Lumenfield next to the "
            "conversation-intelligence tool they already own.",
        },
        {
            "objection": "Their AI forecast is more advanced.",
            "answer": "Ask them to show which factors drive the AI number on one of your deals. "
            "Ours shows the drivers and its accuracy history by segment. Offer a backtest on "
            "the prospect's last four quarters; we win most backtests.",
        },
        {
            "objection": "Spireworks is the market leader; you are the riskier choice.",
            "answer": "Lumenfield has served 600+ customers since 2016, is SOC 2 Type II and "
            "ISO 27001 certified, and we will introduce two references of similar size, "
            "including one that moved from Spireworks (Brightcask).",
        },
    ],
    "landmines": [
        "Which modules are in the quote, and which moved to the Premier tier in the latest "
        "packaging change?",
        "Can we see a project plan from a customer of our size that went live in under 90 days?",
        "How are commissions calculated, and whose contract and data model is that?",
        "Does the Dynamics 365 connector write forecasts and overrides back to the CRM?",
    ],
    "pricing_notes": "Spireworks Premier lists at roughly USD 150-180 per user per month after "
    "this year's increase, plus a platform fee above 250 users. Expect 30-40% first-year "
    "discounts that disappear at renewal: always compare three-year TCO, never year one. Do "
    "not put their pricing in writing to the prospect.",
    "proof_points": [
        "Brightcask replaced Spireworks forecasting, went live in 7 weeks, cut forecast "
        "variance from 14% to 4% and annual cost by 38%.",
        "Time to value decided three of our last five wins against Spireworks.",
        "4.7/5 average rating in our post-implementation survey (212 customers).",
    ],
}

QUOTABASE_OVERVIEW = (
    "Quotabase is a low-cost, self-serve commission tool with a spreadsheet-style formula "
    "builder, popular with small and mid-market teams. We meet them in Comp deals under 300 "
    "payees and increasingly when their customers outgrow them. Sell scale, finance controls "
    "and one model with forecasting and territories; do not race them on price."
)
QUOTABASE_CARD: dict[str, Any] = {
    "why_we_win": [
        "One data model: re-carve territories and see the commission impact immediately; "
        "Quotabase has no territory or forecast model.",
        "Scale: full recalculation of 5,000 payees in under 15 minutes; Quotabase customers "
        "report multi-hour month-end runs above 500 payees.",
        "Finance controls: ASC 340-40 / IFRS 15 amortisation and GL export are built in; "
        "Quotabase customers keep a capitalisation spreadsheet.",
        "Approvals and audit trail on every plan change, which auditors and regulators ask for.",
        "EU data residency (Frankfurt) for European payees.",
    ],
    "why_we_lose": [
        "Price, for teams under 100 payees with one or two simple plans.",
        "Excel-heavy comp analysts like Quotabase's formula builder.",
        "Self-serve trial: the buyer decides before we get a meeting.",
    ],
    "objections": [
        {
            "objection": "Quotabase is half the price.",
            "answer": "For a 60-person team on one plan it may be. Build three-year TCO in the "
            "ROI calculator including the accrual spreadsheet work and overpayments, which "
            "typically run at 1-3% of variable pay. That usually closes the gap.",
        },
        {
            "objection": "We only need commissions, not forecasting.",
            "answer": "Start with Comp alone. The point is that you will not need a second "
            "implementation when territories or forecasting come up.",
        },
        {
            "objection": "Quotabase is launching forecasting too.",
            "answer": "See the competitive update on Forecast Lite: a beta, Salesforce only, no "
            "AI call and no accuracy tracking. Ask them for a customer using it in production.",
        },
    ],
    "landmines": [
        "How long does month-end recalculation take for 500 payees after a retroactive plan change?",
        "How do you produce the ASC 340-40 amortisation schedule and journal entries?",
        "Who approved the last change to this plan, and can an auditor see that?",
    ],
    "pricing_notes": "Quotabase lists at USD 25-35 per payee per month with mostly self-serve "
    "implementation. Hold Comp Professional at USD 45 and use the Suite bundle rather than "
    "discounting Comp alone. Floor without VP approval: 20%.",
    "proof_points": [
        "Southern Cross Telecom moved 1,400 payees off Quotabase; disputes fell 64% and "
        "recalculation dropped from 9 hours to 20 minutes.",
        "TransAndes Logística evaluated Quotabase and chose Lumenfield for multi-currency plans.",
    ],
}

MERIDIAN_OVERVIEW = (
    "Meridian RevCloud is the CRM vendor's own revenue add-on. Since the spring packaging "
    "change, basic forecasting is bundled into Meridian's Enterprise CRM tier, so buyers often "
    "see it as free. It is a roll-up of what sellers enter, not a forecast model. We win on "
    "accuracy, depth and multi-CRM reach; we lose when the bundle and a single-vendor mandate "
    "end the conversation before it starts."
)
MERIDIAN_CARD: dict[str, Any] = {
    "why_we_win": [
        "Accuracy you can measure: accuracy tracking by manager, segment and week of quarter. "
        "Meridian shows the roll-up but not how good it was.",
        "Works across CRMs and business units: many enterprises run two CRMs after an "
        "acquisition; Meridian only forecasts what lives in Meridian.",
        "Depth: override reasons, submission history and an explainable AI call.",
        "Comp and Territory on the same data model; Meridian has neither.",
    ],
    "why_we_lose": [
        'Forecasting is bundled "free" in the customer\'s Meridian Enterprise agreement.',
        "IT has a single-vendor mandate for anything that touches the CRM.",
        "The buyer only wants basic roll-ups and has no accuracy problem (yet).",
    ],
    "objections": [
        {
            "objection": "It is already included in our CRM licence.",
            "answer": "Included is not free: the cost is in manager hours and in forecast "
            "misses. Offer a side-by-side on last quarter's data, as Harbourline did (3.9% vs "
            "11% variance).",
        },
        {
            "objection": "IT won't approve another vendor on the CRM.",
            "answer": "Bring the security pack in early. Our integration user has read access "
            "to named objects and writes four forecast fields; most reviews close in two weeks.",
        },
        {
            "objection": "Meridian's roadmap will catch up.",
            "answer": "Forecasting is one feature among hundreds on a CRM roadmap; it is our "
            "whole roadmap. Ask what shipped in forecasting in the last four releases.",
        },
    ],
    "landmines": [
        "Can the Meridian forecast show accuracy by manager over the last four quarters?",
        "How would you roll up a forecast across the Meridian org and the acquired business "
        "still on HubSpot?",
        "What does the Enterprise tier cost at renewal without the bundle discount, for every "
        "CRM seat rather than only forecasting users?",
    ],
    "pricing_notes": "Meridian bundles forecasting into its Enterprise CRM tier (about USD 300 "
    "per user per month list). Customers on lower tiers must upgrade every CRM seat, not only "
    "managers, to get it; Lumenfield Forecast is priced per forecasting user. Lead with that "
    "comparison for customers below the Enterprise tier.",
    "proof_points": [
        "Harbourline Insurance: four-quarter backtest, 3.9% variance vs 11% for the CRM roll-up.",
        "Nordvik Energi chose Lumenfield over the bundled forecasting offer in a public tender.",
    ],
}


# -- white papers --------------------------------------------------------------------------------------
_ACCURACY = Table(
    ["Segment", "Week-6 MAPE", "Bias", "Quarters within 5%"],
    [
        ["Enterprise", "14.2%", "+11.8% (optimistic)", "1 of 4"],
        ["Mid-market", "7.5%", "-2.1%", "2 of 4"],
        ["SMB / inside sales", "4.1%", "-3.6% (conservative)", "3 of 4"],
        ["Company", "9.6%", "+6.3%", "1 of 4"],
    ],
    [1.4, 1, 1.4, 1.2],
)

WP_FORECAST = md(
    """
# Executive summary

Most revenue leaders can tell you their pipeline coverage, their win rate and their average
deal size to the decimal point. Very few can tell you how accurate their forecast was last
quarter, at week six, for each segment. That number, the forecast accuracy gap, is the
difference between what a company commits to its board and what it actually books, and it is
rarely measured with the same discipline as the rest of the business.

This paper argues that the weekly pipeline review, as most companies run it, is not designed
to produce an accurate forecast. It is designed to produce a conversation. We describe the
four ways that conversation goes wrong, set out what a finance-grade forecast looks like, and
give a practical 90-day plan to measure and close the gap. The recommendations draw on
Lumenfield's work with more than 600 sales organisations and on an anonymised benchmark of
212 customers who have tracked forecast accuracy in Lumenfield for at least four quarters.

Three findings stand out. First, the median company in our benchmark missed its week-six
forecast by 11% before it started measuring, and most of that error was bias, not noise: the
forecast was consistently too high or too low in the same segments. Second, the single
biggest improvement came not from better algorithms but from a feedback loop, showing each
manager how accurate their own calls had been. Third, the companies that closed the gap
fastest treated the forecast as a shared asset of sales and finance, with one definition, one
cadence and one record of who changed what and why.

# 1. The gap nobody measures

Ask a chief financial officer what keeps them awake in the last month of a quarter and the
answer is rarely the size of the number. It is the confidence in it. A forecast that moves by
15% in the final three weeks forces finance to revise guidance, delays hiring decisions and
erodes trust between the sales and finance teams that lasts well beyond the quarter itself.

Yet in most organisations nobody owns forecast accuracy as a metric. Sales leadership owns
the number; revenue operations owns the process; finance owns the consequences. Accuracy
falls between the three. When we ask new customers for their historical forecast accuracy,
fewer than one in five can produce it, and those who can usually have a single company-wide
figure calculated at the end of the quarter, when it is too late to be useful.

A useful accuracy measure has three properties. It is taken at a fixed point in the quarter,
such as the end of week six, so that quarters can be compared. It is broken down by the units
that make the call, typically segment and first-line manager. And it separates bias, the
tendency to be wrong in the same direction, from variance, the tendency to be wrong in
unpredictable ways. Bias can be coached and corrected; variance has to be managed with
better inputs.

# 2. Why pipeline reviews fail

The weekly pipeline review is the heart of most forecasting processes. Managers walk through
their largest opportunities, reps explain what has changed, and the manager submits a call
that is rolled up to the next level. The ritual feels rigorous. In practice it suffers from
four structural problems.

## Stage-weighted arithmetic

Many forecasts still start from stage probabilities: every opportunity at the proposal stage
is worth, say, 60% of its amount. The arithmetic is simple and transparent, but it assumes
that all deals at a stage behave the same way, regardless of size, age, segment or buyer
engagement. In our benchmark, actual conversion from the proposal stage ranged from 18% to
71% across segments within the same company. A single probability per stage hides exactly the
variation the forecast needs to capture.

## Optimism and sandbagging

Reps and managers are asked to forecast outcomes that affect their own pay and reputation.
Predictably, some are optimistic and some protect themselves by committing less than they
expect to close. Both behaviours are rational for the individual and damaging for the
company. Because most organisations never show managers their own historical bias, the same
people are optimistic or conservative quarter after quarter, and the roll-up inherits their
habits.

## Stale and incomplete data

The pipeline review relies on what is in the CRM, and the CRM is updated when reps have time.
Close dates drift, amounts are left at the first estimate and next steps go unrecorded. In the
average customer environment we connect to, 34% of open opportunities scheduled to close in
the current quarter have not been updated in the last 14 days. A forecast built on that data
starts the week out of date.

## No feedback loop

The most important failure is also the simplest. At the end of the quarter, the forecast is
compared with the result once, at company level, and then forgotten. Nobody goes back to ask
which manager's week-six call was closest, which segment was consistently overstated, or
which deal characteristics predicted slippage. Without that loop, the process cannot learn.

---

# 3. What finance-grade forecasting looks like

Finance teams apply a simple test to any number they report: can we explain how it was
produced, can we show what changed, and do we know how reliable it has been? A finance-grade
forecast passes the same test. In practice that means five principles.

- Measured: accuracy is tracked at a fixed week of the quarter, by segment and by manager,
and reported as routinely as pipeline coverage.
- Explainable: every number, including any produced by a model, can be traced to the deals
and drivers behind it, so a manager can challenge it in a meeting.
- Auditable: overrides carry a reason, submissions are kept for every week, and anyone can see
who changed the call and when.
- Timely: the data behind the forecast is refreshed continuously, not exported on Monday
morning, so the review discusses this week's pipeline rather than last week's.
- Connected: the forecast uses the same definitions of bookings, segments and territories as
the financial plan and the compensation plan, so the numbers reconcile without a workbook
in between.

None of these principles requires artificial intelligence. All of them require a system of
record for the forecast itself, separate from the spreadsheet that happens to hold this week's
version.

# 4. Building an accuracy baseline

Before changing the process, measure it. A baseline needs four quarters of history: the
submitted forecast at the chosen week and the final result, for each segment and manager. If
submissions were not stored, they can often be reconstructed from e-mailed forecast decks
or finance's planning files, and the exercise is worth the effort.

We recommend three measures. Mean absolute percentage error (MAPE) shows how far off the
forecast typically is. Bias, the average signed error, shows whether it is consistently high
or low. And the hit rate, the share of quarters within a tolerance such as 5%, is the measure
executives find easiest to read.

The table shows a baseline from an anonymised customer with three segments. The company-wide
figure, 9.6%, looked tolerable to the executive team. Broken down, it told a different story:
the enterprise segment was optimistic by almost 12% on average, while the small-business team
was consistently conservative. The two errors partly cancelled each other out at company
level, which is why nobody had noticed them. The enterprise managers were not careless; they
were forecasting a handful of large deals each, and every one of them was called as likely to
close until the last fortnight of the quarter.

[[accuracy]]

A baseline like this changes the conversation in the next forecast call. Instead of asking
whether the number feels right, leaders can ask why the enterprise segment has been
optimistic four quarters running, and what evidence would justify trusting its call this
time. It also sets a realistic target: halving the bias in the largest segment is usually
worth more than any other single improvement.

# 5. The role of AI, and its limits

Machine-learning forecasts have become common, and they are genuinely useful: a model
trained on a company's own opportunity history can weigh dozens of signals that no manager
holds in their head, such as how often a deal's close date has moved, how many people on the
buyer's side are engaged, or how long deals of this size usually spend in each stage. In our
benchmark, the AI call was more accurate than the submitted human call at week six in 68% of
segment-quarters.

But an AI forecast that cannot explain itself will not be used. Managers who are asked to
accept a number they cannot interrogate either ignore it or override it without reason, and
the forecast process ends up with two numbers and no decision. The value of the model lies in
the conversation it starts: why does the model see 20% less in the enterprise segment than
the managers do, and which deals account for the difference?

Three practical rules follow. Show the drivers behind every model number. Track the model's
accuracy exactly as you track the managers', so trust is earned rather than asserted. And
never let the model overwrite the human call; put the two side by side and record the reason
when they differ.

# 6. An operating rhythm that learns

A forecast process is a weekly habit. The companies in our benchmark that improved fastest
ran a simple rhythm.

- Monday: data refreshed automatically; managers review what changed since last week (new
deals, pushed close dates, amount changes) rather than the whole pipeline.
- Tuesday: one-to-one deal reviews focus on the deals where the model and the rep disagree.
- Wednesday: managers submit their call with a reason for any override; the roll-up is
available to finance the same day.
- Thursday: the leadership forecast call discusses only the differences between the submitted
call, the model and the plan.
- Quarter end: accuracy by manager and segment is published, and each manager sees their own
bias alongside the team's.

The last step is the one most organisations skip, and the one that changes behaviour. When a
manager sees that their week-six call has been 9% high in four consecutive quarters, the
conversation about optimism stops being personal and becomes a matter of record.

---

# 7. A 90-day plan

Closing the accuracy gap does not require a transformation programme. It requires a baseline,
a record and a rhythm, and each can be put in place within a quarter.

## Days 1-30: measure

Agree one definition of the forecast (bookings or revenue, which segments, which week of the
quarter). Reconstruct four quarters of submitted forecasts and results. Calculate MAPE, bias
and hit rate by segment and manager, and share the baseline with sales and finance leadership
together.

## Days 31-60: record

Move the forecast submission out of spreadsheets into a system that stores every submission
and override with a reason. Connect it to the CRM so that the review starts from current data.
If you use a model, run it in shadow mode and track its accuracy alongside the human call.

## Days 61-90: rhythm

Introduce the weekly cadence above. Publish accuracy at the end of the quarter. Agree with
finance which number goes to the board and how the model, the managers' call and the plan
are reconciled.

# Two examples from the field

Harbourline Insurance, a Canadian group-benefits insurer, had missed its forecast by between
8% and 14% in each of six consecutive quarters. Its CRM already produced a roll-up, and the
question from the finance team was simple: would anything else have done better? Rather than
argue the point, Harbourline asked for a backtest. Four quarters of history were loaded, the
model was trained only on data available at the time, and its week-six call was compared with
what the managers had submitted. The model came within 3.9% on average, against 11% for the
roll-up. The backtest did not only justify an investment; it showed the regional
vice-presidents where their own calls had drifted, which made the first quarter of the new
process far less contentious.

Nordvik Energi, a state-owned utility in Norway, faced a different pressure. Its commercial
division reports its outlook to a government ministry, and a forecast that moves late in the
quarter becomes a governance question rather than a sales one. For Nordvik, the most valuable
change was the record: every override now carries a reason, and the finance director can show
how the reported figure was reached. Accuracy improved from 12% to 4.5%, but the director's
first comment was about explainability, not precision.

The two cases share a pattern. Neither company changed its sales methodology or its people.
Both started by measuring, both made the forecast a record rather than a meeting, and both
gave finance and sales the same view of the same data.

# Conclusion

The forecast accuracy gap is not a technology problem or a people problem; it is a
measurement problem. Companies that measure accuracy with the same care they apply to
pipeline and bookings find that much of the error is bias that can be coached away, and much
of the rest is stale data that can be fixed with better plumbing. AI helps when it explains
itself and is held to the same standard as everyone else. The result is not only a more
accurate number, but a forecast that sales and finance trust together.

# About Lumenfield

Lumenfield Software helps revenue teams plan, forecast and pay with confidence. Lumenfield
Forecast, Lumenfield Comp and Lumenfield Territory share one data model and are used by more
than 600 organisations in 30 countries. Learn more at lumenfield.example.
""",
    accuracy=_ACCURACY,
)

_SCHEDULE = Table(
    ["Year", "Opening asset (USD)", "Amortisation (USD)", "Closing asset (USD)"],
    [
        ["1", "12,000", "2,400", "9,600"],
        ["2", "9,600", "2,400", "7,200"],
        ["3", "7,200", "2,400", "4,800"],
        ["4", "4,800", "2,400", "2,400"],
        ["5", "2,400", "2,400", "0"],
    ],
    [0.7, 1.3, 1.3, 1.3],
)

WP_COMMISSIONS = md(
    """
# Executive summary

Sales commissions used to be a payroll matter. Since ASC 606 and IFRS 15 took effect, and with
them ASC 340-40 for the costs of obtaining a contract, commissions have become an accounting
matter too. Most companies must now capitalise the incremental costs of winning a contract,
chiefly commissions, and amortise them over the period the contract benefits the business.
For a growing subscription company that can mean thousands of separate assets, each with its
own amortisation schedule, each affected by plan changes, clawbacks and renewals.

Many finance teams still manage this in spreadsheets, maintained alongside the commission
calculation itself. This guide explains what the standards require in practical terms, shows
where spreadsheet processes tend to break, walks through a worked example and lists the
controls auditors look for. It closes with the questions to ask of any system you rely on for
commission accounting. It is a practical guide, not accounting advice: agree your policies
with your auditors.

# Why commissions became an accounting problem

Before the revenue standards, most companies expensed commissions as they were paid. Under
ASC 340-40 (US GAAP) and IFRS 15 (international), the incremental costs of obtaining a
contract with a customer are recognised as an asset if the company expects to recover them.
A sales commission is the classic example: it would not have been paid if the contract had
not been signed.

For a company selling multi-year subscriptions the effect is significant. Commission expense
no longer follows the cash paid to reps; it follows the pattern in which the related goods or
services are delivered. The balance sheet carries a capitalised contract cost asset that can
run to tens of millions, and that asset has to be supported by evidence at every audit.

The scale surprises most teams. A software company with 150 quota-carrying reps, an average
of two new contracts per rep per month and a three-year contract term creates more than 3,500
capitalised assets a year. Each one lives for three to six years. By the fourth year of
operation the finance team is maintaining well over ten thousand amortisation schedules, every
one of which can be touched by a plan change, a clawback, a currency movement or a contract
modification. That is not a workbook; it is a sub-ledger, and it deserves the controls of
one.

# What the standards require, in plain terms

## Which costs to capitalise

Only incremental costs are capitalised: costs that would not have been incurred without the
contract. Commissions on signed contracts qualify. Salaries, bonuses based on broader targets
such as company profit, and costs incurred whether or not the deal closes generally do not.
Many companies also capitalise employer payroll taxes and benefits that are directly
attributable to the commission; this is a policy choice to agree with your auditors.

## The one-year practical expedient

If the amortisation period would be one year or less, the cost may be expensed as incurred.
This expedient is often applied to monthly or annual contracts with commissions that are
commensurate on renewal.

## Amortisation period

The asset is amortised on a systematic basis consistent with the transfer of the goods or
services to which it relates. That period includes anticipated renewals when the commission
paid on renewal is not commensurate with the initial commission. In practice, companies that
pay a large commission on a new contract and a small one on renewal often amortise the initial
commission over an expected customer life of four to six years, not the initial term.

## Impairment

At each reporting date the asset must be tested: if its carrying amount exceeds the remaining
consideration expected from the contract, less the costs of delivering it, an impairment loss
is recognised. Churned and downgraded customers are the usual triggers.

## Portfolio approach

The standards allow contracts with similar characteristics to be accounted for as a
portfolio, provided the result is not materially different from contract-by-contract
accounting. Most mid-sized companies use portfolios by product, segment and contract term.

---

## US GAAP and IFRS: the differences that matter

For contract costs the two frameworks are close to identical, and the differences that remain
rarely matter for commissions. The most visible one is impairment: IFRS 15 permits an
impairment loss to be reversed if conditions improve, while ASC 340-40 prohibits reversal.
Groups that report under both frameworks, or that consolidate subsidiaries reporting under
local GAAP, need a system that can keep the two views apart. Local standards that mirror
IFRS 15, such as AASB 15 in Australia, follow the IFRS treatment.

# Where spreadsheets break

A commission spreadsheet is already one of the most complex workbooks in a sales
organisation. Adding capitalisation multiplies the complexity, because every calculation must
now be remembered for years, not paid and forgotten. We see six recurring failure points.

- Plan changes mid-year: a retroactive rate change alters commissions already capitalised, so
the asset and its schedule must be restated, usually by hand.
- Clawbacks: when a customer cancels and a commission is recovered, the remaining asset must
be written off and the recovery recorded; in spreadsheets the two are often out of step.
- Contract modifications: upsells, downgrades and early renewals each create new commission
events that must be linked to the right original asset.
- Currency: commissions paid in one currency on contracts booked in another need locked FX
rates per period, or the asset drifts with every refresh of the rates.
- Split credit: a deal credited to several people creates several assets with different payees
but one customer contract, which complicates impairment testing.
- Evidence: auditors sample individual assets and ask for the contract, the plan in force at
the time, the calculation and the approval. Reconstructing that from a workbook months later
is slow and error-prone.

Each of these is manageable on its own. Together, at a few thousand contracts a year, they
make the spreadsheet the single largest source of audit adjustments we hear about from
finance teams in our customer base.

# A worked example

A rep earns a commission of USD 12,000 on a three-year subscription worth USD 300,000, signed
on 1 January. The commission on any renewal would be USD 3,000, which the company judges not
commensurate with the initial commission. Based on its history, the company expects customers
of this type to stay for five years, so it amortises the initial commission over 60 months:
USD 200 per month, or USD 2,400 a year.

In month 20 the customer downgrades, reducing the remaining contract value by a third. The
impairment test compares the carrying amount of the asset (USD 8,200) with the remaining
consideration less the costs of delivering it; the asset remains recoverable, so no impairment
is recorded, but the expected customer life is reassessed and the amortisation period
shortened. Each of these steps is simple. The difficulty is doing them reliably, for every
contract, every month.

The schedule below shows the original plan for the asset before the downgrade, the view most
auditors ask to see first. Each row must be traceable to the commission payment, the plan in
force and the contract that created it.

[[schedule]]

Now add a mid-year plan change that raises the rate for the quarter in which the contract was
signed, a currency difference because the rep is paid in euros, and a split of the credit with
a partner manager. None of these is unusual; all of them change the numbers in the table, and
all of them must be reflected without breaking the link to the original evidence.

# Controls auditors look for

Auditors want to see that the capitalised amounts are complete, accurate and supported. In
our experience they focus on five controls.

- The commission plan in force at the time of each payment, approved and versioned.
- A reconciliation between commissions paid through payroll and commissions capitalised or
expensed, each period.
- A documented policy for amortisation periods, reviewed when customer retention changes.
- Evidence of impairment testing, including the treatment of churned customers.
- Segregation of duties: the people who change plans are not the people who approve payouts.

# Where compensation design meets accounting

Commission plans are designed by sales leadership to drive behaviour, and their accounting
consequences are often an afterthought. A few common design choices have outsized effects on
the capitalised asset, and finance should be in the room when they are made.

- Accelerators paid on annual attainment: if the extra commission is earned only when a rep
passes 100% of quota, it may be incremental to the contracts that pushed them over the line
or to the year as a whole. Agree the attribution method before the plan launches.
- Multi-year bookings paid up front: paying commission on the total contract value rather than
the first-year value creates a larger asset and a longer amortisation period, and larger
write-offs if customers churn.
- Renewal commissions: a renewal rate close to the new-business rate lets the initial
commission be amortised over the contract term; a token renewal rate extends the period to
the expected customer life.
- SPIFs and contests: short incentives for specific products are usually incremental and
capitalisable, but they are often paid outside the commission system and missed.
- Manager overrides: commissions paid to managers on their team's deals are also incremental
costs, and are frequently left out of the capitalisation calculation entirely.

The practical lesson is that plan design and commission accounting should live in the same
place. When the plan designer can see the accounting effect of a change before it is
approved, finance and sales operations stop discovering the consequences at quarter end.

# Designing a system of record

The most robust approach is to calculate, capitalise and amortise commissions in one system,
from one set of data. When the commission engine knows the contract, the plan, the payee and
the payment, it can create the asset at the moment the commission is earned, apply the policy
automatically, and adjust the schedule when the plan or the contract changes. The general
ledger then receives journal entries rather than a spreadsheet summary.

This is how Lumenfield Comp is designed. Every commission event creates or adjusts a
capitalised cost record with its amortisation schedule, its policy and its evidence. Plan
changes are effective-dated and approved, clawbacks reverse the right asset, FX rates are
locked per period, and journal entries are exported to NetSuite, SAP S/4HANA or Microsoft
Dynamics 365 Finance. Auditors can be given read-only access to the trail.

# Questions to ask any vendor

- Does the system create the capitalised asset automatically for every commission event, or
does it export data for a separate calculation?
- How are retroactive plan changes reflected in assets that already exist?
- Can amortisation policies differ by product, segment and contract term, and be changed
prospectively?
- How are clawbacks and impairments recorded, and can you show the journal entries?
- What evidence can an auditor see for a single asset, and how long does it take to produce?
- Is every change to a plan, a credit or a payout recorded with the approver and the time?

# An implementation checklist

Finance teams that move commission accounting out of spreadsheets usually follow the same
sequence. It fits comfortably into a single quarter if the commission calculation itself is
being implemented at the same time.

- Document the current policy: which costs are capitalised, the portfolios used, the
amortisation periods and the impairment approach.
- Reconcile the opening balance: the capitalised asset in the ledger must match the sum of
the contract-level or portfolio records that will be migrated.
- Migrate history: at least the contracts whose assets are still being amortised, with the
commission paid and the plan in force at the time.
- Run in parallel for one close: compare the journal entries from the new system with the
spreadsheet, and explain every difference before switching off the old process.
- Agree the evidence with your auditors: show them a sample asset in the new system before
the year-end audit, not during it.

# Conclusion

Commission accounting is now part of the financial close, with the same expectations of
accuracy and evidence as revenue itself. Spreadsheets can cope at small scale, but the
combination of plan changes, clawbacks, modifications and currencies makes them fragile as a
company grows. A single system that calculates, pays and accounts for commissions removes the
reconciliation between them, shortens the close and gives auditors what they need without a
month of preparation.

# About Lumenfield

Lumenfield Software helps revenue teams plan, forecast and pay with confidence. Lumenfield
Comp calculates commissions for more than 400,000 payees and supports ASC 340-40 and IFRS 15
out of the box. Learn more at lumenfield.example.
""",
    schedule=_SCHEDULE,
)


# -- briefs, e-mails, talk tracks, objection handlers, FAQ ------------------------------------------
EXEC_BRIEF_UK = md(
    """
# Why this matters now

Finance leaders across the UK and Europe are being asked to forecast with more confidence and
less headcount. Boards want earlier warning of a soft quarter, auditors want evidence behind
commission expense, and regulators, from the FCA's Consumer Duty to the EU's pay transparency
directive, want organisations to show that the way they pay sales staff is fair and does not
harm customers.

Most organisations still run revenue planning across three disconnected tools: the CRM for
pipeline, a spreadsheet for the forecast and another for commissions. Each hand-off adds
delay and risk, and none of them gives finance a view it can defend in the boardroom.

# Three decisions for the finance leader

## 1. Make forecast accuracy a reported measure

Agree one definition of the forecast, measure it at a fixed week of the quarter and report
its accuracy by segment alongside pipeline coverage. Organisations that do this typically
halve their forecast error within three quarters, largely by correcting persistent optimism
in a small number of segments.

## 2. Treat commissions as a sub-ledger, not a spreadsheet

Under IFRS 15 the incremental costs of winning a contract are capitalised and amortised. A
growing organisation soon holds thousands of these assets. Calculate, capitalise and amortise
commissions in one system so that the journal entries, the plan in force and the approval
trail can be produced on request.

## 3. Optimise plans before they are issued, not after

Model the cost and the distribution of pay under a new incentive scheme before launch, and
check it against your conduct and pay-equity obligations. It is far cheaper to optimise a plan
in a scenario than to unwind it mid-year.

# What good looks like within one financial year

- The board pack shows the week-six forecast with its historical accuracy and the main
drivers of change since last month.
- Commission expense closes in two working days, with capitalised costs reconciled to payroll.
- Every change to an incentive plan is approved by Reward and Finance, and the audit trail is
available to internal audit at any time.
- Territories and quotas are issued before the financial year begins, so the first quarter is
spent selling rather than negotiating.

# How Lumenfield helps

Lumenfield Forecast, Comp and Territory share one data model and are hosted in our Frankfurt
data centre for European customers, with UK GDPR and EU GDPR commitments in a standard data
processing agreement. Organisations such as Ashgrove Mutual and Krontal Maschinenbau have used
Lumenfield to optimise their incentive schemes, shorten their planning cycles and give their
finance teams a number they can stand behind.

Your account team can arrange a short working session with a member of our finance advisory
team to assess where your organisation stands on each of the three decisions above.
"""
)

EMAIL_PROSPECTING = md(
    """
# How to use this sequence

Four touches over 15 working days for a VP Sales Operations or RevOps leader who has shown no
prior engagement. Personalise the first line of every e-mail; never send the sequence
unchanged. Replace anything in [square brackets]. Stop the sequence as soon as the prospect
replies, even with a "not now".

# Touch 1 (day 1): the forecast question

Subject: [Company]'s week-six forecast

Hi [First name],

Quick question most sales ops leaders can't answer off the top of their head: how accurate
was [Company]'s forecast at week six of last quarter, by segment?

The teams we work with usually find that one or two segments are consistently optimistic and
the company-wide number hides it. Brightcask found theirs was 14% out; it is now within 4%.

Worth a 20-minute conversation to see how you would measure yours?

[Signature]

# Touch 2 (day 4): the resource

Subject: The forecast accuracy gap (white paper)

Hi [First name], following up with something useful rather than another meeting request: our
white paper on why pipeline reviews miss and what a finance-grade forecast looks like,
including a 90-day plan. Section 4 has a simple way to build an accuracy baseline from your own
history. [Link]

# Touch 3 (day 9): the peer proof

Subject: How Harbourline settled the forecast argument

Hi [First name], Harbourline Insurance ran a four-quarter backtest before changing anything:
our model came within 3.9% against 11% for their CRM roll-up. We can run the same backtest on
[Company]'s data in about two weeks, at no cost. Interested?

# Touch 4 (day 15): the close-out

Subject: Closing the loop

Hi [First name], I haven't heard back, so I'll assume forecasting isn't a priority right now.
If that changes before [quarter end], the backtest offer stands. All the best, [Signature]

# Compliance notes

- EMEA: only e-mail contacts with a documented lawful basis; include the unsubscribe footer
from the template library.
- Never quote a customer by name unless they are on the approved reference list.
"""
)

EMAIL_FOLLOW_UP = md(
    """
# When to use

Send within 24 hours of a first demo. Pick the version that matches who attended. Attach at
most two items from the library; link to the rest.

# Version A: Sales Ops led the demo

Subject: Your forecast demo: recap and next steps

Hi [First name],

Thank you for the time today with [names]. What we heard:

- The Monday pipeline review takes [3 hours] and is rebuilt from CRM exports each week.
- Finance adjusts the sales call by [x%] before it goes to the board.
- Commission statements take [n] days after month-end, and disputes peak in the first week.

What we showed: the changes-since-last-week view, the explainable AI call next to the manager
call, and the accuracy report by segment.

Proposed next steps:

- [Date]: technical session with [IT contact] on the CRM integration and security pack.
- [Date]: backtest readout on four quarters of your history.
- [Date]: business case review with [CFO name], using the ROI calculator on your numbers.

Best regards, [Signature]

# Version B: the CFO attended

Subject: Forecast accuracy and commission expense: the two numbers we discussed

Hi [First name], thank you for joining. You asked two questions we committed to answer in
writing: how quickly accuracy improves (our customers reach ±5% at week six typically within
three quarters) and how commission capitalisation is handled (natively, with journal entries
to your GL; see the attached white paper). I will send the ROI model with your numbers by
[date].

# Attachments that work

- Data sheet for the product demonstrated.
- One case study from the prospect's industry or region.
- Security and compliance pack, if IT attended.
"""
)

EMAIL_RENEWAL = md(
    """
# Purpose

Templates for customer success managers and account executives, from 120 days before renewal
to signature. The aim is to lead with value delivered, then discuss expansion. Never open a
renewal conversation with price.

# 120 days out: value review invitation

Subject: [Company] and Lumenfield: a year in numbers

Hi [First name], it has been a year since [Company] went live. Before we plan year two, I
would like to walk you through what has changed: forecast accuracy, time saved in the forecast
call and commission disputes against your baseline. 30 minutes in the next two weeks?

# 90 days out: expansion conversation

Subject: Territory planning for [fiscal year]

Hi [First name], your team mentioned that territory and quota planning for next year starts
in [month]. Because Lumenfield Territory shares the data model you already use for Forecast,
there is no second integration. Pelican Outfitters cut planning from six weeks to nine days.
Shall I set up a working session with [planner name]?

# 60 days out: renewal proposal

Subject: Your renewal proposal

Hi [First name], attached is the renewal proposal for [term]. It reflects the user count we
agreed in the value review and the multi-year cap in your current agreement. Let me know who
should receive the order form.

# If the customer is at risk

Do not send templates. Escalate to the customer success director and agree a recovery plan
before any commercial discussion.
"""
)

TALK_DISCOVERY = md(
    """
# Goal of the call

Qualify the opportunity and earn a second meeting with the economic buyer. In 30 minutes you
should learn how the forecast is produced today, what it costs them, who owns accuracy and
what event makes this a priority now.

# Opening (2 minutes)

"Thanks for the time. I've done some homework on [Company], but I'd rather hear it from you.
I'll ask about how the forecast and comp process run today, share how teams like yours have
changed them, and we'll agree whether a next step makes sense. Does that work?"

# Discovery questions

## Current process

- Walk me through last Monday: where does the forecast start, and who touches it before it
reaches the CRO?
- How many hours do managers spend preparing for the forecast call?
- How does finance adjust the sales number before it goes to the board?

## Impact

- How far was week six from the final result last quarter? By segment?
- What happened the last time the number moved late in the quarter?
- How many commission disputes do you handle in a typical month?

## Ownership and timing

- Who would be accountable if accuracy improved, or did not?
- What is driving this now: a new CFO, an IPO timeline, a missed quarter?
- What does your evaluation process look like, and who signs?

# Positioning statement

"Most teams we meet don't have a forecasting problem, they have a measurement problem. We
help you see which calls to trust, with an AI call that explains itself, and we connect it to
the comp and territory plans so the whole number reconciles."

# Handling early objections

- "We already have forecasting in the CRM." Ask how accurate it was last quarter and whether
they can see that by manager. See the objection handler for the CRM bundle.
- "No budget this year." Ask what a 10% forecast miss cost them; offer the backtest at no cost.

# Close

Agree a next step with a date: a backtest on their data, a demo for the wider team, or a
meeting with the CFO. Send the follow-up e-mail the same day.
"""
)

TALK_CFO = md(
    """
# Context

Use with the CFO or finance director, usually at proposal stage, once the champion has
confirmed the business case. Keep it to 25 minutes. The CFO is deciding whether this is worth
the money and the distraction; speak in their numbers, not in features.

# Opening

"[Champion] has shared the problem from the sales side. I'd like to hear how it looks from
finance, then show you the business case on your numbers and what the first 90 days would
ask of your team."

# Questions that matter to finance

- How much does the sales forecast move between week six and quarter end?
- How do you adjust it before it goes to the board, and how confident are you in that
adjustment?
- How are commission accruals and capitalisation (ASC 340-40 / IFRS 15) produced today, and
how long does it take at month-end?
- Have auditors raised anything on commission expense in the last two years?

# The value story in three numbers

- Forecast accuracy: customers typically reach ±5% at week six within three quarters.
- Overpayments: 1-3% of variable compensation recovered in year one.
- Close: two days out of the month-end commission close.

Show the ROI calculator with their inputs, and let them change the assumptions. CFOs trust a
model they can break.

# Anticipating the CFO's objections

- Payback: walk through the payback month in the calculator; Brightcask reached it in seven.
- Distraction: finance's time commitment is about four hours a week for six weeks.
- Overlap with the CRM: show the Meridian objection handler, and the side-by-side accuracy.

# Close

Ask directly: "If the backtest confirms these numbers, is there anything that would stop you
approving this in [month]?" Then confirm the procurement and security steps and owners.
"""
)

OBJECTION_SPREADSHEETS = md(
    """
# The objection

"We can keep doing this in spreadsheets. They work, everyone knows them and they cost nothing."

# What is really behind it

Usually one of three things: the team has not measured what the spreadsheet costs; the person
who built it fears losing control; or the buyer has been burned by a tool that became
shelfware. Find out which before you answer.

# Acknowledge

"You're right that spreadsheets work, and your team has clearly built something that gets the
job done. Can I ask what it takes to keep it working?"

# Reframe with questions

- How many hours a month go into maintaining the forecast and commission workbooks?
- What happens if the person who built them is on holiday at month-end?
- When did an error last reach a rep's pay or the board pack, and how was it found?
- What do auditors ask for on commission expense, and how long does it take to produce?

# Evidence to share

- Ashgrove Mutual found GBP 1.1m of overpayments in one year of spreadsheet-based pay.
- Meridale Diagnostics cut statement turnaround from 19 days to 2.
- Typical overpayment rate in spreadsheet-managed plans: 1-3% of variable pay.

# Respond

"Spreadsheets are a great tool for modelling, and your team will keep using them for that.
What changes is that the numbers people are paid on, and the forecast the board sees, come
from a system with approvals and a record of every change. The people who built the
spreadsheets usually become the admins, with more time for analysis."

# What not to say

- Don't call their spreadsheet a risk in front of the person who built it.
- Don't claim zero errors; claim fewer errors, found earlier, with evidence.
"""
)

OBJECTION_CRM = md(
    """
# The objection

"Our CRM already includes forecasting, so why would we pay for another tool?"

# Clarify first

Ask which CRM tier they are on and what they use today. Since the spring packaging change,
Meridian RevCloud forecasting is bundled only in the Enterprise CRM tier; on lower tiers every
CRM seat would have to be upgraded.

# Answer

"If a roll-up of what reps enter is what you need, the CRM may be enough. The question is how
accurate that roll-up has been. Most teams we meet can't see accuracy by manager or segment in
the CRM, and that's where the gap hides. We'd suggest a side-by-side on last quarter's data,
so you can decide on evidence rather than on our word."

# Proof

- Harbourline Insurance: four-quarter backtest, 3.9% variance for Lumenfield vs 11% for the
CRM roll-up.
- Nordvik Energi selected Lumenfield over its CRM vendor's forecasting offer in a public
tender.

# Differences worth naming

- Accuracy tracking by manager, segment and week of the quarter.
- Explainable AI call with its own accuracy history.
- Forecasts across more than one CRM after an acquisition.
- Comp and territory planning on the same data model.

# If the customer stays with the bundle

Part well: offer the backtest for later, and keep them in the nurture track for the forecast
accuracy white paper. Bundled roll-ups often become the reason customers call us a year later.
"""
)

FAQ = md(
    """
# Product

## What does Lumenfield do?

Lumenfield helps revenue teams forecast, pay and plan with confidence. Lumenfield Forecast
produces an accurate, explainable revenue forecast; Lumenfield Comp calculates and accounts for
sales commissions; Lumenfield Territory plans territories, capacity and quotas.

## Do we have to buy all three products?

No. Each product stands alone. Because they share one data model, adding another later needs
no new integration.

## Which CRMs do you support?

Salesforce, HubSpot and Microsoft Dynamics 365, with the same features on each. Customers with
more than one CRM can forecast across them.

# Implementation

## How long does implementation take?

Six weeks for Forecast with our Launch package; eight to ten weeks for Comp with the
Enterprise package, depending on the number of plans; Territory is timed to your planning
calendar, typically six to eight weeks.

## What do you need from our team?

A project owner from sales or revenue operations (about a day a week), a CRM administrator for
the integration (two to three days in total) and, for Comp, a finance contact for accruals and
GL mapping.

# Data and security

## Where is our data stored?

In our US (Virginia) or EU (Frankfurt) region, chosen at contract. Backups stay in the same
region.

## What certifications do you hold?

SOC 2 Type II and ISO 27001:2022. We offer a HIPAA-eligible environment with a Business
Associate Agreement. The security and compliance pack has the details.

## Can we get our data out?

Yes, at any time and at termination, as CSV or JSON through the admin console or the API.

# Commercial

## How is Lumenfield priced?

Forecast per forecasting user, Comp per payee, Territory as a platform licence with planner
seats. Prices are published on our price list; multi-year agreements carry a renewal cap.

## Is implementation included?

Implementation is sold as a fixed-fee package so you know the cost up front. Ask about the
current quarter's offer for Suite agreements.

## What support is included?

Standard support (business hours, four-hour response for priority issues) is included.
Premium Support adds 24x7 coverage and a named technical account manager.
"""
)


# -- spreadsheets ------------------------------------------------------------------------------------
PriceRow = tuple[str, str, str, int, float, float, float, str]

FY27_PRICES: list[PriceRow] = [
    (
        FORECAST,
        "Professional",
        "per forecasting user",
        25,
        68,
        63,
        55,
        "Pipeline inspection, explainable AI call, roll-ups, accuracy tracking",
    ),
    (
        FORECAST,
        "Enterprise",
        "per forecasting user",
        100,
        95,
        88,
        76,
        "Professional plus multi-CRM, write-back, sandbox, choice of US or EU region",
    ),
    (
        COMP,
        "Professional",
        "per payee",
        50,
        45,
        42,
        36,
        "Plan designer, live statements, disputes, payroll export",
    ),
    (
        COMP,
        "Enterprise",
        "per payee",
        250,
        62,
        57,
        50,
        "Professional plus ASC 340-40 / IFRS 15, GL export, SOC 2 Type II report, HIPAA BAA",
    ),
    (
        TERRITORY,
        "Platform",
        "per planning model, 10 planner seats",
        1,
        2500,
        2300,
        2000,
        "Account scoring, territory and capacity modelling, quota setting, CRM write-back",
    ),
    (
        TERRITORY,
        "Additional planner",
        "per planner",
        1,
        150,
        140,
        120,
        "For planners beyond the 10 included seats",
    ),
]
FY26_PRICES: list[PriceRow] = [
    (
        FORECAST,
        "Professional",
        "per forecasting user",
        25,
        65,
        60,
        53,
        "Pipeline inspection, AI call, roll-ups",
    ),
    (
        FORECAST,
        "Enterprise",
        "per forecasting user",
        100,
        91,
        84,
        73,
        "Professional plus write-back and sandbox",
    ),
    (COMP, "Professional", "per payee", 50, 45, 42, 36, "Plan designer, statements, disputes"),
    (
        COMP,
        "Enterprise",
        "per payee",
        250,
        62,
        57,
        50,
        "Professional plus ASC 340-40 / IFRS 15 and GL export",
    ),
    (
        TERRITORY,
        "Platform",
        "per planning model, 10 planner seats",
        1,
        2400,
        2200,
        1900,
        "Territory and quota modelling",
    ),
]


def price_book(fiscal_year: str, prices: list[PriceRow], *, suite: bool) -> BookFile:
    header: list[Cell] = [
        "Product",
        "Edition",
        "Unit",
        "Minimum",
        "USD / month",
        "EUR / month",
        "GBP / month",
        "Annual at minimum (USD)",
        "What's included",
    ]
    rows: list[list[Cell]] = [
        [f"Lumenfield {fiscal_year} price list"],
        [
            "List prices per month, billed annually in advance. Internal: read the Discount "
            "guardrails sheet before quoting."
        ],
        [],
        header,
    ]
    for product, edition, unit, minimum, usd, eur, gbp, note in prices:
        r = len(rows) + 1
        rows.append([product, edition, unit, minimum, usd, eur, gbp, f"=D{r}*E{r}*12", note])
    first, last = 5, len(rows)
    services: list[list[Cell]] = [
        ["Services and support"],
        ["Fixed-fee packages; prices in USD."],
        [],
        ["Item", "Price (USD)", "Basis", "Notes"],
        [
            "Launch implementation (Forecast)",
            18000,
            "fixed fee",
            "6 weeks, one CRM, up to 3 segments",
        ],
        [
            "Enterprise implementation (Comp)",
            45000,
            "fixed fee",
            "8-10 weeks, up to 12 plans, GL and payroll",
        ],
        ["Territory planning package", 24000, "fixed fee", "Timed to the planning calendar"],
        [
            "Premium Support",
            0.15,
            "of annual subscription",
            "24x7, named technical account manager",
        ],
        ["Admin certification", 1500, "per person", "Two days, remote or on site"],
    ]
    if suite:
        services.append(
            [
                "Suite bundle (all three products)",
                0.15,
                "discount on subscription",
                "3-year term; cannot be combined with volume discounts",
            ]
        )
    guardrails: list[list[Cell]] = [
        ["Discount guardrails"],
        [CONFIDENTIAL],
        [],
        ["Discount on list", "Approver", "Conditions"],
        ["Up to 10%", "Account Executive", "Any term"],
        ["10-20%", "Regional Vice President", "2-year term or 200+ users/payees"],
        ["20-30%", "VP Sales and Deal Desk", "3-year term or Suite bundle"],
        ["Over 30%", "CRO and CFO", "Strategic logo; reference commitment required"],
        ["Renewal uplift cap", "Standard", "5% per year on multi-year agreements"],
    ]
    return BookFile(
        name=f"collateral/Lumenfield-{fiscal_year}-price-list.xlsx",
        title=f"Lumenfield {fiscal_year} price list",
        subtitle="List prices, services and discount guardrails",
        keywords=["pricing", fiscal_year, "discount"],
        sheets=[
            Sheet(
                "Price list",
                rows,
                header_rows=[4],
                formats={f"E{first}:H{last}": "#,##0"},
                widths={
                    "A": 22,
                    "B": 18,
                    "C": 30,
                    "D": 10,
                    "E": 12,
                    "F": 12,
                    "G": 12,
                    "H": 20,
                    "I": 60,
                },
                freeze="A5",
            ),
            Sheet(
                "Services and support",
                services,
                header_rows=[4],
                formats={"B5:B7": "#,##0", "B8": "0%", "B9": "#,##0", "B10": "0%"},
                widths={"A": 36, "B": 14, "C": 26, "D": 50},
            ),
            Sheet(
                "Discount guardrails",
                guardrails,
                header_rows=[4],
                widths={"A": 22, "B": 26, "C": 50},
            ),
        ],
    )


# ROI calculator inputs for the worked example: (label, value, number format, note)
ROI_INPUTS: list[tuple[str, float, str, str]] = [
    (
        "Forecasting users (managers and leaders)",
        40,
        "#,##0",
        "People who submit or review a forecast",
    ),
    ("Hours per manager per week on forecast preparation", 3, "0.0", "Today, before Lumenfield"),
    ("Share of forecast preparation time saved", 0.4, "0%", "Customers report 40-60%"),
    ("Loaded hourly cost of a sales manager (USD)", 95, "#,##0", "Salary, benefits, overhead"),
    ("Working weeks per year", 46, "0", ""),
    ("Realisation factor for time savings", 0.5, "0%", "Share of saved time you count as value"),
    ("Commissioned payees", 250, "#,##0", ""),
    ("Annual variable compensation paid (USD)", 7_500_000, "#,##0", "Commissions and bonuses"),
    ("Overpayment rate today", 0.015, "0.0%", "Typical range 1-3% in spreadsheet-run plans"),
    ("Share of overpayments prevented", 0.7, "0%", ""),
    ("Comp administration FTEs today", 2, "0.0", ""),
    ("Fully loaded cost per comp admin FTE (USD)", 110_000, "#,##0", ""),
    ("Share of comp admin effort saved", 0.35, "0%", ""),
    ("Commission disputes per month", 40, "#,##0", ""),
    ("Hours to resolve one dispute", 2.5, "0.0", "Analyst and manager time"),
    ("Reduction in disputes", 0.6, "0%", "Customers report 50-70%"),
    ("Analyst hourly cost (USD)", 60, "#,##0", ""),
    ("Forecast price per user per month (USD)", 68, "#,##0", "FY27 Forecast Professional"),
    ("Comp price per payee per month (USD)", 62, "#,##0", "FY27 Comp Enterprise"),
    ("One-off implementation (USD)", 63_000, "#,##0", "Launch + Enterprise packages"),
]


def roi(values: list[float]) -> dict[str, float]:
    """The calculator's formulas in Python, for the worked example (and its tests)."""
    (
        users,
        hours,
        saved,
        mgr_cost,
        weeks,
        realise,
        _payees,
        variable,
        over_rate,
        prevented,
        ftes,
        fte_cost,
        admin_saved,
        disputes,
        dispute_hours,
        fewer,
        analyst,
        f_price,
        c_price,
        implementation,
    ) = values
    benefits = {
        "Manager time returned": users * hours * saved * weeks * mgr_cost * realise,
        "Overpayments prevented": variable * over_rate * prevented,
        "Comp administration effort saved": ftes * fte_cost * admin_saved,
        "Dispute handling saved": disputes * 12 * dispute_hours * fewer * analyst,
    }
    total = sum(benefits.values())
    subscription = users * f_price * 12 + _payees * c_price * 12
    net = total - subscription
    return {
        **benefits,
        "Total annual benefit": total,
        "Annual subscription": subscription,
        "One-off implementation": implementation,
        "Net benefit, year 1": total - subscription - implementation,
        "Payback (months)": implementation / (net / 12) if net > 0 else float("inf"),
        "Three-year ROI": (3 * total - 3 * subscription - implementation)
        / (3 * subscription + implementation),
    }


def roi_calculator() -> BookFile:
    inputs: list[list[Cell]] = [
        ["Lumenfield ROI and payback calculator: inputs"],
        [
            "Change the amber cells. Figures are annual unless stated. The worked example uses a "
            "250-payee, 40-manager sales organisation."
        ],
        [],
        ["Input", "Value", "Notes"],
    ]
    for label, value, _fmt, note in ROI_INPUTS:
        inputs.append([label, value, note])
    first = 5
    b = {i: f"Inputs!B{first + i}" for i in range(len(ROI_INPUTS))}
    calc: list[list[Cell]] = [
        ["Lumenfield ROI and payback calculator"],
        ["Every value below is a formula on the Inputs sheet."],
        [],
        ["Line", "Annual value (USD)", "How it is calculated"],
        [
            "Manager time returned",
            f"={b[0]}*{b[1]}*{b[2]}*{b[4]}*{b[3]}*{b[5]}",
            "Users x hours x share saved x weeks x hourly cost x realisation",
        ],
        [
            "Overpayments prevented",
            f"={b[7]}*{b[8]}*{b[9]}",
            "Variable pay x overpayment rate x share prevented",
        ],
        [
            "Comp administration effort saved",
            f"={b[10]}*{b[11]}*{b[12]}",
            "FTEs x cost x share saved",
        ],
        [
            "Dispute handling saved",
            f"={b[13]}*12*{b[14]}*{b[15]}*{b[16]}",
            "Disputes x 12 x hours x reduction x analyst cost",
        ],
        ["Total annual benefit", "=SUM(B5:B8)", ""],
        [],
        [
            "Annual subscription",
            f"={b[0]}*{b[17]}*12+{b[6]}*{b[18]}*12",
            "Forecast users and Comp payees",
        ],
        ["One-off implementation", f"={b[19]}", ""],
        ["Net benefit, year 1", "=B9-B11-B12", ""],
        [
            "Payback (months)",
            '=IF(B9>B11,B12/((B9-B11)/12),"No payback")',
            "Implementation / monthly net benefit",
        ],
        [
            "Three-year ROI",
            "=(3*B9-3*B11-B12)/(3*B11+B12)",
            "Net three-year benefit / three-year cost",
        ],
    ]
    result = roi([v for _label, v, _f, _n in ROI_INPUTS])
    example: list[list[Cell]] = [
        ["Worked example: 250 payees, 40 forecasting managers"],
        ["The calculator's results for the default inputs, for reading without a spreadsheet app."],
        [],
        ["Line", "Value"],
    ]
    for line, value in result.items():
        example.append(
            [
                line,
                round(value, 3) if line in ("Three-year ROI", "Payback (months)") else round(value),
            ]
        )
    formats = {f"B{first + i}": fmt for i, (_l, _v, fmt, _n) in enumerate(ROI_INPUTS)}
    n_ex = len(example)
    return BookFile(
        name="collateral/Lumenfield-ROI-calculator.xlsx",
        title="Lumenfield ROI and payback calculator",
        subtitle="Business case for Forecast and Comp: benefits, cost, payback and three-year ROI",
        keywords=["ROI", "payback", "business case", "TCO"],
        sheets=[
            Sheet(
                "Inputs",
                inputs,
                header_rows=[4],
                input_cells=[f"B{first + i}" for i in range(len(ROI_INPUTS))],
                formats=formats,
                widths={"A": 52, "B": 16, "C": 48},
                freeze="A5",
            ),
            Sheet(
                "Calculator",
                calc,
                header_rows=[4],
                total_rows=[9, 13, 14, 15],
                formats={"B5:B13": "#,##0", "B14": "0.0", "B15": "0.0%"},
                widths={"A": 36, "B": 20, "C": 58},
            ),
            Sheet(
                "Worked example",
                example,
                header_rows=[4],
                formats={f"B5:B{n_ex - 2}": "#,##0", f"B{n_ex - 1}": "0.0", f"B{n_ex}": "0.0%"},
                widths={"A": 36, "B": 18},
            ),
        ],
    )


SECURITY_QUESTIONNAIRE: list[tuple[str, str, str, str]] = [
    (
        "Governance",
        "Do you maintain an information security programme with a named owner?",
        "Yes. Owned by our CISO and reviewed by the board audit committee twice a year.",
        "ISO 27001 certificate",
    ),
    (
        "Governance",
        "Are you independently audited?",
        "Yes. SOC 2 Type II (Security, Availability, Confidentiality) annually; ISO 27001:2022 certified.",
        "SOC 2 Type II report under NDA",
    ),
    (
        "Governance",
        "Do you support HIPAA-regulated customers?",
        "Yes. HIPAA-eligible environment; we sign a Business Associate Agreement (BAA).",
        "BAA template",
    ),
    (
        "Data",
        "Where is customer data hosted?",
        "AWS us-east-1 (Virginia) or eu-central-1 (Frankfurt), chosen by the customer at contract.",
        "DPA, Annex 2",
    ),
    (
        "Data",
        "Is data encrypted at rest and in transit?",
        "AES-256 at rest with keys in AWS KMS, rotated yearly; TLS 1.2 or higher in transit.",
        "SOC 2, CC6.1",
    ),
    (
        "Data",
        "Can customers manage their own encryption keys?",
        "Yes, on Enterprise editions (customer-managed keys in AWS KMS).",
        "Product documentation",
    ),
    (
        "Data",
        "How long is data retained after termination?",
        "Exported on request, then deleted within 30 days; backups expire within 35 days.",
        "MSA, section 11",
    ),
    (
        "Data",
        "Do you use customer data to train models for other customers?",
        "No. Forecast models are trained per tenant on that tenant's data only.",
        "DPA, section 4",
    ),
    (
        "Access",
        "Do you support SSO and automated provisioning?",
        "SAML 2.0 SSO with any IdP; SCIM 2.0 provisioning (Okta, Entra ID, OneLogin).",
        "Product documentation",
    ),
    (
        "Access",
        "How is staff access to customer data controlled?",
        "Just-in-time, time-boxed access approved by the customer for support cases; MFA enforced; logged.",
        "SOC 2, CC6.2-6.3",
    ),
    (
        "Access",
        "Is there an audit log customers can export?",
        "Yes. Every sign-in, permission change, data change and export, exportable via API.",
        "Admin guide",
    ),
    (
        "Application",
        "Do you perform penetration tests?",
        "Annual third-party penetration test plus tests after major releases; summary available under NDA.",
        "Pen-test summary",
    ),
    (
        "Application",
        "Describe your secure development lifecycle.",
        "Threat modelling, peer review, SAST and dependency scanning on every change, DAST weekly.",
        "SOC 2, CC8.1",
    ),
    (
        "Application",
        "Do you run a vulnerability disclosure programme?",
        "Yes, with a public policy and a private bug bounty.",
        "lumenfield.example/security",
    ),
    (
        "Resilience",
        "What are your RPO and RTO?",
        "RPO 1 hour, RTO 8 hours; restore tested quarterly.",
        "Business continuity plan summary",
    ),
    (
        "Resilience",
        "What availability do you commit to?",
        "99.9% monthly uptime SLA with service credits; status page with history.",
        "SLA",
    ),
    (
        "Incident",
        "How quickly do you notify customers of a personal data breach?",
        "Without undue delay and within 48 hours of confirmation, with a named incident lead.",
        "DPA, section 9",
    ),
    (
        "Privacy",
        "Do you offer a GDPR-compliant DPA?",
        "Yes, including EU Standard Contractual Clauses and the UK addendum.",
        "DPA",
    ),
    (
        "Privacy",
        "Who are your sub-processors?",
        "AWS (hosting), Cloudflare (edge security), Zendesk (support tickets), Postmark (e-mail). "
        "30 days' notice of changes.",
        "Sub-processor list",
    ),
    (
        "Integration",
        "What permissions does the CRM integration need?",
        "A dedicated integration user: read on named objects, write on four forecast fields only.",
        "Integration guide",
    ),
]


def security_questionnaire() -> BookFile:
    rows: list[list[Cell]] = [
        ["Lumenfield standard security questionnaire responses"],
        [
            "Pre-completed answers based on CAIQ v4 and SIG Lite topics. Contact "
            "security@lumenfield.example for anything not covered."
        ],
        [],
        ["ID", "Domain", "Question", "Answer", "Evidence"],
    ]
    for i, (domain, q, a, evidence) in enumerate(SECURITY_QUESTIONNAIRE, start=1):
        rows.append([f"LF-{i:02d}", domain, q, a, evidence])
    return BookFile(
        name="collateral/Lumenfield-security-questionnaire.xlsx",
        title="Lumenfield standard security questionnaire responses",
        subtitle="CAIQ / SIG Lite style answers with evidence references",
        keywords=["security", "questionnaire", "CAIQ", "SOC 2"],
        sheets=[
            Sheet(
                "Responses",
                rows,
                header_rows=[4],
                widths={"A": 8, "B": 14, "C": 48, "D": 70, "E": 28},
                freeze="A5",
            )
        ],
    )


# -- security pack, partner kit, brochure, offers, onboarding --------------------------------------
SECURITY_OVERVIEW = md(
    """
# Our commitments

Lumenfield holds some of the most sensitive records a company has: its pipeline, its forecast
and what it pays its people. We treat that responsibility as part of the product. This pack
summarises how we protect customer data; the SOC 2 Type II report, penetration-test summary
and full policies are available under NDA.

# Certifications and audits

[[certs]]

# Hosting and data residency

Lumenfield runs on Amazon Web Services in two regions: us-east-1 (Virginia) and eu-central-1
(Frankfurt). Customers choose the region at contract, and all customer data, including
backups, logs containing customer data and support attachments, stays in that region. Each
region spans three availability zones.

# Data protection

- Encryption at rest with AES-256; keys held in AWS KMS and rotated every year.
Customer-managed keys are available on Enterprise editions.
- Encryption in transit with TLS 1.2 or higher; HSTS enforced on all endpoints.
- Tenant isolation enforced in the application and the database; forecast models are trained
per tenant and never shared.
- HIPAA: a HIPAA-eligible environment with a Business Associate Agreement. Connectors can
exclude protected health information (PHI) at ingestion, as Meridale Diagnostics does.

# Access control

- SAML 2.0 single sign-on with any identity provider; SCIM 2.0 provisioning.
- Role-based and field-level permissions, so a rep sees their own statement and nothing else.
- Staff access to customer data is just-in-time, approved by the customer for a support case,
time-boxed and logged. MFA is enforced for all staff.
- A customer-exportable audit log of sign-ins, permission changes, data changes and exports.

# Secure development and testing

Every change is peer-reviewed and scanned (static analysis and dependency scanning) before it
ships. Dynamic scans run weekly. An independent firm performs a penetration test every year
and after major releases, and we run a private bug bounty programme.

# Resilience

99.9% monthly uptime SLA with service credits. Recovery point objective of one hour, recovery
time objective of eight hours, restore tested every quarter. Backups are retained for 35 days.

# Sub-processors

[[subprocessors]]

# Incident response

Confirmed personal data breaches are notified to affected customers without undue delay and
within 48 hours of confirmation, with a named incident lead and regular updates until closure.

# Contacts

Security questions: security@lumenfield.example. Vulnerability reports:
lumenfield.example/security. Your account executive can arrange a call with our security team.
""",
    certs=Table(
        ["Standard", "Scope", "Status"],
        [
            [
                "SOC 2 Type II",
                "Security, Availability, Confidentiality",
                "Annual; latest report covers 12 months",
            ],
            [
                "ISO/IEC 27001:2022",
                "All products and supporting operations",
                "Certified; surveillance audit passed",
            ],
            ["HIPAA", "HIPAA-eligible environment", "BAA available on request"],
            ["GDPR / UK GDPR", "Data processing agreement", "EU SCCs and UK addendum included"],
            ["CSA STAR", "Cloud Controls Matrix", "Level 1 self-assessment (CAIQ v4) published"],
        ],
        [1.2, 2, 2],
    ),
    subprocessors=Table(
        ["Sub-processor", "Purpose", "Location"],
        [
            ["Amazon Web Services", "Hosting, storage, backups", "Customer's chosen region"],
            ["Cloudflare", "Edge security and DDoS protection", "Global edge; no data at rest"],
            ["Zendesk", "Support tickets", "US or EU, matching the customer's region"],
            ["Postmark", "Transactional e-mail (notifications)", "US"],
        ],
        [1.3, 2, 1.6],
    ),
)

PARTNER_GUIDE = md(
    """
# Welcome to the Lumenfield Partner Network

This kit gives consulting, systems-integration and reseller partners what they need to
position, sell and deliver Lumenfield. Everything in it is approved for use with your
customers, except the sections marked partner-only. Programme terms in this kit are valid
until {{expires_on}}; check the partner portal for the current version after that date.

# Who we sell to

Companies with 50 to 5,000 quota-carrying sellers, a CRM in place (Salesforce, HubSpot or
Dynamics 365) and at least one of these triggers: a missed forecast, a new CFO or CRO, an
upcoming IPO or fundraise, an acquisition that added a second CRM, or an audit finding on
commission expense.

# Lumenfield in one paragraph

Lumenfield helps revenue teams forecast, pay and plan with confidence. Forecast, Comp and
Territory share one data model, so the number the board sees, what sellers are paid and how
territories are drawn all reconcile. Customers typically reach a forecast within ±5% at week
six, cut commission disputes by two-thirds and plan territories in weeks instead of a
quarter.

# Messages by persona

[[messages]]

# Partner tiers and benefits (partner-only)

[[tiers]]

# Deal registration (partner-only)

- Register opportunities in the partner portal before the first customer meeting.
- Approved registrations are protected for 90 days, extendable once by 60 days with evidence
of progress.
- Where two partners register the same opportunity, the first complete registration wins.
- Lumenfield account executives are compensated equally on partner-sourced deals, so there is
no channel conflict by design.

# Co-selling play

- Joint account planning: agree target accounts with your Lumenfield partner manager each
quarter.
- First meeting: lead with the customer's trigger event and the forecast-accuracy question.
- Demo: a Lumenfield solutions engineer supports your first three demos.
- Proposal: use the current price list from the portal; partner discounts apply to list.
- Delivery: certified partners deliver the Launch and Enterprise implementation packages.

# Co-branding rules

Place your logo on the right of the Lumenfield logo, at no more than the same height, with
the words "in partnership with". Do not alter Lumenfield case studies or quote customers who
are not on the approved reference list. Co-branded packs generated from Frontline are
already compliant.
""",
    messages=Table(
        ["Persona", "What they care about", "Lead with"],
        [
            [
                CFO,
                "A number for the board; auditable commission expense",
                "Accuracy at week six; ASC 340-40 / IFRS 15",
            ],
            [
                VPSO,
                "Less time reconciling, plans live on day one",
                "Changes-since-last-week view; 6-week go-live",
            ],
            [
                SECURITY,
                "No new unmanaged risk",
                "SOC 2 Type II, ISO 27001, EU region, minimal CRM permissions",
            ],
            [REVOPS, "Fewer tabs and tickets", "No-code plan designer; dispute queue"],
            [
                PROCUREMENT,
                "Predictable cost, standard terms",
                "Published prices; 5% renewal cap; fixed-fee services",
            ],
        ],
        [1, 1.6, 1.8],
    ),
    tiers=Table(
        ["Tier", "Requirements", "Resale margin", "Benefits"],
        [
            [
                "Registered",
                "Signed partner agreement",
                "10%",
                "Portal, training, deal registration",
            ],
            [
                "Select",
                "2 certified consultants, 2 deals a year",
                "20%",
                "Co-marketing funds, SE support",
            ],
            [
                "Premier",
                "6 certified consultants, 6 deals a year",
                "25%",
                "MDF, named partner manager, roadmap briefings",
            ],
        ],
        [0.8, 1.8, 0.9, 1.8],
    ),
)

PARTNER_SLIDES = [
    Slide(
        "Why Lumenfield, in one slide",
        [
            "One data model for forecast, commissions and territories",
            "Forecast within ±5% at week six; disputes down by two-thirds",
            "Live in 6-10 weeks with fixed-fee packages partners can deliver",
            "SOC 2 Type II, ISO 27001, EU and US regions",
        ],
        "Use this slide in the first meeting. Ask which of the four lines matters most to the "
        "customer right now, and go there.",
        kicker="Partner co-selling deck",
    ),
    Slide(
        "Where partners win",
        [
            "Trigger events: missed forecast, new CFO or CRO, acquisition with a second CRM",
            "CRM programmes: add Lumenfield to the CRM roadmap you are already delivering",
            "Finance transformation: commission accounting as part of the close",
        ],
        "Partners who already run the CRM programme have the best access; position Lumenfield "
        "as the revenue-planning layer on top.",
    ),
    Slide(
        "How we work together",
        [
            "Register the deal before the first meeting: 90 days' protection",
            "A Lumenfield solutions engineer supports your first three demos",
            "Certified partners deliver the Launch and Enterprise packages",
        ],
        "Partner-only slide: remove before showing to customers.",
    ),
]

BROCHURE = md(
    """
# Revenue you can plan on

Every quarter, sales and finance teams make three promises: what the business will book, what
it will pay the people who book it, and how the work is divided among them. At most companies
those promises live in three different places, and nobody can see whether they add up.
Lumenfield brings them into one model.

# Three products, one data model

## Lumenfield Forecast

An accurate, explainable revenue forecast. Pipeline inspection that shows what changed since
last week, an AI call that explains its drivers, and accuracy tracking by manager and segment.

## Lumenfield Comp

Commissions that are right the first time, and provable. No-code plans, live statements,
disputes with an SLA, and commission accounting under ASC 340-40 and IFRS 15.

## Lumenfield Territory

Fair territories and quotas, planned in weeks. Account potential scoring, territory and
capacity modelling, quota setting and CRM write-back.

[[numbers]]

# Customers in every industry

Meridale Diagnostics in healthcare, Krontal Maschinenbau in manufacturing, Ashgrove Mutual
and Harbourline Insurance in financial services, Pelican Outfitters in retail, Nordvik Energi
in the public sector, TransAndes Logística in logistics, Brightcask in software and Southern
Cross Telecom in telecommunications.

# Built to be trusted

SOC 2 Type II and ISO 27001 certified, hosted in the US or the EU, with a HIPAA-eligible
environment for healthcare customers.

# Offices

Boston (headquarters), London, Munich, Singapore and São Paulo. Learn more at
lumenfield.example.
""",
    numbers=Callouts(
        [
            ("600+", "customers in 30 countries"),
            ("400,000", "payees paid through Lumenfield Comp"),
            ("4.7/5", "post-implementation satisfaction (212 customers)"),
        ]
    ),
)

VIDEO_TRANSCRIPT = """Product tour: Lumenfield Forecast in six minutes
Watch: https://media.lumenfield.example/tours/forecast-in-six-minutes (6:12, captions in English, German and Spanish)
Presenter: Maya Okafor, Lumenfield

Transcript

00:00 Hi, I'm Maya. In the next six minutes I'll show you how a sales manager prepares for the weekly forecast call in Lumenfield Forecast, and how their VP sees the roll-up.

00:25 This is the changes view. Instead of scrolling through the whole pipeline, the manager sees only what changed since last week: three deals pushed to next quarter, one amount increase and two new deals in commit.

01:10 Here is the AI call for the mid-market segment, next to the manager's call. It's 8% lower. The panel on the right explains why: two large deals have had their close date moved twice, and one is single-threaded, with only one contact engaged on the buyer side.

02:05 The manager can override the call, but Lumenfield asks for a reason. That reason is stored with the submission, so the VP and finance can see it later.

02:40 Now the VP's view. The roll-up shows each manager's call, the AI call and the plan. The accuracy column shows how close each manager's week-six call has been over the last four quarters.

03:30 Deal-risk signals: Lumenfield reads CRM activity and calendar metadata, never e-mail content, and flags deals with no next step or no meeting in 21 days.

04:20 Submission history: every week's call is stored. Finance can see what was submitted, when, and what changed.

05:10 Connectors: Salesforce, HubSpot and Microsoft Dynamics 365, refreshed every 15 minutes, with write-back of the forecast to the CRM.

05:50 That's Lumenfield Forecast. Ask your account executive for a backtest on your own history, and see how close the forecast could have been last quarter.
"""

QUARTER_END_OFFER = md(
    """
# The offer

Sign a three-year agreement for the Lumenfield Suite (Forecast, Comp and Territory) by
{{expires_on}} and the Launch implementation package for Lumenfield Forecast is included at
no charge: a value of USD 18,000.

# What the Launch package includes

- A named Lumenfield project lead and a six-week plan agreed at kickoff.
- CRM connection, hierarchy and segment set-up, and the first forecast call run with your
managers.
- Admin training for two people and a 30-day hypercare period after go-live.

# Conditions

- Valid for new Suite agreements with a three-year term signed on or before {{expires_on}}.
- Cannot be combined with other implementation discounts. Standard price list applies to
subscriptions.
- Implementation must start within 60 days of signature.

# Why now

Teams that start in the current quarter run their first forecast call in Lumenfield before
the next quarter's week six, in time to measure the difference.
"""
)

SWITCH_OFFER = md(
    """
# Switching from Spireworks

If your Spireworks renewal is coming up and forecasting has moved into a higher tier, you can
switch to Lumenfield Forecast without paying twice for the migration.

# The offer

Migration services at no cost: we move your forecast hierarchy, segments and four quarters of
forecast history from Spireworks into Lumenfield, and run both in parallel for one quarter.
Offer valid for agreements signed by {{expires_on}}.

# What stays the same

Your CRM, your conversation-intelligence tool and your managers' forecast rhythm. Lumenfield
reads activity signals from the tools you already use.

# Proof

Brightcask moved from Spireworks to Lumenfield Forecast, went live in seven weeks and cut its
forecast variance from 14% to 4%.
"""
)

ONBOARDING_PLAN = md(
    """
# What to expect

This plan covers your first 90 days as a Lumenfield customer: who does what, when, and how we
will know it is working. Your Lumenfield project lead will adapt it to your products and
calendar at the kickoff meeting.

# Milestones

[[milestones]]

# Roles

- Customer project owner: makes decisions, owns the timeline, about one day a week.
- CRM administrator: integration user, field mapping, two to three days in total.
- Finance contact (Comp): accrual policy, GL mapping and payroll calendar.
- Lumenfield project lead: plan, configuration, training and go-live readiness.
- Lumenfield customer success manager: joins at week 4 and owns the relationship after
go-live.

# Success criteria at day 90

- Every front-line manager has submitted at least six weekly forecasts in Lumenfield.
- The first commission statements have been published and reconciled with payroll.
- Your accuracy baseline is measured and shared with sales and finance leadership.
- Two administrators are certified.

# Getting help

Support portal and in-app chat during business hours; priority issues answered within four
hours. Premium Support customers have 24x7 coverage and a named technical account manager.
""",
    milestones=Table(
        ["Week", "Milestone", "Owner"],
        [
            ["1", "Kickoff; confirm scope, segments, plans and success criteria", "Both"],
            ["1-2", "CRM connected; integration user approved by IT", "Customer CRM admin"],
            ["2-4", "Hierarchy, segments and forecast categories configured", "Lumenfield"],
            ["4", "Manager training; first forecast call in shadow mode", "Both"],
            ["6", "Go-live: first forecast submitted in Lumenfield", "Customer project owner"],
            [
                "6-10",
                "Comp plans configured and tested against last period's payouts",
                "Lumenfield",
            ],
            ["10", "First commission statements published to reps", "Customer finance"],
            ["12", "Day-90 review: success criteria, accuracy baseline, next products", "Both"],
        ],
        [0.6, 3, 1.3],
    ),
)

SCENARIO_ADDON = md(
    """
# Preview

Scenario Planning is an add-on to Lumenfield Forecast, planned for general availability next
quarter. This draft describes the intended scope; do not share externally until it is
approved.

# What it does

- Build best-case, expected and downside scenarios from the same pipeline, with the drivers
adjusted explicitly (win rate by segment, slippage, average deal size).
- Compare each scenario with the plan and with the AI call, quarter by quarter.
- Share a scenario with finance as a read-only snapshot that cannot drift.

# Who it is for

Finance leaders and revenue operations teams preparing board scenarios and guidance ranges.

# Open questions for product marketing

- Pricing: per forecasting user uplift or a flat platform fee?
- Naming: Scenario Planning or Forecast Scenarios?
- Launch customers: Harbourline Insurance and Nordvik Energi have asked to join the beta.
"""
)

HEALTHCARE_BRIEF = md(
    """
# Built for regulated commercial teams

Healthcare and life-sciences companies pay their commercial teams on data that is often
regulated: test volumes, procedure counts, prescriptions and device usage. Lumenfield lets
you pay and forecast on those numbers without putting protected health information (PHI) in
the compensation system.

# How

- A HIPAA-eligible environment with a Business Associate Agreement (BAA).
- Connectors that exclude patient identifiers at ingestion, approved by your privacy office.
- Plan rules that keep incentives away from individual referral decisions, reviewed with your
compliance team.
- Territories built around integrated delivery networks and purchasing groups, not ZIP codes.

# Customers

Meridale Diagnostics cut commission statement turnaround from 19 days to 2 with no PHI in the
compensation system. A medical device manufacturer redesigned 300 territories in five weeks
(case study in review).

# Draft notes

Waiting for legal review of the anti-kickback wording before this one-pager is submitted.
"""
)

REFERENCE_BRIGHTCASK = {
    "customer": "Brightcask",
    "industry": SOFTWARE,
    "challenge": "Renewal quote from Spireworks moved forecasting into a higher tier at a 35% "
    "increase; managers kept a parallel spreadsheet because the AI score could not explain "
    "itself.",
    "solution": "Lumenfield Forecast after a four-quarter backtest; live seven weeks after "
    "contract.",
    "results": _results(
        ("Payback", "7 months"),
        ("Annual cost versus the Spireworks renewal quote", "-38%"),
    ),
    "quote": "Every finance leader asks me the same thing: did it pay back? It did, in seven "
    "months, and I can show the board exactly why the forecast is better.",
    "quote_author": "Mei Lin Tan, Chief Financial Officer, Brightcask",
}

REFERENCE_RULES = md(
    """
# Reference-call rules (internal)

- Mei Lin Tan takes reference calls with CFOs and finance directors only, for opportunities
over USD 250,000 in APAC or North America.
- Maximum two calls per quarter. Request through the reference programme in Frontline at least
ten working days ahead; include the prospect's trigger event and the questions they want
answered.
- Brightcask is comfortable discussing the Spireworks comparison in general terms but not
Spireworks' pricing.
- After the call, log the outcome and thank the reference within 24 hours.
"""
)


# -- competitive updates -------------------------------------------------------------------------------
UPDATE_SPIREWORKS = md(
    """
# What happened

Spireworks has changed its packaging and pricing for renewals and new deals. Three renewal
quotes seen in our deals this month, their updated pricing page and an analyst note confirm
the same picture:

- List prices are up about 12% across tiers.
- Forecasting has moved from the Professional tier to Premier. Customers on Professional must
upgrade every seat to keep forecasting.
- A new platform fee applies to customers with more than 250 users.

# What it means for us

Spireworks customers who mainly use forecasting are now paying for a platform to keep one
module. That is exactly the situation in which Brightcask switched. Expect Spireworks to offer
heavy first-year discounts to hold renewals, and to push multi-year terms before customers
compare alternatives.

# What to do this week

- Review your accounts for Spireworks customers renewing in the next two quarters; your
regional marketing manager has a list.
- Use the landmine question from the battle card: "Which modules are in the quote, and which
moved to Premier?"
- Offer a four-quarter backtest rather than a price comparison. Lead with accuracy and time to
value; the price gap will follow.
- The previous Spireworks switch offer has ended. A new migration offer is in approval; ask
the deal desk before promising migration services.

# What not to do

- Do not send Spireworks pricing to prospects in writing or forward their quotes.
- Do not describe the change as a price rise "for everyone"; some customers on Premier are not
affected.

# Sources

Three customer renewal quotes shared in active opportunities (anonymised in #compete), the
Spireworks public pricing page and an industry analyst note on revenue-platform packaging.
Verified by Competitive Intelligence on {{published_at}}.
"""
)

UPDATE_QUOTABASE = md(
    """
# What happened

Quotabase has announced Forecast Lite, a forecasting module in public beta for its existing
commission customers.

# What it does

- Roll-up of CRM opportunities by manager, with manual overrides.
- Salesforce only; no HubSpot or Dynamics 365 connector announced.
- Free during the beta for customers with more than 100 payees.

# What it does not do (yet)

- No AI or statistical forecast; the call is the sum of manager inputs.
- No accuracy tracking, submission history or override reasons.
- No link between forecast and territories; Quotabase has no territory model.

# How to position

Treat Forecast Lite as validation that commission customers want forecasting in the same
place. Our answer is the same data model for forecast, comp and territories, with an
explainable AI call and measured accuracy. Ask prospects to request a production reference for
Forecast Lite; there are none yet.

# Talk track

"It's good to see Quotabase agree that forecasting and comp belong together. The question is
whether you want a roll-up of manager inputs, or a forecast whose accuracy you can measure by
manager and segment. Shall we run a backtest on your history and compare?"
"""
)

UPDATE_MERIDIAN = md(
    """
# Status

First look at the Meridian RevCloud spring release, based on the public release notes and a
partner briefing. Draft: waiting for hands-on verification in a trial org before publishing.

# Headlines

- "Pipeline Inspection" view with week-over-week changes, similar to our changes view.
- An AI "forecast prediction" score for Enterprise-tier customers, without driver
explanations in this release.
- No change to multi-CRM support; forecasting still covers Meridian data only.

# Early view

The changes view narrows one of our visible demo differences. Lead demos with explainability,
accuracy tracking by manager and the link to comp and territory instead.

# To verify before publishing

- Does the prediction score show its drivers in the UI or only via API?
- Is accuracy history stored, and for how long?
- Which CRM tiers include the new view?
"""
)


# -- pitch deck ----------------------------------------------------------------------------------------
PITCH_SLIDES = [
    Slide(
        "The quarter shouldn't be a surprise",
        [
            "The median company we benchmark misses its week-six forecast by 11%",
            "Most of that error is bias: the same segments, too high, every quarter",
            "Commission errors cost 1-3% of variable pay, and the trust of your sellers",
            "Territories are finished weeks after the fiscal year has started",
        ],
        "Open with the customer's own trigger if you know it: the missed quarter, the new CFO, "
        "the IPO timeline. The 11% figure comes from our benchmark of 212 customers before they "
        "started measuring; don't present it as an industry statistic.",
        kicker="The problem",
    ),
    Slide(
        "Why it happens: three promises, three systems",
        [
            "What you will book lives in the CRM and a forecast spreadsheet",
            "What you will pay lives in a commission workbook",
            "How the work is divided lives in territory slides and exports",
            "Nobody can see whether the three add up until quarter end",
        ],
        "Ask: where does each of these live at your company today, and who reconciles them? "
        "Let the buyer draw the picture; it is usually messier than ours.",
        kicker="The cause",
    ),
    Slide(
        "Lumenfield: one model for forecast, pay and territories",
        [
            "Lumenfield Forecast: an explainable forecast with measured accuracy",
            "Lumenfield Comp: commissions that are right first time, and provable",
            "Lumenfield Territory: fair territories and quotas, planned in weeks",
            "Start with one; add the others without a second integration",
        ],
        "Keep this slide short. The point is the shared data model, not the feature list.",
        kicker="Our answer",
    ),
    Slide(
        "Forecast: see what changed, and which calls to trust",
        [
            "Changes since last week instead of the whole pipeline",
            "AI call next to every manager call, with the drivers shown",
            "Accuracy by manager, segment and week of quarter",
            "Every override and submission kept, for finance and the board",
        ],
        "If you have a demo environment open, switch to it here. Show the changes view and the "
        "explainability panel; skip configuration.",
        kicker="Lumenfield Forecast",
    ),
    Slide(
        "Comp and Territory: pay and plan on the same numbers",
        [
            "No-code plans, live statements, disputes with an SLA",
            "ASC 340-40 / IFRS 15 capitalisation with journal entries to your GL",
            "Territories and quotas modelled on potential, capacity and fairness",
            "Re-carves show their pipeline and commission impact before you publish",
        ],
        "With a CFO in the room, spend the time on the accounting line. With sales ops, spend "
        "it on re-carves.",
        kicker="Lumenfield Comp and Territory",
    ),
    Slide(
        "Customers like you",
        [
            "Brightcask replaced Spireworks forecasting and reached payback in seven months",
            "Meridale Diagnostics pays 180 sellers two days after month-end, with no PHI stored",
            "Krontal Maschinenbau plans territories in three weeks instead of eleven",
        ],
        "Pick the two stories closest to the prospect's industry and region, and replace the "
        "third. All three customers are on the approved reference list.",
        kicker="Proof",
        callouts=[
            ("±4%", "Brightcask forecast variance"),
            ("-71%", "Meridale disputes"),
            ("3 wks", "Krontal planning cycle"),
        ],
    ),
    Slide(
        "Secure by design",
        [
            "SOC 2 Type II and ISO 27001:2022 certified",
            "US or EU hosting; your data never leaves the chosen region",
            "SSO, SCIM, field-level permissions and a full audit log",
            "HIPAA-eligible environment with a BAA",
        ],
        "Offer the security pack now if IT is not yet engaged; it shortens the review by weeks.",
        kicker="Trust",
    ),
    Slide(
        "Live in 6-10 weeks",
        [
            "Weeks 1-2: CRM connected, hierarchy and segments agreed",
            "Weeks 3-6: managers trained; first forecast call in Lumenfield",
            "Weeks 6-10: comp plans tested against last period's payouts",
            "Day 90: accuracy baseline shared with sales and finance",
        ],
        "Fixed-fee Launch and Enterprise packages. Name the project lead if you can.",
        kicker="Getting started",
    ),
    Slide(
        "Next steps",
        [
            "Backtest on four quarters of your own history (two weeks, no cost)",
            "Business case with your CFO, using the ROI calculator",
            "Security review with the standard pack",
        ],
        "Always leave with a date for the next step. Send the follow-up e-mail within 24 hours.",
        kicker="Let's get started",
    ),
]


# -- the catalog -----------------------------------------------------------------------------------------
ALL_REGIONS = REGIONS


def _doc(name: str, title: str, label: str, blocks: list[Block], **kw: Any) -> DocFile:
    return DocFile(name=name, title=title, label=label, blocks=blocks, **kw)


def _case(
    cs: dict[str, Any],
    file: str,
    title: str,
    *,
    about: str,
    region: str,
    products: list[str],
    replaced: str = "",
    language: str = "en",
    subtitle: str = "",
    **piece: Any,
) -> Piece:
    """A case-study item whose document is written from its structured fields."""
    doc = case_study_doc(
        f"case-studies/{file}",
        title,
        subtitle or f"How {cs['customer']} works with {' and '.join(products)}",
        cs,
        about=about,
        region=region,
        products=products,
        replaced=replaced,
        language=language,
    )
    first = cs["results"][0]
    summary = piece.pop("summary", "") or (
        f"{cs['customer']} ({cs['industry']}, {region}): {first['metric'].lower()} "
        f"{first['value']}. Quote from {cs['quote_author'].split(',')[0]}."
    )
    piece.setdefault("tags", []).append("customer story")
    competitors = [*piece.pop("competitors", []), *([replaced] if replaced else [])]
    return Piece(
        title=title,
        summary=summary,
        format="case-study",
        files=[doc],
        language=language,
        products=products,
        regions=[region],
        competitors=competitors,
        case_study=cs,
        **piece,
    )


def _battle(competitor: str, overview: str, card: dict[str, Any], **piece: Any) -> Piece:
    slug = competitor.split()[0].lower()
    doc = battle_card_doc(f"competitive/Battle-card-{slug}.pdf", competitor, overview, card)
    return Piece(
        title=doc.title,
        summary=f"Internal battle card: why we win and lose against {competitor}, objection "
        "answers, landmine questions, pricing notes and proof points.",
        format="battle-card",
        files=[doc],
        audience="internal",
        competitors=[competitor],
        regions=ALL_REGIONS,
        stages=[DISCOVERY, EVALUATION, NEGOTIATION],
        battle_card=card,
        **piece,
    )


def pieces() -> list[Piece]:
    """Every demo item, freshly built (the specs are mutable, so each build gets its own)."""
    items: list[Piece] = []

    # Data sheets, one per product, plus a draft for an add-on.
    items += [
        Piece(
            title=f"{FORECAST} data sheet",
            summary="Capabilities, specifications and benchmark results for Lumenfield "
            "Forecast: pipeline inspection, explainable AI call, accuracy tracking.",
            format="data-sheet",
            files=[data_sheet(FORECAST)],
            audience="partner",  # resellers sell the products: data sheets go to them
            owner=PMM,
            personas=[VPSO, REVOPS, CFO],
            stages=[DISCOVERY, EVALUATION],
            products=[FORECAST],
            regions=ALL_REGIONS,
            tags=["forecasting", "pipeline", "AI"],
            published_ago=45,
            verify_in=135,
            version=2,
            change_note="Added the Microsoft Dynamics 365 write-back connector and the week-six "
            "accuracy benchmark (±4.8%).",
        ),
        Piece(
            title=f"{COMP} data sheet",
            summary="Plan designer, live statements, disputes, ASC 340-40 / IFRS 15 commission "
            "accounting and payroll export, with specifications.",
            format="data-sheet",
            files=[data_sheet(COMP)],
            audience="partner",  # resellers sell the products: data sheets go to them
            owner=PMM,
            personas=[CFO, REVOPS, VPSO],
            stages=[DISCOVERY, EVALUATION],
            products=[COMP],
            regions=ALL_REGIONS,
            tags=["commissions", "incentive compensation", "ASC 340-40"],
            published_ago=120,
            verify_in=60,
        ),
        Piece(
            title=f"{TERRITORY} data sheet",
            summary="Account scoring, territory and capacity modelling, quota setting and "
            "re-carves with impact preview.",
            format="data-sheet",
            files=[data_sheet(TERRITORY)],
            audience="partner",  # resellers sell the products: data sheets go to them
            owner=PMM,
            personas=[VPSO, REVOPS],
            stages=[DISCOVERY, EVALUATION],
            products=[TERRITORY],
            regions=ALL_REGIONS,
            tags=["territory planning", "quota setting", "capacity planning"],
            published_ago=2,
            verify_in=180,
        ),
        Piece(
            title="Lumenfield Forecast Scenario Planning add-on (preview data sheet)",
            summary="Draft data sheet for the upcoming Scenario Planning add-on: best, expected "
            "and downside scenarios shared with finance.",
            format="data-sheet",
            files=[
                _doc(
                    "collateral/Lumenfield-Scenario-Planning-preview.pdf",
                    "Lumenfield Forecast Scenario Planning add-on",
                    "Data sheet (draft)",
                    SCENARIO_ADDON,
                    subtitle="Preview for internal review",
                    footer="DRAFT - not for distribution.",
                )
            ],
            owner=PMM,
            status="draft",
            audience="internal",
            personas=[CFO, VPSO],
            stages=[EVALUATION],
            products=[FORECAST],
            tags=["scenario planning", "roadmap"],
        ),
    ]

    # Persona one-pagers.
    for persona, stages, products, kw in (
        (CFO, [PROSPECTING, DISCOVERY, PROPOSAL], PRODUCTS, {"published_ago": 90, "verify_in": 90}),
        (VPSO, [PROSPECTING, DISCOVERY], PRODUCTS, {"published_ago": 150, "verify_in": 30}),
        (SECURITY, [EVALUATION], PRODUCTS, {"published_ago": 60, "verify_in": 120}),
        (
            REVOPS,
            [DISCOVERY, EVALUATION],
            [FORECAST, COMP],
            {"published_ago": 75, "verify_in": 105},
        ),
        (PROCUREMENT, [PROPOSAL, NEGOTIATION], PRODUCTS, {"status": "in-review"}),
    ):
        doc = persona_one_pager(persona)
        items.append(
            Piece(
                title=doc.title,
                summary=PERSONA_PITCH[persona]["hook"],
                format="one-pager",
                files=[doc],
                owner=CONTENT,
                personas=[persona],
                stages=stages,
                products=products,
                regions=ALL_REGIONS,
                tags=["persona"],
                **kw,
            )
        )
    items.append(
        Piece(
            title="Lumenfield for healthcare and life-sciences commercial teams",
            summary="Draft industry one-pager: paying and forecasting on regulated data "
            "without PHI in the compensation system (HIPAA, BAA).",
            format="one-pager",
            files=[
                _doc(
                    "collateral/Lumenfield-for-healthcare-one-pager.pdf",
                    "Lumenfield for healthcare and life-sciences commercial teams",
                    "Industry one-pager (draft)",
                    HEALTHCARE_BRIEF,
                    subtitle="Compliant incentive compensation and territory design",
                    footer="DRAFT - pending legal review.",
                )
            ],
            owner=CONTENT,
            status="draft",
            personas=[CFO, SECURITY],
            stages=[PROSPECTING, DISCOVERY],
            products=[COMP, TERRITORY],
            industries=[HEALTHCARE],
            regions=[NA],
            tags=["HIPAA", "industry"],
        )
    )

    # Pitch deck, brochure, video.
    items += [
        Piece(
            title="Lumenfield corporate pitch deck FY27",
            summary="Nine-slide first-meeting deck with speaker notes: the problem, one model "
            "for forecast, pay and territories, proof, security and next steps.",
            format="pitch-deck",
            files=[
                DeckFile(
                    "collateral/Lumenfield-pitch-deck-FY27.pptx",
                    "Revenue you can plan on",
                    "Lumenfield corporate overview, FY27",
                    PITCH_SLIDES,
                    cover_notes="Introduce yourself and the agenda in one sentence each. Ask "
                    "how much time they have; the deck works in 20 minutes.",
                    keywords=["pitch deck", "corporate overview", "FY27"],
                )
            ],
            owner=PMM,
            personas=[CFO, VPSO],
            stages=[PROSPECTING, DISCOVERY],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["first meeting", "corporate"],
            published_ago=30,
            verify_in=150,
            version=3,
            change_note="FY27 storyline 'Revenue you can plan on'; new proof slide with "
            "Brightcask, Meridale and Krontal; removed the retired Quotabase comparison slide.",
        ),
        Piece(
            title="Lumenfield company brochure",
            summary="Four-part company overview: the three promises, three products on one "
            "data model, customers by industry, trust and offices.",
            format="brochure",
            files=[
                _doc(
                    "collateral/Lumenfield-company-brochure.pdf",
                    "Lumenfield: revenue you can plan on",
                    "Company brochure",
                    BROCHURE,
                    subtitle="Forecast, Comp and Territory on one data model",
                )
            ],
            owner=CONTENT,
            audience="partner",
            personas=[CFO, VPSO],
            stages=[PROSPECTING],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["corporate", "awareness"],
            published_ago=210,
            verify_in=150,
        ),
        Piece(
            title="Product tour: Lumenfield Forecast in six minutes",
            summary="Recorded product tour (6:12) with transcript: changes view, explainable "
            "AI call, overrides with reasons, roll-up and accuracy.",
            format="demo-video",
            files=[
                TextFile(
                    "collateral/Forecast-product-tour-transcript.txt",
                    "Product tour: Lumenfield Forecast in six minutes",
                    VIDEO_TRANSCRIPT,
                )
            ],
            owner=CONTENT,
            personas=[VPSO, REVOPS],
            stages=[PROSPECTING, DISCOVERY],
            products=[FORECAST],
            regions=ALL_REGIONS,
            tags=["video", "demo"],
            audience="partner",
            published_ago=55,
            verify_in=125,
        ),
    ]

    # White papers and the executive brief.
    items += [
        Piece(
            title="The forecast accuracy gap: why pipeline reviews miss and what finance-grade "
            "forecasting looks like",
            summary="White paper: four failure modes of the pipeline review, five principles "
            "of a finance-grade forecast, a baseline method and a 90-day plan.",
            format="white-paper",
            files=[
                _doc(
                    "collateral/Forecast-accuracy-gap-white-paper.pdf",
                    "The forecast accuracy gap",
                    "White paper",
                    WP_FORECAST,
                    subtitle="Why pipeline reviews miss, and what finance-grade forecasting "
                    "looks like",
                    keywords=["forecast accuracy", "MAPE", "bias", "white paper"],
                )
            ],
            owner=CONTENT,
            personas=[CFO, VPSO],
            stages=[PROSPECTING, DISCOVERY],
            products=[FORECAST],
            regions=ALL_REGIONS,
            tags=["thought leadership", "forecasting"],
            audience="partner",  # partners open doors with it; no pricing, nothing partner-only
            published_ago=100,
            verify_in=265,
        ),
        Piece(
            title="Commission accounting without the spreadsheet risk: ASC 340-40 and IFRS 15 "
            "for sales compensation",
            summary="White paper for finance leaders: what the standards require, where "
            "spreadsheets break, a worked amortisation example and the controls auditors check.",
            format="white-paper",
            files=[
                _doc(
                    "collateral/Commission-accounting-white-paper.pdf",
                    "Commission accounting without the spreadsheet risk",
                    "White paper",
                    WP_COMMISSIONS,
                    subtitle="A practical guide to ASC 340-40 and IFRS 15 for sales compensation",
                    keywords=["ASC 340-40", "IFRS 15", "capitalisation", "white paper"],
                )
            ],
            owner=CONTENT,
            personas=[CFO, REVOPS],
            stages=[PROSPECTING, DISCOVERY, EVALUATION],
            products=[COMP],
            regions=ALL_REGIONS,
            tags=["thought leadership", "commissions", "ASC 340-40", "IFRS 15"],
            published_ago=160,
            verify_in=200,
        ),
        Piece(
            title="Board-ready revenue planning: an executive brief for UK and European finance "
            "leaders",
            summary="Executive brief (British English): three decisions to optimise forecast "
            "accuracy, commission accounting and incentive design under IFRS 15 and Consumer "
            "Duty.",
            format="executive-brief",
            files=[
                _doc(
                    "collateral/Board-ready-revenue-planning-executive-brief.docx",
                    "Board-ready revenue planning",
                    "Executive brief",
                    EXEC_BRIEF_UK,
                    subtitle="An executive brief for finance leaders in the UK and Europe",
                    language="en-GB",
                    keywords=["executive brief", "IFRS 15", "Consumer Duty", "EMEA"],
                )
            ],
            owner=PMM,
            personas=[CFO],
            stages=[PROSPECTING, DISCOVERY, PROPOSAL],
            products=PRODUCTS,
            industries=[FINSERV, MANUFACTURING],
            regions=[EMEA],
            tags=["executive", "IFRS 15", "Consumer Duty"],
            published_ago=6,
            verify_in=180,
        ),
    ]

    # E-mail templates, talk tracks, objection handlers, FAQ (rep-facing, internal).
    items += [
        Piece(
            title="Prospecting e-mail sequence: the week-six forecast question",
            summary="Four-touch cold sequence for Sales Ops leaders over 15 working days, with "
            "personalisation notes and EMEA compliance rules.",
            format="email-template",
            files=[
                _doc(
                    "collateral/Email-sequence-prospecting-forecast.docx",
                    "Prospecting e-mail sequence: the week-six forecast question",
                    "E-mail template",
                    EMAIL_PROSPECTING,
                    subtitle="Four touches for VP Sales Ops and RevOps leaders",
                    footer=CONFIDENTIAL,
                )
            ],
            owner=CONTENT,
            audience="internal",
            personas=[VPSO, REVOPS],
            stages=[PROSPECTING],
            products=[FORECAST],
            regions=ALL_REGIONS,
            tags=["outbound", "sequence"],
            published_ago=40,
            verify_in=50,
        ),
        Piece(
            title="Post-demo follow-up e-mail templates",
            summary="Recap-and-next-steps e-mails for the day after a first demo: one for Sales "
            "Ops-led demos, one when the CFO attended.",
            format="email-template",
            files=[
                _doc(
                    "collateral/Email-templates-post-demo-follow-up.docx",
                    "Post-demo follow-up e-mail templates",
                    "E-mail template",
                    EMAIL_FOLLOW_UP,
                    subtitle="Send within 24 hours of the first demo",
                    footer=CONFIDENTIAL,
                )
            ],
            owner=CONTENT,
            audience="internal",
            personas=[VPSO, CFO],
            stages=[EVALUATION],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["follow-up", "demo"],
            published_ago=85,
            verify_in=95,
        ),
        Piece(
            title="Renewal and expansion e-mail templates",
            summary="Customer success e-mails from 120 days before renewal: value review, "
            "Territory expansion and the renewal proposal.",
            format="email-template",
            files=[
                _doc(
                    "collateral/Email-templates-renewal-expansion.docx",
                    "Renewal and expansion e-mail templates",
                    "E-mail template",
                    EMAIL_RENEWAL,
                    subtitle="Lead with value delivered, then expansion",
                    footer=CONFIDENTIAL,
                )
            ],
            owner=CONTENT,
            audience="internal",
            personas=[VPSO, CFO],
            stages=[EXPANSION, ONBOARDING],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["renewal", "expansion", "customer success"],
            published_ago=130,
            verify_in=50,
        ),
        Piece(
            title="Discovery call talk track: first meeting with Sales Operations",
            summary="30-minute discovery call: opening, questions on process, impact, ownership "
            "and timing, positioning statement and close.",
            format="talk-track",
            files=[
                _doc(
                    "collateral/Talk-track-discovery-sales-ops.docx",
                    "Discovery call talk track: first meeting with Sales Operations",
                    "Talk track",
                    TALK_DISCOVERY,
                    footer=CONFIDENTIAL,
                )
            ],
            owner=REVIEWER,
            audience="internal",
            personas=[VPSO, REVOPS],
            stages=[DISCOVERY],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["discovery", "qualification"],
            published_ago=70,
            verify_in=110,
        ),
        Piece(
            title="CFO value conversation talk track",
            summary="25-minute proposal-stage conversation with the CFO: finance questions, the "
            "value story in three numbers and the CFO's objections.",
            format="talk-track",
            files=[
                _doc(
                    "collateral/Talk-track-CFO-value-conversation.docx",
                    "CFO value conversation talk track",
                    "Talk track",
                    TALK_CFO,
                    footer=CONFIDENTIAL,
                )
            ],
            owner=REVIEWER,
            audience="internal",
            personas=[CFO],
            stages=[PROPOSAL, NEGOTIATION],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["business case", "executive"],
            published_ago=50,
            verify_in=130,
        ),
        Piece(
            title='Objection handler: "We can keep doing this in spreadsheets"',
            summary="What is behind the spreadsheet objection, questions that reframe it, "
            "evidence (overpayments, statement turnaround) and what not to say.",
            format="objection-handler",
            files=[
                _doc(
                    "competitive/Objection-handler-spreadsheets.pdf",
                    'Objection handler: "We can keep doing this in spreadsheets"',
                    "Objection handler",
                    OBJECTION_SPREADSHEETS,
                    footer=CONFIDENTIAL,
                )
            ],
            owner=PMM,
            audience="internal",
            personas=[CFO, REVOPS],
            stages=[DISCOVERY, EVALUATION],
            products=[COMP, FORECAST],
            regions=ALL_REGIONS,
            tags=["objection", "status quo"],
            published_ago=95,
            verify_in=85,
        ),
        Piece(
            title='Objection handler: "Our CRM already includes forecasting"',
            summary="Answering the bundled-CRM-forecasting objection (Meridian RevCloud): "
            "clarify the tier, offer a side-by-side, proof from Harbourline and Nordvik.",
            format="objection-handler",
            files=[
                _doc(
                    "competitive/Objection-handler-CRM-forecasting.docx",
                    'Objection handler: "Our CRM already includes forecasting"',
                    "Objection handler",
                    OBJECTION_CRM,
                    footer=CONFIDENTIAL,
                )
            ],
            owner=PMM,
            audience="internal",
            personas=[VPSO, SECURITY],
            stages=[DISCOVERY, EVALUATION, NEGOTIATION],
            products=[FORECAST],
            competitors=[MERIDIAN],
            regions=ALL_REGIONS,
            tags=["objection", "bundling"],
            published_ago=35,
            verify_in=55,
        ),
        Piece(
            title="Lumenfield customer FAQ",
            summary="Answers to the questions buyers ask most: products, CRMs, implementation "
            "time, data residency, certifications, data export, pricing and support.",
            format="faq",
            files=[
                _doc(
                    "collateral/Lumenfield-customer-FAQ.docx",
                    "Lumenfield customer FAQ",
                    "FAQ",
                    FAQ,
                    subtitle="Product, implementation, security and commercial questions",
                )
            ],
            owner=REVIEWER,
            personas=[VPSO, SECURITY, PROCUREMENT, REVOPS],
            stages=[EVALUATION, PROPOSAL],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["faq"],
            published_ago=110,
            verify_in=70,
            version=2,
            change_note="Added HubSpot and Dynamics 365 answers; clarified data export formats.",
        ),
    ]

    # Commercial: price lists, ROI calculator, offers.
    items += [
        Piece(
            title="Lumenfield FY27 price list",
            summary="FY27 list prices in USD, EUR and GBP by product and edition, services and "
            "support, and the discount approval guardrails.",
            format="pricing-sheet",
            files=[price_book("FY27", FY27_PRICES, suite=True)],
            owner=ADMIN,
            audience="internal",
            personas=[PROCUREMENT, CFO],
            stages=[PROPOSAL, NEGOTIATION],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["pricing", "FY27", "discounting"],
            published_ago=25,
            expires_in=220,
            verify_in=95,
            version=3,
            change_note="Updated pricing for FY27 (Forecast +4%, Comp unchanged); added the "
            "Suite bundle and the SOC 2 Type II report to Enterprise inclusions.",
        ),
        Piece(
            title="Lumenfield FY26 price list",
            summary="Superseded FY26 list prices, kept for reference on renewals signed under "
            "FY26 terms.",
            format="pricing-sheet",
            files=[price_book("FY26", FY26_PRICES, suite=False)],
            owner=ADMIN,
            status="retired",
            audience="internal",
            personas=[PROCUREMENT],
            stages=[PROPOSAL, NEGOTIATION],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["pricing", "FY26"],
            published_ago=390,
            version=2,
            change_note="Retired: superseded by the FY27 price list.",
        ),
        Piece(
            title="Lumenfield ROI and payback calculator",
            summary="Spreadsheet business case for Forecast and Comp: manager time, "
            "overpayments, admin effort and disputes against subscription and implementation; "
            "payback month and three-year ROI.",
            format="roi-calculator",
            files=[roi_calculator()],
            owner=PMM,
            personas=[CFO, VPSO],
            stages=[EVALUATION, PROPOSAL],
            products=[FORECAST, COMP],
            regions=ALL_REGIONS,
            tags=["ROI", "business case", "payback"],
            published_ago=65,
            verify_in=115,
        ),
        Piece(
            title="Quarter-end offer: Launch implementation included with Suite agreements",
            summary="Three-year Suite agreements signed by the offer date include the Forecast "
            "Launch implementation package (USD 18,000) at no charge.",
            format="one-pager",
            files=[
                _doc(
                    "collateral/Quarter-end-offer-Suite.pdf",
                    "Quarter-end offer: Launch implementation included",
                    "Offer",
                    QUARTER_END_OFFER,
                    subtitle="For three-year Lumenfield Suite agreements signed by {{expires_on}}",
                )
            ],
            owner=PMM,
            personas=[CFO, PROCUREMENT],
            stages=[PROPOSAL, NEGOTIATION],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["offer", "quarter end"],
            published_ago=20,
            expires_in=5,
            verify_in=60,
        ),
        Piece(
            title="Switching from Spireworks: migration services at no cost",
            summary="Offer for Spireworks customers facing the Premier-tier renewal: free "
            "migration of hierarchy and forecast history, one quarter in parallel.",
            format="one-pager",
            files=[
                _doc(
                    "collateral/Spireworks-switch-offer.pdf",
                    "Switching from Spireworks: migration services at no cost",
                    "Offer",
                    SWITCH_OFFER,
                    subtitle="Offer valid for agreements signed by {{expires_on}}",
                )
            ],
            owner=PMM,
            personas=[VPSO, CFO],
            stages=[EVALUATION, NEGOTIATION],
            products=[FORECAST],
            competitors=[SPIREWORKS],
            regions=[NA, APAC],
            tags=["offer", "displacement"],
            published_ago=70,
            expires_in=-9,
            verify_in=20,
        ),
    ]

    # Trust, onboarding, partners.
    items += [
        Piece(
            title="Security and compliance pack: SOC 2 Type II, ISO 27001, GDPR and HIPAA",
            summary="Security overview (certifications, hosting, encryption, access, testing, "
            "resilience, sub-processors) with pre-completed questionnaire answers.",
            format="security-pack",
            files=[
                _doc(
                    "collateral/Lumenfield-security-and-compliance-overview.pdf",
                    "Lumenfield security and compliance overview",
                    "Security and compliance",
                    SECURITY_OVERVIEW,
                    subtitle="SOC 2 Type II, ISO 27001:2022, GDPR and HIPAA",
                    keywords=["security", "SOC 2", "ISO 27001", "GDPR", "HIPAA"],
                ),
                security_questionnaire(),
            ],
            owner=ADMIN,
            personas=[SECURITY, PROCUREMENT],
            stages=[EVALUATION, PROPOSAL, NEGOTIATION],
            products=PRODUCTS,
            industries=[HEALTHCARE, FINSERV, PUBLIC],
            regions=ALL_REGIONS,
            tags=["security", "compliance", "SOC 2", "GDPR", "HIPAA"],
            published_ago=40,
            expires_in=150,
            verify_in=140,
            version=2,
            change_note="Added the SOC 2 Type II report (replaces Type I) and the ISO 27001:2022 "
            "transition; Postmark replaces SendGrid in the sub-processor list.",
        ),
        Piece(
            title="Your first 90 days with Lumenfield: customer onboarding plan",
            summary="Week-by-week onboarding milestones, roles on both sides and the success "
            "criteria for the day-90 review.",
            format="one-pager",
            files=[
                _doc(
                    "collateral/Customer-onboarding-plan-90-days.docx",
                    "Your first 90 days with Lumenfield",
                    "Onboarding plan",
                    ONBOARDING_PLAN,
                    subtitle="Customer onboarding plan",
                )
            ],
            owner=ADMIN,
            personas=[VPSO, REVOPS],
            stages=[WON, ONBOARDING],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["onboarding", "implementation"],
            published_ago=140,
            verify_in=40,
        ),
        Piece(
            title="Lumenfield Partner Network kit",
            summary="Partner kit: ideal customer, one-paragraph positioning, messages by "
            "persona, tiers and margins, deal registration, co-selling play and co-branding "
            "rules, with a three-slide co-selling deck.",
            format="partner-kit",
            files=[
                _doc(
                    "partner/Lumenfield-Partner-Network-kit.docx",
                    "Lumenfield Partner Network kit",
                    "Partner kit",
                    PARTNER_GUIDE,
                    subtitle="Position, sell and deliver Lumenfield. Programme terms valid "
                    "until {{expires_on}}.",
                    footer="Partner-shareable. Programme terms valid until {{expires_on}}.",
                ),
                DeckFile(
                    "partner/Lumenfield-partner-co-selling-deck.pptx",
                    "Selling Lumenfield together",
                    "Partner co-selling deck",
                    PARTNER_SLIDES,
                    cover_notes="For partner enablement sessions and joint first meetings.",
                    keywords=["partner", "co-selling"],
                ),
            ],
            owner=PMM,
            audience="partner",
            personas=[CFO, VPSO, SECURITY, REVOPS, PROCUREMENT],
            stages=[PROSPECTING, DISCOVERY],
            products=PRODUCTS,
            regions=ALL_REGIONS,
            tags=["partner", "channel", "co-branding"],
            published_ago=80,
            expires_in=12,
            verify_in=30,
        ),
    ]

    # Case studies (structured) and a customer reference.
    items += [
        _case(
            MERIDALE,
            "Meridale-Diagnostics-case-study.pdf",
            "Meridale Diagnostics pays 180 sellers two days after month-end, with no PHI in "
            "the compensation system",
            about="Meridale Diagnostics is a clinical laboratory network headquartered in "
            "Columbus, Ohio, with 23 laboratories, 2,400 employees and more than 3,000 "
            "physician-practice clients.",
            region=NA,
            products=[COMP, FORECAST],
            owner=CONTENT,
            personas=[CFO, SECURITY, REVOPS],
            stages=[EVALUATION, PROPOSAL],
            industries=[HEALTHCARE],
            tags=["HIPAA", "BAA", "commissions"],
            published_ago=150,
        ),
        _case(
            KRONTAL,
            "Krontal-Maschinenbau-Fallstudie.pdf",
            "Krontal Maschinenbau plant Vertriebsgebiete in drei statt elf Wochen",
            subtitle="Fallstudie: Gebiets- und Quotenplanung mit Lumenfield Territory und "
            "Lumenfield Forecast",
            about="Die Krontal Maschinenbau GmbH ist ein familiengeführter Hersteller von "
            "Verpackungsmaschinen mit Sitz in Heilbronn, 1.900 Mitarbeitenden und "
            "Niederlassungen in zwölf Ländern.",
            region=EMEA,
            products=[TERRITORY, FORECAST],
            language="de",
            summary="Fallstudie (Deutsch, DACH): Krontal Maschinenbau verkürzt die Gebiets- und "
            "Quotenplanung von elf auf drei Wochen und senkt die Prognoseabweichung auf 6 %.",
            owner=REP_EMEA,
            personas=[VPSO, CFO],
            stages=[EVALUATION, PROPOSAL],
            industries=[MANUFACTURING],
            tags=["DACH", "DSGVO", "territory planning"],
            audience="partner",  # Krontal agreed to be named by partners too (reference list)
            published_ago=45,
        ),
        _case(
            ASHGROVE,
            "Ashgrove-Mutual-case-study.pdf",
            "Ashgrove Mutual: adviser incentives that stand up to Consumer Duty",
            about="Ashgrove Mutual is a member-owned insurer and savings provider based in Leeds, "
            "serving 1.3 million members across the United Kingdom.",
            region=EMEA,
            products=[COMP],
            owner=PMM,
            personas=[CFO, REVOPS],
            stages=[EVALUATION, PROPOSAL],
            industries=[FINSERV],
            tags=["Consumer Duty", "FCA", "UK", "commissions"],
            published_ago=200,
        ),
        _case(
            PELICAN,
            "Pelican-Outfitters-case-study.pdf",
            "Pelican Outfitters balances wholesale territories and almost halves rep attrition",
            about="Pelican Outfitters is an outdoor apparel and footwear brand based in Portland, "
            "Oregon, with 140 stores and wholesale distribution across North America.",
            region=NA,
            products=[TERRITORY, COMP],
            owner=CONTENT,
            personas=[VPSO, REVOPS],
            stages=[DISCOVERY, EVALUATION],
            industries=[RETAIL],
            tags=["territory planning", "attrition"],
            published_ago=260,
        ),
        _case(
            NORDVIK,
            "Nordvik-Energi-case-study.pdf",
            "Nordvik Energi: a state-owned utility forecasts commercial revenue within 4.5%",
            about="Nordvik Energi is a state-owned generator and supplier of renewable power, "
            "headquartered in Bergen, with 3,100 employees.",
            region=EMEA,
            products=[FORECAST],
            replaced=MERIDIAN,
            owner=PMM,
            personas=[CFO, PROCUREMENT],
            stages=[EVALUATION, PROPOSAL],
            industries=[PUBLIC],
            tags=["public tender", "forecasting"],
            published_ago=120,
        ),
        _case(
            TRANSANDES,
            "TransAndes-Logistica-case-study.pdf",
            "TransAndes Logística pays 210 sellers in three currencies in six hours, not six days",
            about="TransAndes Logística is a freight forwarding and contract logistics group "
            "headquartered in Santiago de Chile, moving 180,000 shipments a year.",
            region=LATAM,
            products=[COMP, TERRITORY],
            owner=CONTENT,
            personas=[REVOPS, CFO],
            stages=[EVALUATION, PROPOSAL],
            industries=[LOGISTICS],
            competitors=[QUOTABASE],
            tags=["multi-currency", "commissions"],
            audience="partner",  # on the approved reference list for partners
            published_ago=90,
        ),
        _case(
            BRIGHTCASK,
            "Brightcask-case-study.pdf",
            "Brightcask replaces Spireworks forecasting and reaches payback in seven months",
            about="Brightcask is a Singapore-headquartered software company whose inventory and "
            "purchasing platform is used by 2,600 hotels and restaurant groups in Asia-Pacific.",
            region=APAC,
            products=[FORECAST],
            replaced=SPIREWORKS,
            owner=PMM,
            personas=[CFO, VPSO],
            stages=[EVALUATION, PROPOSAL, NEGOTIATION],
            industries=[SOFTWARE],
            tags=["displacement", "forecasting", "payback"],
            audience="partner",  # on the approved reference list for partners
            published_ago=60,
        ),
        _case(
            SOUTHERN_CROSS,
            "Southern-Cross-Telecom-case-study.pdf",
            "Southern Cross Telecom moves 1,400 payees off Quotabase and cuts disputes by 64%",
            about="Southern Cross Telecom is an Australian telecommunications provider with 2.1 "
            "million customers and 190 retail stores.",
            region=APAC,
            products=[COMP],
            replaced=QUOTABASE,
            owner=CONTENT,
            personas=[REVOPS, CFO],
            stages=[EVALUATION, PROPOSAL],
            industries=[TELECOM],
            tags=["displacement", "AASB 15", "commissions"],
            published_ago=1,
        ),
        _case(
            HARBOURLINE,
            "Harbourline-Insurance-case-study.pdf",
            "Harbourline Insurance: a four-quarter backtest made the case for Lumenfield Forecast",
            about="Harbourline Insurance is a Halifax-based insurer providing group benefits and "
            "commercial coverage to 9,000 Canadian employers.",
            region=NA,
            products=[FORECAST],
            replaced=MERIDIAN,
            owner=PMM,
            personas=[CFO, VPSO],
            stages=[EVALUATION, PROPOSAL],
            industries=[FINSERV],
            tags=["backtest", "forecasting"],
            published_ago=400,
        ),
        _case(
            CALLOWAY,
            "Calloway-Medical-Devices-case-study.pdf",
            "Calloway Medical Devices aligns 300 territories with how hospitals buy",
            about="Calloway Medical Devices is a Minneapolis-based manufacturer of surgical "
            "devices with 4,200 employees and sales in 28 countries.",
            region=NA,
            products=[TERRITORY],
            owner=CONTENT,
            status="in-review",
            personas=[VPSO, REVOPS],
            stages=[DISCOVERY, EVALUATION],
            industries=[HEALTHCARE, MANUFACTURING],
            tags=["territory planning", "medical devices"],
        ),
    ]
    ref_doc = case_study_doc(
        "case-studies/Brightcask-CFO-reference.pdf",
        "Customer reference: Brightcask's CFO on payback",
        "Quote sheet and reference-call rules",
        REFERENCE_BRIGHTCASK,
        about="Brightcask is a Singapore-headquartered software company; see the full case "
        "study for details.",
        region=APAC,
        products=[FORECAST],
        replaced=SPIREWORKS,
        label="Customer reference",
    )
    ref_doc.blocks += REFERENCE_RULES
    ref_doc.footer = CONFIDENTIAL
    items.append(
        Piece(
            title="Customer reference: Brightcask's CFO on payback",
            summary="Approved CFO quote on payback (seven months) and cost versus Spireworks, "
            "with the rules for requesting a reference call.",
            format="customer-reference",
            files=[ref_doc],
            owner=REVIEWER,
            audience="internal",
            personas=[CFO],
            stages=[PROPOSAL, NEGOTIATION],
            products=[FORECAST],
            industries=[SOFTWARE],
            regions=[APAC, NA],
            competitors=[SPIREWORKS],
            tags=["reference", "payback"],
            case_study=REFERENCE_BRIGHTCASK,
            published_ago=58,
        )
    )

    # Competitor insight: battle cards and updates.
    items += [
        _battle(
            SPIREWORKS,
            SPIREWORKS_OVERVIEW,
            SPIREWORKS_CARD,
            owner=PMM,
            personas=[VPSO, CFO],
            products=[FORECAST, COMP],
            tags=["battle card", "enterprise"],
            published_ago=200,
            last_verified_ago=20,
            version=3,
            change_note="Added the Premier-tier packaging change, the platform fee and the "
            "Brightcask proof point.",
        ),
        _battle(
            QUOTABASE,
            QUOTABASE_OVERVIEW,
            QUOTABASE_CARD,
            owner=PMM,
            personas=[REVOPS, CFO],
            products=[COMP],
            tags=["battle card", "mid-market"],
            published_ago=240,
            last_verified_ago=75,
        ),
        _battle(
            MERIDIAN,
            MERIDIAN_OVERVIEW,
            MERIDIAN_CARD,
            owner=PMM,
            personas=[VPSO, SECURITY],
            products=[FORECAST],
            tags=["battle card", "bundling"],
            published_ago=120,
            last_verified_ago=9,
            version=2,
            change_note="Meridian bundled forecasting into its Enterprise CRM tier; new pricing "
            "notes and landmine questions.",
        ),
        Piece(
            title="Competitive update: Spireworks raises prices and moves forecasting to Premier",
            summary="Spireworks list prices up ~12%, forecasting now Premier-only, new platform "
            "fee above 250 users: what it means and what to do this week.",
            format="competitive-update",
            files=[
                _doc(
                    "competitive/Update-Spireworks-pricing-and-packaging.pdf",
                    "Competitive update: Spireworks raises prices and moves forecasting to Premier",
                    "Competitive update",
                    UPDATE_SPIREWORKS,
                    footer=CONFIDENTIAL,
                )
            ],
            owner=PMM,
            audience="internal",
            personas=[VPSO, CFO],
            stages=[EVALUATION, NEGOTIATION, LOST, EXPANSION],
            products=[FORECAST],
            competitors=[SPIREWORKS],
            regions=ALL_REGIONS,
            tags=["pricing change", "packaging"],
            published_ago=3,
            verify_in=60,
        ),
        Piece(
            title="Competitive update: Quotabase launches Forecast Lite (beta)",
            summary="What Quotabase's Forecast Lite beta does and does not do, how to position "
            "against it and a talk track.",
            format="competitive-update",
            files=[
                _doc(
                    "competitive/Update-Quotabase-Forecast-Lite.docx",
                    "Competitive update: Quotabase launches Forecast Lite (beta)",
                    "Competitive update",
                    UPDATE_QUOTABASE,
                    footer=CONFIDENTIAL,
                )
            ],
            owner=PMM,
            audience="internal",
            personas=[REVOPS, VPSO],
            stages=[EVALUATION],
            products=[FORECAST, COMP],
            competitors=[QUOTABASE],
            regions=ALL_REGIONS,
            tags=["product launch"],
            published_ago=16,
            verify_in=45,
        ),
        Piece(
            title="Competitive update: Meridian RevCloud spring release, first look",
            summary="Draft first look at Meridian's spring release: pipeline inspection view, "
            "prediction score, open questions to verify.",
            format="competitive-update",
            files=[
                _doc(
                    "competitive/Update-Meridian-spring-release.pdf",
                    "Competitive update: Meridian RevCloud spring release, first look",
                    "Competitive update (draft)",
                    UPDATE_MERIDIAN,
                    footer="DRAFT - " + CONFIDENTIAL,
                )
            ],
            owner=PMM,
            status="draft",
            audience="internal",
            personas=[VPSO],
            stages=[EVALUATION],
            products=[FORECAST],
            competitors=[MERIDIAN],
            regions=ALL_REGIONS,
            tags=["product launch"],
        ),
    ]
    return items
