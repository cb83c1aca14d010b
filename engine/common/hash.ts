/**
 * A 64-bit cache key ("have these inputs changed?"): two independent 32-bit FNV-1a hashes
 * of the UTF-16 code units. Not cryptographic: model and prompt identity use sha256.
 */
export function cacheKey(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (i & 0xff), 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}
