import type { LibraryFolder } from "../../../engine/common/modelLibraryPort.js";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { CopyText } from "../../ui/CopyText";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { addFolder, removeFolder } from "./modelLibraryActions";
import { useModelLibrary } from "./modelLibraryView";

const kindLabels: Record<LibraryFolder["kind"], string> = { app: "APP", downloads: "DOWNLOADS", user: "ADDED" };

/** The folders the library scans; the user's own can be added (by path) and removed. */
export function FolderList() {
  const folders = useModelLibrary((s) => s.scan?.folders ?? null);
  return (
    <div className="flex flex-col gap-2">
      {folders !== null && (
        <ul className="flex flex-col gap-1">
          {folders.map((f) => (
            <li key={f.path} data-testid="library-folder" data-kind={f.kind} className="flex items-center gap-2 rounded-md border border-zinc-800/80 bg-zinc-950/30 px-2.5 py-1.5">
              <Icon name="folder" className="size-3.5 shrink-0 text-zinc-500" />
              <CopyText text={f.path} className="min-w-0 flex-1 text-[11px] text-zinc-300" label="Copy folder path" />
              {!f.exists && <Badge tone="warn">MISSING</Badge>}
              <Badge>{kindLabels[f.kind]}</Badge>
              {f.removable && (
                <IconButton icon="x" label={`Stop scanning ${f.path}`} data-testid="library-folder-remove" onClick={() => void removeFolder(f.path)} />
              )}
            </li>
          ))}
        </ul>
      )}
      <AddFolderForm inputTestId="library-folder-input" />
    </div>
  );
}

/** A folder path and an Add button; errors (not a folder, not absolute) under it. */
export function AddFolderForm({ inputTestId, onAdded }: { inputTestId: string; onAdded?: () => void }) {
  const path = useModelLibrary((s) => s.folderPath);
  const error = useModelLibrary((s) => s.folderError);
  const adding = useModelLibrary((s) => s.addingFolder);
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void addFolder(path).then((ok) => ok && onAdded?.());
      }}
    >
      <div className="flex gap-2">
        <TextInput
          data-testid={inputTestId}
          aria-label="Folder to add"
          className="font-mono text-xs"
          placeholder="/path/to/a/folder/of/gguf/files"
          value={path}
          aria-invalid={error !== null || undefined}
          onChange={(e) => useModelLibrary.set({ folderPath: e.target.value, folderError: null })}
        />
        <Button type="submit" data-testid="library-folder-add" disabled={adding} className="w-[4.75rem]">
          {adding ? <Spinner label="Adding" /> : "Add"}
        </Button>
      </div>
      {error !== null && (
        <Callout tone="error" data-testid="library-folder-error">
          {error}
        </Callout>
      )}
    </form>
  );
}
