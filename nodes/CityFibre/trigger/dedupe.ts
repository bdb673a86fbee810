/**
 * In-process memory of recently acknowledged messageIds, so a CityFibre retry of a notification
 * already received is acknowledged again without starting the workflow twice.
 *
 * It is bounded (entries and time window) and lives only as long as this n8n process: n8n offers
 * webhook functions no durable store (static data written in `webhook()` is not kept). Across
 * restarts and queue-mode processes, the durable guard is n8n's Remove Duplicates node keyed on
 * each item's `dedupeKey` (see the README).
 */

export const DEFAULT_MAX_ENTRIES = 10_000;

export class RecentMessages {
	/** messageId → when first seen (ms); Map keeps insertion order, so the oldest comes first. */
	private readonly seen = new Map<string, number>();

	constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

	get size(): number {
		return this.seen.size;
	}

	/**
	 * Records `messageId` and says whether it was already seen within `windowMs`. Check and record
	 * are one synchronous step, so two deliveries racing in one process cannot both pass.
	 */
	checkAndRecord(messageId: string, nowMs: number, windowMs: number): 'new' | 'repeat' {
		this.forgetOlderThan(nowMs - windowMs);
		if (this.seen.has(messageId)) return 'repeat';
		this.seen.set(messageId, nowMs);
		while (this.seen.size > this.maxEntries) {
			const oldest = this.seen.keys().next().value as string;
			this.seen.delete(oldest);
		}
		return 'new';
	}

	private forgetOlderThan(cutoffMs: number): void {
		for (const [id, at] of this.seen) {
			if (at > cutoffMs) break;
			this.seen.delete(id);
		}
	}
}

const MAX_NODES = 1_000;
const memories = new Map<string, RecentMessages>();

/** The memory of one trigger node (workflow id + node id), created on first use. */
export function recentMessagesFor(key: string): RecentMessages {
	let memory = memories.get(key);
	if (memory) {
		// Re-inserted so that the least recently used node is the one dropped at the bound.
		memories.delete(key);
	} else {
		memory = new RecentMessages();
		if (memories.size >= MAX_NODES) memories.delete(memories.keys().next().value as string);
	}
	memories.set(key, memory);
	return memory;
}
