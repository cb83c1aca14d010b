import { useEngineState } from "../../state/engineState";
import { pickTree } from "../../state/projectQueries";
import { Button } from "../../ui/Button";
import { CopyText } from "../../ui/CopyText";
import { cx } from "../../ui/cx";
import { useMediaQuery, WIDE } from "../../ui/useMediaQuery";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { Select } from "../../ui/Select";
import { ExportMenu } from "../exports/ExportMenu";
import { ImportButton } from "../exports/ImportButton";
import { openCharacters } from "../characters/characterActions";
import { openDialog } from "./ProjectDialogs";
import { ProjectOverflowMenu } from "./ProjectOverflowMenu";
import { redo, undo } from "./projectActions";
import { showTree } from "./navigation";
import { useTreeView } from "./treeView";
import { useShownTreeId } from "./useTree";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? "⌘" : "Ctrl+";

/** The open project: its name and file, the tree shown, undo/redo, and the project commands. */
export function ProjectBar() {
  const name = useEngineState((s) => s.project?.meta.name ?? "");
  const path = useEngineState((s) => s.project?.path ?? "");
  const canUndo = useEngineState((s) => s.project?.canUndo ?? false);
  const canRedo = useEngineState((s) => s.project?.canRedo ?? false);
  const wide = useMediaQuery(WIDE);
  const drawer = useTreeView((s) => s.modelDrawer) ?? wide;
  const modelFile = useEngineState((s) => s.loaded?.model.fileName ?? null);
  return (
    <div className="flex h-12 shrink-0 items-center gap-3 border-b border-zinc-800 bg-zinc-900/40 px-3">
      <Button
        size="sm"
        variant="ghost"
        data-testid="model-drawer-toggle"
        onClick={() => useTreeView.set({ modelDrawer: !drawer })}
        aria-pressed={drawer}
        title={drawer ? "Hide the model panel" : "Show the model panel"}
        className={cx(drawer && "bg-zinc-800/70 text-zinc-100")}
      >
        <Icon name="sidebar" className="size-3.5" />
        <span className={cx("size-1.5 rounded-full", modelFile !== null ? "bg-emerald-400" : "bg-zinc-600")} aria-hidden />
        <span className="max-w-36 truncate font-mono text-[11px]">{modelFile ?? "no model"}</span>
      </Button>
      <div className="h-6 w-px bg-zinc-800" />
      <div className="flex min-w-0 flex-col leading-tight">
        <span className="truncate text-[13px] font-semibold text-zinc-50" data-testid="project-name">
          {name}
        </span>
        <CopyText text={path} className="max-w-[26rem] text-[10.5px] text-zinc-400" label="Copy project path" />
      </div>
      <TreeSelector />
      <div className="ml-auto flex items-center gap-1">
        <IconButton icon="undo" label={`Undo (${mod}Z)`} data-testid="undo-button" disabled={!canUndo} onClick={() => void undo()} className="size-7" />
        <IconButton icon="redo" label={`Redo (${mod}Shift+Z)`} data-testid="redo-button" disabled={!canRedo} onClick={() => void redo()} className="size-7" />
        <div className="mx-1.5 h-6 w-px bg-zinc-800" />
        {/* From 1280 px the project commands sit in the bar; below, they overflow into a menu. */}
        <div className="hidden items-center gap-1 xl:flex">
          <Button size="sm" variant="ghost" data-testid="project-new-button" onClick={() => openDialog("new-project")}>
            <Icon name="plus" className="size-3.5" />
            New
          </Button>
          <Button size="sm" variant="ghost" data-testid="project-open-dialog-button" onClick={() => openDialog("open-project")}>
            <Icon name="folder" className="size-3.5" />
            Open
          </Button>
          <Button size="sm" variant="ghost" data-testid="project-save-as-dialog-button" onClick={() => openDialog("save-as")}>
            <Icon name="save" className="size-3.5" />
            Save as
          </Button>
          <div className="mx-1.5 h-6 w-px bg-zinc-800" />
        </div>
        <ExportMenu />
        <ImportButton />
        <div className="mx-1.5 h-6 w-px bg-zinc-800" />
        <IconButton icon="keyboard" label="Keyboard shortcuts (?)" className="size-7" onClick={() => useTreeView.set((s) => ({ sheetOpen: !s.sheetOpen }))} />
        <ProjectOverflowMenu />
      </div>
    </div>
  );
}

/** The tree shown, when the project has several, and a way to start another. */
function TreeSelector() {
  const trees = useEngineState((s) => s.project?.trees ?? null);
  const chosen = useShownTreeId();
  if (trees === null) return null;
  const current = pickTree(trees, chosen);
  const list = [...trees.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <div className="ml-2 flex items-center gap-1">
      {list.length > 1 ? (
        <Select
          aria-label="Tree"
          data-testid="tree-select"
          className="h-7 w-32 text-xs xl:w-44"
          value={current?.id ?? ""}
          onChange={(e) => showTree(e.target.value)}
        >
          {list.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </Select>
      ) : (
        <span className="max-w-32 truncate rounded-md border border-zinc-800 bg-zinc-950/50 px-2 py-1 text-xs whitespace-nowrap text-zinc-300 xl:max-w-56" title={current?.name}>
          {current?.name}
        </span>
      )}
      <IconButton icon="plus" label="New tree" data-testid="tree-new-button" onClick={() => openDialog("new-tree")} />
      <Button size="sm" variant="ghost" data-testid="characters-open-button" onClick={openCharacters} title="New tree from a built-in character (contrasting simulacra) or from a character card">
        <Icon name="library" className="size-3.5" />
        <span className="hidden xl:inline">Characters</span>
      </Button>
    </div>
  );
}
