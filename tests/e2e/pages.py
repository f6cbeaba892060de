"""Checks on what a page shows, run in the browser (layout, direction, focus, targets)."""

# The block-level containers of the campaign: each hero, section and the article itself.
SECTIONS = "main .hero, main .section"

# For every section with a start-aligned heading: where the heading's text sits in its box.
HEADING_SIDES = """
(selector) => [...document.querySelectorAll(selector)].map((section) => {
  const style = getComputedStyle(section);
  const heading = section.querySelector("h1, h2");
  const result = {section: section.className, direction: style.direction};
  if (heading && !["center", "justify"].includes(getComputedStyle(heading).textAlign)) {
    const range = document.createRange();
    range.selectNodeContents(heading);
    const text = range.getBoundingClientRect();
    const box = heading.getBoundingClientRect();
    result.gapLeft = Math.round(text.left - box.left);
    result.gapRight = Math.round(box.right - text.right);
  }
  return result;
})
"""

OVERFLOW_X = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# What a touch has to hit in the main content, with its size. A checkbox or radio is hit
# through its label; a link inside a sentence (WCAG 2.5.8's inline exception) is skipped.
TOUCH_TARGETS = """
() => {
  const letters = /\\p{L}/u;
  const targets = [];
  const seen = new Set();
  const inSentence = (link) => {
    const block = link.closest("p, li, dd, label, td");
    if (!block) return false;
    let rest = block.textContent;
    for (const other of block.querySelectorAll("a")) rest = rest.replace(other.textContent, "");
    return letters.test(rest);
  };
  for (const el of document.querySelectorAll(
      "main a[href], main button, main input, main select, main textarea, main summary, main video")) {
    if (el.type === "hidden" || el.closest("[aria-hidden=true]")) continue;
    if (el.tagName !== "VIDEO" && el.closest("video")) continue;  // fallback content
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    if (el.tagName === "A" && inSentence(el)) continue;
    let target = el;
    if (el.type === "checkbox" || el.type === "radio") target = el.closest("label") || el;
    if (seen.has(target)) continue;
    seen.add(target);
    const box = target.getBoundingClientRect();
    targets.push({
      what: el.outerHTML.slice(0, 120),
      width: Math.round(box.width * 10) / 10,
      height: Math.round(box.height * 10) / 10,
    });
  }
  return targets;
}
"""

# The focused element and how its focus shows: outline (or box shadow) and its contrast with
# the background behind the element (gradients: the worst of their colours).
FOCUS_STATE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const parse = (text) => (text.match(/rgba?\\([^)]*\\)/g) || []).map((c) => c.match(/[\\d.]+/g).map(Number));
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const backgrounds = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    const colours = parse(style.backgroundImage);
    const colour = parse(style.backgroundColor)[0];
    if (colours.length) { backgrounds.push(...colours); break; }
    if (colour && (colour.length < 4 || colour[3] > 0)) { backgrounds.push(colour); break; }
  }
  if (!backgrounds.length) backgrounds.push([255, 255, 255]);
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth) || 0;
  const shown = style.outlineStyle !== "none" && width >= 2;
  const ring = shown ? parse(style.outlineColor)[0] : null;
  return {
    id: el.id,
    tag: el.tagName.toLowerCase(),
    text: (el.textContent || el.value || "").trim().slice(0, 40),
    outline: shown ? `${style.outlineStyle} ${width}px` : "none",
    boxShadow: style.boxShadow,
    contrast: ring ? Math.min(...backgrounds.map((b) => contrast(ring, b))) : 0,
  };
}
"""
