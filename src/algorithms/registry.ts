import { UserError } from '../core/errors.js';
import type { AlgorithmSpec } from './algorithm.js';
import { coma } from './coma.js';
import { maddpg } from './maddpg.js';
import { mappo } from './mappo.js';
import { matd3 } from './matd3.js';
import { mitraVib } from './mitra-vib.js';

/** Every registered algorithm, by name. Tests loop over this. */
export const ALGORITHMS: Readonly<Record<string, AlgorithmSpec>> = {
  [mitraVib.name]: mitraVib as unknown as AlgorithmSpec,
  [maddpg.name]: maddpg as unknown as AlgorithmSpec,
  [matd3.name]: matd3 as unknown as AlgorithmSpec,
  [mappo.name]: mappo as unknown as AlgorithmSpec,
  [coma.name]: coma as unknown as AlgorithmSpec,
};

/** Registered algorithm names. */
export function algorithmNames(): string[] {
  return Object.keys(ALGORITHMS);
}

/** Look an algorithm up by name; unknown names list the valid ones. */
export function getAlgorithm(name: string): AlgorithmSpec {
  const spec = ALGORITHMS[name];
  if (!spec) throw new UserError(`unknown algorithm '${name}'; valid: ${algorithmNames().join(', ')}`);
  return spec;
}
