import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { listPresets, resolveScenario } from '../env/presets.js';
import { loadScenarioFile } from '../env/scenario.js';
import { UserError } from '../core/errors.js';

/** `mitra scenarios list|show|validate`. */
export function registerScenarioCommands(program: Command): void {
  const scenarios = program.command('scenarios').description('list, show and validate DS-MEC scenarios');
  scenarios
    .command('list')
    .description('list the built-in scenarios')
    .action(() => {
      const presets = listPresets();
      const width = Math.max(...presets.map((p) => p.name.length));
      for (const p of presets) process.stdout.write(`${p.name.padEnd(width)}  ${p.description}\n`);
    });
  scenarios
    .command('show')
    .description('print a built-in scenario file (copy it to make your own)')
    .argument('<name>', 'preset name')
    .action((name: string) => {
      const preset = listPresets().find((p) => p.name === name);
      if (!preset) {
        throw new UserError(`unknown scenario '${name}'; valid: ${listPresets().map((p) => p.name).join(', ')}`);
      }
      resolveScenario(name); // validates before printing
      process.stdout.write(readFileSync(preset.path, 'utf8'));
    });
  scenarios
    .command('validate')
    .description('check a scenario file; exit 2 with the field and rule on the first error')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .action((file: string) => {
      const s = loadScenarioFile(file);
      process.stdout.write(
        `${file}: ok (${s.domains.length} domains, ${s.servers.length} servers, ${s.devices.length} devices, ${s.slotsPerEpisode} slots per episode)\n`,
      );
    });
}
