import type { ReactNode } from "react";
import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { formatBytes } from "../../ui/format";
import { Icon, type IconName } from "../../ui/Icon";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { loadModel } from "./modelActions";
import { useModelForm } from "./modelForm";
import { CatalogEntryCard } from "./CatalogEntryCard";
import { bySize, CatalogList } from "./CatalogList";
import { engageFirstRun, useFirstRun } from "./firstRun";
import { AddFolderForm } from "./FolderList";
import { useModelLibrary } from "./modelLibraryView";
import { RemoteEngineFields } from "./RemoteEngineForm";

/** No model yet: what a base model is, and four ways to get one (download, a file, a folder, a server). */
export function FirstRunScreen() {
  const catalog = useModelLibrary((s) => s.catalog);
  const recommended = catalog === null ? null : (catalog.find((e) => e.recommended) ?? bySize(catalog)[0] ?? null);
  const others = catalog === null ? 0 : catalog.length - (recommended === null ? 0 : 1);
  return (
    <div data-testid="first-run" className="mx-auto flex w-[880px] max-w-full flex-col gap-6 px-6 pt-[5vh] pb-10">
      <header className="flex flex-col items-center gap-3 text-center">
        <span aria-hidden className="flex size-12 items-center justify-center rounded-2xl bg-gradient-to-br from-violet-500 to-fuchsia-600 text-2xl shadow-lg shadow-violet-950">
          ◐
        </span>
        <h2 className="text-xl font-semibold tracking-tight text-zinc-50">Welcome to Masque</h2>
        <p className="max-w-[640px] text-[13.5px] leading-relaxed text-zinc-400">
          A base model is a language model straight out of pretraining: it was never taught to chat or to obey, it only continues whatever
          document it is given. Start a document and it plays every character in it, helpful or not, and that is what Masque lets you explore.
        </p>
        <p className="text-xs text-zinc-500">There is no model on this computer yet. Choose one of four ways in:</p>
      </header>
      <LoadStatus />
      <Step icon="download" title="Download a recommended base model" hint="Saved to your Masque folder and checked after download; it loads as soon as it is ready.">
        {recommended === null ? <CatalogList loadWhenDone /> : <ul className="flex flex-col"><CatalogEntryCard entry={recommended} featured loadWhenDone downloadTestId="first-run-download" /></ul>}
        {recommended !== null && others > 0 && (
          <details className="group">
            <summary className="flex cursor-pointer items-center gap-1.5 text-xs text-zinc-400 select-none hover:text-zinc-200 [&::-webkit-details-marker]:hidden">
              <Icon name="chevron" className="size-3 transition-transform group-open:rotate-90" />
              {others} more base model{others === 1 ? "" : "s"}, from tiny to 8B
            </summary>
            <div className="mt-2">
              <CatalogList loadWhenDone exclude={recommended.id} />
            </div>
          </details>
        )}
      </Step>
      <div className="grid grid-cols-2 gap-4">
        <Step icon="doc" title="Open a GGUF file" hint="Any llama.cpp model file already on this computer.">
          <OpenPathForm />
        </Step>
        <Step icon="folder" title="Use a folder of models" hint="Every .gguf file in it joins your library.">
          <AddFolderForm inputTestId="first-run-folder-input" onAdded={engageFirstRun} />
          <FolderModels />
        </Step>
      </div>
      <Step icon="server" title="Connect to a server" hint="A vLLM or llama-server endpoint serving a base model, on this computer or your lab's. Masque checks what it supports before you use it.">
        <div data-testid="first-run-remote">
          <RemoteEngineFields onConnect={engageFirstRun} />
        </div>
      </Step>
      <p className="text-center text-xs text-zinc-500">
        <button type="button" data-testid="first-run-skip" className="text-zinc-400 underline-offset-2 hover:text-violet-200 hover:underline" onClick={() => useFirstRun.set({ dismissed: true })}>
          Skip for now
        </button>{" "}
        and look around without a model.
      </p>
    </div>
  );
}

function Step({ icon, title, hint, children }: { icon: IconName; title: string; hint: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4">
      <header className="flex items-start gap-3">
        <span aria-hidden className="flex size-8 shrink-0 items-center justify-center rounded-lg bg-violet-500/10 ring-1 ring-violet-500/30">
          <Icon name={icon} className="size-4 text-violet-300" />
        </span>
        <div className="flex min-w-0 flex-col">
          <h3 className="text-[13px] font-semibold text-zinc-100">{title}</h3>
          <p className="text-xs text-zinc-500">{hint}</p>
        </div>
      </header>
      {children}
    </section>
  );
}

/** The model being loaded, or why the last load failed. */
function LoadStatus() {
  const loadingPath = useEngineState((s) => s.loadingPath);
  const error = useModelForm((s) => s.error);
  if (loadingPath !== null) {
    return (
      <div data-testid="first-run-loading" className="flex items-center justify-center gap-2 rounded-lg border border-violet-500/30 bg-violet-500/10 px-4 py-2.5 text-[13px] text-violet-100" aria-live="polite">
        <Spinner className="text-violet-300" label="Loading" />
        Loading <span className="font-mono">{loadingPath.split(/[\\/]/).pop()}</span>…
      </div>
    );
  }
  if (error === null) return null;
  return (
    <Callout tone="error" title="The model did not load" data-testid="first-run-error">
      {error.message}
    </Callout>
  );
}

function OpenPathForm() {
  const path = useFirstRun((s) => s.path);
  const loading = useEngineState((s) => s.loadingPath !== null);
  return (
    <form
      className="flex gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        engageFirstRun();
        void loadModel(path);
      }}
    >
      <TextInput
        data-testid="first-run-open-path"
        aria-label="Path of a .gguf file"
        className="font-mono text-xs"
        placeholder="/path/to/model.gguf"
        value={path}
        onChange={(e) => useFirstRun.set({ path: e.target.value })}
      />
      <Button type="submit" variant="secondary" data-testid="first-run-open-button" disabled={loading || path.trim() === ""} className="w-[4.75rem]">
        Open
      </Button>
    </form>
  );
}

/** Models found in the folders the user added, each ready to load. */
function FolderModels() {
  const folders = useModelLibrary((s) => s.scan?.folders ?? null);
  const models = useModelLibrary((s) => s.scan?.models ?? null);
  const loading = useEngineState((s) => s.loadingPath !== null);
  const added = folders?.filter((f) => f.kind === "user") ?? [];
  if (added.length === 0 || models === null) return null;
  const found = models.filter((m) => m.sources.includes("user"));
  if (found.length === 0) return <p className="text-xs text-amber-200/80">No .gguf files in {added.length === 1 ? "that folder" : "those folders"} yet.</p>;
  return (
    <ul className="flex flex-col gap-1">
      {found.map((m) => (
        <li key={m.path} className="flex items-center gap-2 rounded-md border border-zinc-800 bg-zinc-950/40 px-2.5 py-1.5">
          <span className="min-w-0 flex-1 truncate font-mono text-xs text-zinc-200" title={m.path}>
            {m.fileName}
          </span>
          <span className="text-[11px] text-zinc-500">{formatBytes(m.fileSize)}</span>
          <Button size="sm" variant="ghost" className="h-6 text-violet-300" disabled={loading || m.error !== null} onClick={() => void loadModel(m.path)}>
            Load
          </Button>
        </li>
      ))}
    </ul>
  );
}
