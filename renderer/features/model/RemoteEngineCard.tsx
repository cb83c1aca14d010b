import type { RemoteEngineInfo } from "../../../engine/common/remoteEngine.js";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { CopyText } from "../../ui/CopyText";
import { DefinitionList } from "../../ui/DefinitionList";
import { unloadModel } from "./modelActions";

/** The connected remote engine: its model, endpoints and what its probed capabilities allow. */
export function RemoteEngineCard({ remote }: { remote: RemoteEngineInfo }) {
  return (
    <section data-testid="remote-engine-info" className="rounded-md border border-zinc-800 bg-zinc-950/50">
      <header className="flex items-start gap-2 border-b border-zinc-800/80 px-3 py-2.5">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-1.5">
            <span className="size-1.5 shrink-0 rounded-full bg-sky-400 shadow-[0_0_6px] shadow-sky-400/60" aria-hidden />
            <span className="truncate font-mono text-[13px] font-medium text-zinc-50" data-testid="model-file-name" title={remote.serverModel}>
              {/* llama-server names its model by file path: the file name is what identifies it. */}
              {remote.serverModel.split(/[\\/]/).pop() || remote.serverModel}
            </span>
          </div>
          <div className="mt-0.5 pl-3 text-[11px] text-zinc-500">remote · {remote.dialect}</div>
        </div>
        <Button size="sm" variant="ghost" onClick={() => void unloadModel()} title="Disconnect from the servers">
          Disconnect
        </Button>
      </header>
      {remote.warnings.map((w) => (
        <p key={w} className="border-b border-zinc-800/80 px-3 py-2 text-[11px] text-amber-300" role="alert">
          {w}
        </p>
      ))}
      <DefinitionList
        className="px-3 py-2.5"
        items={[
          ["Fingerprint", <CopyText text={remote.fingerprint} display={`${remote.fingerprint.slice(0, 12)}…`} label="Copy fingerprint" className="ml-auto" />],
          ["Key", remote.authenticated ? "sent (from the environment)" : "none"],
          ...remote.endpoints.map((e): [string, React.ReactNode] => [
            e.url.replace(/^https?:\/\//, ""),
            <span title={e.lastError ?? undefined}>
              <Badge tone={e.healthy ? "good" : "bad"}>{e.healthy ? "up" : "down"}</Badge> {e.concurrency} in flight
            </span>,
          ]),
        ]}
      />
      <ul className="flex flex-col gap-1.5 border-t border-zinc-800/80 px-3 py-2.5" data-testid="remote-capabilities">
        {remote.uses.map((u) => (
          <li key={u.feature} className="text-[11px]">
            <span className={u.available ? "text-emerald-300" : "text-amber-300"}>{u.available ? "✓" : "✗"}</span> <span className="text-zinc-300">{u.feature}</span>
            <div className="pl-4 text-[10px] text-zinc-500">{u.note}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
