"""WCAG 2.1 A/AA checks by axe-core, run inside the page Playwright shows.

axe is loaded into the page through DevTools' evaluate (test instrumentation: it reads the page, it sets no
value). Not as a script tag: the app's Content-Security-Policy rightly refuses an inline script, and the
journey keeps that policy on rather than bypassing it. Only the "serious" and "critical" violations of
axe's non-experimental rules fail a test; each is reported with the page, the rule and the elements.
"""

import functools
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}


@functools.cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


def violations(page) -> list[dict]:
    """axe's serious and critical WCAG 2.1 AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        TAGS,
    )
    # Rules axe marks experimental are left out, as in axe's own default run.
    return [v for v in result if v["impact"] in FAILING and "experimental" not in v["tags"]]


class Audit:
    """Every page a test shows, checked once per distinct URL path and state name; findings kept for the end."""

    def __init__(self):
        self.pages = []
        self.found = {}

    def __call__(self, page, name):
        self.pages.append(name)
        for v in violations(page):
            key = (v["id"], name)
            self.found.setdefault(key, {**v, "page": name, "url": page.url})

    def report(self) -> str:
        lines = []
        for v in self.found.values():
            lines.append(f"{v['page']} ({v['url']}): [{v['impact']}] {v['id']} – {v['help']}")
            lines.extend(f"    {n['target']}: {n['summary']}" for n in v["nodes"][:5])
        return "\n".join(lines)
