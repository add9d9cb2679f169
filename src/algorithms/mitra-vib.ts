/**
 * MITRA-VIB (SPEC 3.2): a MADDPG-style actor-critic with one centralised
 * critic whose target carries the Credence Mutual Information bonus
 *   y = r + gamma (1 - done) Q'(s', mu'(o')) + lambda3 (alpha I+(z, a) - beta I-(z, a)),
 * where z ~ q(z | s) is a Variational Information Bottleneck code of the global
 * state, I+ a MINE (Jensen-Shannon) lower bound trained on superior experience
 * D+, and I- a CLUB upper bound trained on inferior experience D-.
 * The CMI term and the estimators switch on once D+ holds `minGood` entries;
 * before that the updates are plain centralised-critic MADDPG.
 */
import { z } from 'zod';
import type { Random } from '../core/random.js';
import type { DsMecEnv } from '../env/env.js';
import { ClubEstimator } from '../estimators/club.js';
import { MineEstimator } from '../estimators/mine.js';
import { VibEncoder, klLoss } from '../estimators/vib.js';
import { Adam } from '../nn/adam.js';
import { clipGradNorm, frozen, type Module } from '../nn/layers.js';
import { add, mul, mulScalar, neg, square } from '../nn/ops-elementwise.js';
import { mean, mse } from '../nn/ops-reduce.js';
import { concatCols } from '../nn/ops-shape.js';
import { noGrad, scope } from '../nn/scope.js';
import { Tensor } from '../nn/tensor.js';
import type { Algorithm, AlgorithmContext, AlgorithmSpec, AlgorithmState, MetricRecord } from './algorithm.js';
import { ACTION_DIM } from './common/actors.js';
import { batchTensors } from './common/batch.js';
import { DdpgCore, TargetCritic } from './common/ddpg-core.js';
import { ddpgConfigShape } from './common/ddpg-config.js';
import { ExperienceSplit } from './common/experience-split.js';
import { ReplayBuffer } from './common/replay-buffer.js';
import type { ArrayMap } from './common/state-io.js';
import { putAdam, putModule, randomFromJson, randomToJson, takeAdam, takeModule } from './common/state-io.js';

/** MITRA-VIB hyperparameters (defaults: SPEC 3.2). */
export const mitraVibConfigSchema = z.object({
  ...ddpgConfigShape,
  lambda3: z.number().min(0).default(0.1).describe('weight of the CMI bonus in the critic target'),
  alpha: z.number().min(0).default(1).describe('weight of the MINE lower bound I+ (0: no D+ / MINE)'),
  beta: z.number().min(0).default(1).describe('weight of the CLUB upper bound I- (0: no D- / CLUB)'),
  useVib: z.boolean().default(true).describe('encode the state with the VIB encoder (false: estimators see the raw state, no KL)'),
  latentDim: z.number().int().positive().default(64).describe('width of the VIB code z'),
  encoderHidden: z.number().int().positive().default(128).describe('hidden width of the VIB encoder'),
  klWeight: z.number().min(0).default(1e-3).describe('weight of the VIB KL term'),
  encoderLr: z.number().positive().default(1e-3).describe('Adam learning rate of the encoder'),
  encoderGradClip: z.number().positive().default(0.9).describe('gradient-norm clip of the encoder'),
  estimatorLr: z.number().positive().default(1e-4).describe('Adam learning rate of MINE and CLUB'),
  splitCapacity: z.number().int().positive().default(1000).describe('transitions held in each of D+ and D-'),
  splitWindow: z.number().int().positive().default(1000).describe('episodes in the running mean of the D+ threshold'),
  minGood: z.number().int().nonnegative().default(500).describe('D+ entries needed before the CMI term is used'),
}).strict();
/** Parsed MITRA-VIB configuration. */
export type MitraVibConfig = z.infer<typeof mitraVibConfigSchema>;

class MitraVib implements Algorithm {
  private readonly core: DdpgCore;
  private readonly critic: TargetCritic;
  private readonly encoder: VibEncoder | null;
  private readonly encoderOptim: Adam | null;
  private readonly mine: MineEstimator | null;
  private readonly mineOptim: Adam | null;
  private readonly club: ClubEstimator | null;
  private readonly clubOptim: Adam | null;
  private readonly split: ExperienceSplit;
  /** This episode's (state, joint action) pairs, filed into D+ or D- at its end. */
  private readonly episode: ReplayBuffer;
  private readonly goodBatch: Record<string, Float32Array>;
  private readonly badBatch: Record<string, Float32Array>;
  private readonly splitScratch: Record<string, Float32Array>;
  private readonly lower: Float32Array;
  private readonly upper: Float32Array;
  private readonly latentRng: Random;
  private updates = 0;
  private readonly last: MetricRecord = {};

  constructor(ctx: AlgorithmContext, private readonly cfg: MitraVibConfig) {
    const { numAgents, stateDim } = ctx.dims;
    this.core = new DdpgCore(ctx, cfg);
    const initRng = this.core.initRng;
    this.latentRng = ctx.rng.fork('latent');
    const jointDim = numAgents * ACTION_DIM;
    this.critic = new TargetCritic([stateDim + jointDim, cfg.hidden, cfg.hidden, 1], cfg.criticLr, initRng);

    this.encoder = cfg.useVib ? new VibEncoder({ inputDim: stateDim, hiddenDim: cfg.encoderHidden, latentDim: cfg.latentDim }, initRng) : null;
    this.encoderOptim = this.encoder ? new Adam(this.encoder.parameters(), { lr: cfg.encoderLr }) : null;
    const zDim = this.encoder ? cfg.latentDim : stateDim;
    this.mine = cfg.alpha > 0 ? new MineEstimator({ zDim, aDim: jointDim }, initRng) : null;
    this.mineOptim = this.mine ? new Adam(this.mine.parameters(), { lr: cfg.estimatorLr }) : null;
    this.club = cfg.beta > 0 ? new ClubEstimator({ zDim, aDim: jointDim }, initRng) : null;
    this.clubOptim = this.club ? new Adam(this.club.parameters(), { lr: cfg.estimatorLr }) : null;

    const pairWidths = { state: stateDim, act: jointDim };
    this.split = new ExperienceSplit(cfg.splitCapacity, pairWidths, cfg.splitWindow);
    this.episode = new ReplayBuffer(1_000_000, pairWidths, 64);
    this.goodBatch = this.split.good.batchArrays(cfg.batchSize);
    this.badBatch = this.split.bad.batchArrays(cfg.batchSize);
    this.splitScratch = this.episode.batchArrays(1);
    this.lower = new Float32Array(cfg.batchSize);
    this.upper = new Float32Array(cfg.batchSize);
  }

  act(env: DsMecEnv, explore: boolean, out: Float32Array): void {
    this.core.act(env, explore, out);
  }

  beginEpisode(episode: number): void {
    this.core.beginEpisode(episode);
    this.episode.clear();
  }

  observe(obs: Float32Array, actions: Float32Array, reward: number, nextObs: Float32Array, done: boolean): boolean {
    if (this.usesCmiTerms()) this.episode.push({ state: obs, act: actions });
    if (!this.core.store(obs, actions, reward, nextObs, done)) return false;
    this.update();
    return true;
  }

  endEpisode(_episode: number, episodeReturn: number): void {
    if (!this.usesCmiTerms()) return;
    this.split.addEpisode(episodeReturn, this.episode.size, (i, out) => this.episode.get(i, out), this.splitScratch);
  }

  private usesCmiTerms(): boolean {
    return this.mine !== null || this.club !== null;
  }

  private cmiActive(): boolean {
    return this.usesCmiTerms() && this.split.good.size >= this.cfg.minGood;
  }

  private update(): void {
    const { cfg, core } = this;
    const B = cfg.batchSize;
    const batch = core.sample();
    const cmi = this.cmiActive();
    scope(() => {
      if (cmi) this.trainEstimators();
      const b = batchTensors(batch, B);
      const y = noGrad(() => {
        const nextAct = core.actors.jointAction(b['next']!, true);
        const qNext = this.critic.target.forward(concatCols([b['next']!, nextAct]));
        let target = add(b['rew']!, mulScalar(mul(b['notDone']!, qNext), cfg.gamma));
        if (cmi) target = add(target, this.cmiBonus(b['obs']!, b['act']!));
        return target;
      });
      const q = this.critic.net.forward(concatCols([b['obs']!, b['act']!]));
      const criticLoss = mse(q, y);
      this.critic.minimise(criticLoss, cfg.gradClip);
      // All actors at once through the one centralised critic, whose weights are
      // constants here: their gradients would only be zeroed before the next critic step.
      const actorLoss = frozen(this.critic.net.parameters(), () => {
        const joint = core.actors.jointAction(b['obs']!, false);
        const loss = add(neg(mean(this.critic.net.forward(concatCols([b['obs']!, joint])))), mulScalar(mean(square(joint)), cfg.actionReg));
        core.actors.zeroGrad();
        loss.backward();
        return loss;
      });
      core.actors.step();
      this.last['loss/critic'] = criticLoss.item();
      this.last['loss/actor'] = actorLoss.item();
      this.last['q/mean'] = mean(q).item();
    });
    this.critic.softUpdateTarget(cfg.tau);
    core.actors.softUpdateTargets(cfg.tau);
    this.updates++;
  }

  /** Code of a batch of states: the VIB sample (training) or mean (bonus), or the raw state without the encoder. */
  private encode(state: Tensor, sample: boolean): { z: Tensor; kl: Tensor | null } {
    if (!this.encoder) return { z: state, kl: null };
    if (!sample) return { z: this.encoder.encodeMean(state), kl: null };
    const out = this.encoder.encode(state, this.latentRng, true);
    return { z: out.z, kl: klLoss(out.mean, out.logvar) };
  }

  /** One step of MINE (+ encoder) on D+ and one of CLUB (+ encoder) on D-. */
  private trainEstimators(): void {
    const { cfg } = this;
    const B = cfg.batchSize;
    const step = (estimatorOptim: Adam, loss: Tensor, key: string, kl: Tensor | null): void => {
      const total = kl ? add(loss, mulScalar(kl, cfg.klWeight)) : loss;
      estimatorOptim.zeroGrad();
      this.encoderOptim?.zeroGrad();
      total.backward();
      if (this.encoder && this.encoderOptim) {
        clipGradNorm(this.encoder.parameters(), cfg.encoderGradClip);
        this.encoderOptim.step();
      }
      estimatorOptim.step();
      this.last[key] = loss.item();
      if (kl) this.last['mi/kl'] = kl.item();
    };
    if (this.mine && this.mineOptim) {
      this.split.good.sample(B, this.core.sampleRng, this.goodBatch);
      const g = batchTensors(this.goodBatch, B);
      const { z, kl } = this.encode(g['state']!, true);
      step(this.mineOptim, this.mine.loss(z, g['act']!), 'loss/mine', kl);
    }
    if (this.club && this.clubOptim && this.split.bad.size > 0) {
      this.split.bad.sample(B, this.core.sampleRng, this.badBatch);
      const d = batchTensors(this.badBatch, B);
      const { z, kl } = this.encode(d['state']!, true);
      step(this.clubOptim, this.club.logLikelihoodLoss(z, d['act']!), 'loss/club', kl);
    }
  }

  /** lambda3 (alpha I+ - beta I-) per sampled transition (batch x 1), without gradient. */
  private cmiBonus(state: Tensor, act: Tensor): Tensor {
    const { cfg } = this;
    const B = state.rows;
    const { z } = this.encode(state, false);
    if (this.mine) this.mine.lowerBoundPerSample(z, act, this.lower); else this.lower.fill(0);
    if (this.club) this.club.upperBoundPerSample(z, act, this.upper); else this.upper.fill(0);
    const bonus = Tensor.empty(B, 1);
    let lo = 0, up = 0, bo = 0;
    for (let i = 0; i < B; i++) {
      const v = cfg.lambda3 * (cfg.alpha * this.lower[i]! - cfg.beta * this.upper[i]!);
      bonus.data[i] = v;
      lo += this.lower[i]!;
      up += this.upper[i]!;
      bo += v;
    }
    this.last['mi/lower'] = lo / B;
    this.last['mi/upper'] = up / B;
    this.last['cmi/bonus'] = bo / B;
    return bonus;
  }

  metrics(): MetricRecord {
    return {
      ...this.last,
      'charts/noiseScale': this.core.scale,
      'charts/updates': this.updates,
      'charts/cmiActive': this.cmiActive() ? 1 : 0,
      'buffer/size': this.core.buffer.size,
      'buffer/goodSize': this.split.good.size,
      'buffer/badSize': this.split.bad.size,
      'buffer/threshold': this.split.lastThreshold,
    };
  }

  getState(): AlgorithmState {
    const arrays: ArrayMap = {};
    const optimSteps: Record<string, number> = {};
    const core = this.core.save(arrays);
    optimSteps['critic'] = this.critic.save(arrays, 'critic');
    for (const [name, mod, opt] of this.extraModules()) {
      putModule(arrays, name, mod);
      optimSteps[name] = putAdam(arrays, `optim.${name}`, opt);
    }
    return {
      arrays,
      meta: {
        core, optimSteps, split: this.split.save(arrays),
        updates: this.updates, last: { ...this.last }, latentRng: randomToJson(this.latentRng),
      },
    };
  }

  setState(state: AlgorithmState): void {
    const m = state.meta;
    const arrays = state.arrays;
    const optimSteps = m['optimSteps'] as Record<string, number>;
    this.core.load(arrays, m['core'] as AlgorithmState['meta']);
    this.critic.load(arrays, 'critic', optimSteps['critic'] ?? 0);
    for (const [name, mod, opt] of this.extraModules()) {
      takeModule(arrays, name, mod);
      takeAdam(arrays, `optim.${name}`, opt, optimSteps[name] ?? 0);
    }
    this.split.load(arrays, m['split'] as AlgorithmState['meta']);
    this.updates = m['updates'] as number;
    Object.assign(this.last, m['last'] as MetricRecord);
    randomFromJson(this.latentRng, m['latentRng']);
  }

  private extraModules(): [string, Module, Adam][] {
    const out: [string, Module, Adam][] = [];
    if (this.encoder && this.encoderOptim) out.push(['encoder', this.encoder, this.encoderOptim]);
    if (this.mine && this.mineOptim) out.push(['mine', this.mine, this.mineOptim]);
    if (this.club && this.clubOptim) out.push(['club', this.club, this.clubOptim]);
    return out;
  }
}

/** MITRA-VIB's registry entry, with the released code's configuration and the ablations as named configs. */
export const mitraVib: AlgorithmSpec<MitraVibConfig> = {
  name: 'mitra-vib',
  description: 'MITRA-VIB: centralised critic with a VIB state code and a MINE/CLUB credence mutual-information bonus',
  actionEncoding: 'continuous',
  onPolicy: false,
  centralisedCritic: true,
  configSchema: mitraVibConfigSchema,
  namedConfigs: {
    released: { alpha: 3, beta: 1, lambda3: 1 },
    'no-bad': { beta: 0 },
    'no-good': { alpha: 0 },
    'no-both': { alpha: 0, beta: 0 },
    'no-vib': { useVib: false },
  },
  create: (ctx, config) => new MitraVib(ctx, config),
};
