"""The committed .docx templates are exactly what the build script writes."""

import pytest

from nominations.documents.build_templates import DOCX_DIR, TEMPLATES, template_bytes


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_committed_template_is_up_to_date(name):
    assert (DOCX_DIR / name).read_bytes() == template_bytes(name), (
        f"{name} is stale: run `python -m nominations.documents.build_templates` and commit the result"
    )
