import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { MasqueError } from "../../common/errors.js";

/** One statement from Anthropic's model-written persona evals (CC BY 4.0). */
export interface PersonaStatement {
  statement: string;
  /** True when a persona with the trait would say it (answer_matching_behavior " Yes"). */
  matching: boolean;
  confidence: number;
}

/**
 * Reads a persona .jsonl file: statements with label_confidence >= minConfidence, split
 * into the pool a persona with the trait would say and the pool it would not, balanced to
 * the same size. Malformed lines are an error, never skipped silently.
 */
export async function readPersonaFile(path: string, minConfidence = 0.9): Promise<{ trait: string; matching: string[]; notMatching: string[] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new MasqueError("bad-request", `Cannot read persona file ${path}.`);
  }
  const statements: PersonaStatement[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let row: { statement?: unknown; answer_matching_behavior?: unknown; label_confidence?: unknown };
    try {
      row = JSON.parse(line);
    } catch {
      throw new MasqueError("bad-request", `${basename(path)} line ${i + 1} is not JSON.`);
    }
    if (typeof row.statement !== "string" || (row.answer_matching_behavior !== " Yes" && row.answer_matching_behavior !== " No") || typeof row.label_confidence !== "number") {
      throw new MasqueError("bad-request", `${basename(path)} line ${i + 1} is not a persona statement.`);
    }
    statements.push({ statement: row.statement, matching: row.answer_matching_behavior === " Yes", confidence: row.label_confidence });
  });
  const confident = statements.filter((s) => s.confidence >= minConfidence);
  const matching = confident.filter((s) => s.matching).map((s) => s.statement);
  const notMatching = confident.filter((s) => !s.matching).map((s) => s.statement);
  const n = Math.min(matching.length, notMatching.length);
  if (n < 10) throw new MasqueError("bad-request", `${basename(path)} has too few confident statements (${n} per side).`);
  return { trait: basename(path, ".jsonl"), matching: matching.slice(0, n), notMatching: notMatching.slice(0, n) };
}
