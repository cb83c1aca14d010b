import { useCallback, useRef } from "react";
import { formatIds, formatInfo, type ExportScope, type FormatId } from "../../../engine/common/formats/catalog.js";
import { useEngineState } from "../../state/engineState";
import { pickTree } from "../../state/projectQueries";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { Field } from "../../ui/Field";
import { Icon } from "../../ui/Icon";
import { Select } from "../../ui/Select";
import { Spinner } from "../../ui/Spinner";
import { useDismiss } from "../../ui/useDismiss";
import { useTreeView } from "../tree/treeView";
import { chooseFormat, closeExportMenu, exportNow, openExportMenu } from "./exchangeActions";
import { useExchange } from "./exchangeView";

/** What each format is for, in a line (docs/formats.md has the details). */
const purposes: Record<FormatId, string> = {
  native: "The project file itself: import it anywhere, lossless.",
  "tree-json": "Each tree as one nested object, every field kept.",
  "paths-jsonl": "One root-to-leaf path per line, for pandas or R.",
  csv: "One row per turn, with scores and generation records.",
  graphml: "Nodes and edges for Gephi, Cytoscape or networkx.",
  markdown: "A transcript to read or share.",
  loom: "Opens in socketteer/loom (and imports back).",
  sillytavern: "A SillyTavern chat; siblings become swipes.",
};

/** "Export…": a format, the part of the project it covers, and a download. */
export function ExportMenu() {
  const open = useExchange((s) => s.exportOpen);
  const trees = useEngineState((s) => s.project?.trees ?? null);
  const chosenTree = useTreeView((s) => s.treeId);
  const remembered = useEngineState((s) => s.project?.meta.activeTreeId ?? null);
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, open, closeExportMenu);
  const currentId = trees === null ? null : (pickTree(trees, chosenTree ?? remembered)?.id ?? null);
  const count = trees?.size ?? 0;
  return (
    <div ref={ref} className="relative">
      <Button
        size="sm"
        variant="ghost"
        data-testid="export-menu-button"
        aria-expanded={open}
        aria-haspopup="dialog"
        className={cx(open && "bg-zinc-800/70 text-zinc-100")}
        title="Export the project, a tree or its paths"
        onClick={() => (open ? closeExportMenu() : openExportMenu(currentId, count))}
      >
        <Icon name="upload" className="size-3.5" />
        <span className="hidden xl:inline">Export…</span>
        <span className="sr-only xl:hidden">Export…</span>
      </Button>
      {open && trees !== null && <ExportPanel currentId={currentId} count={count} />}
    </div>
  );
}

function ExportPanel({ currentId, count }: { currentId: string | null; count: number }) {
  const format = useExchange((s) => s.format);
  const scope = useExchange((s) => s.scope);
  const treeId = useExchange((s) => s.treeId);
  const exporting = useExchange((s) => s.exporting);
  const error = useExchange((s) => s.exportError);
  const trees = useEngineState((s) => s.project?.trees);
  const list = [...(trees?.values() ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const info = formatInfo[format];
  const needsTree = info.singleTree && count > 1 && treeId === "";
  const choose = useCallback((f: FormatId) => chooseFormat(f, currentId, count), [currentId, count]);
  return (
    <div
      role="dialog"
      aria-label="Export"
      data-testid="export-menu"
      className="absolute top-full right-0 z-30 mt-2 flex w-[340px] flex-col gap-3 rounded-lg border border-zinc-700 bg-zinc-900/95 p-3.5 shadow-2xl shadow-black/60 backdrop-blur"
    >
      <Field label="Format" hint={<span>{purposes[format]} <span className="font-mono text-zinc-500">{info.extension}</span></span>}>
        {(id) => (
          <Select id={id} data-testid="export-format-select" className="text-xs" value={format} onChange={(e) => choose(e.target.value as FormatId)}>
            {formatIds.map((f) => (
              <option key={f} value={f}>
                {formatInfo[f].label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="grid grid-cols-2 gap-2.5">
        <Field label="Scope">
          {(id) => (
            <Select id={id} data-testid="export-scope-select" className="text-xs" value={scope} onChange={(e) => useExchange.set({ scope: e.target.value as ExportScope })}>
              <option value="all">Every path</option>
              <option value="active-path">Active path</option>
            </Select>
          )}
        </Field>
        <Field label="Tree">
          {(id) => (
            <Select id={id} data-testid="export-tree-select" className="text-xs" value={treeId} aria-invalid={needsTree || undefined} onChange={(e) => useExchange.set({ treeId: e.target.value })}>
              <option value="" disabled={info.singleTree && count > 1}>
                {count === 1 ? "The tree" : `All ${count} trees`}
              </option>
              {list.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                  {t.id === currentId ? " (shown)" : ""}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      {needsTree && <p className="text-[11px] text-amber-200/80">A {info.label} holds one conversation: choose a tree.</p>}
      {error !== null && (
        <Callout tone="error" title="Not exported" data-testid="export-error">
          {error}
        </Callout>
      )}
      <Button variant="primary" data-testid="export-download-button" disabled={exporting || needsTree} onClick={() => void exportNow()}>
        {exporting ? <Spinner label="Exporting" /> : <Icon name="download" className="size-3.5" />}
        Download
      </Button>
    </div>
  );
}
