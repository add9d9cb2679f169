/**
 * Built-in scenarios: YAML files in `src/env/scenarios/`, shipped with the
 * package (package.json `files`), found relative to this module so the lookup
 * works from the source tree and from `dist/src/env/`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import { loadScenarioFile, parseYamlOrJson, type Scenario } from './scenario.js';

/** The folder holding the preset YAML files. */
export function presetsDir(): string {
  const candidates = [
    new URL('./scenarios/', import.meta.url), // running from src/env/
    new URL('../../../src/env/scenarios/', import.meta.url), // running from dist/src/env/
  ];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.yaml'))) return dir;
  }
  throw new Error('presets: cannot find the src/env/scenarios folder next to the installed package');
}

/** All presets with their one-line description and file path, sorted by name. */
export function listPresets(): { name: string; description: string; path: string }[] {
  const dir = presetsDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const raw = parseYamlOrJson(readFileSync(path, 'utf8'), path) as { description?: unknown };
      return { name: basename(f, '.yaml'), description: typeof raw.description === 'string' ? raw.description : '', path };
    });
}

/** A preset by name, or a scenario file by path (anything with a slash or a .yaml/.yml/.json ending). */
export function resolveScenario(nameOrPath: string): Scenario {
  const presets = listPresets();
  const preset = presets.find((p) => p.name === nameOrPath);
  if (preset) return loadScenarioFile(preset.path);
  if (/[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath) || existsSync(nameOrPath)) return loadScenarioFile(nameOrPath);
  throw new UserError(`unknown scenario "${nameOrPath}": use a preset (${presets.map((p) => p.name).join(', ')}) or a scenario file path`);
}
