"""Printable invitation letters (PDF, one page per household) with the personal response code."""

from __future__ import annotations

from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import InvitationBatch

# The PDF core fonts cover Latin-1 (all French letters); typographic signs outside it are replaced.
_REPLACEMENTS = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "œ": "oe", "Œ": "OE"}
)


def _latin1(text: str) -> str:
    return text.translate(_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def letters_pdf(*, batch: InvitationBatch, register_url: str, municipality: str, phone: str = "") -> bytes:
    jury = batch.jury
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(_latin1(jury.title))
    for invitation in batch.invitations.all():
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 8, _latin1(municipality), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(18)
        pdf.set_x(110)
        pdf.set_font("Helvetica", "", 11)
        lines = [
            invitation.addressee or _("To the residents"),
            invitation.address_line,
            f"{invitation.postcode} {invitation.city}",
        ]
        pdf.multi_cell(85, 6, _latin1("\n".join(lines)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(14)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(
            0,
            7,
            _latin1(_("Invitation to the citizen jury: %(title)s") % {"title": jury.title}),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 11)
        body = [
            _("Your household has been drawn by lot to take part in a citizen jury convened by %(commissioner)s.")
            % {"commissioner": jury.commissioner},
            _("The question: %(question)s") % {"question": jury.question},
            jury.commitment,
            _(
                "Any person living at this address may volunteer. The members are then drawn by lot among the "
                "volunteers, so that the jury resembles the population; at most one person per household is selected."
            ),
        ]
        for paragraph in body:
            pdf.multi_cell(0, 6, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(
            0, 7, _latin1(_("To volunteer, go to %(url)s") % {"url": register_url}), new_x="LMARGIN", new_y="NEXT"
        )
        if phone:
            pdf.multi_cell(0, 7, _latin1(_("or call %(phone)s") % {"phone": phone}), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("Courier", "B", 20)
        pdf.cell(
            0,
            12,
            _latin1(_("Your code: %(code)s") % {"code": format_code(invitation.response_code)}),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
