import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { formatInteger } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { Spinner } from "../../ui/Spinner";
import { dismissImportNotice, importProjectFile } from "./exchangeActions";
import { useExchange } from "./exchangeView";

/** "Import…": a file picker for loom JSON, SillyTavern JSONL or a .masque project; the outcome shows below it. */
export function ImportButton() {
  const importing = useExchange((s) => s.importing);
  return (
    <div className="relative">
      <label
        title="Add the trees of a loom JSON, SillyTavern chat (JSONL) or Masque project file to this project (undoable)"
        className={cx(
          "inline-flex h-7 cursor-pointer items-center gap-1.5 rounded-md border border-transparent px-2.5 text-xs font-medium whitespace-nowrap text-zinc-400 transition-colors select-none",
          "hover:bg-zinc-800 hover:text-zinc-100 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-violet-400",
          importing && "pointer-events-none opacity-60",
        )}
      >
        {importing ? <Spinner className="size-3" label="Importing" /> : <Icon name="import" className="size-3.5" />}
        <span className="hidden xl:inline">Import…</span>
        <span className="sr-only xl:hidden">Import…</span>
        <input
          type="file"
          data-testid="import-file-input"
          accept=".json,.jsonl,.masque,application/json,application/x-ndjson"
          className="sr-only"
          disabled={importing}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (file !== undefined) void importProjectFile(file);
          }}
        />
      </label>
      <ImportNotice />
    </div>
  );
}

function ImportNotice() {
  const error = useExchange((s) => s.importError);
  const imported = useExchange((s) => s.imported);
  if (error === null && imported === null) return null;
  return (
    // A toast above the status bar: it never covers the side panel's tabs, and hides itself.
    <div role="status" className="fixed right-4 bottom-12 z-40 w-[380px] max-w-[calc(100vw-2rem)] rounded-md bg-zinc-900 shadow-2xl shadow-black/60">
      {error !== null ? (
        <Callout tone="error" title={`${error.fileName} was not imported`} data-testid="import-error" className="pr-8">
          {error.message} Nothing was changed.
        </Callout>
      ) : (
        imported !== null && (
          <Callout tone={imported.warnings.length > 0 ? "warning" : "info"} title={`Imported ${imported.fileName}`} data-testid="import-result" className="pr-8">
            {imported.format}: {imported.trees} tree{imported.trees === 1 ? "" : "s"}, {formatInteger(imported.nodes)} node{imported.nodes === 1 ? "" : "s"}. Undo removes it.
            {imported.warnings.length > 0 && (
              <ul className="mt-1 list-disc pl-4 opacity-80">
                {imported.warnings.slice(0, 5).map((w) => (
                  <li key={w}>{w}</li>
                ))}
                {imported.warnings.length > 5 && <li>…and {imported.warnings.length - 5} more</li>}
              </ul>
            )}
          </Callout>
        )
      )}
      <IconButton icon="x" label="Dismiss" data-testid="import-dismiss" onClick={dismissImportNotice} className="absolute top-1.5 right-1.5" />
    </div>
  );
}
