import type { ProjectSession } from "../project/session.js";
import type { RecentProject } from "../settings.js";

/** Project files as the handlers see them; engine/node implements it on the file system. */
export interface ProjectPort {
  current(): ProjectSession | null;
  create(args: { name: string; rootText: string; path?: string | undefined }): Promise<ProjectSession>;
  open(path: string): Promise<{ session: ProjectSession; warnings: string[] }>;
  saveAs(path: string): Promise<ProjectSession>;
  recent(): Promise<RecentProject[]>;
  close(): Promise<void>;
}
