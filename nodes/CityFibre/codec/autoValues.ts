/**
 * Fills the values a sender supplies by itself (header fields marked `auto` in the catalogue),
 * leaving any value the caller already set. The node, the transport and the sandbox all use it.
 */
import { randomUUID } from 'node:crypto';

import type { AutoValue, Field, MessageDefinition } from '../catalogue';
import { DEFAULT_API_VERSION, SELLER_IDENTIFIER } from '../catalogue';
import type { WritableObject, WritableValue } from './writer';

export interface AutoContext {
	buyerIdentifier: string;
	apiVersion?: string;
	messageId?: string;
	correlationId?: string;
	now?: Date;
}

function isSet(value: WritableValue): boolean {
	return value !== undefined && value !== null && value !== '';
}

function fill(fields: readonly Field[], values: WritableObject, auto: Record<AutoValue, string>): WritableObject {
	const out: WritableObject = { ...values };
	for (const field of fields) {
		if (field.kind === 'leaf' && field.auto && !isSet(out[field.name])) out[field.name] = auto[field.auto];
		if (field.kind === 'group' && field.fields.some((f) => f.kind === 'leaf' && f.auto)) {
			const inner = out[field.name];
			const current = inner && typeof inner === 'object' && !Array.isArray(inner) ? inner : {};
			out[field.name] = fill(field.fields, current, auto);
		}
	}
	return out;
}

export function fillAutoValues(definition: MessageDefinition, values: WritableObject, context: AutoContext): WritableObject {
	const messageId = context.messageId ?? randomUUID();
	return fill(definition.fields, values, {
		apiVersion: context.apiVersion || DEFAULT_API_VERSION,
		buyerIdentifier: context.buyerIdentifier,
		sentAt: (context.now ?? new Date()).toISOString(),
		messageId,
		correlationId: context.correlationId ?? messageId,
		sellerIdentifier: SELLER_IDENTIFIER,
	});
}

/** The message ID a filled message carries, in either header style. */
export function messageIdOf(values: WritableObject): string | undefined {
	const header = values.message;
	const nested = header && typeof header === 'object' && !Array.isArray(header) ? header.messageId : undefined;
	const id = values.messageId ?? nested;
	return typeof id === 'string' ? id : undefined;
}
