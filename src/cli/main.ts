import { Command, CommanderError } from 'commander';
import { errorLine, isUserError } from '../core/errors.js';
import { registerScenarioCommands } from './scenarios-command.js';
import { registerSimulateCommand } from './simulate-command.js';
import { registerTrainCommand } from './train-command.js';
import { registerEvalCommand } from './eval-command.js';
import { registerDashboardCommand } from '../dashboard/dashboard-command.js';
import { registerSweepCommand } from './sweep-command.js';
import { registerReportCommand } from './report-command.js';

/** Build the `mitra` command tree. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mitra')
    .description('DS-MEC offloading with multi-agent reinforcement learning (MITRA-VIB and baselines)')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'mitra: ')) });
  registerScenarioCommands(program);
  registerSimulateCommand(program);
  registerTrainCommand(program);
  registerEvalCommand(program);
  registerDashboardCommand(program);
  registerSweepCommand(program);
  registerReportCommand(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/**
 * Run the CLI and return the exit code. User errors print one line on stderr
 * and give 2; unexpected errors print one line plus a hint and give 1.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      // Commander has already printed its one-line message.
      return 2;
    }
    if (isUserError(err)) {
      process.stderr.write(`mitra: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`mitra: internal error: ${errorLine(err)} (set MITRA_DEBUG=1 for details)\n`);
    if (process.env['MITRA_DEBUG']) console.error(err);
    return 1;
  }
}
