#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

main(process.argv).then((code) => {
  // A command may set its own exit status (e.g. 130 after Ctrl-C); keep it unless main failed.
  if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
});
