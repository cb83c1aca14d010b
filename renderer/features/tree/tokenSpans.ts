import type { TreeNode } from "../../../engine/common/project/types.js";
import type { GeneratedToken } from "../../../engine/common/protocol.js";

export interface TokenSpan {
  text: string;
  logprob: number;
}

export interface NodeTextParts {
  /** Text before the generated part (a continuation's original text), or all of a human node. */
  prefix: string;
  /** The generated part split into tokens, when their texts are known. */
  tokens: TokenSpan[] | null;
  /** The generated part as plain text, when the token texts are not known. */
  generated: string;
}

/**
 * Splits a node's text for display. Node records keep token ids and log-probs, not token
 * texts, so the split uses the tokens streamed when the node was made in this session, and
 * only if they spell exactly the stored text (a stop sequence is trimmed off the end).
 */
export function nodeTextParts(node: TreeNode, pieces: readonly GeneratedToken[] | undefined): NodeTextParts {
  const generation = node.generation;
  if (generation === null) return { prefix: node.text, tokens: null, generated: "" };
  const prefix = node.text.slice(0, generation.textOffset);
  const generated = node.text.slice(generation.textOffset);
  if (pieces === undefined || pieces.length === 0) return { prefix, tokens: null, generated };
  const tokens: TokenSpan[] = [];
  let at = 0;
  for (const piece of pieces) {
    if (at >= generated.length) break;
    const text = piece.text.slice(0, generated.length - at);
    if (!generated.startsWith(text, at)) return { prefix, tokens: null, generated };
    tokens.push({ text, logprob: piece.logprob });
    at += text.length;
  }
  return at === generated.length ? { prefix, tokens, generated } : { prefix, tokens: null, generated };
}

/** Mean probability of a node's generated tokens (from the stored log-probs), or null. */
export function meanProbability(node: TreeNode): number | null {
  const logprobs = node.generation?.logprobs;
  if (logprobs === undefined || logprobs.length === 0) return null;
  let sum = 0;
  for (const lp of logprobs) sum += Math.exp(lp);
  return sum / logprobs.length;
}
