import { useEffect } from "react";
import { cancel, generate, isGenerating } from "./completionActions";

/**
 * Window-wide shortcuts: Ctrl/Cmd+Enter generates, Escape cancels a running job.
 * Registered once; the handlers read current state when they run.
 */
export function useCompletionShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.isComposing) {
        e.preventDefault();
        void generate();
      } else if (e.key === "Escape" && isGenerating()) {
        e.preventDefault();
        void cancel();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
