import { z } from "zod";
import { completeArgs } from "../protocol.js";
import { idSchema } from "./schema.js";

/**
 * What clients may ask of an open project. Each command's arguments are validated here
 * before the pure command in commands.ts runs (setGeneration is engine-internal).
 */
const TEXT = 4_000_000;
const name = z.string().trim().min(1).max(200);

export const performArgs = z.discriminatedUnion("command", [
  z.strictObject({ command: z.literal("newTree"), args: z.strictObject({ name, rootText: z.string().max(TEXT) }) }),
  z.strictObject({ command: z.literal("renameTree"), args: z.strictObject({ treeId: idSchema, name }) }),
  z.strictObject({ command: z.literal("deleteTree"), args: z.strictObject({ treeId: idSchema }) }),
  z.strictObject({
    command: z.literal("addChildren"),
    args: z.strictObject({ parentId: idSchema, children: z.array(z.strictObject({ text: z.string().max(TEXT) })).min(1).max(16) }),
  }),
  z.strictObject({ command: z.literal("editNode"), args: z.strictObject({ nodeId: idSchema, text: z.string().max(TEXT) }) }),
  z.strictObject({ command: z.literal("deleteSubtree"), args: z.strictObject({ nodeId: idSchema }) }),
  z.strictObject({ command: z.literal("setBookmark"), args: z.strictObject({ nodeId: idSchema, bookmarked: z.boolean() }) }),
  z.strictObject({ command: z.literal("setTags"), args: z.strictObject({ nodeId: idSchema, tags: z.array(z.string().max(100)).max(100) }) }),
  z.strictObject({ command: z.literal("setNote"), args: z.strictObject({ nodeId: idSchema, note: z.string().max(100_000) }) }),
  z.strictObject({ command: z.literal("setActive"), args: z.strictObject({ nodeId: idSchema }) }),
]);
export type PerformArgs = z.infer<typeof performArgs>;

const absolutePath = z.string().min(1).max(4096);

export const projectCreateArgs = z.strictObject({ name, rootText: z.string().max(TEXT), path: absolutePath.optional() });
export const projectPathArgs = z.strictObject({ path: absolutePath });
export const searchArgs = z.strictObject({ query: z.string().max(1000), limit: z.number().int().min(1).max(10_000).optional() });

const generationShape = completeArgs.pick({ jobId: true, maxTokens: true, sampling: true, seed: true, stop: true, topLogprobs: true });
export const generateChildrenArgs = generationShape.extend({ nodeId: idSchema, n: z.number().int().min(1).max(16) });
export const continueNodeArgs = generationShape.extend({ nodeId: idSchema });
export const replayNodeArgs = z.strictObject({ jobId: completeArgs.shape.jobId, nodeId: idSchema });
