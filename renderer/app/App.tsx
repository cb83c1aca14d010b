import { CompletionPanel } from "../features/completion/CompletionPanel";
import { SamplerPanel } from "../features/completion/SamplerPanel";
import { ModelPanel } from "../features/model/ModelPanel";
import { StatusBar } from "../features/statusBar/StatusBar";
import { useEngineState } from "../state/engineState";
import { Callout } from "../ui/Callout";

export function App() {
  return (
    <div className="flex h-full min-w-[960px] flex-col">
      <TitleBar />
      <EngineUnreachable />
      <main className="grid min-h-0 flex-1 grid-cols-[minmax(280px,320px)_minmax(0,1fr)_minmax(250px,290px)] gap-3 p-3">
        <ModelPanel />
        <CompletionPanel />
        <SamplerPanel />
      </main>
      <StatusBar />
    </div>
  );
}

function TitleBar() {
  const fileName = useEngineState((s) => s.loaded?.model.fileName ?? null);
  return (
    <header className="flex h-11 shrink-0 items-center gap-3 border-b border-zinc-800 bg-zinc-900/80 px-4">
      <div className="flex items-center gap-2">
        <span aria-hidden className="flex size-6 items-center justify-center rounded-md bg-gradient-to-br from-violet-500 to-fuchsia-600 text-[13px] shadow-md shadow-violet-950">
          ◐
        </span>
        <h1 className="text-sm font-semibold tracking-tight text-zinc-50">Masque</h1>
        <span className="text-xs text-zinc-500">base-model playground</span>
      </div>
      {fileName !== null && <span className="ml-auto truncate font-mono text-xs text-zinc-400">{fileName}</span>}
    </header>
  );
}

function EngineUnreachable() {
  const error = useEngineState((s) => s.hostError);
  if (error === null) return null;
  return (
    <div className="px-3 pt-3">
      <Callout tone="error" title="Cannot reach the engine" data-testid="engine-error">
        {error.message}
      </Callout>
    </div>
  );
}
