"""The kept output of section-page components: what is typed is never part of what is kept."""

import pytest

from audit_app.returns.fields import RememberedRender, TextArea, TextInput

AWKWARD = [
    "7",
    "A <b>bold</b> \"claim\" & 'quotes'",
    "\nStarts with a newline\nand has two lines",
    "Æthelflæd’s café, 100% — {{ not a template }} {% neither %}",
    "remembered-render-value",
    "  spaces around it  ",
]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("widget", [TextInput(), TextArea()], ids=["text input", "textarea"])
@pytest.mark.parametrize("value", AWKWARD)
def test_a_typed_value_renders_as_a_full_render_would_and_is_not_kept(app, widget, value):
    RememberedRender.forget()
    params = {"id": "q1", "name": "q1", "label": {"text": "How many?"}, "value": value}
    with app.test_request_context():
        assert widget.render(params) == widget._render(params)
        assert widget.render(params) == widget._render(params)  # from what was kept
    kept = "".join(RememberedRender._kept)
    assert kept and value.strip() not in kept.replace("remembered-render-value-5f0c2d9e", "")
