/**
 * Fully populated, valid values for any catalogue message, built by walking its fields: a test (or
 * the benchmark) covers every message and every field without restating a field list.
 *
 * Only type imports here: `scripts/bench.js` loads this file by transpiling it, with no TS runtime.
 */
import type { Field, LeafField, MessageDefinition } from '../../nodes/CityFibre/catalogue';
import type { WritableObject } from '../../nodes/CityFibre/codec';

/**
 * Text that must be escaped (`&`, `<`, `>`) and is not ASCII, with quotes. It holds no whitespace
 * or separators, so it is also a valid single service ID.
 */
export const AWKWARD_TEXT = `A&B<C>"D"'E'-Café-№`;

/** Lists get two items, so a list is never mistaken for a single element. */
export const ITEMS_PER_LIST = 2;

const TYPED_SAMPLES: Partial<Record<LeafField['type'], string | boolean>> = {
	dateTime: '2025-06-02T08:40:00Z',
	date: '2025-06-03',
	time: '08:00',
	boolean: true,
	integer: '200',
};

/** A valid value for one leaf; text values carry their path, so a field written in the wrong place shows. */
function leafValue(field: LeafField, path: string): string | boolean {
	if (field.options?.length) return field.options[0];
	return TYPED_SAMPLES[field.type] ?? `${AWKWARD_TEXT}-${path}`;
}

function fieldsValue(fields: readonly Field[], path: string): WritableObject {
	const values: WritableObject = {};
	for (const field of fields) {
		const at = path ? `${path}.${field.name}` : field.name;
		if (field.kind === 'leaf') values[field.name] = leafValue(field, at);
		else if (field.kind === 'group') values[field.name] = fieldsValue(field.fields, at);
		else {
			values[field.name] = Array.from({ length: ITEMS_PER_LIST }, (_, i) => fieldsValue(field.itemFields, `${at}[${i}]`));
		}
	}
	return values;
}

function setAt(values: WritableObject, path: string, value: string): void {
	const parts = path.split('.');
	let current = values;
	for (const part of parts.slice(0, -1)) current = current[part] as WritableObject;
	current[parts[parts.length - 1]] = value;
}

/**
 * Every field of `definition` filled in. Cross-field rules are honoured: a field that is only
 * allowed under a condition (the reservation key, for a Service Outage) gets that condition.
 */
export function sampleValues(definition: MessageDefinition): WritableObject {
	const values = fieldsValue(definition.fields, '');
	for (const rule of definition.rules ?? []) {
		if (rule.kind === 'forbiddenUnless') setAt(values, rule.unless.field, rule.unless.equals);
	}
	return values;
}

/** Every path of a field tree that holds a value, in catalogue order (`faultDetails.type`, `updates[0].description`). */
export function leafPaths(fields: readonly Field[], path = ''): string[] {
	return fields.flatMap((field) => {
		const at = path ? `${path}.${field.name}` : field.name;
		if (field.kind === 'leaf') return [at];
		if (field.kind === 'group') return leafPaths(field.fields, at);
		return Array.from({ length: ITEMS_PER_LIST }, (_, i) => leafPaths(field.itemFields, `${at}[${i}]`)).flat();
	});
}
