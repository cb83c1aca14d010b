import { downloadBlob } from "../../ui/downloadBlob";

/** Saves text the engine produced as a file, through the browser's download. */
export function saveTextFile(fileName: string, mimeType: string, content: string): void {
  downloadBlob(new Blob([content], { type: mimeType }), fileName);
}
