"""People and roles: who may do what in a library (Qt-free).

    users.require(lib, "approve", "approve items")   # raises PermissionDenied with a sentence
    if users.can(lib, "edit"): ...

The current person is `lib.actor` ($FRONTLINE_USER, else the operating-system user). It matches a
user of the library by name or e-mail, ignoring case. Rules for people the library does not know:

- whoever creates a library becomes its admin;
- opening a library that has no admin (one made before roles existed) makes the opener admin;
- anyone else is registered as a rep (least privilege) when they first open the library; an admin
  gives them another role with `main.py user set-role NAME ROLE`.

Roles are guard rails enforced by every service (CLI, desktop app, exporters), not security
against someone who can edit library.db with other tools.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from library.errors import InvalidInput, LibraryError, NotFound
from library.models import Meta, User, utcnow
from library.values import UserInfo
from library.vocab import Role, canonical

if TYPE_CHECKING:
    from library.core import Library

# Permission names (see /README "Roles"): what each role may do.
VIEW_ALL = "view-all"  # drafts, items in review, retired, expired and scheduled items
EDIT = "edit"  # import, edit content and metadata, replace files, restore versions
SUBMIT = "submit"  # draft -> in review
APPROVE = "approve"  # approve, reject, schedule a publish date
RETIRE = "retire"  # retire, reopen
VERIFY = "verify"  # re-verify an item (moves its verify-by date)
TAXONOMY = "taxonomy"  # rename/merge taxonomy values, create personas and stages
USERS = "users"  # add people, change roles
AUDIT = "audit"  # the whole audit log and its CSV export
QUEUE = "queue"  # see every flag and request, answer and close them
FEEDBACK = "feedback"  # flag an item, request content
EXPORT = "export"  # leave-behinds and packs (share rules still apply)

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {VIEW_ALL, EDIT, SUBMIT, APPROVE, RETIRE, VERIFY, TAXONOMY, USERS, AUDIT, QUEUE}
        | {FEEDBACK, EXPORT}
    ),
    Role.MARKETER: frozenset(
        {VIEW_ALL, EDIT, SUBMIT, APPROVE, RETIRE, VERIFY, AUDIT, QUEUE, FEEDBACK, EXPORT}
    ),
    Role.REVIEWER: frozenset({VIEW_ALL, SUBMIT, APPROVE, VERIFY, AUDIT, FEEDBACK, EXPORT}),
    Role.REP: frozenset({FEEDBACK, EXPORT}),
    Role.PARTNER: frozenset({FEEDBACK, EXPORT}),
}
ALL_PERMISSIONS: tuple[str, ...] = (
    VIEW_ALL,
    EDIT,
    SUBMIT,
    APPROVE,
    RETIRE,
    VERIFY,
    TAXONOMY,
    USERS,
    AUDIT,
    QUEUE,
    FEEDBACK,
    EXPORT,
)
# What a refusal says the action is, when the caller gives no wording of its own.
_ACTIONS: dict[str, str] = {
    VIEW_ALL: "see drafts, retired or expired items",
    EDIT: "edit items",
    SUBMIT: "submit items for review",
    APPROVE: "approve items",
    RETIRE: "retire items",
    VERIFY: "verify items",
    TAXONOMY: "edit taxonomies",
    USERS: "manage people and roles",
    AUDIT: "read the audit log",
    QUEUE: "manage the feedback queue",
    FEEDBACK: "send feedback",
    EXPORT: "export items",
}
FALLBACK_NAME = "local user"  # when neither $FRONTLINE_USER nor the OS user name is known
_USER_FIELDS = ("title", "email", "phone", "region")


class PermissionDenied(LibraryError):
    """The current user's role does not allow this; the message names the user, role and rule."""


def actor_name(lib: Library) -> str:
    return " ".join((lib.actor or "").split()) or FALLBACK_NAME


def _session_of(lib_or_session: Library | Session) -> tuple[Session | None, Library | None]:
    if isinstance(lib_or_session, Session):
        return lib_or_session, None
    return None, lib_or_session


def find_user(session: Session, name: str) -> User | None:
    """The user whose name or e-mail is `name` (case-insensitive), or None."""
    name = " ".join(name.split())
    if not name:
        return None
    exact = session.scalar(select(User).where(User.name == name))
    if exact is not None:
        return exact
    folded = name.casefold()
    return session.scalar(
        select(User)
        .where((func.lower(User.name) == folded) | (func.lower(User.email) == folded))
        .order_by(User.id)
        .limit(1)
    )


def role_of(lib_or_session: Library | Session, name: str | None = None) -> str:
    """The role of `name` (default: the current user). Unknown people are reps. Read-only.

    With a session, `name` is required (a session does not know who is acting)."""
    session, lib = _session_of(lib_or_session)
    if session is None:
        assert lib is not None
        who = name if name is not None else actor_name(lib)
        with lib.reader() as s:
            return _role(s, who)
    if name is None:
        raise ValueError("role_of(session) needs the user's name")
    return _role(session, name)


def _role(session: Session, name: str) -> str:
    user = find_user(session, name)
    if user is None:
        return Role.REP.value
    try:
        return Role(user.role).value
    except ValueError:  # a role written by a newer Frontline: least privilege
        return Role.REP.value


def can(lib_or_session: Library | Session, permission: str, name: str | None = None) -> bool:
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission in PERMISSIONS[Role(role_of(lib_or_session, name))]


def require(
    lib: Library, permission: str, action: str = "", *, session: Session | None = None
) -> str:
    """Raise PermissionDenied unless the current user may `permission`. Returns the user's role.

    `action` completes "only ... can <action>" (default: a wording of the permission)."""
    who = actor_name(lib)
    role = role_of(session, who) if session is not None else role_of(lib, who)
    if permission not in PERMISSIONS[Role(role)]:
        raise PermissionDenied(denied_message(who, role, permission, action))
    return role


def denied_message(who: str, role: str, permission: str, action: str = "") -> str:
    allowed = [r.value for r in Role if permission in PERMISSIONS[r]]
    plural = {"admin": "admins", "marketer": "marketers", "reviewer": "reviewers"}
    names = [plural.get(r, r + "s") for r in allowed]
    who_can = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    article = "an" if role[:1] in "aeiou" else "a"
    return f"{who} is {article} {role}; only {who_can} can {action or _ACTIONS[permission]}."


# -- people ------------------------------------------------------------------------------------
def info(user: User) -> UserInfo:
    return UserInfo(
        name=user.name,
        title=user.title,
        email=user.email,
        phone=user.phone,
        region=user.region,
        role=user.role,
        created_at=user.created_at,
    )


def bootstrap(lib: Library, *, creator: bool = False) -> None:
    """Register the current user: admin when creating the library or when it has no admin,
    rep otherwise. Writes only when something changes."""
    who = actor_name(lib)
    with lib.reader() as s:
        user = find_user(s, who)
        has_admin = s.scalar(select(User.id).where(User.role == Role.ADMIN.value).limit(1))
    if user is not None and (has_admin is not None or user.role == Role.ADMIN):
        return
    with lib.transaction() as s:
        user = find_user(s, who)
        has_admin = s.scalar(select(User.id).where(User.role == Role.ADMIN.value).limit(1))
        if creator:  # the library's first fact: who made it (meta created_by), no log noise
            if user is None:
                user = User(name=who, role=Role.ADMIN.value)
                s.add(user)
            user.role = Role.ADMIN.value
            s.merge(Meta(key="created_by", value=who))
            return
        if user is None:
            user = User(name=who, role=Role.REP.value)
            s.add(user)
            s.flush()
            lib.record(s, "user-registered", None, actor=who, user=who, role=user.role)
        if has_admin is None and user.role != Role.ADMIN:
            old = user.role
            user.role = Role.ADMIN.value
            why = "first user of a library with no admin"
            lib.record(s, "role", None, actor=who, user=who, old=old, new="admin", reason=why)


def current_user(lib: Library) -> UserInfo:
    """The person using the library now (registered as a rep when unknown)."""
    bootstrap(lib)
    with lib.reader() as s:
        user = find_user(s, actor_name(lib))
        assert user is not None
        return info(user)


def list_users(lib: Library) -> list[UserInfo]:
    with lib.reader() as s:
        return [info(u) for u in s.scalars(select(User).order_by(User.name))]


def parse_role(text: str) -> str:
    try:
        return canonical(Role, text).value
    except ValueError as e:
        raise InvalidInput(str(e)) from None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def check_email(email: str) -> None:
    """InvalidInput unless `email` is empty or looks like an address (it is printed on
    leave-behinds, where a typo reaches a customer)."""
    email = email.strip()
    if email and not _EMAIL.fullmatch(email):
        raise InvalidInput(f"'{email}' is not an e-mail address (name@example.com).")


def add_user(
    lib: Library,
    name: str,
    role: str = Role.REP.value,
    *,
    title: str = "",
    email: str = "",
    phone: str = "",
    region: str = "",
) -> UserInfo:
    """Add a person (admins only). Raises InvalidInput when the name is taken or empty."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("A user needs a name.")
    role = parse_role(role)
    check_email(email)
    with lib.transaction() as s:
        require(lib, USERS, session=s)
        if s.scalar(select(User).where(func.lower(User.name) == name.casefold())) is not None:
            raise InvalidInput(
                f"There is already a user named '{name}' (change it with 'user set-role' or "
                "'user update')."
            )
        user = User(
            name=name,
            role=role,
            title=title.strip(),
            email=email.strip(),
            phone=phone.strip(),
            region=region.strip(),
            created_at=utcnow(),
        )
        s.add(user)
        s.flush()
        lib.record(s, "user-added", None, user=name, role=role)
        return info(user)


def _get(session: Session, name: str) -> User:
    user = find_user(session, name)
    if user is None:
        raise NotFound(f"No user named '{name}' in this library (see 'main.py user list').")
    return user


def update_user(lib: Library, name: str, **fields: str) -> UserInfo:
    """Change a person's title, email, phone or region: admins for anyone, others for
    themselves (their details are printed on leave-behinds)."""
    bad = [f for f in fields if f not in _USER_FIELDS]
    if bad:
        raise InvalidInput(f"'{bad[0]}' is not a user field (use {', '.join(_USER_FIELDS)}).")
    if "email" in fields:
        check_email(str(fields["email"]))
    with lib.transaction() as s:
        user = _get(s, name)
        me = find_user(s, actor_name(lib))
        if me is None or me.id != user.id:
            require(lib, USERS, "change other people's details", session=s)
        changed = {}
        for f, v in fields.items():
            v = " ".join(str(v).split())
            if getattr(user, f) != v:
                setattr(user, f, v)
                changed[f] = v
        if changed:
            lib.record(s, "user-updated", None, user=user.name, changes=changed)
        return info(user)


def set_role(lib: Library, name: str, role: str) -> UserInfo:
    """Give a person another role (admins only). The last admin cannot be demoted."""
    role = parse_role(role)
    with lib.transaction() as s:
        require(lib, USERS, "change roles", session=s)
        user = _get(s, name)
        if user.role == role:
            return info(user)
        if user.role == Role.ADMIN:
            admins = s.scalar(
                select(func.count()).select_from(User).where(User.role == Role.ADMIN.value)
            )
            if int(admins or 0) <= 1:
                raise InvalidInput(
                    f"{user.name} is the only admin of this library; make someone else admin first."
                )
        old, user.role = user.role, role
        lib.record(s, "role", None, user=user.name, old=old, new=role)
        return info(user)


def user_by_name(session: Session, name: str, *, create: bool = True) -> User | None:
    """The user named `name` (or whose e-mail it is); created as a rep when missing and
    `create` (owners typed on an item become known people with the least privilege)."""
    name = " ".join(name.split())
    if not name:
        return None
    user = find_user(session, name)
    if user is None and create:
        user = User(name=name, role=Role.REP.value)
        session.add(user)
        session.flush()
    return user
