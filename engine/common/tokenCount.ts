import type { RuntimePort } from "./api/ports.js";

/**
 * A prompt's token count for display, or null when no engine is loaded or the engine cannot
 * tokenize locally (a remote server tokenizes on its side).
 */
export function promptTokenCount(runtime: RuntimePort, text: string): number | null {
  const loaded = runtime.current;
  if (loaded === null) return null;
  try {
    return runtime.tokenize(text).length + (loaded.model.addsBos ? 1 : 0);
  } catch {
    return null;
  }
}
