import { engine, errorPayloadOf } from "../engineClient";
import { refreshModels } from "../features/model/modelActions";
import { refreshProject } from "../features/tree/projectActions";
import { applyEngineEvent, engineActions } from "../state/engineState";

/** Fetches the snapshot that events then keep current: host facts, loaded model, model list, open project. */
export async function resyncEngine(): Promise<void> {
  const apply = engineActions.beginStatusRead();
  try {
    apply(await engine.call("getStatus", {}));
  } catch (error) {
    engineActions.setHostError(errorPayloadOf(error));
    return;
  }
  await Promise.all([refreshModels(), refreshProject()]);
}

let connected = false;

/**
 * Wires the transport into the engine mirror, once. The snapshot is read now and again each
 * time the event stream (re)opens, so events missed while it was down are made good.
 */
export function connectEngine(): void {
  if (connected) return;
  connected = true;
  engineActions.setTransport(engine.transport);
  engineActions.setConnection(engine.connection);
  engine.onEvent(applyEngineEvent);
  engine.onConnection((state) => {
    engineActions.setConnection(state);
    if (state === "open") void resyncEngine();
  });
  void resyncEngine();
}
