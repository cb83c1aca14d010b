import type { CatalogListEntry } from "../../../engine/common/modelLibraryPort.js";
import { Callout } from "../../ui/Callout";
import { Spinner } from "../../ui/Spinner";
import { CatalogEntryCard } from "./CatalogEntryCard";
import { useModelLibrary } from "./modelLibraryView";

/** The catalog of recommended base models, smallest first, each with its download. */
export function CatalogList({ loadWhenDone = false, exclude }: { loadWhenDone?: boolean; exclude?: string }) {
  const catalog = useModelLibrary((s) => s.catalog);
  const error = useModelLibrary((s) => s.catalogError);
  if (catalog === null) {
    return error !== null ? (
      <Callout tone="error" title="The catalog is unavailable" data-testid="catalog-error">
        {error.message}
      </Callout>
    ) : (
      <p className="flex items-center gap-2 text-xs text-zinc-500">
        <Spinner label="Reading the catalog" /> Reading the catalog…
      </p>
    );
  }
  const entries = bySize(catalog).filter((e) => e.id !== exclude);
  return (
    <ul data-testid="catalog-list" className="flex flex-col gap-2">
      {entries.map((entry) => (
        <CatalogEntryCard key={entry.id} entry={entry} loadWhenDone={loadWhenDone} />
      ))}
    </ul>
  );
}

export function bySize(catalog: readonly CatalogListEntry[]): CatalogListEntry[] {
  return [...catalog].sort((a, b) => a.parameterCount - b.parameterCount);
}
