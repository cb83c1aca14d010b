import type { ExportScope, FormatId } from "../../../engine/common/formats/catalog.js";
import { createViewStore } from "../../state/createViewStore";

/** What the last import did: shown under the Import button until dismissed. */
export interface ImportOutcome {
  fileName: string;
  format: string;
  nodes: number;
  trees: number;
  warnings: string[];
}

/** The export menu's choices and the import's outcome (nothing here is part of the project). */
export interface ExchangeView {
  exportOpen: boolean;
  format: FormatId;
  scope: ExportScope;
  /** A tree id, or "" for every tree of the project. */
  treeId: string;
  exporting: boolean;
  exportError: string | null;
  importing: boolean;
  importError: { fileName: string; message: string } | null;
  imported: ImportOutcome | null;
}

export const useExchange = createViewStore<ExchangeView>({
  exportOpen: false,
  format: "paths-jsonl",
  scope: "all",
  treeId: "",
  exporting: false,
  exportError: null,
  importing: false,
  importError: null,
  imported: null,
});
