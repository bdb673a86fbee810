/**
 * Runs once before the end-to-end project: builds and packs this checkout (once per run), and
 * makes sure every tested n8n line is installed. On a new machine that install is the long part
 * (minutes per line, cached outside the repo afterwards), so it happens here, with progress on
 * the terminal, rather than inside a test hook with a timeout.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { stopLeftovers } from './processes';
import { RUN_DIR_VARIABLE, newRunDir, selectedLines, staleRunDirs, writeRunInfo } from './run';
import type { RunInfo } from './run';
import { LINES, rt } from './runtime';

const repo = path.resolve(__dirname, '..', '..', '..');
const log = (message: string) => process.stderr.write(`[e2e] ${message}\n`);

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	process.stderr.write('\n');
	for (const dir of staleRunDirs()) {
		await stopLeftovers(dir);
		fs.rmSync(dir, { recursive: true, force: true });
	}
	const runDir = newRunDir();
	log(`run folder ${runDir} (servers' logs and databases; kept until the next run)`);

	// `npm test` (scripts/test.js) has just built; `jest --selectProjects e2e` alone has not.
	if (process.env.CITYFIBRE_BUILT !== '1') {
		log('building the package');
		execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: ['ignore', 2, 2] }); // tsc reports on stdout
	}
	const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', runDir], { cwd: repo, encoding: 'utf8' });
	const tarball = path.join(runDir, packed.trim().split('\n').pop() as string);
	log(`packed ${path.basename(tarball)}`);

	const lines = selectedLines(LINES);
	// In parallel: a cold install is mostly download and unpacking (~200 s per line, measured).
	const installs = await Promise.all(lines.map((line) => rt.ensureN8n(line, { log: (m) => log(`[${line}] ${m}`) })));
	const info: RunInfo = {
		runDir,
		tarball,
		installs: Object.fromEntries(installs.map((install) => [install.line, install])),
		ownerPid: process.pid,
	};
	writeRunInfo(info);
	process.env[RUN_DIR_VARIABLE] = runDir;
	log(`ready in ${Math.round((Date.now() - started) / 1000)} s: ${installs.map((i) => `n8n ${i.version} (${i.line})`).join(', ')}`);
}
