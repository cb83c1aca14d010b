import { useState } from "react";
import type { ErrorPayload } from "../../../engine/common/errors.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { engineActions, useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { cx } from "../../ui/cx";
import { inputClass } from "../../ui/inputClass";

/**
 * The engine picker's remote side: one or more base URLs of OpenAI-compatible servers
 * (replicas of one model) and, optionally, the model id. The API key is never typed here:
 * the engine reads it from MASQUE_API_KEY (web mode) or the app's encrypted store.
 */
export function RemoteEngineForm() {
  return (
    <details className="group rounded-md border border-zinc-800 bg-zinc-950/40" data-testid="remote-engine">
      <summary className="cursor-pointer select-none px-3 py-2 text-[11px] font-medium text-zinc-400">Remote engine (vLLM, llama-server)</summary>
      <RemoteEngineFields className="px-3 pb-3" />
    </details>
  );
}

/**
 * The remote engine's fields on their own (the first-run screen shows them without the
 * fold). `onConnect` runs as a connection starts.
 */
export function RemoteEngineFields({ className, onConnect }: { className?: string; onConnect?: () => void }) {
  const [urls, setUrls] = useState("");
  const [serverModel, setServerModel] = useState("");
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [key, setKey] = useState("");
  const [keyNote, setKeyNote] = useState<string | null>(null);
  // Only the desktop app takes a key here (kept encrypted by the OS keychain); web mode reads MASQUE_API_KEY.
  const desktop = engine.transport !== "web";
  const saveKey = async (value: string | null) => {
    try {
      await engine.call("remoteSetApiKey", { key: value });
      setKey("");
      setKeyNote(value === null ? "Key forgotten." : "Key saved in the system keychain.");
    } catch (e) {
      setError(errorPayloadOf(e));
    }
  };
  const busy = useEngineState((s) => s.loadingPath !== null);
  const connect = async () => {
    const endpoints = urls.split(/[\s,]+/).filter((u) => u !== "").map((url) => ({ url }));
    if (endpoints.length === 0) {
      setError({ code: "bad-request", message: "Type the base URL of a vLLM or llama-server endpoint, e.g. http://127.0.0.1:8080." });
      return;
    }
    setError(null);
    onConnect?.();
    engineActions.loadStarted(endpoints.map((e) => e.url).join(", "));
    try {
      engineActions.loadEnded(await engine.call("remoteConnect", { endpoints, ...(serverModel.trim() === "" ? {} : { serverModel: serverModel.trim() }) }));
    } catch (e) {
      engineActions.loadEnded(undefined);
      setError(errorPayloadOf(e));
    }
  };
  return (
    <form
        className={cx("flex flex-col gap-2", className)}
        onSubmit={(e) => {
          e.preventDefault();
          void connect();
        }}
      >
        <label htmlFor="remote-urls" className="text-[11px] text-zinc-500">
          Endpoints, one per line (replicas of one model)
        </label>
        <textarea
          id="remote-urls"
          data-testid="remote-urls"
          rows={2}
          className={`${inputClass} font-mono text-xs`}
          placeholder="http://127.0.0.1:8080"
          value={urls}
          onChange={(e) => setUrls(e.target.value)}
        />
        <TextInput data-testid="remote-server-model" className="font-mono text-xs" placeholder="server model id (optional)" value={serverModel} onChange={(e) => setServerModel(e.target.value)} />
        <Button type="submit" variant="secondary" size="sm" data-testid="remote-connect" disabled={busy}>
          {busy ? <Spinner label="Connecting" /> : "Connect"}
        </Button>
        {desktop && (
          <div className="flex gap-2">
            <TextInput type="password" autoComplete="off" data-testid="remote-api-key" className="font-mono text-xs" placeholder="API key (optional)" value={key} onChange={(e) => setKey(e.target.value)} />
            <Button type="button" size="sm" variant="ghost" disabled={key === ""} onClick={() => void saveKey(key)}>
              Save key
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => void saveKey(null)} title="Forget the saved key">
              Forget
            </Button>
          </div>
        )}
        {keyNote !== null && <p className="text-[10px] text-emerald-300/80">{keyNote}</p>}
        <p className="text-[10px] text-zinc-500">
          {desktop ? "Keys are kept encrypted by the system keychain" : "API keys come from MASQUE_API_KEY"} and are never saved in projects, records or exports.
        </p>
        {error !== null && (
          <Callout tone="error" data-testid="remote-error" title={error.message}>
            <span className="font-mono text-[11px] text-rose-200/70">{error.code}</span>
          </Callout>
        )}
      </form>
  );
}
