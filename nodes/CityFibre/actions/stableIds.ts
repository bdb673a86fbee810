/**
 * Identifiers that stay the same when n8n repeats the node. "Retry On Fail" re-runs the whole node
 * in the same execution: a message ID or a generated buyerFaultReference drawn at random would
 * differ on the repeat, and CityFibre could not tell a repeat from a second ticket. Derived from
 * the execution, the node, its run and the item instead, they repeat exactly; a new execution
 * (or a second run of the node in a loop) gets new ones.
 */
import { createHash, randomUUID } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

export interface StableIds {
	/** A UUID-shaped message ID for one item. */
	messageId(itemIndex: number): string;
	/** A reference the node generates for one item and one field, e.g. `N8N-3F9A2C71D04B8E65`. */
	reference(itemIndex: number, path: string): string;
}

export const GENERATED_REFERENCE_PREFIX = 'N8N-';

function attempt<T>(read: () => T): T | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}

/** What identifies this run of this node; a random seed where the context cannot say (no execution ID). */
function seedOf(context: IExecuteFunctions): string {
	const executionId = attempt(() => context.getExecutionId());
	if (!executionId) return randomUUID();
	const workflowId = attempt(() => context.getWorkflow().id) ?? '';
	const node = context.getNode();
	const runIndex = attempt(() => context.getWorkflowDataProxy(0).$runIndex) ?? 0;
	return [workflowId, executionId, node.id ?? node.name, runIndex].join('|');
}

function digest(seed: string, itemIndex: number, purpose: string): string {
	return createHash('sha256').update(`${seed}|${itemIndex}|${purpose}`).digest('hex');
}

/** A UUID made from a hash (version 8, RFC 9562's form for custom UUIDs). */
function uuidOf(hex: string): string {
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function stableIds(context: IExecuteFunctions): StableIds {
	const seed = seedOf(context);
	return {
		messageId: (itemIndex) => uuidOf(digest(seed, itemIndex, 'messageId')),
		reference: (itemIndex, path) => `${GENERATED_REFERENCE_PREFIX}${digest(seed, itemIndex, path).slice(0, 16).toUpperCase()}`,
	};
}
