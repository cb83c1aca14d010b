import { CompletionPanel } from "../features/completion/CompletionPanel";
import { SamplerPanel } from "../features/completion/SamplerPanel";
import { LabWorkspace } from "../features/lab/LabWorkspace";
import { ModelPanel } from "../features/model/ModelPanel";
import { StatusBar } from "../features/statusBar/StatusBar";
import { TreeWorkspace } from "../features/tree/TreeWorkspace";
import { useEngineState } from "../state/engineState";
import { Callout } from "../ui/Callout";
import { cx } from "../ui/cx";
import { Icon, type IconName } from "../ui/Icon";
import { effectiveTab, showTab, useAppView, type Tab } from "./appView";

export function App() {
  const chosen = useAppView((s) => s.tab);
  const projectOpen = useEngineState((s) => s.project !== null);
  const tab = effectiveTab(chosen, projectOpen);
  return (
    <div className="flex h-full min-w-[960px] flex-col">
      <TitleBar tab={tab} />
      <EngineUnreachable />
      {tab === "tree" ? <TreeWorkspace /> : tab === "lab" ? <LabWorkspace /> : <Playground />}
      <StatusBar />
    </div>
  );
}

/** The raw completion playground: one prompt, one streamed continuation. */
function Playground() {
  return (
    <main className="grid min-h-0 flex-1 grid-cols-[minmax(280px,320px)_minmax(0,1fr)_minmax(250px,290px)] gap-3 p-3">
      <ModelPanel />
      <CompletionPanel />
      <SamplerPanel />
    </main>
  );
}

function TitleBar({ tab }: { tab: Tab }) {
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
      <nav role="tablist" aria-label="Workspace" className="ml-4 flex items-center gap-0.5 rounded-lg border border-zinc-800 bg-zinc-950/60 p-0.5">
        <TabButton tab="tree" current={tab} icon="branch" label="Tree" />
        <TabButton tab="lab" current={tab} icon="dice" label="Lab" />
        <TabButton tab="playground" current={tab} icon="play" label="Playground" />
      </nav>
      {fileName !== null && <span className="ml-auto truncate font-mono text-xs text-zinc-400">{fileName}</span>}
    </header>
  );
}

function TabButton({ tab, current, icon, label }: { tab: Tab; current: Tab; icon: IconName; label: string }) {
  const selected = tab === current;
  return (
    <button
      type="button"
      role="tab"
      aria-selected={selected}
      data-testid={`tab-${tab}`}
      onClick={() => showTab(tab)}
      className={cx(
        "flex h-7 items-center gap-1.5 rounded-md px-3 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-violet-400",
        selected ? "bg-zinc-800 text-zinc-50 shadow-sm shadow-black/40" : "text-zinc-500 hover:text-zinc-200",
      )}
    >
      <Icon name={icon} className={cx("size-3", selected ? "text-violet-300" : "")} />
      {label}
    </button>
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
