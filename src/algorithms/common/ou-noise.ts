import type { Random } from '../../core/random.js';

/**
 * Ornstein-Uhlenbeck exploration noise, one independent process per action
 * dimension: x <- x + theta (mu - x) + sigma N(0, 1), reset to mu every episode.
 */
export class OuNoise {
  readonly state: Float64Array;
  constructor(
    readonly dim: number,
    private readonly rng: Random,
    readonly theta = 0.15,
    readonly sigma = 0.2,
    readonly mu = 0,
  ) {
    this.state = new Float64Array(dim).fill(mu);
  }

  /** Back to the mean (start of an episode). */
  reset(): void {
    this.state.fill(this.mu);
  }

  /** Advance every process one step; the new values are in `state`. */
  sample(): Float64Array {
    const s = this.state;
    for (let i = 0; i < s.length; i++) s[i] = s[i]! + this.theta * (this.mu - s[i]!) + this.sigma * this.rng.normal();
    return s;
  }
}

/** The released code's exploration scale: start * max(0, 1 - episode / decayEpisodes). */
export function noiseScale(episode: number, start: number, decayEpisodes: number): number {
  return start * Math.max(0, 1 - episode / decayEpisodes);
}
