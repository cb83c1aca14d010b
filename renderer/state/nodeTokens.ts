import { engine } from "../engineClient";
import { engineStore } from "./engineStore";

const requested = new Set<string>();

/**
 * Fetches a saved generated node's token texts once (records keep token ids and log-probs;
 * the engine turns ids into text with the model that made them), so a node streamed in an
 * earlier session is shaded token by token too. Silently does nothing when that model is
 * not loaded.
 */
export function ensureNodeTokens(nodeId: string): void {
  if (requested.has(nodeId) || engineStore.getState().tokenPieces.has(nodeId)) return;
  requested.add(nodeId);
  engine.call("nodeTokens", { nodeId }).then(
    ({ available, tokens }) => {
      if (!available) {
        requested.delete(nodeId);
        return;
      }
      engineStore.setState((s) => ({ tokenPieces: new Map(s.tokenPieces).set(nodeId, tokens.map((t) => ({ ...t, top: [] }))) }));
    },
    () => requested.delete(nodeId),
  );
}
