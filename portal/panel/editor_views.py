"""The page editor (`/panel/strony`): a centre's pages and details, for its managers and
for admins (any centre).

Thin: each view validates a form, calls one step of `editor` and redirects. Every
route carries its role marker and takes the centre through `with_centre` or
`with_revision` (see `access`): a centre or revision out of reach is a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from portal.core.centres import Centre
from portal.core.tenancy import registry
from portal.pages.documents import compose_page, page_filename
from portal.pages.editing import centre_data, compose_centre, page_fields
from portal.pages.models import CENTRE_FILE, ContentRevision
from portal.panel import editor, editor_context
from portal.panel import editor_reads as reads
from portal.panel.access import MANAGERS, roles_required, staff, with_centre, with_revision
from portal.panel.blueprint import bp
from portal.panel.editor_forms import CentreForm, NewPageForm, PageForm, ReviewForm, centre_update
from portal.panel.forms import ConfirmForm

Page = BaseResponse | str | tuple[str, int]
LANGUAGE_RULE = "<any(pl, en, uk):language>"
CENTRES_SHOWN = 200


@bp.get("/strony", endpoint="content")
@roles_required(*MANAGERS)
def content_home() -> Page:
    """A manager goes to its centre's pages; an admin picks a centre first."""
    user = staff()
    if not user.role.every_centre:
        return redirect(url_for("panel.content_centre", centre_slug=user.centre_slug))
    query = request.args.get("q", "")[:100]
    centres = registry().search(query)
    return render_template(
        "panel/content_centres.html",
        centres=centres[:CENTRES_SHOWN],
        more=len(centres) > CENTRES_SHOWN,
        query=query,
    )


@bp.get("/strony/<slug:centre_slug>/")
@roles_required(*MANAGERS)
@with_centre
def content_centre(centre: Centre) -> str:
    """The centre's pages in each language, its details, and what awaits publishing."""
    review = ReviewForm(prefix="review")
    review.required.data = reads.review_required(centre)
    context = editor_context.overview(staff(), centre)
    return render_template(
        "panel/content_centre.html",
        review_form=review,
        new_form=NewPageForm(prefix="new"),
        **context,
    )


@bp.post("/strony/<slug:centre_slug>/przeglad")
@roles_required(*MANAGERS)
@with_centre
def review_rule(centre: Centre) -> BaseResponse:
    """Switch the centre's rule that a second person publishes."""
    form = ReviewForm(prefix="review")
    if form.validate_on_submit():
        editor.set_review_required(staff(), centre, bool(form.required.data))
        flash(_("Zapisano zasadę publikowania."))
    return redirect(url_for("panel.content_centre", centre_slug=centre.slug))


@bp.post("/strony/<slug:centre_slug>/nowa")
@roles_required(*MANAGERS)
@with_centre
def new_page(centre: Centre) -> Page:
    """Start a page the centre does not have yet (in Polish, its source language)."""
    form = NewPageForm(prefix="new")
    slug = form.slug_value() if form.validate_on_submit() else None
    if slug is not None and slug in reads.store().slugs(centre):
        form.slug.errors = [*form.slug.errors, _("Ośrodek ma już stronę o tym adresie.")]
        slug = None
    elif slug is not None and reads.taken_by_route(slug):
        form.slug.errors = [
            *form.slug.errors,
            _("Pod tym adresem jest już inna część portalu (np. formularz). Wybierz inny adres."),
        ]
        slug = None
    if slug is None:
        context = editor_context.overview(staff(), centre)
        review = ReviewForm(prefix="review", formdata=None)
        review.required.data = context["review_required"]
        return render_template(
            "panel/content_centre.html", review_form=review, new_form=form, **context
        ), 400
    return redirect(
        url_for("panel.page_edit", centre_slug=centre.slug, page_slug=slug, language="pl")
    )


def _page_text(form: PageForm) -> str | None:
    """The page's file text from a valid form; None when the order is not a number."""
    order = form.order_value()
    if form.order.errors:
        return None
    return compose_page(
        form.title.data or "",
        form.body.data or "",
        summary=form.summary.data or "",
        order=order,
        nav=bool(form.nav.data),
    )


@bp.route(
    f"/strony/<slug:centre_slug>/strona/<slug:page_slug>/{LANGUAGE_RULE}", methods=["GET", "POST"]
)
@roles_required(*MANAGERS)
@with_centre
def page_edit(centre: Centre, page_slug: str, language: str) -> Page:
    """A page in one language: fields, preview (same renderer as the public page) and save."""
    source = editor_context.page_source(staff(), centre, page_slug, language)
    new = source.located is None and source.polish is None and source.draft is None
    if new and (language != "pl" or reads.taken_by_route(page_slug)):
        abort(404)  # a translation of a page that does not exist, or a form's address
    form = PageForm(prefix="page")
    preview, status = None, 200
    if request.method == "GET":
        form.fill(page_fields(source.text))
    elif form.validate_on_submit() and (text := _page_text(form)) is not None:
        if request.form.get("action") != "save":
            preview = editor_context.page_preview(centre, page_slug, language, text)
        else:
            return _saved(
                editor.save(staff(), centre, page_filename(page_slug, language), text), centre
            )
    else:
        status = 400
    context = editor_context.history(staff(), centre, page_filename(page_slug, language))
    return render_template(
        "panel/page_edit.html",
        centre=centre,
        slug=page_slug,
        lang=language,
        form=form,
        source=source,
        preview=preview,
        **context,
    ), status


def _saved(revision: ContentRevision | None, centre: Centre) -> BaseResponse:
    if revision is None:
        flash(_("Nic się nie zmieniło: nie zapisano nowej wersji."))
        return redirect(request.path)
    flash(_("Zapisano wersję roboczą. Opublikuj ją, żeby pojawiła się na stronie."))
    return redirect(url_for("panel.revision", centre_slug=centre.slug, revision_id=revision.id))


@bp.route("/strony/<slug:centre_slug>/dane", methods=["GET", "POST"])
@roles_required(*MANAGERS)
@with_centre
def centre_details(centre: Centre) -> Page:
    """The centre's details (address, phones, hours, addresses, postal codes)."""
    newest = reads.latest(staff(), centre, CENTRE_FILE)
    shown = reads.shown_text(centre, CENTRE_FILE) or ""
    base = centre_data(newest.text if newest is not None else shown)
    form = CentreForm(prefix="centre")
    if request.method == "GET":
        form.fill(base)
    elif form.validate_on_submit():
        data, errors = centre_update(form, base)
        codes = frozenset(data["postal_codes"])
        errors += [
            (
                form.postal_codes.id,
                _("Kod %(code)s obsługuje już %(name)s.", code=code, name=other.name),
            )
            for code, other in reads.postal_conflicts(centre, codes)
        ]
        if not errors:
            return _saved(editor.save(staff(), centre, CENTRE_FILE, compose_centre(data)), centre)
        form.mark(errors)
    errors = form.error_list()
    context = editor_context.history(staff(), centre, CENTRE_FILE)
    return render_template(
        "panel/centre_edit.html",
        centre=centre,
        form=form,
        errors=errors,
        draft=newest if newest and reads.is_unpublished(newest) else None,
        **context,
    ), 400 if errors else 200


@bp.get("/strony/<slug:centre_slug>/wersje/<int:revision_id>")
@roles_required(*MANAGERS)
@with_revision
def revision(centre: Centre, revision: ContentRevision) -> str:
    """One revision: what changed, how it looks, and publishing, review and restoring."""
    context = editor_context.revision_page(staff(), centre, revision)
    return render_template("panel/revision.html", **context)


def _step(centre: Centre, revision: ContentRevision, step: str) -> BaseResponse:
    """Take a step on a revision; back to it with the outcome."""
    target = revision
    if ConfirmForm().validate_on_submit():
        try:
            if step == "publish":
                editor.publish(staff(), centre, revision)
                flash(_("Opublikowano. Strona publiczna pokazuje już tę wersję."))
            elif step == "review":
                editor.ask_review(staff(), centre, revision)
                flash(_("Wersja czeka na przegląd drugiej osoby."))
            elif step == "send_back":
                editor.send_back(staff(), centre, revision)
                flash(_("Wersja wróciła do autora jako robocza."))
            else:
                target = editor.restore(staff(), centre, revision)
                flash(
                    _(
                        "Przywrócono tekst jako nową wersję roboczą. Opublikuj ją, żeby "
                        "pojawiła się na stronie."
                    )
                )
        except editor.EditorError as exc:
            flash(str(exc), "error")
    return redirect(url_for("panel.revision", centre_slug=centre.slug, revision_id=target.id))


@bp.post("/strony/<slug:centre_slug>/wersje/<int:revision_id>/publikuj")
@roles_required(*MANAGERS)
@with_revision
def publish(centre: Centre, revision: ContentRevision) -> BaseResponse:
    """Make the revision what the public site shows."""
    return _step(centre, revision, "publish")


@bp.post("/strony/<slug:centre_slug>/wersje/<int:revision_id>/do-przegladu")
@roles_required(*MANAGERS)
@with_revision
def ask_review(centre: Centre, revision: ContentRevision) -> BaseResponse:
    """Ask a second person to review the draft."""
    return _step(centre, revision, "review")


@bp.post("/strony/<slug:centre_slug>/wersje/<int:revision_id>/zwroc")
@roles_required(*MANAGERS)
@with_revision
def send_back(centre: Centre, revision: ContentRevision) -> BaseResponse:
    """Return a revision under review to its author, unpublished."""
    return _step(centre, revision, "send_back")


@bp.post("/strony/<slug:centre_slug>/wersje/<int:revision_id>/przywroc")
@roles_required(*MANAGERS)
@with_revision
def restore(centre: Centre, revision: ContentRevision) -> BaseResponse:
    """Bring an earlier revision's text back, as a new draft."""
    return _step(centre, revision, "restore")
