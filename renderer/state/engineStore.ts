import { create } from "zustand";
import type { ErrorPayload } from "../../engine/common/errors.js";
import type { CompletionResult, GeneratedToken, LoadedModel } from "../../engine/common/protocol.js";
import type { Connection, Transport } from "../engineClient";
import type { BranchJob } from "./branchJob";
import type { ProjectMirror } from "./projectMirror";

/**
 * The renderer's mirror of engine state: one store, written only by engineState.ts and
 * projectState.ts (from events and from replies to the renderer's own calls), read through
 * `useEngineState(selector)`.
 */
export interface HostFacts {
  engineVersion: string;
  nodeLlamaCppVersion: string;
  cores: number;
}

/** One completion as the UI follows it: streamed tokens first, the reply's tokens at the end. */
export interface CompletionJob {
  jobId: string;
  prompt: string;
  status: "running" | "done" | "error";
  /**
   * Tokens in append-only chunks, so a streaming render only reconciles the newest chunk.
   * Chunks are never mutated once stored.
   */
  chunks: GeneratedToken[][];
  tokenCount: number;
  startedAt: number;
  result: CompletionResult | null;
  error: ErrorPayload | null;
  cancelling: boolean;
}

export interface EngineState {
  transport: Transport;
  connection: Connection;
  host: HostFacts | null;
  /** Set when the engine cannot be reached at all (no token, server gone). */
  hostError: ErrorPayload | null;
  loaded: LoadedModel | null;
  /** The path being loaded, from `model.loading` until `model.changed`. */
  loadingPath: string | null;
  job: CompletionJob | null;
  /** The open project, mirrored from `project.opened` and `project.patch`; null when none is open. */
  project: ProjectMirror | null;
  /** False until the engine has said whether a project is open (avoids flashing the start screen). */
  projectKnown: boolean;
  /** What opening the project had to repair, until dismissed. */
  projectWarnings: string[];
  /** The running (or failed) tree generation. */
  branchJob: BranchJob | null;
  /**
   * Streamed tokens of nodes generated in this session, by node id: node records keep token ids
   * and log-probs but not each token's text, which shading the text by probability needs.
   */
  tokenPieces: ReadonlyMap<string, GeneratedToken[]>;
}

export const engineStore = create<EngineState>()(() => ({
  transport: "web",
  connection: "connecting",
  host: null,
  hostError: null,
  loaded: null,
  loadingPath: null,
  job: null,
  project: null,
  projectKnown: false,
  projectWarnings: [],
  branchJob: null,
  tokenPieces: new Map(),
}));
