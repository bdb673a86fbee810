/**
 * The sandbox's simulated clock: `speed` simulated seconds pass per real second, so the 48-hour
 * auto-close can be watched in seconds. Timers are set in simulated time; `advance` jumps forward
 * and fires whatever fell due, which lets a test skip hours without waiting for them.
 */

/** setTimeout's longest delay; longer waits are re-armed in steps. */
const MAX_REAL_DELAY_MS = 2 ** 31 - 1;

interface Timer {
	at: number;
	fire: () => void;
	handle?: NodeJS.Timeout;
}

export class SimulatedClock {
	private readonly realStart = Date.now();
	private readonly timers = new Set<Timer>();
	private skipped = 0;
	private stopped = false;

	/**
	 * @param speed simulated seconds per real second
	 * @param start simulated time at creation (ms since the epoch); defaults to the real time
	 */
	constructor(
		readonly speed: number,
		private readonly start: number = Date.now(),
	) {
		if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed must be a positive number, got ${speed}`);
	}

	/** Simulated time, ms since the epoch. */
	now(): number {
		return Math.floor(this.start + (Date.now() - this.realStart) * this.speed + this.skipped);
	}

	date(): Date {
		return new Date(this.now());
	}

	iso(): string {
		return this.date().toISOString();
	}

	/** Runs `fire` once simulated time reaches `at`. Returns a cancel function. */
	at(at: number, fire: () => void): () => void {
		const timer: Timer = { at, fire };
		this.timers.add(timer);
		this.arm(timer);
		return () => this.cancel(timer);
	}

	/**
	 * Jumps simulated time forward by `ms` and fires, before returning and in time order, the
	 * timers that fell due. A timer one of them sets runs only if it falls due too.
	 */
	advance(ms: number): void {
		if (!(ms >= 0)) throw new RangeError(`cannot advance the clock by ${ms} ms`);
		this.skipped += ms;
		for (;;) {
			const now = this.now();
			let due: Timer | undefined;
			for (const timer of this.timers) if (timer.at <= now && (!due || timer.at < due.at)) due = timer;
			if (!due) break;
			this.cancel(due);
			due.fire();
		}
		for (const timer of this.timers) this.arm(timer);
	}

	/** Cancels every timer; the clock still tells the time. */
	stop(): void {
		this.stopped = true;
		for (const timer of [...this.timers]) this.cancel(timer);
	}

	private cancel(timer: Timer): void {
		if (timer.handle) clearTimeout(timer.handle);
		this.timers.delete(timer);
	}

	private arm(timer: Timer): void {
		if (timer.handle) clearTimeout(timer.handle);
		if (this.stopped) return;
		const realDelay = Math.max(0, (timer.at - this.now()) / this.speed);
		timer.handle = setTimeout(
			() => {
				if (!this.timers.has(timer)) return;
				if (this.now() < timer.at) {
					this.arm(timer);
					return;
				}
				this.timers.delete(timer);
				timer.fire();
			},
			Math.min(MAX_REAL_DELAY_MS, Math.ceil(realDelay)),
		);
	}
}
