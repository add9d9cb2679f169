/** `random`: a server drawn uniformly among those allowed for the task, and a uniform offload fraction. */
import type { Random } from '../core/random.js';
import type { Policy } from './policy.js';

/** The uniform random policy, drawing from `rng`. */
export function randomPolicy(rng: Random): Policy {
  return {
    name: 'random',
    act(env, server, rho) {
      const K = env.numServers;
      for (let i = 0; i < env.numAgents; i++) {
        let n = 0;
        for (let k = 0; k < K; k++) if (env.isAllowed(i, k)) n++;
        let pick = n > 0 ? rng.int(n) : -1;
        server[i] = -1;
        for (let k = 0; k < K && pick >= 0; k++) {
          if (!env.isAllowed(i, k)) continue;
          if (pick-- === 0) server[i] = k;
        }
        rho[i] = n > 0 ? rng.next() : 0;
      }
    },
  };
}
