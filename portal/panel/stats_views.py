"""`/panel/statystyki`: a centre's figures for managers, on the page and as XLSX."""

from __future__ import annotations

import io
from collections.abc import Sequence

from flask import render_template, request, send_file
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from portal.audit import record
from portal.core.extensions import db
from portal.panel import stats
from portal.panel.access import Role, roles_required, staff
from portal.panel.blueprint import bp
from portal.panel.export import Cell, to_xlsx
from portal.panel.labels import CLOSE_REASON_LABELS, KIND_LABELS, STATUS_LABELS
from portal.referrals.lifecycle import KINDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _months(f: stats.StatsFilter) -> list[int]:
    return list(range(f.month_from, f.month_to + 1))


def form_rows(fig: stats.Figures, f: stats.StatsFilter) -> list[list[Cell]]:
    """Requests by form (rows) and month (columns), with totals."""
    rows: list[list[Cell]] = [[_("Rodzaj"), *[str(m) for m in _months(f)], _("Razem")]]
    for kind in KINDS:
        counts = [fig.by_form_month.get((kind, m), 0) for m in _months(f)]
        rows.append([str(KIND_LABELS[kind]), *map(str, counts), str(sum(counts))])
    return rows


def status_rows(fig: stats.Figures) -> list[list[Cell]]:
    """Requests by status and close reason."""
    rows: list[list[Cell]] = [[_("Status"), _("Powód zamknięcia"), _("Liczba")]]
    for (status, reason), count in sorted(
        fig.by_status_reason.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
    ):
        why = str(CLOSE_REASON_LABELS.get(reason, reason)) if reason else ""
        rows.append([str(STATUS_LABELS.get(status, status)), why, str(count)])
    return rows


def postal_rows(fig: stats.Figures) -> list[list[Cell]]:
    """Requests by postal code (the area's code; not given by older requests)."""
    rows: list[list[Cell]] = [[_("Kod pocztowy"), _("Liczba")]]
    rows += [[code or _("nie podano"), str(n)] for code, n in fig.by_postal_code]
    return rows


def _days(value: float | None) -> str:
    return "—" if value is None else str(format_decimal(value, "#,##0.#"))


def summary_rows(fig: stats.Figures) -> list[list[Cell]]:
    """The medians and the deadline, one figure a row."""
    return [
        [_("Wskaźnik"), _("Wartość")],
        [_("Zgłoszenia"), str(fig.total)],
        [_("Mediana dni roboczych do pierwszej odpowiedzi"), _days(fig.contact_median)],
        [_("Zgłoszenia z pierwszą odpowiedzią"), str(fig.contacted)],
        [_("Mediana dni roboczych do decyzji"), _days(fig.decision_median)],
        [_("Zgłoszenia z decyzją"), str(fig.decided)],
        [_("Po terminie (odpowiedź po terminie albo brak odpowiedzi po terminie)"), str(fig.late)],
    ]


def tables(fig: stats.Figures, f: stats.StatsFilter) -> list[tuple[str, Sequence[list[Cell]]]]:
    """Every table of the page, with its title (also the XLSX sheets)."""
    return [
        (_("Podsumowanie"), summary_rows(fig)),
        (_("Według rodzaju i miesiąca"), form_rows(fig, f)),
        (_("Według statusu i powodu zamknięcia"), status_rows(fig)),
        (_("Według kodu pocztowego"), postal_rows(fig)),
    ]


@bp.get("/statystyki")
@roles_required(Role.MANAGER)
def statistics() -> str:
    """The centre's figures for a year and a range of months."""
    f = stats.StatsFilter.from_args(request.args)
    fig = stats.figures(staff(), f)
    return render_template("panel/stats.html", f=f, years=stats.years(), tables=tables(fig, f))


@bp.get("/statystyki.xlsx")
@roles_required(Role.MANAGER)
def statistics_xlsx() -> BaseResponse:
    """The same figures as an XLSX workbook, one sheet a table (an export, recorded)."""
    user, f = staff(), stats.StatsFilter.from_args(request.args)
    body = to_xlsx(tables(stats.figures(user, f), f))
    detail = f"statistics year={f.year} months={f.month_from}-{f.month_to} format=xlsx"
    record("export", centre_slug=user.centre_slug, actor_id=user.id, detail=detail)
    db.session.commit()
    name = f"statystyki-{f.year}-{f.month_from:02d}-{f.month_to:02d}.xlsx"
    return send_file(
        io.BytesIO(body),
        mimetype=XLSX,
        as_attachment=True,
        download_name=name,
        etag=False,
        conditional=False,
        max_age=0,
    )
