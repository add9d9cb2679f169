import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { parseIntFlag } from '../cli/args.js';
import { startDashboard } from './server.js';

interface DashboardFlags {
  runs: string;
  port: string;
  host: string;
}

/** `mitra dashboard`: serve the web dashboard over a runs folder until interrupted. */
export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('serve a web dashboard of training runs: live curves, run comparison, scenario replay')
    .option('--runs <dir>', 'runs folder to show (read only)', 'runs')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8050')
    .option('--host <addr>', 'address to bind (0.0.0.0 exposes the runs to the network)', '127.0.0.1')
    .action(async (flags: DashboardFlags) => {
      const port = parseIntFlag('--port', flags.port, 0);
      if (port > 65535) throw new UserError(`--port: must be at most 65535, got ${port}`);
      if (flags.host.trim() === '') throw new UserError('--host: expected an address such as 127.0.0.1');
      const dash = await startDashboard({ runsDir: flags.runs, host: flags.host, port });
      process.stdout.write(`mitra dashboard: ${dash.url} (runs: ${dash.runsDir}; Ctrl-C to stop)\n`);
      if (!existsSync(dash.runsDir)) process.stdout.write(`mitra dashboard: ${dash.runsDir} does not exist yet; runs will appear when it does\n`);
      if (!dash.pageBuilt) process.stdout.write('mitra dashboard: the page is not built; run `npm run build` (the JSON API works meanwhile)\n');
      await new Promise<void>((resolveStop) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void dash.close().then(resolveStop);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
