/**
 * The layout of a run folder: config.json, metrics.jsonl, eval.jsonl,
 * summary.json and checkpoints/. Everything but the JSON-lines logs is
 * written atomically.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { parseStoredConfig, type RunConfig } from './config.js';

/** Paths inside a run folder. */
export function runPaths(dir: string): { config: string; metrics: string; eval: string; summary: string; checkpoints: string } {
  return {
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.jsonl'),
    eval: join(dir, 'eval.jsonl'),
    summary: join(dir, 'summary.json'),
    checkpoints: join(dir, 'checkpoints'),
  };
}

/** JSON with infinities kept as the strings "Infinity" / "-Infinity" (scenario link rates may be infinite). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v), 2);
}

/** Write config.json. */
export function writeRunConfig(dir: string, config: RunConfig): void {
  writeFileAtomic(runPaths(dir).config, `${toJson(config)}\n`);
}

/** Read and validate a run folder's config.json; a folder that is not a run is a one-line error. */
export function readRunConfig(dir: string): RunConfig {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such run folder`);
  const path = runPaths(dir).config;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UserError(`${dir}: not a run folder (no readable config.json)`);
  }
  return parseStoredConfig(raw, path);
}

/** Write summary.json. */
export function writeSummary(dir: string, summary: Record<string, unknown>): void {
  writeFileAtomic(runPaths(dir).summary, `${toJson(summary)}\n`);
}
