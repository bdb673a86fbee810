/**
 * `npm run dev` starts the sandbox again and again in the same folder, appending to one log. The
 * second start must find its own ready line, however much multi-byte text earlier runs logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runInfo } from './support/run';
import { startE2eSandbox } from './support/sandbox';

const OPTIONS = { buyers: ['SPDEV1'], clockSpeed: 1, holdProbability: 0, seed: 7 };

it('a sandbox restarted in the same folder is ready again after a log of multi-byte text', async () => {
	const first = await startE2eSandbox('restart', OPTIONS);
	await first.stop();
	// What an earlier session logs: exchanges written with arrows (3 bytes, 1 character each).
	const logFile = path.join(runInfo().runDir, 'restart', 'sandbox.log');
	fs.appendFileSync(logFile, '12:00:00.000 addFaultReport → 200 ok: Pending\n'.repeat(500));

	const second = await startE2eSandbox('restart', OPTIONS);
	try {
		expect(second.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/cfsit\/api2$/);
		// Its control interface answers with the certificates its own ready line named.
		await expect(second.exchanges()).resolves.toEqual([]);
		// Its log is this run's part only.
		expect(second.logTail(1000)).not.toContain('→ 200 ok: Pending');
	} finally {
		await second.stop();
	}
});
