import { MESSAGES } from '../../nodes/CityFibre/catalogue';
import { readMessage, validationIssues, writeMessage } from '../../nodes/CityFibre/codec';
import type { WritableValue } from '../../nodes/CityFibre/codec';
import { leafPaths, sampleValues } from '../support/sampleValues';

/** The path of every single value in a nested object, in key order. */
function pathsOf(value: WritableValue, path = ''): string[] {
	if (Array.isArray(value)) return value.flatMap((item, i) => pathsOf(item, `${path}[${i}]`));
	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, inner]) => pathsOf(inner, path ? `${path}.${key}` : key));
	}
	return [path];
}

const byName = MESSAGES.map((definition) => [definition.name, definition] as const);

describe('every catalogue message round-trips through the codec', () => {
	it('covers the whole catalogue: requests, responses, errors, the notification and its acknowledgement', () => {
		expect(new Set(MESSAGES.map((m) => m.role))).toEqual(
			new Set(['request', 'response', 'error', 'notification', 'acknowledgement']),
		);
		expect(MESSAGES.length).toBeGreaterThanOrEqual(18);
	});

	it.each(byName)('%s: writing then reading gives back every value', (_, definition) => {
		const values = sampleValues(definition);

		const read = readMessage(writeMessage(definition, values));

		expect(read.name).toBe(definition.name);
		expect(read.definition).toBe(definition);
		expect(read.body).toEqual(values);
	});

	it.each(byName)('%s: the sample fills every field of the catalogue, lists with several items', (_, definition) => {
		expect(pathsOf(sampleValues(definition))).toEqual(leafPaths(definition.fields));
	});

	it.each(byName)('%s: the fully populated sample is itself valid', (_, definition) => {
		expect(validationIssues(definition, sampleValues(definition))).toEqual([]);
	});
});
