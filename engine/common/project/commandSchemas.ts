import { z } from "zod";
import { completeArgs } from "../protocol.js";
import { idSchema, sceneSchema, simulacrumSchema } from "./schema.js";

/**
 * What clients may ask of an open project. Each command's arguments are validated here
 * before the pure command in commands.ts runs (setGeneration is engine-internal).
 */
const TEXT = 4_000_000;
const name = z.string().trim().min(1).max(200);

export const performArgs = z.discriminatedUnion("command", [
  z.strictObject({ command: z.literal("newTree"), args: z.strictObject({ name, rootText: z.string().max(TEXT), sceneId: idSchema.nullable().optional() }) }),
  z.strictObject({ command: z.literal("newTreeFromNode"), args: z.strictObject({ nodeId: idSchema, mode: z.enum(["path", "subtree"]), name }) }),
  z.strictObject({ command: z.literal("renameTree"), args: z.strictObject({ treeId: idSchema, name }) }),
  z.strictObject({ command: z.literal("deleteTree"), args: z.strictObject({ treeId: idSchema }) }),
  z.strictObject({
    command: z.literal("addChildren"),
    args: z.strictObject({
      parentId: idSchema,
      children: z.array(z.strictObject({ text: z.string().max(TEXT), speaker: z.string().min(1).max(100).nullable().optional() })).min(1).max(16),
    }),
  }),
  z.strictObject({ command: z.literal("editNode"), args: z.strictObject({ nodeId: idSchema, text: z.string().max(TEXT) }) }),
  z.strictObject({ command: z.literal("deleteSubtree"), args: z.strictObject({ nodeId: idSchema }) }),
  z.strictObject({ command: z.literal("setBookmark"), args: z.strictObject({ nodeId: idSchema, bookmarked: z.boolean() }) }),
  z.strictObject({ command: z.literal("setTags"), args: z.strictObject({ nodeId: idSchema, tags: z.array(z.string().max(100)).max(100) }) }),
  z.strictObject({ command: z.literal("setNote"), args: z.strictObject({ nodeId: idSchema, note: z.string().max(100_000) }) }),
  z.strictObject({ command: z.literal("setActive"), args: z.strictObject({ nodeId: idSchema }) }),
  z.strictObject({ command: z.literal("setActiveTree"), args: z.strictObject({ treeId: idSchema }) }),
  z.strictObject({ command: z.literal("putSimulacrum"), args: z.strictObject({ simulacrum: simulacrumSchema }) }),
  z.strictObject({ command: z.literal("deleteSimulacrum"), args: z.strictObject({ simulacrumId: idSchema }) }),
  z.strictObject({ command: z.literal("putScene"), args: z.strictObject({ scene: sceneSchema }) }),
  z.strictObject({ command: z.literal("deleteScene"), args: z.strictObject({ sceneId: idSchema }) }),
]);
export type PerformArgs = z.infer<typeof performArgs>;

const absolutePath = z.string().min(1).max(4096);

export const projectCreateArgs = z.strictObject({ name, rootText: z.string().max(TEXT), path: absolutePath.optional() });
export const projectPathArgs = z.strictObject({ path: absolutePath });
export const searchArgs = z.strictObject({ query: z.string().max(1000), limit: z.number().int().min(1).max(10_000).optional() });

/** What a run does at the context limit: slide a window that keeps the frame (default), or stop. */
export const contextPolicySchema = z.enum(["window", "stop"]);
const generationShape = completeArgs
  .pick({ jobId: true, maxTokens: true, sampling: true, seed: true, stop: true, topLogprobs: true })
  .extend({ contextPolicy: contextPolicySchema.optional() });
export type GenerationOptions = z.infer<typeof generationShape>;
const speaker = z.string().min(1).max(100).nullable().optional();
export const generateChildrenArgs = generationShape.extend({ nodeId: idSchema, n: z.number().int().min(1).max(16), speaker });
export const continueNodeArgs = generationShape.extend({ nodeId: idSchema });
export const replayNodeArgs = z.strictObject({ jobId: completeArgs.shape.jobId, nodeId: idSchema });
export const selfPlayArgs = generationShape.extend({
  nodeId: idSchema,
  turns: z.number().int().min(1).max(200),
  /** User lines; omitted: the scene's script, and the model plays user turns once it runs out. */
  script: z.array(z.string().max(100_000)).max(10_000).optional(),
});
export const counterfactualArgs = generationShape.extend({ nodeId: idSchema, sceneId: idSchema, rest: z.boolean() });
/** of "children" (default): the document the next turn after the node continues; "node": the one that produced it. */
export const showPromptArgs = z.strictObject({ nodeId: idSchema, speaker, of: z.enum(["children", "node"]).optional() });
/** The next turn's prompt size against the context, under a policy, for the budget display. */
export const promptBudgetArgs = z.strictObject({ nodeId: idSchema, speaker, maxTokens: z.number().int().min(1).max(100_000), contextPolicy: contextPolicySchema.optional() });
export const nodeTokensArgs = z.strictObject({ nodeId: idSchema });
const tokenIndex = z.number().int().min(0).max(1_000_000);
/** The alternatives at generated token `index` of a node. */
export const tokenAlternativesArgs = z.strictObject({ nodeId: idSchema, index: tokenIndex, k: z.number().int().min(1).max(20).optional() });
/** Fork a generated node at token `index`: force `tokenId` there and generate N continuations. */
export const forkAtTokenArgs = generationShape.extend({ nodeId: idSchema, index: tokenIndex, tokenId: z.number().int().min(0), n: z.number().int().min(1).max(16) });
