/**
 * `nearest`: all work to the fastest (highest-capacity) allowed server of the
 * device's own domain; in-domain servers need no encryption and are always
 * allowed. A device whose domain has no server runs locally.
 */
import type { Policy } from './policy.js';

/** The nearest-server policy. */
export function nearestPolicy(): Policy {
  return {
    name: 'nearest',
    act(env, server, rho) {
      const { deviceDomain, serverDomain } = env.domains;
      for (let i = 0; i < env.numAgents; i++) {
        let best = -1;
        for (let k = 0; k < env.numServers; k++) {
          if (serverDomain[k] !== deviceDomain[i] || !env.isAllowed(i, k)) continue;
          if (best < 0 || env.serverCapacity[k] > env.serverCapacity[best]) best = k;
        }
        server[i] = best;
        rho[i] = best >= 0 ? 1 : 0;
      }
    },
  };
}
