/**
 * Typed engine errors. Every failure that crosses the API boundary is a MasqueError with a
 * stable `code`, so the UI and tests can react to the kind of failure, not to message text.
 */
export type ErrorCode =
  | "model-not-found"
  | "not-gguf"
  | "unsupported-gguf"
  | "corrupt-gguf"
  | "model-load-failed"
  | "no-model"
  | "no-binary"
  | "bad-request"
  | "unknown-method"
  | "busy"
  | "cancelled"
  /** A remote engine (an OpenAI-compatible server) failed: unreachable, silent, 5xx, malformed. */
  | "remote-failed"
  | "internal";

/** An error with a machine-readable code and a message written for a person. */
export class MasqueError extends Error {
  override readonly name = "MasqueError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The wire form of an error, as it travels over IPC or HTTP. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  detail?: string;
}

/** Converts anything thrown into the wire form, without leaking stack traces. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof MasqueError) {
    return error.detail === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, detail: error.detail };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal", message };
}

/** Rebuilds a MasqueError on the client side of a transport. */
export function fromErrorPayload(payload: ErrorPayload): MasqueError {
  return new MasqueError(payload.code, payload.message, payload.detail);
}
