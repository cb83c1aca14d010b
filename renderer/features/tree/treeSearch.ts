import type { SearchHit } from "../../../engine/common/project/queries.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { createViewStore } from "../../state/createViewStore";
import { showError } from "./treeView";

/** The navigator's search: the query as typed and the engine's hits for it. */
export const useTreeSearch = createViewStore<{ query: string; hits: SearchHit[] | null; busy: boolean }>({ query: "", hits: null, busy: false });

export const SEARCH_INPUT_ID = "tree-search-input";
const DEBOUNCE_MS = 150;
const LIMIT = 500;
let timer: ReturnType<typeof setTimeout> | null = null;
let seq = 0;

/** Records the query and asks the engine once typing pauses; older replies are dropped. */
export function setSearchQuery(query: string): void {
  useTreeSearch.set({ query });
  if (timer !== null) clearTimeout(timer);
  if (query.trim() === "") {
    seq++;
    useTreeSearch.set({ hits: null, busy: false });
    return;
  }
  useTreeSearch.set({ busy: true });
  timer = setTimeout(() => void run(query), DEBOUNCE_MS);
}

async function run(query: string): Promise<void> {
  const mine = ++seq;
  try {
    const hits = await engine.call("search", { query, limit: LIMIT });
    if (mine === seq) useTreeSearch.set({ hits, busy: false });
  } catch (error) {
    if (mine === seq) useTreeSearch.set({ hits: [], busy: false });
    showError(errorPayloadOf(error));
  }
}
