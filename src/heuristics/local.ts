/** `local`: every task runs entirely on its device (rho = 0). */
import type { Policy } from './policy.js';

/** The local-only policy. */
export function localPolicy(): Policy {
  return {
    name: 'local',
    act(env, server, rho) {
      for (let i = 0; i < env.numAgents; i++) {
        server[i] = -1;
        rho[i] = 0;
      }
    },
  };
}
