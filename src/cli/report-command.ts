import type { Command } from 'commander';
import { writeReport } from '../report/report.js';
import { createProgress, type Progress } from './progress.js';

interface ReportFlags {
  out?: string;
  png: boolean;
}

/** `mitra report`: figures, tables and results.json from the run folders below a directory. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write training-curve figures, the results table and results.json from the run folders below DIR')
    .argument('<dir>', 'a sweep folder, or any folder holding run folders')
    .option('--out <dir>', 'report folder (default <dir>/report)')
    .option('--no-png', 'write SVG figures only')
    .action(async (dir: string, flags: ReportFlags) => {
      let progress: Progress | null = null;
      let shownTotal = 0;
      const result = await writeReport({
        dir, ...(flags.out !== undefined ? { out: flags.out } : {}), noPng: !flags.png,
        warn: (m) => process.stderr.write(`mitra: ${m}\n`),
        onProgress: (done, total) => {
          if (progress === null || total !== shownTotal) {
            progress?.stop();
            progress = createProgress({ total, unit: 'steps (runs read, figures drawn)' });
            shownTotal = total;
          }
          progress.update(done);
        },
      });
      (progress as Progress | null)?.stop();
      process.stderr.write(`mitra: report of ${result.runs} runs${result.skipped.length ? ` (${result.skipped.length} skipped)` : ''} -> ${result.out}/index.md\n`);
    });
}
