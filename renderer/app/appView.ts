import { createViewStore } from "../state/createViewStore";

export type Tab = "tree" | "lab" | "playground";

/**
 * Which workspace is shown. Until the user picks one, the tree workspace is shown when a
 * project is open and the raw playground otherwise (so a first start lands on something that
 * works without creating a project).
 */
export const useAppView = createViewStore<{ tab: Tab | null }>({ tab: null });

export function effectiveTab(chosen: Tab | null, projectOpen: boolean): Tab {
  return chosen ?? (projectOpen ? "tree" : "playground");
}

export function showTab(tab: Tab): void {
  useAppView.set({ tab });
}
