"""Dashboards, `/dashboards/`: the desk's weekly figures as SVG charts with their tables, and CSV of each.

For admins and queue staff (desk, FA and ministry agents); each sees the figures of their visible
queues only (helpdesk.reporting), in the page and in the CSV alike.
"""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from helpdesk.accounts.access import deny_unless_role
from helpdesk.accounts.roles import ADMIN, STAFF_ROLES
from helpdesk.reporting import CHARTS, dashboard
from helpdesk.reporting.figures import MAX_WEEKS

from . import charts
from .i18n import _, _l, _lp
from .tickets import queue_label

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")
DEFAULT_WEEKS = 12
CHART_TITLES = {
    "tickets": _l("Tickets per queue per week"), "feedback": _l("Feedback on answers"),
    "response_times": _l("Median time to first response and to resolution"),
    "outcomes": _l("Chat questions answered, declined or handed over (share)"),
}
UNITS = {"count": _l("count"), "hours": _l("hours"), "percent": _l("%")}
SERIES = {
    "first_response": _l("To first response"),
    "resolution": _l("To resolution"),
    "tickets": _l("Tickets"),
    "answered": _lp("chart series", "Answered"),
    "declined": _l("Declined"),
    "handed_over": _l("Handed over"),
    "answered_count": _l("Answered (count)"),
    "declined_count": _l("Declined (count)"),
    "handed_over_count": _l("Handed over (count)"),
    "helpful": _l("Helpful"),
    "unhelpful": _l("Not helpful"),
}


@bp.context_processor
def _chart_words():
    return {"chart_titles": CHART_TITLES, "chart_units": UNITS}


@bp.before_request
def _staff_and_admins_only():
    return deny_unless_role(*STAFF_ROLES, ADMIN)


def _series_label(chart, key: str) -> str:
    return queue_label(key) if chart.name == "tickets" else str(SERIES[key])


def _weeks() -> int | None:
    raw = request.args.get("weeks", str(DEFAULT_WEEKS))
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_WEEKS))):
        return None
    return int(raw) if 1 <= int(raw) <= MAX_WEEKS else None


def _svg(chart):
    draw = charts.bar_chart if chart.kind == "bar" else charts.line_chart
    options = {"top": 100} if chart.unit == "percent" else {}
    series = [(_series_label(chart, s.key), s.values) for s in chart.series]
    return draw(f"chart-{chart.name}", str(CHART_TITLES[chart.name]), chart.weeks, series, str(UNITS[chart.unit]),
                **options)


@bp.get("/")
def index():
    weeks = _weeks()
    if weeks is None:
        return render_template("dashboards/index.html", charts=[], weeks=request.args.get("weeks", ""),
                               max_weeks=MAX_WEEKS, error=_('Weeks must be a whole number from 1 to {max}.').format(max=MAX_WEEKS)), 400
    figures = dashboard(current_user, weeks)
    shown = [(chart, _svg(chart), [_series_label(chart, s.key) for s in chart.series + chart.extra])
             for chart in figures.values()]
    return render_template("dashboards/index.html", charts=shown, weeks=weeks, max_weeks=MAX_WEEKS, error=None)


@bp.get("/<name>.csv")
def chart_csv(name: str):
    if name not in CHARTS:
        abort(404)
    weeks = _weeks()
    if weeks is None:
        return Response(_('Weeks must be a whole number from 1 to {max}.').format(max=MAX_WEEKS) + "\n", 400, mimetype="text/plain")
    chart = dashboard(current_user, weeks)[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["week", *(s.key for s in chart.series + chart.extra)])  # stable keys, not UI labels
    writer.writerows([["" if v is None else v for v in row] for row in chart.rows()])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="helpdesk-{name}.csv"'})
