/**
 * Run by `npm test` before jest: finds Chromium, cfn-lint and moto_server (scripts/tools.ts),
 * installing Debian's Chromium when it is missing and we are root on Debian. When a tool is still
 * missing it stops before the suite with one line per tool (what to install, which variable to
 * set) and exit 1. Prints nothing when all is there.
 *
 *   tsx scripts/preflight.ts
 */
import { DrawbridgeError, isDrawbridgeError, runMain } from '../modes/errors';
import { findTool, nodeHost, SUITE_TOOLS } from './tools';

function main(): void {
  const host = nodeHost();
  const problems: string[] = [];
  for (const spec of SUITE_TOOLS) {
    try {
      findTool(spec, host);
    } catch (e) {
      if (!isDrawbridgeError(e)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new DrawbridgeError(problems);
}

if (require.main === module) void runMain(main);
