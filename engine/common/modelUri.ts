import { MasqueError } from "./errors.js";

/** Where a model file comes from, resolved to the URL the downloader fetches. */
export interface ResolvedModelUri {
  /** An http(s) URL. */
  url: string;
  /** The file name the download is saved under (the last path segment). */
  fileName: string;
  /** For `hf:` URIs: the repository ("owner/name") and the revision (branch or commit). */
  huggingFace: { repo: string; revision: string; path: string } | null;
}

const HF_HOST = "https://huggingface.co";
const REPO_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;
const HTTP_URL = /^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i;
/** File names Masque writes into a models folder: no folders, no hidden files, a .gguf suffix. */
const MODEL_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+()-]{0,199}\.gguf$/i;

/** True when `name` is acceptable as the name of a downloaded model file. */
export function isSafeModelFileName(name: string): boolean {
  return MODEL_FILE_NAME.test(name) && !name.includes("..");
}

/**
 * Resolves a model URI: `hf:owner/repo/path/to/file.gguf` (optionally `#revision`, the
 * node-llama-cpp spelling; default `main`) becomes
 * `https://huggingface.co/owner/repo/resolve/<revision>/path/to/file.gguf`; an http(s) URL
 * is taken as it is. Pinning a commit as the revision keeps a catalog's sha256 valid when
 * the repository's main branch moves on.
 */
export function resolveModelUri(uri: string): ResolvedModelUri {
  const trimmed = uri.trim();
  if (trimmed.startsWith("hf:")) return resolveHuggingFace(trimmed.slice(3), uri);
  if (!HTTP_URL.test(trimmed)) {
    throw new MasqueError("bad-request", `Not a model address: ${JSON.stringify(uri.slice(0, 200))}. Use an http(s) URL or hf:owner/repo/file.gguf.`);
  }
  const path = trimmed.replace(/^https?:\/\/[^/?#]+/i, "").replace(/[?#].*$/, "");
  const last = path.split("/").pop() ?? "";
  return { url: trimmed, fileName: safeDecode(last), huggingFace: null };
}

function resolveHuggingFace(rest: string, original: string): ResolvedModelUri {
  const hash = rest.indexOf("#");
  const revision = hash < 0 ? "main" : rest.slice(hash + 1);
  const parts = (hash < 0 ? rest : rest.slice(0, hash)).split("/");
  const [owner, name, ...fileParts] = parts;
  const bad = (why: string) => new MasqueError("bad-request", `Not a Hugging Face file URI (${why}): ${JSON.stringify(original.slice(0, 200))}. Expected hf:owner/repo/file.gguf.`);
  if (owner === undefined || name === undefined || !REPO_PART.test(owner) || !REPO_PART.test(name)) throw bad("owner/repo");
  if (fileParts.length === 0 || fileParts.some((p) => p === "" || p === "." || p === "..")) throw bad("file path");
  if (!REVISION.test(revision) || revision.includes("..")) throw bad("revision");
  const path = fileParts.join("/");
  const url = `${HF_HOST}/${owner}/${name}/resolve/${revision.split("/").map(encodeURIComponent).join("/")}/${fileParts.map(encodeURIComponent).join("/")}`;
  return { url, fileName: fileParts[fileParts.length - 1]!, huggingFace: { repo: `${owner}/${name}`, revision, path } };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
