import { createPortal } from "react-dom";
import { FirstRunScreen } from "./FirstRunScreen";
import { useFirstRunVisible } from "./firstRun";

/**
 * Puts the first-run screen over the workspace (between the title bar and the status bar)
 * while there is no model to work with. Mounted by the views that need a model (the model
 * panel, the tree start screen); only one of them is on screen at a time.
 */
export function FirstRunGate() {
  const visible = useFirstRunVisible();
  if (!visible) return null;
  return createPortal(
    <div className="fixed inset-x-0 top-11 bottom-7 z-30 overflow-y-auto bg-zinc-950">
      <FirstRunScreen />
    </div>,
    document.body,
  );
}
