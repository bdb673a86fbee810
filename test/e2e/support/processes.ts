/**
 * Every server the end-to-end suite starts runs in its own process group and is recorded here, so
 * it is stopped however the run ends: by the test's afterAll, by this worker's exit or signal
 * hooks, or at the latest by the project's globalTeardown, which also finds processes by their
 * working directory inside the run folder (a server started in the instant before a crash may
 * not be recorded yet). Nothing is ever looked up by name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pidsDir(runDir: string): string {
	return path.join(runDir, 'pids');
}

/** Records a started process group (its leader's pid) under the run folder. */
export function trackProcess(runDir: string, pid: number, label: string): void {
	fs.mkdirSync(pidsDir(runDir), { recursive: true });
	fs.writeFileSync(path.join(pidsDir(runDir), String(pid)), label);
	localGroups.add(pid);
	installWorkerHooks();
}

export function untrackProcess(runDir: string, pid: number): void {
	fs.rmSync(path.join(pidsDir(runDir), String(pid)), { force: true });
	localGroups.delete(pid);
}

export function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
}

/** SIGTERM to the group, SIGKILL after graceMs, then waits until nothing of it is left. */
export async function stopGroup(pgid: number, graceMs = 15_000): Promise<void> {
	signalGroup(pgid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
	if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
	for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
}

/** Process ids whose working directory lies inside `dir` (Linux /proc; elsewhere none). */
function processesWorkingIn(dir: string): number[] {
	const root = fs.realpathSync(dir) + path.sep;
	const found: number[] = [];
	let entries: string[] = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return found;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const cwd = fs.readlinkSync(`/proc/${entry}/cwd`) + path.sep;
			if (cwd.startsWith(root)) found.push(Number(entry));
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}

/**
 * Stops everything this run started that is still alive: recorded groups first (gracefully),
 * then any process still working inside the run folder (killed). Returns what it had to stop.
 */
export async function stopLeftovers(runDir: string): Promise<string[]> {
	const stopped: string[] = [];
	let recorded: string[] = [];
	try {
		recorded = fs.readdirSync(pidsDir(runDir));
	} catch {
		// nothing recorded
	}
	for (const name of recorded) {
		const pid = Number(name);
		if (groupAlive(pid)) {
			stopped.push(`${fs.readFileSync(path.join(pidsDir(runDir), name), 'utf8')} (pid ${pid})`);
			await stopGroup(pid, 5_000);
		}
		untrackProcess(runDir, pid);
	}
	if (fs.existsSync(runDir)) {
		for (const pid of processesWorkingIn(runDir)) {
			stopped.push(`process ${pid} working in ${runDir}`);
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// gone meanwhile
			}
		}
	}
	return stopped;
}

// The groups this jest worker started. If the worker ends without running afterAll (a crash, a
// Ctrl-C in the terminal: our servers have their own process groups and do not get that SIGINT),
// these hooks still end them.
const localGroups = new Set<number>();
let hooksInstalled = false;

function killLocalGroups(): void {
	for (const pgid of localGroups) signalGroup(pgid, 'SIGKILL');
	localGroups.clear();
}

function installWorkerHooks(): void {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.once('exit', killLocalGroups);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			killLocalGroups();
			process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
		});
	}
}
