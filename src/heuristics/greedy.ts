/**
 * `greedy`: each device picks the allowed server and offload level
 * {0, .25, .5, .75, 1} that minimise its own estimated finish time, from what
 * it observes (its task, links, server capacities, backlogs at the slot start).
 * It ignores what the other devices choose in the same slot, so devices herd
 * onto the same attractive server: good, not optimal.
 */
import { OFFLOAD_LEVELS } from '../env/spaces.js';
import type { Policy } from './policy.js';

/** The greedy own-finish-time policy. */
export function greedyPolicy(): Policy {
  return {
    name: 'greedy',
    act(env, server, rho) {
      for (let i = 0; i < env.numAgents; i++) {
        let bestK = -1, bestRho = 0;
        let bestT = env.estimateFinish(i, -1, 0);
        for (let k = 0; k < env.numServers; k++) {
          if (!env.isAllowed(i, k)) continue;
          for (let l = 1; l < OFFLOAD_LEVELS.length; l++) {
            const t = env.estimateFinish(i, k, OFFLOAD_LEVELS[l]);
            if (t < bestT) {
              bestT = t;
              bestK = k;
              bestRho = OFFLOAD_LEVELS[l];
            }
          }
        }
        server[i] = bestK;
        rho[i] = bestRho;
      }
    },
  };
}
