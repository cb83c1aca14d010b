import { theme } from "./chartTheme";

/**
 * Chart exports. A chart's SVG is drawn with attribute styles only, so serialising the element
 * gives a standalone file; the export adds a title band and drops hover-only marks
 * (`data-export="omit"`). PNG: the serialised SVG, loaded as an image from a blob: URL (the
 * CSP allows blob: images), drawn onto a canvas at twice the size.
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const TITLE_BAND = 44;
const PNG_SCALE = 2;

export interface ChartCaption {
  title: string;
  subtitle?: string;
}

function viewBoxOf(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.viewBox.baseVal;
  if (box !== null && box.width > 0) return { width: box.width, height: box.height };
  const rect = svg.getBoundingClientRect();
  return { width: Math.round(rect.width), height: Math.round(rect.height) };
}

function textNode(doc: Document, x: number, y: number, text: string, size: number, fill: string, weight = "normal"): SVGTextElement {
  const el = doc.createElementNS(SVG_NS, "text");
  el.setAttribute("x", String(x));
  el.setAttribute("y", String(y));
  el.setAttribute("font-size", String(size));
  el.setAttribute("font-weight", weight);
  el.setAttribute("fill", fill);
  el.setAttribute("font-family", theme.font);
  el.textContent = text;
  return el;
}

/** The chart as a standalone SVG document (with its caption above it), and its size. */
export function serializeChart(svg: SVGSVGElement, caption: ChartCaption): { text: string; width: number; height: number } {
  const { width, height } = viewBoxOf(svg);
  const doc = svg.ownerDocument;
  const out = doc.createElementNS(SVG_NS, "svg");
  const total = height + TITLE_BAND;
  out.setAttribute("xmlns", SVG_NS);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(total));
  out.setAttribute("viewBox", `0 0 ${width} ${total}`);
  out.setAttribute("font-family", theme.font);
  const background = doc.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", String(width));
  background.setAttribute("height", String(total));
  background.setAttribute("fill", theme.background);
  out.appendChild(background);
  out.appendChild(textNode(doc, 16, 20, caption.title, 13, theme.strong, "600"));
  if (caption.subtitle !== undefined) out.appendChild(textNode(doc, 16, 36, caption.subtitle, 10.5, theme.muted));
  const body = doc.createElementNS(SVG_NS, "g");
  body.setAttribute("transform", `translate(0,${TITLE_BAND})`);
  for (const child of Array.from(svg.childNodes)) body.appendChild(child.cloneNode(true));
  for (const el of Array.from(body.querySelectorAll('[data-export="omit"]'))) el.remove();
  for (const el of Array.from(body.querySelectorAll("[class]"))) el.removeAttribute("class");
  out.appendChild(body);
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}\n`;
  return { text, width, height: total };
}

export function svgBlob(svg: SVGSVGElement, caption: ChartCaption): Blob {
  return new Blob([serializeChart(svg, caption).text], { type: "image/svg+xml" });
}

export async function pngBlob(svg: SVGSVGElement, caption: ChartCaption): Promise<Blob> {
  const { text, width, height } = serializeChart(svg, caption);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width * PNG_SCALE;
    canvas.height = height * PNG_SCALE;
    const context = canvas.getContext("2d");
    if (context === null) throw new Error("No 2D canvas is available to draw the PNG.");
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob === null ? reject(new Error("The PNG could not be encoded.")) : resolve(blob)), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export { downloadBlob } from "../../../ui/downloadBlob";

/** A file-name stem from a user-given name. */
export function fileStem(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9 _-]/g, "")
      .trim()
      .replace(/\s+/g, "-")
      .toLowerCase() || "experiment"
  );
}
