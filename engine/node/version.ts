/** Masque's engine version, recorded in every generation record. Bump with behaviour changes. */
export const ENGINE_VERSION = "0.1.0";
/** The exact node-llama-cpp the engine is pinned to (package.json pins the same). */
export const NODE_LLAMA_CPP_VERSION = "3.21.1";
