"""axe-core in a Playwright page, and a check that keyboard focus can be seen.

``violations(page)`` injects ``node_modules/axe-core/axe.min.js`` into the page
and runs it against WCAG 2.0, 2.1 and 2.2 A and AA. The page's context must be
opened with ``bypass_csp=True``: our Content Security Policy refuses the
injected script otherwise. ``assert_no_violations`` fails with every rule's id,
help text and the selectors of the nodes that break it, so a failure says what
to fix and where.

``focus_indicator(page)`` describes the focused element and whether a sighted
keyboard user can see it has focus: it draws an outline or a box shadow, and
some of it is on screen and not covered by other content (WCAG 2.4.7 and
2.4.11). Open the page with reduced motion, so that scrolling to the focused
element is instant rather than smooth.
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN = """async tags => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
      summary: n.failureSummary || '',
      html: n.html,
    })),
  }));
}"""


def violations(page) -> list[dict]:
    """The page's WCAG 2.2 A/AA violations, as axe-core reports them."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN, TAGS)


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])} node(s)] {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}  -- {summary[:300]}")
            lines.append(f"        {node['html'][:200]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def assert_no_violations(page, where: str = "") -> None:
    found = violations(page)
    assert not found, (
        f"{len(found)} axe-core rule(s) fail on {where or page.url}:\n{describe(found)}"
    )


_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {tag: el ? el.tagName.toLowerCase() : '', visible: false, reason: 'nothing focused'};
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  let name = el.getAttribute('aria-label') || (el.labels && el.labels[0]
    ? el.labels[0].textContent : '') || el.textContent || el.value || '';
  name = name.replace(/\\s+/g, ' ').trim().slice(0, 60);
  const article = el.closest('article');
  // Focus not obscured (WCAG 2.4.11): some part of the element is on screen and on top.
  const dx = Math.min(2, box.width / 2), dy = Math.min(2, box.height / 2);
  const [left, middle, right] = [box.left + dx, (box.left + box.right) / 2, box.right - dx];
  const [top, centre, bottom] = [box.top + dy, (box.top + box.bottom) / 2, box.bottom - dy];
  const points = [[middle, centre], [left, top], [right, top], [left, bottom], [right, bottom]];
  const labels = el.labels ? [...el.labels] : [];
  const shown = points.some(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return hit && (el.contains(hit) || labels.some(label => label.contains(hit)));
  });
  const cover = shown ? null : document.elementFromPoint(points[0][0], points[0][1]);
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    name: name,
    field: el.getAttribute('name') || '',
    id: el.id || '',
    checked: !!el.checked,
    article: article ? article.id : '',
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    boxShadow: style.boxShadow,
    indicator: !!(outline || shadow),
    obscuredBy: shown ? null : (cover ? cover.outerHTML.slice(0, 80) : 'off screen'),
    visible: !!(outline || shadow) && box.width > 0 && box.height > 0 && shown,
  };
}"""


def focus_indicator(page) -> dict:
    """The focused element, with ``visible`` true when its focus is drawn on screen."""
    return page.evaluate(_FOCUS)


def assert_focus_visible(page) -> dict:
    focused = focus_indicator(page)
    assert focused["visible"], f"the focused element's focus cannot be seen: {focused}"
    return focused
