/**
 * Task generation (SPEC 2.2 step 1): per device a normal work draw clipped at
 * a floor, its deadline and a sensitive flag; or the tasks of a trace.
 */
import type { Random } from '../core/random.js';
import type { Scenario } from './scenario.js';
import { loadTrace, type TraceTable } from './trace.js';

function perDevice(v: number | number[], n: number): Float64Array {
  return typeof v === 'number' ? new Float64Array(n).fill(v) : Float64Array.from(v);
}

/** The task source of one environment. */
export class Workload {
  readonly numDevices: number;
  private readonly meanWork: Float64Array;
  private readonly stdWork: Float64Array;
  private readonly deadline: Float64Array;
  private readonly sensitiveP: Float64Array;
  private readonly minWork: number;
  private readonly shuffle: boolean;
  /** Profile of device i this episode (identity unless shuffled). */
  private readonly profile: Int32Array;
  private readonly trace: TraceTable | null;
  private traceEpisode = 0;
  /** Largest work a task can plausibly have, for observation scaling. */
  readonly workScale: number;
  /** Largest deadline, for observation scaling. */
  readonly deadlineScale: number;

  constructor(s: Scenario) {
    const M = s.devices.length;
    this.numDevices = M;
    this.meanWork = Float64Array.from(s.tasks.meanWork);
    this.stdWork = perDevice(s.tasks.stdWork, M);
    this.deadline = Float64Array.from(s.tasks.deadline);
    this.sensitiveP = perDevice(s.tasks.sensitiveProbability, M);
    this.minWork = s.tasks.minWork;
    this.shuffle = s.tasks.shuffleProfiles;
    this.profile = Int32Array.from({ length: M }, (_, i) => i);
    this.trace = s.tasks.trace !== undefined ? loadTrace(s.tasks.trace, s) : null;
    if (this.trace) {
      this.workScale = Math.max(...this.trace.work);
      this.deadlineScale = Math.max(...this.trace.deadline);
    } else {
      // Mean + 4 std covers all but ~3e-5 of draws; the rest is clamped.
      let w = 0;
      for (let i = 0; i < M; i++) w = Math.max(w, this.meanWork[i] + 4 * this.stdWork[i], this.minWork);
      this.workScale = w;
      this.deadlineScale = Math.max(...this.deadline);
    }
  }

  /** Start an episode: shuffle profiles (if asked), pick the trace episode. */
  startEpisode(rng: Random, episodeIndex: number): void {
    const p = this.profile;
    for (let i = 0; i < p.length; i++) p[i] = i;
    if (this.shuffle && !this.trace) {
      for (let i = p.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = p[i]; p[i] = p[j]; p[j] = t;
      }
    }
    if (this.trace) this.traceEpisode = episodeIndex % this.trace.episodes;
  }

  /** Fill the tasks of `slot` into the given arrays. */
  sample(rng: Random, slot: number, work: Float64Array, deadline: Float64Array, sensitive: Uint8Array): void {
    const M = this.numDevices;
    if (this.trace) {
      const base = (this.traceEpisode * this.trace.slots + slot) * M;
      for (let i = 0; i < M; i++) {
        work[i] = this.trace.work[base + i];
        deadline[i] = this.trace.deadline[base + i];
        sensitive[i] = this.trace.sensitive[base + i];
      }
      return;
    }
    for (let i = 0; i < M; i++) {
      const p = this.profile[i];
      const w = this.meanWork[p] + this.stdWork[p] * rng.normal();
      work[i] = w > this.minWork ? w : this.minWork;
      deadline[i] = this.deadline[p];
      // Sensitivity belongs to the device (its data), not to the shuffled profile.
      sensitive[i] = rng.next() < this.sensitiveP[i] ? 1 : 0;
    }
  }
}
