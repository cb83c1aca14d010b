/**
 * Distinct, well-mixed seeds from one base seed (splitmix32). Reusing one seed for every
 * branch or turn would correlate them (the same seed from the same state draws the same
 * token), and base+i seeds are correlated in some samplers.
 */
export function deriveSeeds(base: number, count: number): number[] {
  const seeds: number[] = [];
  let state = base >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    seeds.push((z ^ (z >>> 16)) >>> 0);
  }
  return seeds;
}
