/**
 * The rollout of the on-policy algorithms (MAPPO, COMA): whole episodes of
 * joint steps (observations, discrete actions, masks, shared reward, end flag)
 * collected until a batch of `episodesPerBatch` episodes is complete.
 */
import type { Json } from '../algorithm.js';
import { rolloutWidths } from './categorical-actor.js';
import { ReplayBuffer } from './replay-buffer.js';
import type { ArrayMap } from './state-io.js';
import { putBuffer, takeBuffer } from './state-io.js';

/** Episodes collected for the next on-policy update. */
export class EpisodeBatch {
  readonly steps: ReplayBuffer;
  /** Complete episodes in the batch so far. */
  episodes = 0;

  constructor(private readonly numAgents: number, obsDim: number, numActions: number, private readonly episodesPerBatch: number) {
    this.steps = new ReplayBuffer(1_000_000, rolloutWidths(numAgents, obsDim, numActions), 256);
  }

  /** Store one step; true when it completes the batch (time to update, then `clear`). */
  push(obs: Float32Array, actions: Float32Array, mask: Float32Array, reward: number, done: boolean): boolean {
    this.steps.push({ obs, act: actions.subarray(0, this.numAgents), mask, rew: reward, done: done ? 1 : 0 });
    if (!done) return false;
    return ++this.episodes >= this.episodesPerBatch;
  }

  /** The batch's fields in time order. */
  fields(): Readonly<Record<string, Float32Array>> {
    return this.steps.snapshot().fields;
  }

  /** Start the next batch. */
  clear(): void {
    this.steps.clear();
    this.episodes = 0;
  }

  /** Save an unfinished batch (so a resume is exact); returns the JSON part. */
  save(arrays: ArrayMap): { [key: string]: Json } {
    return { steps: putBuffer(arrays, 'rollout', this.steps), episodes: this.episodes };
  }

  /** Restore what `save` wrote. */
  load(arrays: ArrayMap, meta: { [key: string]: Json }): void {
    takeBuffer(arrays, 'rollout', this.steps, meta['steps']);
    this.episodes = meta['episodes'] as number;
  }
}
