/**
 * `--state FILE`: tickets, reservations, notifications and the simulated time survive a restart.
 * JSON, written to a temporary file beside the target and renamed over it, so a crash mid-write
 * leaves the previous state, never half a file.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { SandboxLog } from './log';
import type { AcknowledgementRecord, NotificationRecord } from './notifier';
import type { SimulatorState } from './simulator';

export const STATE_VERSION = 1;

export interface SavedState extends SimulatorState {
	version: typeof STATE_VERSION;
	savedAt: string;
	/** Simulated time when saved, ms since the epoch: the clock continues from here. */
	clock: number;
	notifications: NotificationRecord[];
	acknowledgements: AcknowledgementRecord[];
}

export class StateFileError extends Error {
	readonly name = 'StateFileError';
}

/** The saved state, or undefined when the file does not exist yet. */
export function loadState(file: string): SavedState | undefined {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new StateFileError(`Cannot read the state file ${file}: ${(error as Error).message}`);
	}
	let state: SavedState;
	try {
		state = JSON.parse(text) as SavedState;
	} catch (error) {
		throw new StateFileError(`The state file ${file} is not valid JSON (${(error as Error).message}); move it away to start afresh`);
	}
	if (state?.version !== STATE_VERSION || !Array.isArray(state.tickets)) {
		throw new StateFileError(`The state file ${file} is not a version ${STATE_VERSION} sandbox state; move it away to start afresh`);
	}
	return state;
}

export function saveState(file: string, state: SavedState): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
	fs.writeFileSync(temporary, JSON.stringify(state));
	fs.renameSync(temporary, file);
}

/** Coalesces bursts of changes into one write per tick; `flush` writes now. */
export class StateWriter {
	private pending = false;
	private stopped = false;

	constructor(
		private readonly file: string,
		private readonly collect: () => SavedState,
		private readonly log: SandboxLog,
	) {}

	changed(): void {
		if (this.pending || this.stopped) return;
		this.pending = true;
		setImmediate(() => this.flush());
	}

	/** Writes the final state; later changes are not written. */
	stop(): void {
		this.flush();
		this.stopped = true;
	}

	flush(): void {
		if (this.stopped) return;
		this.pending = false;
		try {
			saveState(this.file, this.collect());
		} catch (error) {
			this.log(`state not saved to ${this.file}: ${(error as Error).message}`, 'error');
		}
	}
}
