"""Administration: the audit log (browse, filter, CSV export) and user accounts. Admins only."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
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
from .i18n import MESSAGES, t
from .ids import parse_id

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50

MESSAGES.update(
    {
        "admin.audit": {"ja": "監査ログ", "en": "Audit log"},
        "admin.users": {"ja": "利用者管理", "en": "Users"},
        "admin.filter": {"ja": "絞り込み", "en": "Filter"},
        "admin.export_csv": {"ja": "CSVで書き出す", "en": "Export as CSV"},
        "admin.action": {"ja": "操作", "en": "Action"},
        "admin.action_hint": {"ja": "例: auth.login、auth.（前方一致）", "en": "e.g. auth.login, or auth. for a prefix"},
        "admin.actor": {"ja": "操作者（ID またはメール）", "en": "Actor (id or e-mail)"},
        "admin.object_type": {"ja": "対象の種類", "en": "Object type"},
        "admin.object_id": {"ja": "対象ID", "en": "Object id"},
        "admin.date_from": {"ja": "開始日（UTC）", "en": "From (UTC)"},
        "admin.date_to": {"ja": "終了日（UTC）", "en": "To (UTC)"},
        "admin.at": {"ja": "日時（UTC）", "en": "Time (UTC)"},
        "admin.details": {"ja": "詳細", "en": "Details"},
        "admin.none": {"ja": "該当なし", "en": "Nothing found"},
        "admin.page": {"ja": "ページ", "en": "Page"},
        "admin.prev": {"ja": "前へ", "en": "Previous"},
        "admin.next": {"ja": "次へ", "en": "Next"},
        "admin.unknown_actor": {"ja": "該当する利用者がいません。", "en": "No such user."},
        "admin.bad_input": {"ja": "入力内容を確認してください。", "en": "Please check the values entered."},
        "admin.email": {"ja": "メール", "en": "E-mail"},
        "admin.name": {"ja": "表示名", "en": "Name"},
        "admin.role": {"ja": "役割", "en": "Role"},
        "admin.queue": {"ja": "キュー", "en": "Queue"},
        "admin.active": {"ja": "有効", "en": "Active"},
        "admin.inactive": {"ja": "無効", "en": "Deactivated"},
        "admin.last_login": {"ja": "最終ログイン", "en": "Last login"},
        "admin.save_role": {"ja": "役割を変更", "en": "Change role"},
        "admin.deactivate": {"ja": "無効化", "en": "Deactivate"},
        "admin.role_changed": {"ja": "役割を変更しました。", "en": "The role was changed."},
        "admin.deactivated": {"ja": "アカウントを無効化しました。", "en": "The account was deactivated."},
        "role.researcher": {"ja": "研究者", "en": "Researcher"},
        "role.desk_agent": {"ja": "窓口担当", "en": "Desk agent"},
        "role.fa_agent": {"ja": "FA担当", "en": "Funding-agency agent"},
        "role.ministry_agent": {"ja": "府省担当", "en": "Ministry agent"},
        "role.curator": {"ja": "コンテンツ管理", "en": "Curator"},
        "role.admin": {"ja": "管理者", "en": "Administrator"},
    }
)


@bp.before_request
def _admins_only():
    return deny_unless_role(ADMIN)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    action = StringField(validators=[Optional(), Length(max=64, message="auth.too_long")])
    actor = StringField(validators=[Optional(), Length(max=254, message="auth.too_long")])
    object_type = StringField(validators=[Optional(), Length(max=40, message="auth.too_long")])
    object_id = StringField(validators=[Optional(), Length(max=64, message="auth.too_long")])
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
            form.actor.errors.append("admin.unknown_actor")
            return None
        actor_id = user.id
    return AuditFilter(
        action=(form.action.data or "").strip() or None,
        actor_id=actor_id,
        object_type=(form.object_type.data or "").strip() or None,
        object_id=(form.object_id.data or "").strip() or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
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
        return respond("bad_filter", t("admin.bad_input"), 400)
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
        form.role.choices = [SelectChoice(role, t(f"role.{role}")) for role in ROLES]
    return render_template("admin/users.html", people=people, role_forms=forms)


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        flash(t("admin.bad_input"), "error")
        return redirect(url_for(".users"), 303)
    return _apply(lambda: service.change_role(user, form.role.data, form.queue.data, actor=current_user),
                  "admin.role_changed")


@bp.post("/users/<int:user_id>/deactivate")
def deactivate(user_id: int):
    user = db.get_or_404(User, user_id)  # the CSRF token was checked by CSRFProtect
    return _apply(lambda: service.deactivate(user, actor=current_user), "admin.deactivated")


def _apply(change, done_key: str):
    try:
        change()
    except AccountError as exc:
        db.session.rollback()
        flash(exc.message(), "error")
    else:
        db.session.commit()
        flash(t(done_key), "success")
    return redirect(url_for(".users"), 303)
