import type { CallReply } from "../engine/common/bridge.js";
import type { EngineEvent } from "../engine/common/protocol.js";

// The wire between electron/main (EngineSupervisor) and the utility process (engineProcess.ts).
// Both ends are ours, but messages are still shape-checked: a malformed one is a bug to report,
// not something to act on.

/** main → engine process: one call, answered by a reply with the same id. */
export interface EngineRequest {
  id: number;
  method: string;
  args: unknown;
}

/** engine process → main: a call's reply, or an engine event pushed to the window. */
export type EngineMessage = { id: number; reply: CallReply<unknown> } | { event: EngineEvent };

/** Shape check for messages arriving in the engine process. */
export function isEngineRequest(value: unknown): value is EngineRequest {
  if (typeof value !== "object" || value === null) return false;
  const { id, method } = value as Record<string, unknown>;
  return Number.isSafeInteger(id) && typeof method === "string";
}

/** Shape check for messages arriving in the main process. */
export function isEngineMessage(value: unknown): value is EngineMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Record<string, unknown>;
  if ("event" in message) return typeof message.event === "object" && message.event !== null;
  const reply = message.reply as Record<string, unknown> | undefined;
  return Number.isSafeInteger(message.id) && typeof reply === "object" && reply !== null && typeof reply.ok === "boolean";
}
