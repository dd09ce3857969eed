// Checks a screen in Chromium the way a reviewer's eye would, for the walk tests: text that is hard to read against
// what is drawn behind it (WCAG AA contrast, 4.5:1 for body text), content wider than the area that holds it (a
// control pushed out of sight at 1024 px), and a label the wrapping of its row left apart from its control. Each
// returns readable findings; an empty list means the screen passed.
import type { Page } from 'playwright-core';

/** Runs in the page: texts whose colour is too close to the colour behind them (first non-transparent ancestor). */
const LOW_CONTRAST = `(() => {
  // rgb()/rgba() in 0–255, or color(srgb r g b / a) in 0–1 (what color-mix() computes to).
  const rgb = (c) => { const k = c.startsWith('color(') ? 255 : 1; const m = c.replace(/^color\\(srgb/, '').match(/[\\d.]+/g) || []; return { r: m[0] * k, g: m[1] * k, b: m[2] * k, a: m[3] === undefined ? 1 : +m[3] }; };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  // What is drawn behind: the backgrounds from the element outwards, see-through ones laid over the first solid one.
  const bgOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0) layers.push(c); if (c.a >= 1) break; }
    let out = layers.length && layers[layers.length - 1].a >= 1 ? layers.pop() : rgb(getComputedStyle(document.documentElement).backgroundColor);
    if (out.a < 1) out = { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) out = { r: l.r * l.a + out.r * (1 - l.a), g: l.g * l.a + out.g * (1 - l.a), b: l.b * l.a + out.b * (1 - l.a), a: 1 };
    return out;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || el.closest('script,style')) continue;
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    // Not drawn where anyone sees it (the skip link waits off-screen until it has focus).
    if (r.width === 0 || r.height === 0 || r.right <= 0 || r.bottom <= 0 || st.visibility === 'hidden' || +st.opacity === 0 || el.closest('[aria-hidden="true"],.sr-only,option,:disabled')) continue;
    const fg = rgb(st.color), bg = bgOf(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < 4.5) out.push(el.tagName.toLowerCase() + ' "' + n.textContent.trim().slice(0, 40) + '" ' + st.color + ' on rgb(' + Math.round(bg.r) + ',' + Math.round(bg.g) + ',' + Math.round(bg.b) + ') = ' + ratio.toFixed(2));
  }
  return out;
})()`;

/** Runs in the page: the main area and every open dialog scroll sideways (something is wider than the window). */
const OVERFLOW = `(() => {
  const out = [];
  const boxes = [document.querySelector('main'), ...document.querySelectorAll('dialog[open], [role="dialog"]')].filter(Boolean);
  for (const box of boxes) {
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    const edge = box.getBoundingClientRect().right;
    // Name the outermost pieces that stick out, so the finding says what to fix.
    const culprits = [...box.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > edge + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > edge + 1))
      .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '') + ' "' + (e.textContent || '').trim().slice(0, 30) + '"');
    out.push((box.tagName.toLowerCase() === 'main' ? 'main area' : 'dialog') + ' is ' + (box.scrollWidth - box.clientWidth) + ' px too wide: ' + culprits.join(', '));
  }
  return out;
})()`;

/**
 * Runs in the page: a label the wrapping of a row left apart from its control (the label at the end of one line, the
 * box at the start of the next). A label beside its box, or above it and overlapping it sideways, is fine.
 */
const DETACHED_LABELS = `(() => {
  const out = [];
  for (const label of document.querySelectorAll('label[for]')) {
    const control = document.getElementById(label.htmlFor);
    if (!control) continue;
    const l = label.getBoundingClientRect(), c = control.getBoundingClientRect();
    // Labels only screen readers see (.sr-only: 1 px, clipped) are not drawn anywhere.
    if (l.width <= 1 || l.height <= 1 || c.width === 0 || label.closest('.sr-only')) continue;
    const below = c.top >= l.bottom - 1;
    const overlapsSideways = l.left < c.right && c.left < l.right;
    if (below && !overlapsSideways) out.push('label "' + label.textContent.trim().slice(0, 30) + '" is on another line than its control, not above it');
  }
  return out;
})()`;

export async function detachedLabels(page: Page): Promise<string[]> {
  return (await page.evaluate(DETACHED_LABELS)) as string[];
}

export async function lowContrast(page: Page): Promise<string[]> {
  return (await page.evaluate(LOW_CONTRAST)) as string[];
}

export async function overflow(page: Page): Promise<string[]> {
  return (await page.evaluate(OVERFLOW)) as string[];
}
