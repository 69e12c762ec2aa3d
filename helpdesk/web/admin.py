"""Administration: the audit log (browse, filter, CSV export) and user accounts. Admins only."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import get_timezone
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from helpdesk import audit
from helpdesk.accounts import service
from helpdesk.accounts.access import deny_unless_role
from helpdesk.accounts.errors import AccountError
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import ADMIN, ASSIGNABLE_QUEUES, ROLES
from helpdesk.audit.export import csv_lines
from helpdesk.audit.query import AuditFilter
from helpdesk.extensions import db

from .api.errors import respond
from .i18n import TOO_LONG, _, _l
from .ids import parse_id

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.before_request
def _admins_only():
    return deny_unless_role(ADMIN)

ROLE_NAMES = {
    "researcher": _l("Researcher"),
    "desk_agent": _l("Desk agent"),
    "fa_agent": _l("Funding-agency agent"),
    "ministry_agent": _l("Ministry agent"),
    "curator": _l("Curator"),
    "admin": _l("Administrator"),
}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    action = StringField(validators=[Optional(), Length(max=64, message=TOO_LONG)])
    actor = StringField(validators=[Optional(), Length(max=254, message=TOO_LONG)])
    object_type = StringField(validators=[Optional(), Length(max=40, message=TOO_LONG)])
    object_id = StringField(validators=[Optional(), Length(max=64, message=TOO_LONG)])
    date_from = DateField(validators=[Optional()])
    date_to = DateField(validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1_000_000)])


class RoleForm(FlaskForm):
    role = SelectField(choices=list(ROLES))
    queue = SelectField(choices=[SelectChoice("", "—"), *ASSIGNABLE_QUEUES])


def _audit_filter(form: AuditFilterForm) -> AuditFilter | None:
    """The filter the form asks for, or None (with the form's errors set) when it is unusable."""
    if not form.validate():
        return None
    actor_id = None
    actor = (form.actor.data or "").strip()
    if actor:
        if actor.isdigit():  # an id; one out of range (or in non-ASCII digits) names nobody
            user_id = parse_id(actor)
            user = db.session.get(User, user_id) if user_id else None
        else:
            user = service.find_by_email(actor)
        if user is None:
            form.actor.errors.append(_l("No such user."))
            return None
        actor_id = user.id
    return AuditFilter(
        action=(form.action.data or "").strip() or None,
        actor_id=actor_id,
        object_type=(form.object_type.data or "").strip() or None,
        object_id=(form.object_id.data or "").strip() or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        zone=ZoneInfo(str(get_timezone())),  # Flask-Babel's zone is pytz's; the filter takes a zoneinfo
    )


@bp.get("/")
def home():
    """Where administrators land after logging in."""
    return redirect(url_for("admin.audit_log"))


@bp.get("/audit")
def audit_log():
    form = AuditFilterForm(request.args)
    wanted = _audit_filter(form)
    if wanted is None:
        return render_template("admin/audit.html", form=form, page=None, actors={}), 400
    page = db.paginate(wanted.statement(), page=form.page.data or 1, per_page=PER_PAGE, error_out=False)
    actor_ids = {event.actor_id for event in page.items if event.actor_id is not None}
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
    return render_template("admin/audit.html", form=form, page=page, actors=actors)


@bp.get("/audit.csv")
def audit_csv():
    form = AuditFilterForm(request.args)
    wanted = _audit_filter(form)
    if wanted is None:
        return respond("bad_filter", _("Please check the values entered."), 400)
    # Who took a copy of the log is itself worth knowing; the filter values are not stored.
    audit.record("audit.exported", "audit_event", None, {"filters": wanted.used()})
    db.session.commit()

    def lines():  # queried inside the stream: the request's own session is closed by then
        yield from csv_lines(db.session.execute(wanted.statement().execution_options(yield_per=500)).scalars())

    filename = f"audit-{date.today():%Y%m%d}.csv"
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/users")
def users():
    people = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    forms = {u.id: RoleForm(prefix=f"u{u.id}", role=u.role, queue=u.queue or "") for u in people}
    for form in forms.values():
        form.role.choices = [SelectChoice(role, ROLE_NAMES[role]) for role in ROLES]
    return render_template("admin/users.html", people=people, role_forms=forms)


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        flash(_("Please check the values entered."), "error")
        return redirect(url_for(".users"), 303)
    return _apply(lambda: service.change_role(user, form.role.data, form.queue.data, actor=current_user),
                  _l("The role was changed."))


@bp.post("/users/<int:user_id>/deactivate")
def deactivate(user_id: int):
    user = db.get_or_404(User, user_id)  # the CSRF token was checked by CSRFProtect
    return _apply(lambda: service.deactivate(user, actor=current_user), _l("The account was deactivated."))


def _apply(change, done):
    try:
        change()
    except AccountError as exc:
        db.session.rollback()
        flash(exc.message(), "error")
    else:
        db.session.commit()
        flash(str(done), "success")
    return redirect(url_for(".users"), 303)


def _texts(errors: dict) -> dict:
    """Form errors (lazy messages) as JSON-ready text."""
    return {field: [str(message) for message in messages] for field, messages in errors.items()}
