import { z } from 'zod';

/**
 * Hyperparameters shared by the deterministic-policy-gradient family
 * (MADDPG, MATD3, MITRA-VIB). Defaults are the released code's (SPEC 3.2).
 */
export const ddpgConfigShape = {
  hidden: z.number().int().positive().default(64).describe('hidden width of actors and critics'),
  actorLr: z.number().positive().default(1e-4).describe('Adam learning rate of the actors'),
  criticLr: z.number().positive().default(1e-3).describe('Adam learning rate of the critic(s)'),
  gamma: z.number().min(0).max(1).default(0.95).describe('discount factor'),
  tau: z.number().min(0).max(1).default(0.01).describe('soft target update rate'),
  gradClip: z.number().positive().default(0.5).describe('gradient-norm clip of actors and critics'),
  actionReg: z.number().min(0).default(1e-3).describe('weight of mean(a^2) in the actor loss'),
  bufferSize: z.number().int().positive().default(1_000_000).describe('replay buffer capacity (transitions)'),
  batchSize: z.number().int().positive().default(1024).describe('minibatch size of an update'),
  updateEvery: z.number().int().positive().default(100).describe('environment steps between gradient updates'),
  learningStarts: z.number().int().nonnegative().default(1024).describe('transitions stored before the first update'),
  noiseScale: z.number().min(0).default(0.3).describe('initial scale of the OU exploration noise'),
  noiseDecayEpisodes: z.number().positive().default(25000).describe('episodes over which the noise scale falls linearly to 0'),
  ouTheta: z.number().min(0).default(0.15).describe('OU mean-reversion rate'),
  ouSigma: z.number().min(0).default(0.2).describe('OU volatility'),
};

/** Replay fields of one joint transition (state = concatenated observations). */
export function transitionWidths(numAgents: number, obsDim: number, actionDim: number): Record<string, number> {
  return { obs: numAgents * obsDim, act: numAgents * actionDim, rew: 1, next: numAgents * obsDim, notDone: 1 };
}
