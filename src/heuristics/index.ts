/** Registry of the heuristic policies (SPEC 3.3). */
import { UserError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import type { Policy } from './policy.js';
import { localPolicy } from './local.js';
import { randomPolicy } from './random.js';
import { nearestPolicy } from './nearest.js';
import { greedyPolicy } from './greedy.js';

export type { Policy } from './policy.js';

/** Names accepted by `makeHeuristic`. */
export const HEURISTIC_NAMES = ['local', 'random', 'nearest', 'greedy'] as const;
export type HeuristicName = (typeof HEURISTIC_NAMES)[number];

/** Build a heuristic by name; `rng` feeds the ones that draw random numbers. */
export function makeHeuristic(name: string, rng: Random): Policy {
  switch (name) {
    case 'local': return localPolicy();
    case 'random': return randomPolicy(rng);
    case 'nearest': return nearestPolicy();
    case 'greedy': return greedyPolicy();
    default:
      throw new UserError(`unknown policy "${name}": use one of ${HEURISTIC_NAMES.join(', ')}`);
  }
}
