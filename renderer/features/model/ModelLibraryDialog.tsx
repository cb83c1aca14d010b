import type { ReactNode } from "react";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Dialog } from "../../ui/Dialog";
import { Icon } from "../../ui/Icon";
import { Spinner } from "../../ui/Spinner";
import { BackendSettingsForm } from "./BackendSettingsForm";
import { CatalogList } from "./CatalogList";
import { FolderList } from "./FolderList";
import { LibraryModelCard } from "./LibraryModelCard";
import { closeModelLibrary, rescan } from "./modelLibraryActions";
import { orderModels, useModelLibrary } from "./modelLibraryView";

/** The whole model library: models on this computer and their folders; how they load; recommended base models to download. */
export function ModelLibraryDialog() {
  return (
    <Dialog
      size="xl"
      data-testid="model-library-dialog"
      title="Model library"
      description="GGUF files on this computer, read from their headers without loading weights; how models are loaded; and recommended base models to download."
      onClose={closeModelLibrary}
      bodyClassName="grid h-[74vh] min-h-0 grid-cols-[minmax(0,1fr)_400px]"
    >
      <div className="flex min-h-0 flex-col gap-6 overflow-y-auto px-5 py-4">
        <Section title="On this computer" actions={<RescanButton />}>
          <InstalledModels />
        </Section>
        <Section title="Folders" hint="The app’s models/ folder and your downloads are always scanned; add folders that hold .gguf files.">
          <FolderList />
        </Section>
      </div>
      <aside className="flex min-h-0 flex-col gap-6 overflow-y-auto rounded-br-xl border-l border-zinc-800 bg-zinc-950/40 px-5 py-4">
        <Section title="Backend" hint="Saved for you and used by every load.">
          <BackendSettingsForm />
        </Section>
        <Section title="Recommended base models" hint="Pretrained checkpoints, not chat tunes: they continue any document, so they can play any character.">
          <CatalogList />
        </Section>
      </aside>
    </Dialog>
  );
}

function Section({ title, hint, actions, children }: { title: string; hint?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-2.5">
      <header className="flex items-end gap-2">
        <div className="flex min-w-0 flex-1 flex-col gap-0.5">
          <h3 className="text-[11px] font-semibold tracking-[0.08em] text-zinc-400 uppercase">{title}</h3>
          {hint !== undefined && <p className="text-[11px] leading-snug text-zinc-500">{hint}</p>}
        </div>
        {actions}
      </header>
      {children}
    </section>
  );
}

function RescanButton() {
  return (
    <Button size="sm" variant="ghost" onClick={() => void rescan()} title="Scan the folders again">
      <Icon name="refresh" className="size-3" />
      Rescan
    </Button>
  );
}

function InstalledModels() {
  const scan = useModelLibrary((s) => s.scan);
  const error = useModelLibrary((s) => s.scanError);
  if (scan === null) {
    return error !== null ? (
      <Callout tone="error" title="The library could not be scanned">
        {error.message}
      </Callout>
    ) : (
      <p className="flex items-center gap-2 text-xs text-zinc-500">
        <Spinner label="Scanning" /> Scanning…
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      {scan.models.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-800 px-4 py-6 text-center text-xs leading-relaxed text-zinc-500">
          No models yet. Download a recommended one on the right, or add a folder below.
        </p>
      ) : (
        <ul data-testid="model-library-list" className="flex flex-col gap-2">
          {orderModels(scan.models).map((m) => (
            <LibraryModelCard key={m.path} model={m} />
          ))}
        </ul>
      )}
      {scan.missingRecent.length > 0 && (
        <div className="flex flex-col gap-1">
          <h4 className="text-[11px] text-zinc-500">Used recently, now missing</h4>
          <ul className="flex flex-col gap-1">
            {scan.missingRecent.map((r) => (
              <li key={r.path} className="flex items-center gap-2 rounded-md border border-dashed border-zinc-800 px-2.5 py-1.5 text-[11px] text-zinc-500" title={r.path}>
                <span className="truncate font-mono line-through decoration-zinc-700">{r.path}</span>
                <span className="ml-auto shrink-0">{r.name}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
