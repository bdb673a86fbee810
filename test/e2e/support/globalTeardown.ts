/**
 * Runs once after the end-to-end project, whatever happened in it: nothing this run started may
 * outlive it. A leftover here means a test's own clean-up did not run, which is worth a line.
 */
import { stopLeftovers } from './processes';
import { RUN_DIR_VARIABLE } from './run';

export default async function globalTeardown(): Promise<void> {
	const runDir = process.env[RUN_DIR_VARIABLE];
	if (!runDir) return;
	const stopped = await stopLeftovers(runDir);
	if (stopped.length) process.stderr.write(`[e2e] stopped leftovers: ${stopped.join('; ')}\n`);
	process.stderr.write(`[e2e] logs and databases of this run: ${runDir}\n`);
}
