/**
 * `npm run bench [-- --json] [-- --only PREFIX[,PREFIX]]`: prints throughput
 * and latency figures. Never run as a pass/fail test: timings depend on the machine.
 */
import { benchEnv } from './env-bench.js';
import { benchNn } from './nn-bench.js';
import { benchKernels } from './kernels-bench.js';
import { benchTrain } from './train-bench.js';
import { benchEstimators } from './estimators-bench.js';
import { getKernels, kernelsByName, setKernels } from '../src/nn/kernels/select.js';

/** Run `fn` with the TypeScript reference kernels and prefix its keys (e.g. nn.ts.criticUpdateMs). */
function withTsKernels(prefix: string, fn: () => Record<string, number>): () => Record<string, number> {
  return () => {
    const saved = getKernels();
    const ts = kernelsByName('ts');
    if (!ts) return {};
    setKernels(ts);
    try {
      const r = fn();
      return Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(new RegExp(`^${prefix}\\.`), `${prefix}.ts.`), v]));
    } finally {
      setKernels(saved);
    }
  };
}

type Bench = { prefix: string; run: () => Record<string, number> };

const benches: Bench[] = [
  { prefix: 'env', run: benchEnv },
  { prefix: 'kernels', run: benchKernels },
  { prefix: 'nn', run: benchNn },
  { prefix: 'nn', run: withTsKernels('nn', benchNn) },
  { prefix: 'estimators', run: benchEstimators },
  { prefix: 'train', run: benchTrain },
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? (args[onlyIdx + 1] ?? '').split(',').filter(Boolean) : [];

const results: Record<string, number> = {};
for (const b of benches) {
  if (only.length > 0 && !only.includes(b.prefix)) continue;
  const r = b.run();
  Object.assign(results, r);
  if (!json) for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(48)} ${format(v)}\n`);
}
if (json) process.stdout.write(`${JSON.stringify(results)}\n`);

function format(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4);
}
