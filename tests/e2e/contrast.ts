import type { Page } from "@playwright/test";

/**
 * Small grey text (10–12 px, neutral colour) whose contrast with what is behind it is under
 * WCAG AA's 4.5:1. The background is every ancestor's background colour composited, from the
 * page down, so translucent panels count as they look.
 */
export function lowContrastGreyText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type RGBA = [number, number, number, number];
    // Computed colours come as oklch(), color(srgb …) or rgb(): a canvas turns any of them into sRGB bytes.
    const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    const cache = new Map<string, RGBA>();
    const parse = (c: string): RGBA => {
      let rgba = cache.get(c);
      if (rgba === undefined) {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = c;
        ctx.fillRect(0, 0, 1, 1);
        const d = ctx.getImageData(0, 0, 1, 1).data;
        rgba = [d[0]!, d[1]!, d[2]!, d[3]! / 255];
        cache.set(c, rgba);
      }
      return rgba;
    };
    const over = (top: RGBA, under: RGBA): RGBA => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as RGBA;
    const lum = (c: RGBA) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const background = (el: Element): RGBA => {
      const chain: Element[] = [];
      for (let e: Element | null = el; e !== null; e = e.parentElement) chain.unshift(e);
      let bg: RGBA = [9, 9, 11, 1];
      for (const e of chain) bg = over(parse(getComputedStyle(e).backgroundColor), bg);
      return bg;
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el === null || seen.has(el) || (n.textContent ?? "").trim() === "") continue;
      seen.add(el);
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize);
      const rect = el.getBoundingClientRect();
      if (size < 9.5 || size > 12.5 || rect.width === 0 || style.visibility === "hidden" || el.closest("[aria-hidden=true], [disabled], :disabled, svg") !== null) continue;
      const fg = parse(style.color);
      if (Math.max(fg[0], fg[1], fg[2]) - Math.min(fg[0], fg[1], fg[2]) > 24) continue;
      // Text in a faded (opacity) control is a disabled state, which WCAG exempts.
      let faded = false;
      for (let e: Element | null = el; e !== null; e = e.parentElement) if (parseFloat(getComputedStyle(e).opacity) < 0.99) faded = true;
      if (faded) continue;
      const bg = background(el);
      const fgOnBg = over(fg, bg);
      const [a, b] = [lum(fgOnBg), lum(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) out.push(`${ratio.toFixed(2)}:1 ${size}px "${(n.textContent ?? "").trim().slice(0, 40)}" (${el.tagName.toLowerCase()}.${el.className.toString().slice(0, 60)})`);
    }
    return out;
  });
}
