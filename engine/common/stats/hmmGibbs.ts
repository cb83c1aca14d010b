import { gamma, normal, seededRandom, type Random } from "./random.js";

/**
 * A Bayesian hidden Markov model over the tracked turns of many rollouts, fitted by Gibbs
 * sampling with forward-filtering backward-sampling (FFBS) of the hidden paths.
 *
 * Why this and not counting labels: thresholded labels drop the turns at a switch and turn
 * single false blips into return transitions, which biases the transition matrix in the
 * direction of the Waluigi hypothesis. Here the persona is the hidden state, each turn's
 * evidence is an emission, and the transition matrix is estimated jointly with the paths.
 *
 * The model, per condition:
 * - Rollout r has its own transition matrix; row i is Dirichlet(c_i · m_i). The estimand is
 *   m (the population mean of per-rollout switch probabilities); c_i (concentration) is
 *   learned, so heterogeneous rollouts widen the intervals instead of breaking them.
 *   Priors: m_i ~ Dirichlet(½, …) (Jeffreys-like); the heterogeneity is given a prior on the
 *   coefficient of variation of the per-rollout probability of leaving state i (rollouts
 *   alike, or log cv_i ~ Normal(log 1, 1); see logCvPrior), from which c_i follows
 *   (see concentrationOf).
 * - The first state is Categorical(π₀), π₀ ~ Dirichlet(½, …).
 * - Evidence (uncalibrated per-state scores) enters as K − 1 contrasts, score_k − mean(scores),
 *   k < K − 1 (a per-turn shift common to all states, such as turn length, cancels). There are
 *   K Gaussian "looks" (one per state: mean and variance per contrast learned, since scale,
 *   offset and spread differ by state, with a weak Normal–Inverse-Gamma prior scaled to the
 *   data). A turn in state s looks like state j with probability W_sj (a per-turn latent
 *   look), so each state's evidence is a mixture: mostly its own look, sometimes another's.
 *   Why: a tracker that hears tone, not intent, sees a hostile turn that opens politely as a
 *   helpful one; with one Gaussian per state the HMM reads every such turn as two switches
 *   (measured with 5%/15% such turns: planted 0.08/0.08 estimated as about 0.19/0.30, coverage
 *   0; the demo's moody scene gave 0.28/0.24). The chain's stickiness tells a one-turn look
 *   from a switch. Rows W_s ~ Dirichlet(1, …, 1) restricted to W_ss > ½ (a state mostly looks
 *   like itself; a Dirichlet(½) prior on the other looks favours tiny contamination, which
 *   pushes misleading turns back towards switches); without contamination W_ss goes to 1 and
 *   this is the Gaussian HMM.
 * - Only the frames' sign is assumed: on average, state k's look scores highest for k (its
 *   mean centred score for k beats every other state's). That constraint names the states, so
 *   there is no label switching, and a condition whose turns are nearly all in one state is
 *   not split into two clusters (which an ordering-only rule would do).
 * - A turn with a known state (a ground-truth label) is pinned to it; a missing turn
 *   (uncertain, degenerate) carries no evidence, and its state is sampled from the chain alone.
 *
 * Deterministic: the same data, options and seed give the same draws, bit for bit.
 */
export type HmmObservation = { evidence: readonly number[] } | { state: number } | null;

export interface HmmGibbsOptions {
  seed: number;
  chains?: number;
  warmup?: number;
  /** Kept draws per chain. */
  draws?: number;
  /** Keep the sampled hidden paths of this many draws in all (spread evenly), for survival and occupancy. */
  pathDraws?: number;
}

export interface HmmPosterior {
  k: number;
  chains: number;
  drawsPerChain: number;
  /** Population-mean transition matrices m, row-major: draw d's cell (i, j) at d·K² + i·K + j. Draws are chain-major. */
  mean: Float64Array;
  /** Initial-state distributions, draw d's state i at d·K + i. */
  initial: Float64Array;
  /** Row concentrations c_i (large: rollouts alike; small: rollouts differ), d·K + i. */
  concentration: Float64Array;
  /** Coefficient of variation of the per-rollout probability of leaving state i, d·K + i (what the heterogeneity prior is on). */
  variation: Float64Array;
  /** Emission mixing W: the probability that a turn in state i looks like state j, d·K² + i·K + j (identity without evidence). */
  mixing: Float64Array;
  /** Sampled hidden paths of a subset of draws: each is one state per turn, rollouts concatenated. */
  paths: Int8Array[];
  /** Rollout r's turns are [offsets[r], offsets[r + 1]) in each path. */
  offsets: Int32Array;
  /** Whether any turn carried evidence (an HMM on evidence) rather than only labels. */
  fromEvidence: boolean;
}

/**
 * Prior on the log coefficient of variation of per-rollout leaving probabilities, a mixture
 * of two answers to "do rollouts differ?": a quarter on "alike" (cv near 0.05: rollouts
 * within a few percent of each other) and three quarters on "differ" (log-normal, median 1,
 * 95% within about 0.14–7, below the largest cv a Beta allows, √((1 − s)/s)).
 * Why: with ~10 tracked turns the data barely tell rollouts that differ from rollouts that
 * are alike (simulated with Beta c = 5 rollouts, the posterior of c spans 1 to 10⁸), yet the
 * population mean depends on it: a rollout that rarely leaves a state spends many turns
 * there, so treating rollouts as alike weighs it more and pulls the mean down. The log-normal
 * alone (median 1) keeps coverage when rollouts differ, but when they are alike it lets the
 * odd turn that only looks like the other state pass for a fast-switching rollout: with 5%
 * and 15% such turns, p(L→W) covered 85% (200 experiments). With the "alike" quarter it
 * covers 93/93/96% (400 experiments), and Beta c = 5 still 93/93/94%. Measured alternatives:
 * half the weight on "alike" covers c = 5 only 86/88%; all of it, 22/47%; a median of 0.5
 * without "alike", 88/89%. One level shared by the rows (the well-visited state telling how
 * much rollouts differ in the rarely visited one) did not narrow the cautious intervals of
 * the rarely visited state, so each row keeps its own.
 */
const CV_ALIKE_WEIGHT = 0.25;
const CV_ALIKE = { mean: Math.log(0.05), sd: 0.3 };
const CV_DIFFER = { mean: Math.log(1), sd: 1 };
/** Log prior density of log cv (up to a constant): the mixture of "alike" and "differ". */
function logCvPrior(v: number): number {
  const density = (p: { mean: number; sd: number }) => Math.exp(-0.5 * ((v - p.mean) / p.sd) ** 2) / p.sd;
  return Math.log(CV_ALIKE_WEIGHT * density(CV_ALIKE) + (1 - CV_ALIKE_WEIGHT) * density(CV_DIFFER));
}
/** A draw of log cv from that prior. */
function drawLogCv(random: Random): number {
  const p = random() < CV_ALIKE_WEIGHT ? CV_ALIKE : CV_DIFFER;
  return p.mean + p.sd * normal(random);
}

/**
 * The row concentration c that gives the per-rollout probability of leaving state i (mean
 * s = 1 − m_ii) a coefficient of variation cv: Var = s(1 − s)/(c + 1) = (cv·s)². A prior on
 * c itself would mean very different heterogeneity for rare and common switches (c = 20 is
 * mild for s = 0.2 and extreme for s = 0.02), and pulls rare-switch estimates up.
 */
function concentrationOf(leave: number, cv: number): number {
  return (1 - leave) / (leave * cv * cv) - 1;
}
const ROW_PRIOR = 0.5;
/** Dirichlet prior of an emission-mixing row: weight on the state's own look, and on each other look. */
const MIX_PRIOR_OWN = 1;
const MIX_PRIOR_OTHER = 1;
/** A state looks like itself at least this often (this names the looks after the states). */
const MIX_MIN_OWN = 0.5;

/** Fits the model to the rollouts of one condition. `k` states; each rollout a list of per-turn observations. */
export function fitHmmGibbs(rollouts: readonly (readonly HmmObservation[])[], k: number, options: HmmGibbsOptions): HmmPosterior {
  if (k < 2 || k > 8) throw new RangeError(`An HMM needs 2 to 8 states (got ${k}).`);
  const chains = options.chains ?? 4;
  const warmup = options.warmup ?? 400;
  const draws = options.draws ?? 400;
  const data = prepare(rollouts, k);
  const total = chains * draws;
  const pathEvery = Math.max(1, Math.floor(total / Math.max(1, options.pathDraws ?? 200)));
  const out: HmmPosterior = {
    k,
    chains,
    drawsPerChain: draws,
    mean: new Float64Array(total * k * k),
    initial: new Float64Array(total * k),
    concentration: new Float64Array(total * k),
    variation: new Float64Array(total * k),
    mixing: new Float64Array(total * k * k),
    paths: [],
    offsets: data.offsets,
    fromEvidence: data.dims > 0,
  };
  for (let chain = 0; chain < chains; chain++) {
    const state = new ChainState(data, seededRandom(mix(options.seed, chain)), chain);
    for (let it = 0; it < warmup + draws; it++) {
      state.sweep();
      if (it < warmup) continue;
      const d = chain * draws + (it - warmup);
      out.mean.set(state.m, d * k * k);
      out.initial.set(state.pi0, d * k);
      out.concentration.set(state.c, d * k);
      out.variation.set(state.cv, d * k);
      out.mixing.set(state.mixing, d * k * k);
      if (d % pathEvery === 0) out.paths.push(Int8Array.from(state.z));
    }
  }
  return out;
}

/** A chain's seed from the run seed (splitmix-style mixing, so chains are unrelated). */
function mix(seed: number, chain: number): number {
  let z = (seed + Math.imul(chain + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

interface Prepared {
  k: number;
  dims: number;
  n: number;
  rollouts: number;
  offsets: Int32Array;
  /** Contrasts, n × dims (NaN rows where the turn has no evidence). */
  x: Float64Array;
  hasEvidence: Uint8Array;
  /** Known state per turn, or -1. */
  known: Int8Array;
  prior: { mu0: Float64Array; kappa0: number; a0: number; b0: Float64Array };
}

function prepare(rollouts: readonly (readonly HmmObservation[])[], k: number): Prepared {
  const offsets = new Int32Array(rollouts.length + 1);
  rollouts.forEach((r, i) => (offsets[i + 1] = offsets[i]! + r.length));
  const n = offsets[rollouts.length]!;
  const anyEvidence = rollouts.some((r) => r.some((o) => o !== null && "evidence" in o));
  const dims = anyEvidence ? k - 1 : 0;
  const x = new Float64Array(n * Math.max(1, dims)).fill(NaN);
  const hasEvidence = new Uint8Array(n);
  const known = new Int8Array(n).fill(-1);
  let t = 0;
  for (const r of rollouts) {
    for (const o of r) {
      if (o !== null && "state" in o) {
        if (!Number.isInteger(o.state) || o.state < 0 || o.state >= k) throw new RangeError(`State ${o.state} is not one of the ${k} states.`);
        known[t] = o.state;
      } else if (o !== null) {
        if (o.evidence.length !== k || !o.evidence.every(Number.isFinite)) throw new RangeError(`Evidence must be ${k} finite numbers, one per state.`);
        const avg = o.evidence.reduce((a, b) => a + b, 0) / k;
        for (let d = 0; d < dims; d++) x[t * dims + d] = o.evidence[d]! - avg;
        hasEvidence[t] = 1;
      }
      t++;
    }
  }
  // Weak prior scaled to the data: centred on the overall mean, a variance guess of a tenth of
  // the total spread, worth about two observations; the mean's prior is a hundredth of one.
  const mu0 = new Float64Array(Math.max(1, dims));
  const b0 = new Float64Array(Math.max(1, dims));
  for (let d = 0; d < dims; d++) {
    let s = 0;
    let s2 = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!hasEvidence[i]) continue;
      const v = x[i * dims + d]!;
      s += v;
      s2 += v * v;
      m++;
    }
    const mean = m === 0 ? 0 : s / m;
    const variance = m < 2 ? 1 : Math.max(1e-12, s2 / m - mean * mean);
    mu0[d] = mean;
    b0[d] = 0.1 * variance;
  }
  return { k, dims, n, rollouts: rollouts.length, offsets, x, hasEvidence, known, prior: { mu0, kappa0: 0.01, a0: 1, b0 } };
}

/** One chain's current values and its scratch buffers (allocated once). */
class ChainState {
  readonly m: Float64Array;
  readonly c: Float64Array;
  /** Per row: coefficient of variation of the per-rollout leaving probability (c follows from it and m). */
  readonly cv: Float64Array;
  readonly pi0: Float64Array;
  readonly z: Int8Array;
  /** Emission mixing W (row s: which look a turn in state s has), K × K. */
  readonly mixing: Float64Array;
  /** Per turn: the look its evidence was drawn from (the latent mixture component). */
  private readonly look: Int8Array;
  /** Per turn and look: log density of the evidence under that look. */
  private readonly logLook: Float64Array;
  private readonly mixCounts: Float64Array;
  /** Per-rollout transition matrices, r·K² + i·K + j. */
  private readonly tr: Float64Array;
  private readonly mu: Float64Array;
  private readonly sigma2: Float64Array;
  private readonly counts: Int32Array;
  private readonly logEmit: Float64Array;
  private readonly alpha: Float64Array;
  private readonly weights: Float64Array;
  private readonly eta: Float64Array;
  private readonly proposedMu: Float64Array;
  private readonly proposedVar: Float64Array;
  private readonly proposal: Float64Array;
  /** cumulative[i·K·(H+1) + j·(H+1) + l] = number of rollouts with more than l transitions i→j (j = K: from i at all). */
  private cumulative: Int32Array;
  private maxCount = 0;

  constructor(
    private readonly data: Prepared,
    private readonly random: Random,
    chain: number,
  ) {
    const { k, n, rollouts, dims } = data;
    this.m = new Float64Array(k * k);
    this.c = new Float64Array(k).fill(20);
    this.cv = new Float64Array(k).fill(0.5);
    this.pi0 = new Float64Array(k).fill(1 / k);
    this.z = new Int8Array(n);
    this.mixing = new Float64Array(k * k);
    for (let s = 0; s < k; s++) for (let j = 0; j < k; j++) this.mixing[s * k + j] = dims === 0 ? (s === j ? 1 : 0) : s === j ? 0.9 : 0.1 / (k - 1);
    this.look = new Int8Array(n);
    this.logLook = new Float64Array(n * k);
    this.mixCounts = new Float64Array(k);
    this.tr = new Float64Array(rollouts * k * k);
    this.mu = new Float64Array(k * Math.max(1, dims));
    this.sigma2 = new Float64Array(k * Math.max(1, dims)).fill(1);
    this.counts = new Int32Array(rollouts * k * k);
    this.logEmit = new Float64Array(n * k);
    this.alpha = new Float64Array(n * k);
    this.weights = new Float64Array(k);
    this.eta = new Float64Array(k);
    this.proposedMu = new Float64Array(Math.max(1, dims));
    this.proposedVar = new Float64Array(Math.max(1, dims));
    this.proposal = new Float64Array(k);
    this.cumulative = new Int32Array(0);
    this.initialise(chain);
  }

  /** Starting paths: k-means on the contrasts (labels where known), then a few random flips per chain so chains start apart. */
  private initialise(chain: number): void {
    const { k, n, dims, x, hasEvidence, known } = this.data;
    const rand = this.random;
    const z = this.z;
    if (dims > 0) {
      // Start every state at a mean that satisfies its sign constraint, and each turn in the
      // state whose own score is highest.
      let scale = 0;
      for (let d = 0; d < dims; d++) scale += Math.sqrt(this.data.prior.b0[d]! * 10) / dims;
      for (let st = 0; st < k; st++) {
        for (let d = 0; d < dims; d++) {
          this.mu[st * dims + d] = (d === st ? 1 : -1 / (k - 1)) * scale;
          this.sigma2[st * dims + d] = scale * scale;
        }
      }
      for (let t = 0; t < n; t++) {
        if (!hasEvidence[t]) continue;
        let best = k - 1;
        let bestScore = 0;
        for (let d = 0; d < dims; d++) bestScore -= x[t * dims + d]!;
        for (let d = 0; d < dims; d++) if (x[t * dims + d]! > bestScore) [bestScore, best] = [x[t * dims + d]!, d];
        z[t] = best;
      }
    }
    for (let t = 0; t < n; t++) {
      if (known[t]! >= 0) z[t] = known[t]!;
      else if (!hasEvidence[t]) z[t] = t > 0 ? z[t - 1]! : 0;
      else if (chain > 0 && rand() < 0.1) z[t] = Math.floor(rand() * k);
    }
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) this.m[i * k + j] = i === j ? 0.9 : 0.1 / (k - 1);
    // The first rollout matrices come from the sticky prior alone (counts start at zero): the
    // turn-by-turn starting paths switch far too often on weak evidence, and matrices drawn
    // from their counts would keep the chain there through a short warm-up.
    this.countTransitions();
    this.counts.fill(0);
    this.sampleRolloutMatrices();
  }

  sweep(): void {
    if (this.data.dims > 0) this.computeEmissions();
    this.samplePaths();
    if (this.data.dims > 0) {
      this.sampleLooks();
      this.sampleMixing();
      this.sampleEmissions();
    }
    this.countTransitions();
    this.sampleInitial();
    this.sampleMeanAndConcentration();
    this.sampleRolloutMatrices();
  }

  /** Per turn: the log density under each look, and under each state (its mixture of looks). */
  private computeEmissions(): void {
    const { k, n, dims, x, hasEvidence } = this.data;
    const le = this.logEmit;
    const ll = this.logLook;
    for (let t = 0; t < n; t++) {
      if (!hasEvidence[t]) {
        for (let s = 0; s < k; s++) le[t * k + s] = 0;
        continue;
      }
      let max = -Infinity;
      for (let j = 0; j < k; j++) {
        let l = 0;
        for (let d = 0; d < dims; d++) {
          const v = this.sigma2[j * dims + d]!;
          const r = x[t * dims + d]! - this.mu[j * dims + d]!;
          l -= 0.5 * (Math.log(v) + (r * r) / v);
        }
        ll[t * k + j] = l;
        if (l > max) max = l;
      }
      for (let s = 0; s < k; s++) {
        let p = 0;
        for (let j = 0; j < k; j++) p += this.mixing[s * k + j]! * Math.exp(ll[t * k + j]! - max);
        le[t * k + s] = max + Math.log(p);
      }
    }
  }

  /** Each evidence turn's look given its sampled state: p(j) ∝ W_zj · density under look j. */
  private sampleLooks(): void {
    const { k, n, hasEvidence } = this.data;
    const w = this.weights;
    const ll = this.logLook;
    for (let t = 0; t < n; t++) {
      if (!hasEvidence[t]) continue;
      const s = this.z[t]!;
      let max = -Infinity;
      for (let j = 0; j < k; j++) if (ll[t * k + j]! > max) max = ll[t * k + j]!;
      for (let j = 0; j < k; j++) w[j] = this.mixing[s * k + j]! * Math.exp(ll[t * k + j]! - max);
      this.look[t] = draw(w, 0, k, this.random);
    }
  }

  /**
   * Each mixing row from its Dirichlet posterior, accepted when the state's own look keeps
   * more than half the weight and otherwise kept as it was (exact for the constrained posterior).
   */
  private sampleMixing(): void {
    const { k, n, hasEvidence } = this.data;
    const counts = this.mixCounts;
    const g = this.proposal;
    for (let s = 0; s < k; s++) {
      counts.fill(0);
      for (let t = 0; t < n; t++) if (hasEvidence[t] && this.z[t] === s) counts[this.look[t]!]!++;
      let sum = 0;
      for (let j = 0; j < k; j++) {
        g[j] = gamma((j === s ? MIX_PRIOR_OWN : MIX_PRIOR_OTHER) + counts[j]!, this.random);
        sum += g[j]!;
      }
      if (!(sum > 0) || g[s]! / sum <= MIX_MIN_OWN) continue;
      for (let j = 0; j < k; j++) this.mixing[s * k + j] = g[j]! / sum;
    }
  }

  /** Forward filtering, backward sampling, rollout by rollout, with that rollout's own matrix. */
  private samplePaths(): void {
    const { k, rollouts, offsets, known, dims } = this.data;
    const a = this.alpha;
    const w = this.weights;
    const le = this.logEmit;
    const z = this.z;
    for (let r = 0; r < rollouts; r++) {
      const start = offsets[r]!;
      const end = offsets[r + 1]!;
      if (end === start) continue;
      const tb = r * k * k;
      for (let t = start; t < end; t++) {
        // Emission weights scaled by the turn's maximum (the constant cancels in normalising).
        let max = -Infinity;
        for (let s = 0; s < k; s++) if (dims > 0 && le[t * k + s]! > max) max = le[t * k + s]!;
        let sum = 0;
        for (let s = 0; s < k; s++) {
          let p: number;
          if (t === start) p = this.pi0[s]!;
          else {
            p = 0;
            for (let i = 0; i < k; i++) p += a[(t - 1) * k + i]! * this.tr[tb + i * k + s]!;
          }
          const e = known[t]! >= 0 ? (known[t] === s ? 1 : 0) : dims > 0 ? Math.exp(le[t * k + s]! - max) : 1;
          p *= e;
          a[t * k + s] = p;
          sum += p;
        }
        if (!(sum > 0)) {
          // Every state impossible (a pinned state the chain cannot reach): fall back to uniform.
          for (let s = 0; s < k; s++) a[t * k + s] = known[t]! >= 0 ? (known[t] === s ? 1 : 0) : 1 / k;
        } else for (let s = 0; s < k; s++) a[t * k + s]! /= sum;
      }
      z[end - 1] = draw(a, (end - 1) * k, k, this.random);
      for (let t = end - 2; t >= start; t--) {
        const next = z[t + 1]!;
        let sum = 0;
        for (let s = 0; s < k; s++) {
          w[s] = a[t * k + s]! * this.tr[tb + s * k + next]!;
          sum += w[s]!;
        }
        z[t] = sum > 0 ? draw(w, 0, k, this.random) : draw(a, t * k, k, this.random);
      }
    }
  }

  /**
   * Each look's means and variances per contrast (from the turns drawn from it): a draw from
   * the Normal–Inverse-Gamma posterior, accepted when the look's means satisfy its state's
   * sign constraint and otherwise kept as they were (an exact Metropolis step for the
   * constrained posterior).
   */
  private sampleEmissions(): void {
    const { k, n, dims, x, hasEvidence, prior } = this.data;
    const mu = this.proposedMu;
    const v = this.proposedVar;
    for (let s = 0; s < k; s++) {
      for (let d = 0; d < dims; d++) {
        let cnt = 0;
        let sum = 0;
        for (let t = 0; t < n; t++) {
          if (hasEvidence[t] && this.look[t] === s) {
            cnt++;
            sum += x[t * dims + d]!;
          }
        }
        const mean = cnt === 0 ? 0 : sum / cnt;
        let ss = 0;
        if (cnt > 0) for (let t = 0; t < n; t++) if (hasEvidence[t] && this.look[t] === s) ss += (x[t * dims + d]! - mean) ** 2;
        const kn = prior.kappa0 + cnt;
        const mun = (prior.kappa0 * prior.mu0[d]! + cnt * mean) / kn;
        const an = prior.a0 + cnt / 2;
        const bn = prior.b0[d]! + ss / 2 + (prior.kappa0 * cnt * (mean - prior.mu0[d]!) ** 2) / (2 * kn);
        v[d] = bn / gamma(an, this.random);
        mu[d] = mun + Math.sqrt(v[d]! / kn) * normal(this.random);
      }
      if (!signHolds(s, k, dims, mu)) continue;
      for (let d = 0; d < dims; d++) {
        this.mu[s * dims + d] = mu[d]!;
        this.sigma2[s * dims + d] = v[d]!;
      }
    }
  }

  private countTransitions(): void {
    const { k, rollouts, offsets } = this.data;
    const counts = this.counts;
    counts.fill(0);
    let max = 0;
    for (let r = 0; r < rollouts; r++) {
      const base = r * k * k;
      for (let t = offsets[r]! + 1; t < offsets[r + 1]!; t++) {
        const cell = base + this.z[t - 1]! * k + this.z[t]!;
        counts[cell]!++;
      }
      for (let i = 0; i < k; i++) {
        let row = 0;
        for (let j = 0; j < k; j++) row += counts[base + i * k + j]!;
        if (row > max) max = row;
      }
    }
    // Per (row, cell or row total): how many rollouts have more than l such transitions.
    const width = max + 1;
    if (this.cumulative.length < k * (k + 1) * width) this.cumulative = new Int32Array(k * (k + 1) * width);
    const cum = this.cumulative;
    cum.fill(0, 0, k * (k + 1) * width);
    this.maxCount = max;
    for (let r = 0; r < rollouts; r++) {
      const base = r * k * k;
      for (let i = 0; i < k; i++) {
        let row = 0;
        for (let j = 0; j < k; j++) {
          const c = counts[base + i * k + j]!;
          row += c;
          if (c > 0) cum[(i * (k + 1) + j) * width + c - 1]!++;
        }
        if (row > 0) cum[(i * (k + 1) + k) * width + row - 1]!++;
      }
    }
    // Turn "exactly l + 1" tallies into "more than l" by summing from the top.
    for (let cell = 0; cell < k * (k + 1); cell++) for (let l = width - 2; l >= 0; l--) cum[cell * width + l]! += cum[cell * width + l + 1]!;
  }

  private sampleInitial(): void {
    const { k, rollouts, offsets } = this.data;
    const g = this.weights;
    let sum = 0;
    for (let s = 0; s < k; s++) {
      let n = 0;
      for (let r = 0; r < rollouts; r++) if (offsets[r + 1]! > offsets[r]! && this.z[offsets[r]!] === s) n++;
      g[s] = gamma(ROW_PRIOR + n, this.random);
      sum += g[s]!;
    }
    for (let s = 0; s < k; s++) this.pi0[s] = g[s]! / sum;
  }

  /**
   * Log of the Dirichlet-multinomial likelihood of every rollout's row-i counts given c·m
   * (the rollout matrices integrated out), via Γ(a + n)/Γ(a) = a(a + 1)…(a + n − 1).
   */
  private rowLogLik(i: number, c: number, m: Float64Array, mOffset: number): number {
    const k = this.data.k;
    const width = this.maxCount + 1;
    const cum = this.cumulative;
    let ll = 0;
    for (let l = 0; l < this.maxCount; l++) {
      const rowMore = cum[(i * (k + 1) + k) * width + l]!;
      if (rowMore === 0) break;
      ll -= rowMore * Math.log(c + l);
      for (let j = 0; j < k; j++) {
        const more = cum[(i * (k + 1) + j) * width + l]!;
        if (more > 0) ll += more * Math.log(c * m[mOffset + j]! + l);
      }
    }
    return ll;
  }

  /**
   * Metropolis steps for each row's mean m_i (softmax random walk, the coefficient of
   * variation held fixed, so c moves with m) and for log cv_i; the rollout matrices are
   * integrated out (Dirichlet-multinomial), so these steps do not wait on them.
   */
  private sampleMeanAndConcentration(): void {
    const k = this.data.k;
    const eta = this.eta;
    const proposal = this.proposal;
    const prior = logCvPrior;
    for (let i = 0; i < k; i++) {
      let c = concentrationOf(1 - this.m[i * k + i]!, this.cv[i]!);
      if (!(c > 0)) {
        // Start from a feasible point: the heterogeneity a mean this extreme allows.
        this.cv[i] = Math.sqrt(this.m[i * k + i]! / (1 - this.m[i * k + i]!)) * 0.5;
        c = concentrationOf(1 - this.m[i * k + i]!, this.cv[i]!);
      }
      let current = this.rowLogLik(i, c, this.m, i * k) + logDirichletOnSoftmax(this.m, i * k, k);
      for (let step = 0; step < 8; step++) {
        // Mean row: η = log m, last coordinate pinned; the target on η includes the softmax Jacobian Π m_j.
        for (let j = 0; j < k; j++) eta[j] = Math.log(this.m[i * k + j]!) - Math.log(this.m[i * k + k - 1]!);
        let sum = 0;
        for (let j = 0; j < k; j++) {
          const e = j === k - 1 ? 0 : eta[j]! + 0.35 * normal(this.random);
          proposal[j] = Math.exp(e);
          sum += proposal[j]!;
        }
        for (let j = 0; j < k; j++) proposal[j] = Math.max(1e-300, proposal[j]! / sum);
        const cNext = concentrationOf(1 - proposal[i]!, this.cv[i]!);
        if (cNext > 0) {
          const next = this.rowLogLik(i, cNext, proposal, 0) + logDirichletOnSoftmax(proposal, 0, k);
          if (Math.log(this.random()) < next - current) {
            for (let j = 0; j < k; j++) this.m[i * k + j] = proposal[j]!;
            c = cNext;
            current = next;
          }
        }
        // Heterogeneity: random walk on log cv with its prior (c must stay positive).
        const lv = Math.log(this.cv[i]!);
        const lp = lv + 0.7 * normal(this.random);
        const cProposed = concentrationOf(1 - this.m[i * k + i]!, Math.exp(lp));
        if (cProposed > 0) {
          const cur = this.rowLogLik(i, c, this.m, i * k) + prior(lv);
          const nxt = this.rowLogLik(i, cProposed, this.m, i * k) + prior(lp);
          if (Math.log(this.random()) < nxt - cur) {
            this.cv[i] = Math.exp(lp);
            c = cProposed;
            current = this.rowLogLik(i, c, this.m, i * k) + logDirichletOnSoftmax(this.m, i * k, k);
          }
        }
        // Independence proposal from the prior itself: the random walk rarely crosses
        // between "alike" and "differ"; this move jumps (the prior cancels, the likelihood decides).
        const cvDrawn = Math.exp(drawLogCv(this.random));
        const cq = concentrationOf(1 - this.m[i * k + i]!, cvDrawn);
        if (cq > 0 && Math.log(this.random()) < this.rowLogLik(i, cq, this.m, i * k) - this.rowLogLik(i, c, this.m, i * k)) {
          this.cv[i] = cvDrawn;
          c = cq;
          current = this.rowLogLik(i, c, this.m, i * k) + logDirichletOnSoftmax(this.m, i * k, k);
        }
      }
      this.c[i] = c;
    }
  }

  /** Each rollout's own matrix, row i ~ Dirichlet(c_i m_i + its counts). */
  private sampleRolloutMatrices(): void {
    const { k, rollouts } = this.data;
    for (let r = 0; r < rollouts; r++) {
      const base = r * k * k;
      for (let i = 0; i < k; i++) {
        let sum = 0;
        for (let j = 0; j < k; j++) {
          const g = gamma(Math.max(1e-3, this.c[i]! * this.m[i * k + j]!) + this.counts[base + i * k + j]!, this.random);
          this.tr[base + i * k + j] = g;
          sum += g;
        }
        for (let j = 0; j < k; j++) this.tr[base + i * k + j] = sum > 0 ? this.tr[base + i * k + j]! / sum : 1 / k;
      }
    }
  }
}

/** log of Dirichlet(½, …)(m) · Π m_j: the prior density on the softmax coordinates. */
function logDirichletOnSoftmax(m: Float64Array, offset: number, k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += ROW_PRIOR * Math.log(m[offset + j]!);
  return s;
}

function draw(p: Float64Array, offset: number, k: number, random: Random): number {
  let total = 0;
  for (let s = 0; s < k; s++) total += p[offset + s]!;
  let u = random() * total;
  for (let s = 0; s < k - 1; s++) {
    u -= p[offset + s]!;
    if (u < 0) return s;
  }
  return k - 1;
}

/**
 * The sign constraint on state s's mean contrasts: its centred score for s (contrast s, or
 * minus the sum of the contrasts for the last state) is above its centred score for every
 * other state.
 */
function signHolds(s: number, k: number, dims: number, mu: Float64Array): boolean {
  let sum = 0;
  for (let d = 0; d < dims; d++) sum += mu[d]!;
  const score = (t: number) => (t < dims ? mu[t]! : -sum);
  const own = score(s);
  for (let t = 0; t < k; t++) if (t !== s && score(t) >= own) return false;
  return true;
}
