import { MasqueError } from "../errors.js";
import { PROJECT_FORMAT_VERSION } from "./types.js";

/**
 * Format migrations (STYLE rule 4). `migrations[v]` turns one raw line of version v into
 * version v + 1. Each migration lands with a fixture of the version it reads in
 * tests/fixtures/, and a test that opens it. Version 1 is the first format.
 */
const migrations: Record<number, (line: Record<string, unknown>) => Record<string, unknown>> = {};

/** Brings a raw line from `version` to the current version. */
export function migrateLine(version: number, line: Record<string, unknown>): Record<string, unknown> {
  if (version > PROJECT_FORMAT_VERSION) {
    throw new MasqueError("bad-request", `This project was written by a newer Masque (format ${version}; this one reads up to ${PROJECT_FORMAT_VERSION}). Update Masque to open it.`);
  }
  let out = line;
  for (let v = version; v < PROJECT_FORMAT_VERSION; v++) {
    const step = migrations[v];
    if (step === undefined) throw new MasqueError("internal", `No migration from project format ${v}.`);
    out = step(out);
  }
  return out;
}
