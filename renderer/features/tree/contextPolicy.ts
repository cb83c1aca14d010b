import type { ContextPolicy } from "../../../engine/common/project/contextWindow.js";
import { createViewStore } from "../../state/createViewStore";

/**
 * What Generate and Self-play do when a conversation outgrows the model's context: slide a
 * window that keeps the frame (the default: long conversations never fail), or stop at the
 * limit. Each generated node records the window it used, so replay is exact either way.
 */
export const useContextPolicy = createViewStore<{ policy: ContextPolicy }>({ policy: "window" });
