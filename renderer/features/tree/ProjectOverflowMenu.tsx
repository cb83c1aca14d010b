import { useCallback, useRef, useState } from "react";
import { cx } from "../../ui/cx";
import { Icon, type IconName } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { useDismiss } from "../../ui/useDismiss";
import { openDialog } from "./ProjectDialogs";

/** Below 1280 px the project bar's New, Open and Save as live in this menu. */
export function ProjectOverflowMenu() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const item = (icon: IconName, label: string, testId: string, run: () => void) => (
    <button
      type="button"
      role="menuitem"
      data-testid={testId}
      onClick={() => {
        setOpen(false);
        run();
      }}
      className="flex w-full items-center gap-2 rounded px-2.5 py-1.5 text-left text-xs text-zinc-200 hover:bg-zinc-800 focus-visible:outline-1 focus-visible:outline-violet-400"
    >
      <Icon name={icon} className="size-3.5 text-zinc-400" />
      {label}
    </button>
  );
  return (
    <div ref={ref} className="relative xl:hidden">
      <IconButton icon="dots" label="More project commands" data-testid="project-menu-button" aria-haspopup="menu" aria-expanded={open} active={open} className="size-7" onClick={() => setOpen(!open)} />
      {open && (
        <div role="menu" data-testid="project-menu" className={cx("absolute top-full right-0 z-30 mt-2 flex w-48 flex-col rounded-lg border border-zinc-700 bg-zinc-900/95 p-1 shadow-2xl shadow-black/60")}>
          {item("plus", "New project…", "project-menu-new", () => openDialog("new-project"))}
          {item("folder", "Open…", "project-menu-open", () => openDialog("open-project"))}
          {item("save", "Save as…", "project-menu-save-as", () => openDialog("save-as"))}
        </div>
      )}
    </div>
  );
}
