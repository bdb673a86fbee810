/**
 * One end-to-end run: a folder that holds the packed package, every server's user folder and
 * logs, and the records of started processes. globalSetup creates it and announces it through an
 * environment variable, which jest's workers inherit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Line, N8nInstall } from './runtime';

export const RUN_DIR_VARIABLE = 'CITYFIBRE_E2E_RUN_DIR';
const RUN_DIR_PREFIX = 'cityfibre-e2e-';

export interface RunInfo {
	runDir: string;
	/** The `npm pack` output of this checkout, built at the start of the run. */
	tarball: string;
	/** The n8n lines this run tests, installed and ready. */
	installs: Partial<Record<Line, N8nInstall>>;
	/** pid of the jest process that owns the run (old runs of dead owners are removed). */
	ownerPid: number;
}

export function newRunDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
}

export function writeRunInfo(info: RunInfo): void {
	fs.writeFileSync(path.join(info.runDir, 'run.json'), JSON.stringify(info, null, 2));
}

export function runInfo(): RunInfo {
	const runDir = process.env[RUN_DIR_VARIABLE];
	if (!runDir) throw new Error(`${RUN_DIR_VARIABLE} is not set: run the e2e project through jest (its globalSetup prepares the run)`);
	return JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunInfo;
}

function ownerAlive(runDir: string): boolean {
	try {
		const { ownerPid } = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunInfo;
		process.kill(ownerPid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * The folders of earlier runs whose jest process is gone. The last run's folder is left in place
 * for inspection (logs, databases) and removed by the next run.
 */
export function staleRunDirs(): string[] {
	return fs
		.readdirSync(os.tmpdir())
		.filter((name) => name.startsWith(RUN_DIR_PREFIX))
		.map((name) => path.join(os.tmpdir(), name))
		.filter((dir) => !ownerAlive(dir));
}

/** The lines to test: all by default; CITYFIBRE_E2E_LINES=2.x (or 1.x) narrows it. */
export function selectedLines(all: readonly Line[]): Line[] {
	const wanted = (process.env.CITYFIBRE_E2E_LINES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
	if (!wanted.length) return [...all];
	const unknown = wanted.filter((w) => !all.includes(w as Line));
	if (unknown.length) throw new Error(`CITYFIBRE_E2E_LINES names unknown lines ${unknown.join(', ')}; known: ${all.join(', ')}`);
	return wanted as Line[];
}
