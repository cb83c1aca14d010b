/**
 * What the project notice lists: the repairs made when the project was opened, then
 * warnings that came with later changes (a compaction that failed: the change is saved,
 * the file was not tidied). A warning repeated on every change is listed once.
 */
export function warningsAfterEvent(current: readonly string[], event: { type: "project.opened"; warnings: string[] } | { type: "project.patch"; warning?: string | undefined }): string[] {
  if (event.type === "project.opened") return [...event.warnings];
  if (event.warning === undefined || current.includes(event.warning)) return current as string[];
  return [...current, event.warning];
}
