/**
 * The DS-MEC environment (SPEC 2): a PettingZoo-style parallel multi-agent API
 * over a zero-allocation core.
 *
 * Two ways in:
 * - dict API: `reset({ seed })`, `step({ ud1: [a0, a1], ... })`; the returned
 *   objects and arrays are reused and OVERWRITTEN by the next step/reset; copy
 *   what you keep.
 * - fast path for training loops: `resetRaw(seed)`, then `stepRaw(server, rho)`,
 *   `stepContinuous(actions)` or `stepDiscrete(idx)`, reading `obs` (one row per
 *   agent), `rewardsBuf` and `state()`; nothing is allocated per slot.
 *
 * The end of an episode (last slot, or a miss under terminateOnDeadlineMiss) is
 * a termination, not a truncation: the paper's reward arrives at that slot and
 * the slot index is part of the observation, so nothing lies beyond it to
 * bootstrap from.
 */
import { Random } from '../core/random.js';
import type { Scenario } from './scenario.js';
import { ServerQueues } from './queue.js';
import { breaksRule, domainLayout, isAllowed, isEncrypted, type DomainLayout, type EnforceMode } from './security.js';
import { Workload } from './workload.js';
import { MetricsAccumulator, type EpisodeMetrics } from './metrics.js';
import { slotReward, type RewardConfig } from './reward.js';
import { observationLayout, unit, type ObservationLayout } from './observation.js';
import { box, discrete, OFFLOAD_LEVELS, type BoxSpace, type DiscreteSpace } from './spaces.js';
import { makeSlotRecord, type SlotRecord } from './slot-record.js';

/** Per-agent info of the dict API (reused objects). */
export interface StepInfo {
  /** Servers the security rule allows for the agent's current task (1 = allowed). */
  allowed: Uint8Array;
  /** Whether the agent's task of the last slot met its deadline (false after reset). */
  success: boolean;
  /** Cost of the agent's task of the last slot (0 after reset). */
  cost: number;
}

/** Result of the dict `step` (reused, overwritten by the next step). */
export interface StepResult {
  observations: Record<string, Float32Array>;
  rewards: Record<string, number>;
  terminations: Record<string, boolean>;
  truncations: Record<string, boolean>;
  infos: Record<string, StepInfo>;
}

/** Tolerance of the deadline test, so float rounding never flips a tie. */
const DEADLINE_EPS = 1e-9;

/** The multi-agent DS-MEC simulator. */
export class DsMecEnv {
  readonly scenario: Scenario;
  readonly possibleAgents: readonly string[];
  /** Live agents of the dict API: all after `reset`, empty once `step` ended the episode (the fast path leaves it alone). */
  agents: string[] = [];
  readonly numAgents: number;
  readonly numServers: number;
  readonly obsDim: number;
  readonly stateDim: number;
  readonly layout: ObservationLayout;
  /** Observations, row i = agent i, updated in place by every reset/step; read-only to callers (constant features are written once). */
  readonly obs: Float32Array;
  /** Shared reward of the last step, one entry per agent. */
  readonly rewardsBuf: Float32Array;
  /** Domain index of every device and server. */
  readonly domains: DomainLayout;
  /** Server capacities [work/s]. */
  readonly serverCapacity: Float64Array;
  /** Device capacities [work/s]. */
  readonly deviceCapacity: Float64Array;

  private readonly enforce: EnforceMode;
  private readonly encryptAll: boolean;
  private readonly reward: RewardConfig;
  private readonly queues: ServerQueues;
  private readonly workload: Workload;
  private readonly metrics = new MetricsAccumulator();
  private readonly record: SlotRecord;
  private rng: Random;
  private episodeIndex = -1;

  // Device x server constants, flat [i * K + k].
  private readonly latency: Float64Array;
  private readonly invRate: Float64Array;
  private readonly switchTime: Float64Array;
  private readonly budget: Float64Array;
  private readonly txPower: Float64Array;
  private readonly maxDeviceCap: number;
  private readonly maxServerCap: number;

  // Episode state.
  private slot = 0;
  private done = true;
  private readonly energyLeft: Float64Array;
  private readonly switchPaid: Uint8Array;
  private readonly lastServer: Int32Array;
  private costTotal = 0;

  // Current tasks and their allowed servers.
  private readonly work: Float64Array;
  private readonly deadline: Float64Array;
  private readonly sensitive: Uint8Array;
  private readonly allowed: Uint8Array;
  /** Servers the continuous decoder picks from, per device: allowed ones under mask, all otherwise. */
  private readonly candidates: Int32Array;
  private readonly candidateCount: Int32Array;

  // Per-slot scratch.
  private readonly arrival: Float64Array;
  private readonly processing: Float64Array;
  private readonly offFinish: Float64Array;
  private readonly order: Int32Array;
  private readonly local: Float64Array;
  private readonly serverScratch: Int32Array;
  private readonly rhoScratch: Float32Array;
  private readonly stateBuf: Float32Array;

  // Dict API objects, made once.
  private readonly obsViews: Record<string, Float32Array> = {};
  private readonly rewardsDict: Record<string, number> = {};
  private readonly terminationsDict: Record<string, boolean> = {};
  private readonly truncationsDict: Record<string, boolean> = {};
  private readonly infosDict: Record<string, StepInfo> = {};
  private readonly continuousScratch: Float32Array;
  /** Arrival time of a full offload = arrivalBase + work * arrivalPerWork, per device-server pair. */
  private readonly arrivalBase: Float64Array;
  private readonly arrivalPerWork: Float64Array;
  /** Every device's current work, normalised, shared by all observation rows. */
  private readonly workNorm: Float32Array;
  private readonly backlogNorm: Float32Array;
  private readonly result: StepResult;

  /** Build an environment; `seed` starts its own random stream (default 0). */
  constructor(scenario: Scenario, opts: { seed?: number } = {}) {
    this.scenario = scenario;
    const M = scenario.devices.length, K = scenario.servers.length;
    this.numAgents = M;
    this.numServers = K;
    this.possibleAgents = Object.freeze(Array.from({ length: M }, (_, i) => `ud${i + 1}`));
    this.layout = observationLayout(M, K);
    this.obsDim = this.layout.obsDim;
    this.stateDim = M * this.obsDim;
    this.obs = new Float32Array(M * this.obsDim);
    this.stateBuf = new Float32Array(this.stateDim);
    this.rewardsBuf = new Float32Array(M);
    this.domains = domainLayout(scenario);
    this.enforce = scenario.security.enforce;
    this.encryptAll = scenario.security.encryptAll;
    this.reward = scenario.reward;
    // An additive queue holds at most every task of an episode (queues are cleared at reset).
    this.queues = new ServerQueues(scenario.queueModel, K, M * scenario.slotsPerEpisode + 1);
    this.workload = new Workload(scenario);
    this.record = makeSlotRecord(M, K);
    this.rng = new Random(opts.seed ?? 0);

    this.serverCapacity = Float64Array.from(scenario.servers, (s) => s.capacity);
    this.deviceCapacity = Float64Array.from(scenario.devices, (d) => d.capacity);
    this.budget = Float64Array.from(scenario.devices, (d) => d.energyBudget);
    this.txPower = Float64Array.from(scenario.devices, (d) => d.txPower);
    this.maxDeviceCap = Math.max(...this.deviceCapacity);
    this.maxServerCap = Math.max(...this.serverCapacity);
    this.latency = new Float64Array(M * K);
    this.invRate = new Float64Array(M * K);
    this.switchTime = new Float64Array(M * K);
    const { rate } = scenario.links, sw = scenario.switchTime;
    for (let i = 0; i < M; i++) {
      for (let k = 0; k < K; k++) {
        this.latency[i * K + k] = scenario.links.latency[i][k];
        const r = typeof rate === 'number' ? rate : rate[i][k];
        this.invRate[i * K + k] = Number.isFinite(r) ? 1 / r : 0;
        this.switchTime[i * K + k] = typeof sw === 'number' ? sw : sw[i][k];
      }
    }

    this.energyLeft = new Float64Array(M);
    this.switchPaid = new Uint8Array(M * K);
    this.lastServer = new Int32Array(M).fill(-1);
    this.work = new Float64Array(M);
    this.deadline = new Float64Array(M);
    this.sensitive = new Uint8Array(M);
    this.allowed = new Uint8Array(M * K);
    this.candidates = new Int32Array(M * K);
    this.candidateCount = new Int32Array(M);
    this.arrival = new Float64Array(M);
    this.processing = new Float64Array(M);
    this.offFinish = new Float64Array(M);
    this.order = new Int32Array(M);
    this.local = new Float64Array(M);
    this.serverScratch = new Int32Array(M);
    this.rhoScratch = new Float32Array(M);
    this.continuousScratch = new Float32Array(M * 2);
    this.arrivalBase = new Float64Array(M * K);
    this.arrivalPerWork = new Float64Array(M * K);
    this.workNorm = new Float32Array(M);
    this.backlogNorm = new Float32Array(K);
    const sec = scenario.security;
    for (let i = 0; i < M; i++) {
      for (let k = 0; k < K; k++) {
        const ik = i * K + k;
        const enc = isEncrypted(this.domains, this.encryptAll, i, k);
        this.arrivalBase[ik] = this.latency[ik] + (enc ? sec.ciphertextOverhead * this.invRate[ik] : 0);
        this.arrivalPerWork[ik] = (enc ? sec.encryptWorkPerUnit / this.deviceCapacity[i] : 0) + this.invRate[ik];
      }
    }
    this.writeStaticObservations();

    for (let i = 0; i < M; i++) {
      const a = this.possibleAgents[i];
      this.obsViews[a] = this.obs.subarray(i * this.obsDim, (i + 1) * this.obsDim);
      this.rewardsDict[a] = 0;
      this.terminationsDict[a] = false;
      this.truncationsDict[a] = false;
      this.infosDict[a] = { allowed: this.allowed.subarray(i * K, (i + 1) * K), success: false, cost: 0 };
    }
    this.result = {
      observations: this.obsViews,
      rewards: this.rewardsDict,
      terminations: this.terminationsDict,
      truncations: this.truncationsDict,
      infos: this.infosDict,
    };
  }

  // ---------------------------------------------------------------- spaces

  /** Observation space of an agent: a box of obsDim values in [0, 1]. */
  observationSpace(agent: string): BoxSpace {
    this.agentIndex(agent);
    return box(this.obsDim, 0, 1);
  }

  /** Continuous action space of an agent: [a0 (server), a1 (offload fraction)] in [-1, 1]. */
  actionSpace(agent: string): BoxSpace {
    this.agentIndex(agent);
    return box(2, -1, 1);
  }

  /** Discrete action space of an agent: server x offload level (index = server * 5 + level). */
  discreteActionSpace(agent: string): DiscreteSpace {
    this.agentIndex(agent);
    return discrete(this.numServers * OFFLOAD_LEVELS.length);
  }

  /** Index of an agent name; throws on an unknown name. */
  agentIndex(agent: string): number {
    const i = this.possibleAgents.indexOf(agent);
    if (i < 0) throw new Error(`DsMecEnv: unknown agent "${agent}" (agents: ${this.possibleAgents.join(', ')})`);
    return i;
  }

  // ---------------------------------------------------------------- dict API

  /** Start an episode (PettingZoo `reset`); with a seed the episode is fixed by it. */
  reset(opts: { seed?: number } = {}): { observations: Record<string, Float32Array>; infos: Record<string, StepInfo> } {
    this.resetRaw(opts.seed);
    this.agents = [...this.possibleAgents];
    for (const a of this.possibleAgents) {
      const info = this.infosDict[a];
      info.success = false;
      info.cost = 0;
    }
    return { observations: this.obsViews, infos: this.infosDict };
  }

  /** One slot with continuous actions keyed by agent (PettingZoo parallel `step`). */
  step(actions: Record<string, ArrayLike<number>>): StepResult {
    if (this.agents.length === 0) throw new Error('DsMecEnv.step: the episode has ended; call reset() first');
    const buf = this.continuousScratch;
    for (let i = 0; i < this.numAgents; i++) {
      const a = actions[this.possibleAgents[i]];
      if (a === undefined || a.length < 2) throw new Error(`DsMecEnv.step: missing or short action for ${this.possibleAgents[i]} (expected [a0, a1])`);
      buf[2 * i] = a[0];
      buf[2 * i + 1] = a[1];
    }
    const done = this.stepContinuous(buf);
    const rec = this.record;
    for (let i = 0; i < this.numAgents; i++) {
      const a = this.possibleAgents[i];
      this.rewardsDict[a] = this.rewardsBuf[i];
      this.terminationsDict[a] = done;
      this.truncationsDict[a] = false;
      const info = this.infosDict[a];
      info.success = rec.success[i] === 1;
      info.cost = rec.cost[i];
    }
    if (done) this.agents = [];
    return this.result;
  }

  /** Global state for centralised critics: all observation rows (a reused array). */
  state(): Float32Array {
    this.stateBuf.set(this.obs);
    return this.stateBuf;
  }

  /** Per server, 1 when the security rule allows the agent's current task there (a view, overwritten each step). */
  allowedMask(agent: string | number): Uint8Array {
    const i = typeof agent === 'number' ? agent : this.agentIndex(agent);
    return this.allowed.subarray(i * this.numServers, (i + 1) * this.numServers);
  }

  // ---------------------------------------------------------------- fast path

  /** Start an episode without building dicts; a seed fixes the episode, none continues the env's stream. */
  resetRaw(seed?: number): void {
    if (seed !== undefined) this.rng = new Random(seed);
    this.episodeIndex++;
    this.slot = 0;
    this.done = false;
    this.costTotal = 0;
    this.queues.clear();
    this.switchPaid.fill(0);
    this.lastServer.fill(-1);
    this.energyLeft.set(this.budget);
    this.metrics.clear();
    this.rewardsBuf.fill(0);
    this.workload.startEpisode(this.rng, this.episodeIndex);
    this.workload.sample(this.rng, 0, this.work, this.deadline, this.sensitive);
    this.updateAllowed();
    this.writeObservations();
  }

  /** Whether the current episode has ended. */
  get episodeDone(): boolean {
    return this.done;
  }

  /** 0-based index of the slot about to be played. */
  get slotIndex(): number {
    return this.slot;
  }

  /** Server index the continuous a0 selects for agent i (over its decoder candidates); -1 if there are none. */
  decodeContinuous(agentIndex: number, a0: number): number {
    const n = this.candidateCount[agentIndex];
    if (n === 0) return -1;
    let j = Math.floor(((a0 + 1) / 2) * n);
    if (!(j >= 0)) j = 0; // also catches NaN
    if (j > n - 1) j = n - 1;
    return this.candidates[agentIndex * this.numServers + j];
  }

  /** One slot with continuous actions, `actions[2i..2i+1]` for agent i; returns whether the episode ended. */
  stepContinuous(actions: Float32Array): boolean {
    for (let i = 0; i < this.numAgents; i++) {
      this.serverScratch[i] = this.decodeContinuous(i, actions[2 * i]);
      this.rhoScratch[i] = (actions[2 * i + 1] + 1) / 2;
    }
    return this.stepRaw(this.serverScratch, this.rhoScratch);
  }

  /** One slot with discrete actions `server * 5 + level` per agent; returns whether the episode ended. */
  stepDiscrete(actionIdx: Int32Array): boolean {
    const L = OFFLOAD_LEVELS.length;
    for (let i = 0; i < this.numAgents; i++) {
      const a = actionIdx[i];
      if (!(a >= 0 && a < this.numServers * L)) throw new Error(`DsMecEnv.stepDiscrete: action ${a} of agent ${i} out of [0, ${this.numServers * L})`);
      this.serverScratch[i] = Math.floor(a / L);
      this.rhoScratch[i] = OFFLOAD_LEVELS[a % L];
    }
    return this.stepRaw(this.serverScratch, this.rhoScratch);
  }

  /**
   * One slot (SPEC 2.2). `server[i]` is a global server index (-1: run locally),
   * `rho[i]` the offload fraction (clamped to [0, 1]). A forbidden choice is
   * counted as a violation; under `mask` and `penalize` it is not executed: the
   * task runs locally and pays `violationPenalty` (decoders never produce one
   * under `mask`). Returns whether the episode ended.
   */
  stepRaw(server: Int32Array, rho: Float32Array): boolean {
    if (this.done) throw new Error('DsMecEnv: step after the episode ended; call reset first');
    const s = this.scenario, M = this.numAgents, K = this.numServers;
    const sec = s.security, en = s.energy, cost = s.cost;
    const rec = this.record, q = this.queues, dom = this.domains;
    const maxT = cost.maxTaskSeconds;
    rec.slot = this.slot;
    rec.work.set(this.work);
    rec.deadline.set(this.deadline);
    rec.sensitive.set(this.sensitive);

    // Device side: what runs where, encryption, transfer, energy.
    let nOff = 0;
    for (let i = 0; i < M; i++) {
      let k = server[i] | 0;
      if (k < -1 || k >= K) throw new Error(`DsMecEnv.stepRaw: server ${k} of agent ${i} out of [-1, ${K})`);
      let r = rho[i];
      r = r > 0 ? (r < 1 ? r : 1) : 0; // also maps NaN to 0
      if (k < 0) r = 0;
      const w = this.work[i];
      const ik = i * K + (k < 0 ? 0 : k);
      let penalty = 0, violation = 0;
      if (r > 0 && breaksRule(dom, i, k, this.sensitive[i] === 1)) {
        violation = 1;
        if (this.enforce !== 'off') {
          r = 0;
          penalty = sec.violationPenalty;
        }
      }
      const cross = r > 0 && dom.deviceDomain[i] !== dom.serverDomain[k] ? 1 : 0;
      const enc = r > 0 && isEncrypted(dom, this.encryptAll, i, k) ? 1 : 0;
      const off = r * w;
      const devCap = this.deviceCapacity[i];
      const encTime = enc ? (off * sec.encryptWorkPerUnit) / devCap : 0;
      const tx = r > 0 ? this.latency[ik] + (off + (enc ? sec.ciphertextOverhead : 0)) * this.invRate[ik] : 0;
      const localWork = (1 - r) * w;
      const energy = localWork * en.localJoulePerWork + (enc ? off * en.encryptJoulePerWork : 0) + this.txPower[i] * tx;

      rec.server[i] = k;
      rec.violation[i] = violation;
      rec.energy[i] = 0;
      this.metrics.violations += violation;
      this.metrics.totalWork += w;
      if (energy > this.energyLeft[i] + 1e-12) {
        // The device cannot pay for its part of the task: nothing runs, the task misses.
        rec.rho[i] = 0;
        rec.encrypted[i] = 0;
        rec.crossDomain[i] = 0;
        rec.T[i] = maxT;
        rec.cost[i] = cost.timeWeight * maxT + penalty;
        rec.success[i] = 0;
        this.local[i] = -1; // marks "not run"
        this.metrics.localWork += w;
        continue;
      }
      this.energyLeft[i] -= energy;
      rec.energy[i] = energy;
      this.metrics.energy += energy;
      this.metrics.localWork += localWork;
      rec.rho[i] = r;
      rec.encrypted[i] = enc;
      rec.crossDomain[i] = cross;
      rec.cost[i] = penalty; // time and energy terms added below
      this.local[i] = localWork / devCap;
      this.offFinish[i] = 0;
      if (r > 0) {
        this.metrics.encrypted += enc;
        this.metrics.crossDomain += cross;
        const cap = this.serverCapacity[k];
        this.arrival[i] = encTime + tx;
        this.processing[i] = (this.switchPaid[ik] ? 0 : this.switchTime[ik]) + (enc ? (off * sec.decryptWorkPerUnit) / cap : 0) + off / cap;
        // Insertion sort by (arrival, device index): servers take tasks in arrival order.
        let j = nOff++;
        while (j > 0 && this.arrival[this.order[j - 1]] > this.arrival[i]) {
          this.order[j] = this.order[j - 1];
          j--;
        }
        this.order[j] = i;
      }
    }

    // Server side: FIFO admission in arrival order.
    for (let j = 0; j < nOff; j++) {
      const i = this.order[j];
      const k = rec.server[i];
      this.offFinish[i] = q.admit(k, this.arrival[i], this.processing[i]);
      this.switchPaid[i * K + k] = 1;
    }

    // Task times, costs, successes.
    let missed = false, slotMaxCost = 0;
    for (let i = 0; i < M; i++) {
      if (this.local[i] >= 0) {
        let T = this.local[i] > this.offFinish[i] ? this.local[i] : this.offFinish[i];
        if (T > maxT) T = maxT;
        rec.T[i] = T;
        rec.cost[i] += cost.timeWeight * T + cost.energyWeight * rec.energy[i];
        rec.success[i] = T <= this.deadline[i] + DEADLINE_EPS ? 1 : 0;
      }
      if (rec.success[i] === 0) missed = true;
      if (rec.cost[i] > slotMaxCost) slotMaxCost = rec.cost[i];
      this.costTotal += rec.cost[i];
      this.metrics.costSum += rec.cost[i];
      this.metrics.successes += rec.success[i];
      if (server[i] >= 0) this.lastServer[i] = server[i];
    }
    this.metrics.tasks += M;
    this.metrics.slots++;

    // End of slot: queues advance, the episode may end.
    q.endSlot(s.slotSeconds);
    for (let k = 0; k < K; k++) rec.backlog[k] = q.backlog(k);
    const endedOnMiss = missed && s.terminateOnDeadlineMiss;
    const reachedLast = this.slot + 1 >= s.slotsPerEpisode;
    this.done = endedOnMiss || reachedLast;
    if (this.done) {
      this.metrics.endedOnMiss = endedOnMiss;
      this.metrics.lastSlotMaxCost = slotMaxCost;
    }
    const R = slotReward(this.reward, rec.cost, rec.success, M, endedOnMiss, reachedLast, this.costTotal / (M * (this.slot + 1)));
    rec.reward = R;
    this.rewardsBuf.fill(R);

    this.slot++;
    if (!this.done) {
      this.workload.sample(this.rng, this.slot, this.work, this.deadline, this.sensitive);
      this.updateAllowed();
    }
    this.writeObservations();
    return this.done;
  }

  // ---------------------------------------------------------------- queries

  /** Metrics of the current (usually just ended) episode. */
  episodeMetrics(): EpisodeMetrics {
    return this.metrics.result(this.scenario.slotsPerEpisode);
  }

  /** Detail of the last slot (a reused record, overwritten by the next step). */
  lastSlot(): SlotRecord {
    return this.record;
  }

  /** Whether the security rule allows agent i's current task on server k (no allocation, unlike `allowedMask`). */
  isAllowed(i: number, k: number): boolean {
    return this.allowed[i * this.numServers + k] === 1;
  }

  /** Work of agent i's current task. */
  taskWork(i: number): number {
    return this.work[i];
  }

  /** Deadline of agent i's current task [s]. */
  taskDeadline(i: number): number {
    return this.deadline[i];
  }

  /** Whether agent i's current task is sensitive. */
  taskSensitive(i: number): boolean {
    return this.sensitive[i] === 1;
  }

  /** Backlog of server k at the start of the current slot [s]. */
  backlog(k: number): number {
    return this.queues.backlog(k);
  }

  /**
   * Finish time agent i's current task would have on server k with offload
   * fraction rho, if no other device sent anything this slot. Uses only what the
   * device can know: its task, its links, the servers' capacities and backlogs.
   */
  estimateFinish(i: number, k: number, rho: number): number {
    const s = this.scenario, sec = s.security, K = this.numServers;
    const w = this.work[i], devCap = this.deviceCapacity[i];
    const local = ((1 - rho) * w) / devCap;
    if (rho <= 0 || k < 0) return local;
    const ik = i * K + k, off = rho * w, cap = this.serverCapacity[k];
    const enc = isEncrypted(this.domains, this.encryptAll, i, k);
    const arrival = (enc ? (off * sec.encryptWorkPerUnit) / devCap : 0) + this.latency[ik] + (off + (enc ? sec.ciphertextOverhead : 0)) * this.invRate[ik];
    const proc = (this.switchPaid[ik] ? 0 : this.switchTime[ik]) + (enc ? (off * sec.decryptWorkPerUnit) / cap : 0) + off / cap;
    const b = this.queues.backlog(k);
    const finish = s.queueModel === 'overlap' ? (arrival > b ? arrival : b) + proc : arrival + b + proc;
    return local > finish ? local : finish;
  }

  // ---------------------------------------------------------------- internals

  private updateAllowed(): void {
    const M = this.numAgents, K = this.numServers, dom = this.domains;
    for (let i = 0; i < M; i++) {
      let n = 0;
      const sens = this.sensitive[i] === 1;
      for (let k = 0; k < K; k++) {
        const ok = isAllowed(dom, this.enforce, i, k, sens);
        this.allowed[i * K + k] = ok ? 1 : 0;
        if (ok || this.enforce !== 'mask') this.candidates[i * K + n++] = k;
      }
      this.candidateCount[i] = n;
    }
  }

  /** Features that never change (capacities, same-domain flags): written once. */
  private writeStaticObservations(): void {
    const M = this.numAgents, K = this.numServers, L = this.layout, o = this.obs, dom = this.domains;
    for (let i = 0; i < M; i++) {
      const b = i * this.obsDim;
      o[b] = this.deviceCapacity[i] / this.maxDeviceCap;
      for (let k = 0; k < K; k++) {
        const f = b + L.serverBase + k * L.perServer;
        o[f] = this.serverCapacity[k] / this.maxServerCap;
        o[f + 3] = dom.deviceDomain[i] === dom.serverDomain[k] ? 1 : 0;
      }
    }
  }

  /** Features that change every slot. */
  private writeObservations(): void {
    const s = this.scenario, M = this.numAgents, K = this.numServers, L = this.layout, o = this.obs;
    const tScale = 1 / s.cost.maxTaskSeconds;
    const wScale = 1 / this.workload.workScale;
    const dScale = 1 / this.workload.deadlineScale;
    const slotShare = this.slot / s.slotsPerEpisode;
    const wn = this.workNorm, work = this.work;
    const allowed = this.allowed, paid = this.switchPaid, base = this.arrivalBase, perWork = this.arrivalPerWork;
    const perServer = L.perServer;
    for (let j = 0; j < M; j++) wn[j] = unit(work[j] * wScale);
    for (let k = 0; k < K; k++) this.backlogNorm[k] = unit(this.queues.backlog(k) * tScale);
    for (let i = 0; i < M; i++) {
      const b = i * this.obsDim;
      const w = work[i];
      const budget = this.budget[i];
      o[b + 1] = budget < Infinity && budget > 0 ? unit(this.energyLeft[i] / budget) : 1;
      o[b + 2] = wn[i];
      o[b + 3] = unit(this.deadline[i] * dScale);
      o[b + 4] = this.sensitive[i];
      let f = b + L.serverBase;
      for (let k = 0, ik = i * K; k < K; k++, ik++, f += perServer) {
        o[f + 1] = this.backlogNorm[k];
        o[f + 2] = unit((base[ik] + w * perWork[ik]) * tScale);
        o[f + 4] = allowed[ik];
        o[f + 5] = paid[ik];
      }
      o.set(wn, b + L.workBase);
      const last = this.lastServer[i], lb = b + L.lastServerBase;
      for (let k = 0; k < K; k++) o[lb + k] = last === k ? 1 : 0;
      o[b + L.slotIndex] = slotShare;
    }
  }
}
