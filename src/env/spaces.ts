/**
 * Space descriptors in the spirit of Gymnasium/PettingZoo spaces, as plain data.
 */

/** A box of `shape` with every value in [low, high]. */
export interface BoxSpace {
  readonly kind: 'box';
  readonly shape: readonly number[];
  readonly low: number;
  readonly high: number;
}

/** Integers 0..n-1. */
export interface DiscreteSpace {
  readonly kind: 'discrete';
  readonly n: number;
}

export type Space = BoxSpace | DiscreteSpace;

/** Offload fractions of the discrete action encoding (SPEC 3.1). */
export const OFFLOAD_LEVELS: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

/** A box descriptor. */
export function box(n: number, low: number, high: number): BoxSpace {
  return { kind: 'box', shape: [n], low, high };
}

/** A discrete descriptor. */
export function discrete(n: number): DiscreteSpace {
  return { kind: 'discrete', n };
}

/** Discrete action index of (server, level): `server * levels + level`. */
export function discreteIndex(server: number, level: number): number {
  return server * OFFLOAD_LEVELS.length + level;
}
