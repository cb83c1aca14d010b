import { useState } from "react";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { Spinner } from "../../ui/Spinner";
import { importCard } from "./characterActions";
import { useCharacters } from "./charactersView";

/** Character Card import: choose a file or drop one here (.png with a chara/ccv3 chunk, .json, or a .charx archive). */
export function CardImportZone({ disabled }: { disabled: boolean }) {
  const [over, setOver] = useState(false);
  const importing = useCharacters((s) => s.importing);
  const error = useCharacters((s) => s.importError);
  const take = (files: FileList | null) => {
    const file = files?.[0];
    if (file !== undefined && !disabled && !importing) void importCard(file);
  };
  return (
    <div className="flex flex-col gap-2">
      <label
        data-testid="card-import-zone"
        onDragOver={(e) => {
          if (disabled) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          take(e.dataTransfer.files);
        }}
        className={cx(
          "flex items-center gap-3 rounded-lg border border-dashed px-3.5 py-2.5 transition-colors",
          disabled ? "cursor-not-allowed border-zinc-800 opacity-60" : "cursor-pointer",
          over ? "border-violet-400 bg-violet-500/10" : !disabled && "border-zinc-700 hover:border-zinc-500 hover:bg-zinc-800/30",
        )}
      >
        <span aria-hidden className="flex size-8 shrink-0 items-center justify-center rounded-md bg-zinc-800/80 ring-1 ring-zinc-700">
          {importing ? <Spinner className="size-3.5 text-violet-300" label="Importing" /> : <Icon name="upload" className="size-4 text-zinc-300" />}
        </span>
        <span className="flex min-w-0 flex-col">
          <span className="text-[12.5px] font-medium text-zinc-200">Import a character card</span>
          <span className="text-[11px] text-zinc-500">
            {disabled ? "Open or create a project first." : "Drop a SillyTavern card here (.png, .json or .charx, V1–V3), or click to choose one. Its first message opens the tree."}
          </span>
        </span>
        <input
          type="file"
          accept=".png,.json,.charx,image/png,application/json"
          data-testid="card-import-input"
          className="sr-only"
          disabled={disabled || importing}
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
      </label>
      {error !== null && <Callout tone="error" title="The card was not imported" data-testid="card-import-error">{error}</Callout>}
    </div>
  );
}
