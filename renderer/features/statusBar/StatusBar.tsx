import type { ReactNode } from "react";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";

const connectionLabels = { connecting: "connecting", open: "connected", closed: "disconnected" } as const;

/** Bottom bar: how the UI reaches the engine, and the versions a result depends on. */
export function StatusBar() {
  const transport = useEngineState((s) => s.transport);
  const connection = useEngineState((s) => s.connection);
  const host = useEngineState((s) => s.host);
  const backend = useEngineState((s) => s.loaded?.backend ?? null);
  const dot = connection === "open" ? "bg-emerald-400" : connection === "connecting" ? "bg-amber-400 animate-pulse" : "bg-rose-500 animate-pulse";
  return (
    <footer
      data-testid="status-bar"
      className="flex h-7 shrink-0 items-center gap-4 border-t border-zinc-800 bg-zinc-900 px-3 text-[11px] text-zinc-500 select-none"
    >
      <Item label="transport" testId="status-transport">
        <span className={cx("mr-1.5 inline-block size-1.5 rounded-full", dot)} title={connectionLabels[connection]} />
        {transport}
        {connection !== "open" && <span className="ml-1 text-zinc-500">({connectionLabels[connection]})</span>}
      </Item>
      <Item label="engine" testId="status-engine-version">
        {host?.engineVersion ?? "—"}
      </Item>
      <Item label="node-llama-cpp" testId="status-llama-version">
        {host?.nodeLlamaCppVersion ?? "—"}
      </Item>
      <Item label="cores" testId="status-cores">
        {host?.cores ?? "—"}
      </Item>
      {backend !== null && (
        <span className="ml-auto text-zinc-400">
          {backend.backend} · {backend.threads} thread{backend.threads === 1 ? "" : "s"} · ctx {backend.contextSize}
        </span>
      )}
    </footer>
  );
}

function Item({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <span className="flex items-center gap-1.5">
      <span>{label}</span>
      <span className="flex items-center font-mono text-zinc-300" data-testid={testId}>
        {children}
      </span>
    </span>
  );
}
