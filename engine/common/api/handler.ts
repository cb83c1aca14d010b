import type { z } from "zod";
import { MasqueError } from "../errors.js";
import type { ProjectSession } from "../project/session.js";
import type { ProjectPort } from "./projectPort.js";

/** A handler is a function with the schema that validates its one argument. */
export function handler<S extends z.ZodType, R>(schema: S, run: (args: z.infer<S>) => Promise<R>) {
  return Object.assign((args: z.infer<S>) => run(args), { schema });
}

/** The open project's session, or a clear error. */
export function requireSession(projects: ProjectPort): ProjectSession {
  const current = projects.current();
  if (current === null) throw new MasqueError("bad-request", "No project is open.");
  return current;
}
