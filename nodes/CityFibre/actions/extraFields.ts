/**
 * The escape hatch: JSON the user places into the message at a path, for fields CityFibre has
 * added that the catalogue does not model yet. The writer keeps keys it does not know (after the
 * known ones at their level), and the validator still checks any known field the JSON sets.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { WritableObject, WritableValue } from '../codec';
import { ParameterError } from './errors';

export const extraFieldsOption: INodeProperties = {
	displayName: 'Extra Fields',
	name: 'extraFields',
	type: 'fixedCollection',
	placeholder: 'Add Extra Field',
	default: {},
	typeOptions: { multipleValues: true },
	description:
		'Fields CityFibre added that this node does not offer yet, as JSON. Each entry is merged into the message at its path; keys become XML elements.',
	options: [
		{
			displayName: 'Extra Field',
			name: 'field',
			values: [
				{
					displayName: 'Path',
					name: 'path',
					type: 'string',
					default: '',
					placeholder: 'faultDetails',
					description: 'Where in the message to put the JSON: empty for the message itself, or a dot path to a group such as faultDetails',
				},
				{
					displayName: 'JSON',
					name: 'json',
					type: 'json',
					default: '{}',
					description: 'An object whose keys are added at the path, e.g. {"accessHazards": "Dog on site"}',
				},
			],
		},
	],
};

interface ExtraField {
	path?: unknown;
	json?: unknown;
}

function isObject(value: unknown): value is WritableObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(raw: unknown, label: string): WritableObject {
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new ParameterError(`${label} › JSON`, `is not valid JSON (${(error as Error).message})`);
		}
	}
	if (!isObject(value)) throw new ParameterError(`${label} › JSON`, 'must be a JSON object, e.g. {"name": "value"}');
	return value;
}

/** Merges `source` into `target`: objects key by key, anything else replaced. */
function merge(target: WritableObject, source: WritableObject): void {
	for (const [key, value] of Object.entries(source)) {
		const existing = target[key];
		if (isObject(existing) && isObject(value)) merge(existing, value);
		else target[key] = value as WritableValue;
	}
}

function objectAt(values: WritableObject, path: string, label: string): WritableObject {
	let current = values;
	const parts = path.split('.').map((p) => p.trim());
	for (const [i, part] of parts.entries()) {
		if (!part) throw new ParameterError(`${label} › Path`, `"${path}" has an empty step: write it like faultDetails.siteAccessContactDetails`);
		const next = current[part];
		if (next === undefined || next === null || next === '') current[part] = {};
		else if (!isObject(next)) {
			const at = parts.slice(0, i + 1).join('.');
			throw new ParameterError(`${label} › Path`, `"${at}" holds a value, not a group: put the key in the JSON at the path above it`);
		}
		current = current[part] as WritableObject;
	}
	return current;
}

/** Applies Options › Extra Fields to the message values, in the order the entries were added. */
export function applyExtraFields(values: WritableObject, raw: unknown): void {
	const entries = isObject(raw) && Array.isArray(raw.field) ? (raw.field as ExtraField[]) : [];
	entries.forEach((entry, i) => {
		const label = `Options › Extra Fields › Extra Field ${i + 1}`;
		const path = typeof entry.path === 'string' ? entry.path.trim() : '';
		const json = parseJson(entry.json, label);
		merge(path ? objectAt(values, path, label) : values, json);
	});
}
