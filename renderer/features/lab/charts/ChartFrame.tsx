import { useCallback, useMemo, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { cx } from "../../../ui/cx";
import { Icon } from "../../../ui/Icon";
import { downloadBlob, pngBlob, svgBlob } from "./chartExport";

/**
 * A chart card: title, notes, export buttons (PNG, SVG, CSV) and a hover tooltip. The chart is
 * the `svg[data-chart]` in its body; it fills the tooltip through `useChartTooltip()` and hands
 * the tooltip's state to the frame.
 */
export interface TooltipState {
  x: number;
  y: number;
  flip: boolean;
  content: ReactNode;
}

export interface ChartTooltip {
  state: TooltipState | null;
  show(event: MouseEvent, content: ReactNode): void;
  hide(): void;
}

/** Tooltip state for a chart: positions are relative to the frame's body, found from the event. */
export function useChartTooltip(): ChartTooltip {
  const [state, setState] = useState<TooltipState | null>(null);
  const show = useCallback((event: MouseEvent, content: ReactNode) => {
    const body = (event.target as Element).closest("[data-chart-body]");
    if (body === null) return;
    const rect = body.getBoundingClientRect();
    const x = event.clientX - rect.left;
    setState({ x, y: event.clientY - rect.top, flip: x > rect.width * 0.6, content });
  }, []);
  const hide = useCallback(() => setState(null), []);
  return useMemo(() => ({ state, show, hide }), [state, show, hide]);
}

export interface ChartFrameProps {
  testId: string;
  title: string;
  subtitle?: string;
  /** File names: `${fileStem}.png` and so on. */
  fileStem: string;
  csv: () => string;
  controls?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
  /** The chart's hover tooltip, if it has one. */
  tooltip?: ChartTooltip;
  className?: string;
}

export function ChartFrame({ testId, title, subtitle, fileStem, csv, controls, footer, children, tooltip, className }: ChartFrameProps) {
  const body = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const tip = tooltip?.state ?? null;
  const svg = () => body.current?.querySelector<SVGSVGElement>("svg[data-chart]") ?? null;
  const caption = subtitle === undefined ? { title } : { title, subtitle };

  const exportAs = async (kind: "png" | "svg" | "csv") => {
    setProblem(null);
    try {
      if (kind === "csv") return downloadBlob(new Blob([csv()], { type: "text/csv" }), `${fileStem}.csv`);
      const element = svg();
      if (element === null) throw new Error("The chart is not drawn yet.");
      downloadBlob(kind === "svg" ? svgBlob(element, caption) : await pngBlob(element, caption), `${fileStem}.${kind}`);
    } catch (error) {
      setProblem(`Export failed: ${(error as Error).message}`);
    }
  };

  return (
    <section data-testid={testId} className={cx("flex min-w-0 flex-col rounded-lg border border-zinc-800 bg-zinc-900/70", className)}>
      <header className="flex items-start gap-3 border-b border-zinc-800/80 px-3.5 py-2.5">
        <div className="min-w-0 flex-1">
          <h3 className="text-[12.5px] font-semibold text-zinc-100">{title}</h3>
          {subtitle !== undefined && <p className="mt-0.5 truncate text-[11px] text-zinc-500" title={subtitle}>{subtitle}</p>}
        </div>
        {controls}
        <div className="flex shrink-0 items-center rounded-md border border-zinc-800 bg-zinc-950/60 p-0.5" role="group" aria-label={`Export ${title}`}>
          <ExportButton testId="chart-export-png" label="PNG" title="Download as PNG image" onClick={() => void exportAs("png")} />
          <ExportButton testId="chart-export-svg" label="SVG" title="Download as SVG vector image" onClick={() => void exportAs("svg")} />
          <ExportButton testId="chart-export-csv" label="CSV" title="Download the chart's data as CSV" onClick={() => void exportAs("csv")} />
        </div>
      </header>
      <div ref={body} data-chart-body className="relative px-2 pt-2 pb-1" onMouseLeave={tooltip?.hide}>
        {children}
        {tip !== null && (
          <div
            role="tooltip"
            className="pointer-events-none absolute z-10 max-w-64 rounded-md border border-zinc-700 bg-zinc-950/95 px-2.5 py-1.5 text-[11px] leading-relaxed text-zinc-200 shadow-lg shadow-black/50"
            style={{ top: tip.y + 14, ...(tip.flip ? { right: `calc(100% - ${tip.x - 12}px)` } : { left: tip.x + 12 }) }}
          >
            {tip.content}
          </div>
        )}
      </div>
      {(footer !== undefined || problem !== null) && (
        <footer className="flex flex-col gap-1 px-3.5 pb-2.5 text-[11px] leading-snug text-zinc-500">
          {footer}
          {problem !== null && <p className="text-rose-300">{problem}</p>}
        </footer>
      )}
    </section>
  );
}

function ExportButton({ testId, label, title, onClick }: { testId: string; label: string; title: string; onClick: () => void }) {
  return (
    <button
      type="button"
      data-testid={testId}
      title={title}
      onClick={onClick}
      className="flex h-6 items-center gap-1 rounded px-1.5 text-[10.5px] font-medium text-zinc-400 transition-colors hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-violet-400"
    >
      {label === "PNG" && <Icon name="download" className="size-3" />}
      {label}
    </button>
  );
}
