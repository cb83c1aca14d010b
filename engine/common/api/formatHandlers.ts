import { z } from "zod";
import { formatIds } from "../formats/catalog.js";
import { exportProject } from "../formats/exportProject.js";
import { importFile } from "../formats/importProject.js";
import { importLimits } from "../formats/limits.js";
import { handler, requireSession } from "./handler.js";
import { idSchema } from "../project/schema.js";
import type { ProjectPort } from "./projectPort.js";

export const exportProjectArgs = z.strictObject({
  format: z.enum(formatIds),
  scope: z.enum(["all", "active-path"]).optional(),
  treeId: idSchema.optional(),
});

export const importFileArgs = z.strictObject({
  format: z.enum(formatIds).optional(),
  fileName: z.string().max(1000),
  content: z.string().max(importLimits.maxChars),
});

/**
 * Export and import of the open project (docs/formats.md). Exports return the file's text
 * for the host to save or download; an import adds its trees to the open project as one
 * undoable change, or changes nothing and says why.
 */
export function createFormatHandlers(projects: ProjectPort, host: { engineVersion: string }, now: () => string = () => new Date().toISOString()) {
  const writer = `Masque ${host.engineVersion}`;
  return {
    exportProject: handler(exportProjectArgs, async (args) => exportProject(requireSession(projects).state, args, { now: now(), writer })),
    importFile: handler(importFileArgs, async ({ format, fileName, content }) => {
      const session = requireSession(projects);
      const imported = importFile({ content, fileName, format }, now());
      const patch = await session.perform("importRecords", { bundle: imported.bundle });
      return {
        format: imported.format,
        treeIds: patch.puts.filter((r) => r.kind === "tree").map((r) => r.id),
        nodes: imported.bundle.nodes.length,
        warnings: imported.warnings,
      };
    }),
  };
}
