/**
 * Server queues, both models of SPEC 2.2 step 7/9, over preallocated arrays.
 *
 * - `overlap` (physical FIFO): a server is described only by the time, relative
 *   to the slot start, at which everything queued so far is done (`freeAt`).
 *   A task starts at max(arrival, freeAt) and finishes after its processing.
 * - `additive` (the reference code): a task finishes at its arrival plus the
 *   remaining processing of everything queued, itself included, whatever its
 *   arrival time. The queue keeps each task's remaining processing time and the
 *   end of a slot drains `slotSeconds` from the head, task by task.
 */
export type QueueModel = 'overlap' | 'additive';

/** All servers' queues of one environment. */
export class ServerQueues {
  private readonly freeAt: Float64Array;
  /** additive: per server a ring of remaining processing times. */
  private readonly ring: Float64Array;
  private readonly head: Int32Array;
  private readonly count: Int32Array;
  private readonly sum: Float64Array;

  /** `capacityPerServer` bounds how many tasks one additive queue may hold. */
  constructor(
    readonly model: QueueModel,
    readonly numServers: number,
    private readonly capacityPerServer: number,
  ) {
    this.freeAt = new Float64Array(numServers);
    this.ring = new Float64Array(model === 'additive' ? numServers * capacityPerServer : 0);
    this.head = new Int32Array(numServers);
    this.count = new Int32Array(numServers);
    this.sum = new Float64Array(numServers);
  }

  /** Empty every queue. */
  clear(): void {
    this.freeAt.fill(0);
    this.head.fill(0);
    this.count.fill(0);
    this.sum.fill(0);
  }

  /** Processing time still queued at server k, seen from the slot start [s]. */
  backlog(k: number): number {
    return this.model === 'overlap' ? this.freeAt[k] : this.sum[k];
  }

  /**
   * Enqueue a task arriving at `arrival` (seconds after the slot start) needing
   * `processing` seconds; returns its finish time after the slot start. Callers
   * admit a server's tasks in arrival order.
   */
  admit(k: number, arrival: number, processing: number): number {
    if (this.model === 'overlap') {
      const start = arrival > this.freeAt[k] ? arrival : this.freeAt[k];
      const finish = start + processing;
      this.freeAt[k] = finish;
      return finish;
    }
    const cap = this.capacityPerServer;
    if (this.count[k] >= cap) throw new Error(`ServerQueues: queue of server ${k} exceeds ${cap} tasks`);
    this.ring[k * cap + ((this.head[k] + this.count[k]) % cap)] = processing;
    this.count[k]++;
    this.sum[k] += processing;
    return arrival + this.sum[k];
  }

  /** Advance every queue by one slot of `slotSeconds` of processing. */
  endSlot(slotSeconds: number): void {
    if (this.model === 'overlap') {
      for (let k = 0; k < this.numServers; k++) {
        const left = this.freeAt[k] - slotSeconds;
        this.freeAt[k] = left > 0 ? left : 0;
      }
      return;
    }
    const cap = this.capacityPerServer;
    for (let k = 0; k < this.numServers; k++) {
      let budget = slotSeconds;
      while (this.count[k] > 0 && budget > 0) {
        const at = k * cap + this.head[k];
        const rem = this.ring[at];
        if (rem <= budget) {
          budget -= rem;
          this.head[k] = (this.head[k] + 1) % cap;
          this.count[k]--;
        } else {
          this.ring[at] = rem - budget;
          budget = 0;
        }
      }
      // Recompute rather than subtract, so rounding never leaves a tiny negative backlog.
      let s = 0;
      for (let j = 0; j < this.count[k]; j++) s += this.ring[k * cap + ((this.head[k] + j) % cap)];
      this.sum[k] = s;
    }
  }
}
