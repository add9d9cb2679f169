/** Fixtures for the dashboard's tests: temporary runs folders with real and hand-written runs. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRunConfig } from '../training/config.js';
import { train } from '../training/train.js';

/** A fresh empty folder under the system's temp folder. */
export function tempDir(prefix = 'mitra-dash-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Settings of the tiny real run: 20 episodes, learning from step 32, final evaluation on 5 episodes. */
export const TINY = ['episodes=20', 'batchSize=32', 'learningStarts=32', 'updateEvery=5', 'finalEvalEpisodes=5'];

/** Train a tiny real run of `algo` on the system-drawing scenario into `dir`. */
export async function tinyRun(dir: string, algo = 'maddpg'): Promise<void> {
  const config = resolveRunConfig({ algo, scenario: 'fig1-2cs-4es-9ud', set: TINY });
  await train({ config, dir });
}

/** A hand-written run folder: config.json plus `rows` metric rows (episode i, train/avgCost = 10 - i). */
export function fakeRun(dir: string, rows: number, extra: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, algo: 'maddpg', scenarioName: 'fake', seed: 3, episodes: 100, ...extra }));
  const lines = Array.from({ length: rows }, (_, i) => JSON.stringify({ episode: i, 'train/avgCost': 10 - i, 'train/taskSuccessRate': i / 100 }));
  writeFileSync(join(dir, 'metrics.jsonl'), lines.map((l) => `${l}\n`).join(''));
}
