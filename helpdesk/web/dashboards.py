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
from .i18n import MESSAGES, t
from .tickets import queue_label

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")
DEFAULT_WEEKS = 12

MESSAGES.update(
    {
        "dashboards.title": {"ja": "窓口の状況", "en": "How the desk is doing"},
        "dashboards.lead": {
            "ja": "週ごとの件数と時間です（日本時間の月曜始まり）。あなたが担当するキューの分だけを数えています。",
            "en": "Weekly figures (weeks start on Monday, Japan time), counted over the queues you handle only.",
        },
        "dashboards.weeks": {"ja": "表示する週数（1〜{max}）", "en": "Weeks shown (1–{max})"},
        "dashboards.show": {"ja": "表示", "en": "Show"},
        "dashboards.bad_weeks": {"ja": "週数は1から{max}の整数で指定してください。",
                                 "en": "Weeks must be a whole number from 1 to {max}."},
        "dashboards.csv": {"ja": "CSVでダウンロード", "en": "Download as CSV"},
        "dashboards.empty": {"ja": "この期間のデータはありません。", "en": "No data in this period."},
        "dashboards.week": {"ja": "週", "en": "Week"},
        "dashboards.table": {"ja": "表", "en": "Table"},
        "dashboards.chart.tickets": {"ja": "キュー別の週ごとのチケット数", "en": "Tickets per queue per week"},
        "dashboards.chart.response_times": {"ja": "初回回答・解決までの時間（中央値）",
                                            "en": "Median time to first response and to resolution"},
        "dashboards.chart.outcomes": {"ja": "チャットの質問への対応（割合）",
                                      "en": "Chat questions answered, declined or handed over (share)"},
        "dashboards.chart.feedback": {"ja": "回答への評価", "en": "Feedback on answers"},
        "dashboards.unit.count": {"ja": "件", "en": "count"},
        "dashboards.unit.hours": {"ja": "時間", "en": "hours"},
        "dashboards.unit.percent": {"ja": "%", "en": "%"},
        "dashboards.series.first_response": {"ja": "初回回答まで", "en": "To first response"},
        "dashboards.series.resolution": {"ja": "解決まで", "en": "To resolution"},
        "dashboards.series.tickets": {"ja": "チケット数", "en": "Tickets"},
        "dashboards.series.answered": {"ja": "回答", "en": "Answered"},
        "dashboards.series.declined": {"ja": "回答を控えた", "en": "Declined"},
        "dashboards.series.handed_over": {"ja": "担当者へ引き継ぎ", "en": "Handed over"},
        "dashboards.series.answered_count": {"ja": "回答（件）", "en": "Answered (count)"},
        "dashboards.series.declined_count": {"ja": "回答を控えた（件）", "en": "Declined (count)"},
        "dashboards.series.handed_over_count": {"ja": "引き継ぎ（件）", "en": "Handed over (count)"},
        "dashboards.series.helpful": {"ja": "役に立った", "en": "Helpful"},
        "dashboards.series.unhelpful": {"ja": "役に立たなかった", "en": "Not helpful"},
    }
)


@bp.before_request
def _staff_and_admins_only():
    return deny_unless_role(*STAFF_ROLES, ADMIN)


def _series_label(chart, key: str) -> str:
    return queue_label(key) if chart.name == "tickets" else t(f"dashboards.series.{key}")


def _weeks() -> int | None:
    raw = request.args.get("weeks", str(DEFAULT_WEEKS))
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_WEEKS))):
        return None
    return int(raw) if 1 <= int(raw) <= MAX_WEEKS else None


def _svg(chart):
    draw = charts.bar_chart if chart.kind == "bar" else charts.line_chart
    options = {"top": 100} if chart.unit == "percent" else {}
    series = [(_series_label(chart, s.key), s.values) for s in chart.series]
    return draw(f"chart-{chart.name}", t(f"dashboards.chart.{chart.name}"), chart.weeks, series,
                t(f"dashboards.unit.{chart.unit}"), **options)


@bp.get("/")
def index():
    weeks = _weeks()
    if weeks is None:
        return render_template("dashboards/index.html", charts=[], weeks=request.args.get("weeks", ""),
                               max_weeks=MAX_WEEKS, error=t("dashboards.bad_weeks").format(max=MAX_WEEKS)), 400
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
        return Response(t("dashboards.bad_weeks").format(max=MAX_WEEKS) + "\n", 400, mimetype="text/plain")
    chart = dashboard(current_user, weeks)[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["week", *(s.key for s in chart.series + chart.extra)])  # stable keys, not UI labels
    writer.writerows([["" if v is None else v for v in row] for row in chart.rows()])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="helpdesk-{name}.csv"'})
