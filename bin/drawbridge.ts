/**
 * The drawbridge CLI: `check`, `diff` (with the safety gate) and `plan` (the generated runbook).
 * The work is in bin/cli/ (help, argument parsing, estates, one module per command); this is the
 * entry point package.json's bin (bin/drawbridge.js) and `npm run drawbridge` start.
 *
 * `run(argv, io)` does the work and returns the exit code, so tests call it in-process. `check` and
 * `plan` load only the pure model; `diff` loads aws-cdk-lib and @pulumi/* lazily, when it synthesizes.
 */
import { main } from './cli/run';

export { run, main } from './cli/run';
export { EXIT, type Io, type Out } from './cli/io';

if (require.main === module) void main();
