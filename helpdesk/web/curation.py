"""Curation: desk FAQ entries (editor, review, revisions), drafts from tickets, the content-gap report.

Curators and admins only. Thin views: the rules live in helpdesk.curation.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from helpdesk.accounts.access import deny_unless_role
from helpdesk.accounts.roles import ADMIN, CURATOR
from helpdesk.answering.conversations import desk_entry_usage
from helpdesk.audit import record
from helpdesk.corpus import load_corpus
from helpdesk.curation import drafts, gaps, messages, search_sync, sources, workflow
from helpdesk.curation.content import MAX_ANSWER, Content, ContentError, check_columns
from helpdesk.curation.diff import revision_diff
from helpdesk.curation.errors import CurationError
from helpdesk.curation.markup import render_markdown
from helpdesk.curation.messages import error_text
from helpdesk.curation.models import LANGS, STATUSES, FaqEntry
from helpdesk.extensions import db
from helpdesk.tickets import Ticket
from helpdesk.tickets.service import plausible_ref

from .api.errors import respond
from .csrf_failure import keeps_input
from .i18n import _, _l

bp = Blueprint("curation", __name__, url_prefix="/curation")
bp.record_once(lambda state: search_sync.init_app(state.app))
CURATORS = (CURATOR, ADMIN)


@bp.before_request
def _curators_only():
    return deny_unless_role(*CURATORS)


@bp.app_template_filter("faq_html")
def faq_html(markdown_text: str | None) -> Markup:
    return Markup(render_markdown(markdown_text or ""))  # noqa: S704 render_markdown sanitises with nh3


@bp.app_context_processor
def _labels():
    return {"curation_status": messages.STATUS, "curation_language": messages.LANGUAGE,
            "curation_only_in": messages.ONLY_IN, "gap_kind": messages.GAP_KIND}


@bp.app_template_global("desk_faq_for_ticket")
def desk_faq_for_ticket(ticket_id: int) -> FaqEntry | None:
    """The FAQ entry drafted from a ticket (for the staff ticket page)."""
    return drafts.entry_for_ticket(ticket_id)


@bp.app_template_global("faq_languages")
def faq_languages(revision) -> tuple[str, ...]:
    """The languages a revision is written in (the list passes what readers get: the published one)."""
    return Content.of(revision).languages


@bp.app_template_global("revision_versions")
def revision_versions(revision) -> list[tuple[str, object]]:
    """(lang, Version or None) for both languages of a revision, Japanese first."""
    content = Content.of(revision)
    return [(lang, content.version(lang)) for lang in LANGS]


class EntryForm(FlaskForm):
    """The editor: a Japanese and an English column (question, phrasings, answer), then what both share."""

    slug = StringField()
    question = TextAreaField()
    alternatives = TextAreaField()
    answer = TextAreaField()
    question_en = TextAreaField()
    alternatives_en = TextAreaField()
    answer_en = TextAreaField()
    related = TextAreaField()
    tags = StringField()
    # The revision the editor started from: a save on top of someone else's newer save is refused.
    base_revision = IntegerField(validators=[Optional()])
    origin = HiddenField(default="edit")

    _COLUMNS = {"ja": ("question", "alternatives", "answer"), "en": ("question_en", "alternatives_en", "answer_en")}

    def column(self, lang: str) -> dict:
        return {name.removesuffix("_en"): getattr(self, name).data for name in self._COLUMNS[lang]}

    def content(self) -> Content:
        return check_columns(ja=self.column("ja"), en=self.column("en"), related=self.related.data,
                             tags=self.tags.data, corpus=load_corpus())

    def show(self, error: ContentError) -> None:
        for name, items in error.errors.items():
            getattr(self, name).errors = [error_text(key, **values) for key, values in items]


class ActionForm(FlaskForm):
    """The CSRF-protected form behind every workflow button."""


class PreviewForm(FlaskForm):
    answer = TextAreaField()


class GapFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET report changes nothing

    days = IntegerField(validators=[Optional(), NumberRange(min=1, max=3650)], default=90)


def _entry(entry_id: int) -> FaqEntry:
    return db.get_or_404(FaqEntry, entry_id)


def _fill(form: EntryForm, content: Content) -> None:
    for lang, names in EntryForm._COLUMNS.items():
        version = content.version(lang)
        question, alternatives, answer = (getattr(form, name) for name in names)
        question.data = version.question if version else ""
        alternatives.data = "\n".join(version.alternatives) if version else ""
        answer.data = version.answer if version else ""
    form.related.data = "\n".join(content.related)
    form.tags.data = ", ".join(content.tags)


@bp.get("/")
def index():
    status = request.args.get("status")
    query = select(FaqEntry).order_by(FaqEntry.updated_at.desc())
    if status in STATUSES:
        query = query.where(FaqEntry.status == status)
    return render_template("curation/index.html", entries=db.session.scalars(query).all(), status=status,
                           statuses=STATUSES, usage=desk_entry_usage())


def _editor(form: EntryForm, entry: FaqEntry | None = None, status: int = 200):
    # render_markdown sanitises with nh3
    previews = {"ja": Markup(render_markdown(form.answer.data or "")),  # noqa: S704
                "en": Markup(render_markdown(form.answer_en.data or ""))}  # noqa: S704
    return render_template("curation/edit.html", form=form, entry=entry, previews=previews,
                           max_answer=MAX_ANSWER), status


@bp.route("/new", methods=["GET", "POST"])
@keeps_input
def new():
    form = EntryForm()
    if request.method == "GET":
        prefill = drafts.prefill_from_sources(request.args.getlist("source"))
        if prefill["question"]:
            form.question.data, form.alternatives.data = prefill["question"], prefill["alternatives"]
            form.origin.data = "gap"
        return _editor(form)
    if not form.validate_on_submit():
        return _editor(form, status=400)
    if request.form.get("action") == "preview":
        return _editor(form)
    try:
        entry = workflow.create_entry(form.content(), current_user, slug=(form.slug.data or "").strip() or None,
                                      origin="gap" if form.origin.data == "gap" else "edit")
    except ContentError as exc:
        form.show(exc)
        return _editor(form, status=400)
    db.session.commit()
    flash(_("Saved as a new revision."), "success")
    return redirect(url_for(".entry", entry_id=entry.id), 303)


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@keeps_input
def edit(entry_id: int):
    entry = _entry(entry_id)
    current = workflow.current_revision(entry)
    form = EntryForm()
    if request.method == "GET":
        _fill(form, Content.of(current))
        form.base_revision.data = current.number
        return _editor(form, entry)
    if not form.validate_on_submit():
        return _editor(form, entry, 400)
    if request.form.get("action") == "preview":
        return _editor(form, entry)
    if form.base_revision.data != current.number:
        flash(_("Someone else saved meanwhile. Your text is kept below; check the latest revision, then save "
                "again."), "error")
        return _editor(form, entry, 409)
    try:
        revision = workflow.save(entry, form.content(), current_user)
    except ContentError as exc:
        form.show(exc)
        return _editor(form, entry, 400)
    except workflow.WorkflowError as exc:
        flash(exc.message(), "error")
        return _editor(form, entry, 409)
    db.session.commit()
    flash(_("Saved as a new revision.") if revision else _("Nothing changed."), "success")
    return redirect(url_for(".entry", entry_id=entry.id), 303)


@bp.post("/preview")
def preview():
    """The answer as readers will see it: rendered and sanitised by the server (JSON for the editor's JS)."""
    form = PreviewForm()
    if not form.validate_on_submit():
        return respond("bad_request", _('The preview could not be made.'), 400)
    if len(form.answer.data or "") > MAX_ANSWER:
        return respond("too_long", _('At most {limit} characters.').format(limit=MAX_ANSWER), 400)
    return jsonify(html=render_markdown(form.answer.data or ""))


@bp.get("/<int:entry_id>")
def entry(entry_id: int):
    found = _entry(entry_id)
    ticket = db.session.get(Ticket, found.source_ticket_id) if found.source_ticket_id else None
    return render_template("curation/entry.html", entry=found, form=ActionForm(), ticket=ticket,
                           can_publish=workflow.can_publish(found, current_user),
                           passage_id=search_sync.passage_id(found.slug))


_STEPS = {
    "submit": (workflow.submit, _l("Submitted for review.")),
    "publish": (workflow.publish, _l("Published. Chat answers can cite it right away.")),
    "archive": (workflow.archive, _l("Archived. The chat no longer cites it.")),
    "reopen": (workflow.reopen, _l("Reopened as a draft.")),
}


@bp.post("/<int:entry_id>/<any(submit, publish, archive, reopen):step>")
def change_state(entry_id: int, step: str):
    found = _entry(entry_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    change, done = _STEPS[step]
    try:
        change(found, current_user)
    except workflow.WorkflowError as exc:
        db.session.rollback()
        flash(exc.message(), "error")
        return redirect(url_for(".entry", entry_id=entry_id), 303)
    db.session.commit()
    search_sync.sync()  # this worker at once; the others on their next request
    flash(str(done), "success")
    return redirect(url_for(".entry", entry_id=entry_id), 303)


@bp.get("/<int:entry_id>/diff")
def diff(entry_id: int):
    found = _entry(entry_id)
    numbers = {r.number: r for r in found.revisions}
    old, new = request.args.get("from", type=int), request.args.get("to", type=int)
    if old not in numbers or new not in numbers:
        abort(404)
    return render_template("curation/diff.html", entry=found, old=numbers[old], new=numbers[new],
                           table=revision_diff(found.slug, numbers[old], numbers[new]))


@bp.post("/<int:entry_id>/rollback/<int:number>")
def rollback(entry_id: int, number: int):
    found = _entry(entry_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        revision = workflow.rollback(found, number, current_user)
    except workflow.WorkflowError as exc:
        flash(exc.message(), "error")
        return redirect(url_for(".entry", entry_id=entry_id), 303)
    db.session.commit()
    flash(_("The earlier revision was restored as a new revision.") if revision else _("Nothing changed."), "success")
    return redirect(url_for(".entry", entry_id=entry_id), 303)


@bp.get("/tickets")
def closed_tickets():
    """Closed desk tickets with a staff reply and no FAQ entry yet: candidates for a draft."""
    linked = select(FaqEntry.source_ticket_id).where(FaqEntry.source_ticket_id.is_not(None))
    tickets = db.session.scalars(
        select(Ticket).where(sources.desk_tickets(), Ticket.id.not_in(linked))
        .order_by(Ticket.closed_at.desc()).limit(200)
    ).all()
    return render_template("curation/tickets.html", tickets=[t for t in tickets if t.staff_replies],
                           form=ActionForm())


@bp.post("/tickets/<ref>/draft")
def draft_from_ticket(ref: str):
    # Any other ticket (another queue, still open) is not there for curators: the same 404 as none.
    if not plausible_ref(ref):
        abort(404)
    ticket = db.one_or_404(select(Ticket).where(Ticket.ref == ref, sources.desk_tickets()))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        created = drafts.draft_from_ticket(ticket, current_user)
    except CurationError as exc:  # a workflow step refused, or the ticket's text is no valid entry
        db.session.rollback()
        flash(exc.message(), "error")
        return redirect(url_for(".closed_tickets"), 303)
    db.session.commit()
    flash(_("A draft was created. Please check it."), "success")
    return redirect(url_for(".edit", entry_id=created.id), 303)


@bp.get("/gaps")
def gap_report():
    form = GapFilterForm(request.args)
    if not form.validate():
        return render_template("curation/gaps.html", form=form, groups=[], weeks=[]), 400
    days = form.days.data or 90
    groups, weeks = gaps.report(days)
    # Curators read question text here: who looked, and when, is on record.
    record("gaps.viewed", "gap_report", None, {"days": days, "groups": len(groups)})
    db.session.commit()
    return render_template("curation/gaps.html", form=form, groups=groups, weeks=weeks, days=days)
