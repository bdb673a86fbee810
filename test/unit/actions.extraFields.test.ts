import type { WritableObject } from '../../nodes/CityFibre/codec';
import { ParameterError } from '../../nodes/CityFibre/actions/errors';
import { applyExtraFields } from '../../nodes/CityFibre/actions/extraFields';

function applied(values: WritableObject, ...entries: Array<{ path?: string; json: unknown }>): WritableObject {
	applyExtraFields(values, { field: entries });
	return values;
}

function refusal(values: WritableObject, ...entries: Array<{ path?: string; json: unknown }>): ParameterError {
	try {
		applyExtraFields(values, { field: entries });
	} catch (error) {
		if (error instanceof ParameterError) return error;
		throw error;
	}
	throw new Error('the extra fields were accepted');
}

describe('Extra Fields', () => {
	it('adds keys to the message itself when the path is empty', () => {
		expect(applied({ serviceAffected: 'S' }, { path: '', json: '{"priority": "P1"}' })).toEqual({ serviceAffected: 'S', priority: 'P1' });
	});

	it('merges into an existing group at a path, keeping its fields', () => {
		expect(applied({ faultDetails: { type: 'Impaired Service' } }, { path: 'faultDetails', json: '{"accessHazards": "Dog"}' })).toEqual({
			faultDetails: { type: 'Impaired Service', accessHazards: 'Dog' },
		});
	});

	it('creates the groups on a path that does not exist yet', () => {
		expect(applied({}, { path: 'faultDetails.siteAccessContactDetails', json: { mobile: '07700900123' } })).toEqual({
			faultDetails: { siteAccessContactDetails: { mobile: '07700900123' } },
		});
	});

	it('applies entries in order, a later one overriding an earlier one', () => {
		expect(applied({}, { json: '{"a": "1"}' }, { json: '{"a": "2"}' })).toEqual({ a: '2' });
	});

	it('names the entry when its JSON is not valid', () => {
		const error = refusal({}, { json: '{"a": "1"}' }, { json: '{not json' });
		expect(error.label).toBe('Options › Extra Fields › Extra Field 2 › JSON');
		expect(error.problem).toMatch(/is not valid JSON/);
	});

	it('refuses JSON that is not an object', () => {
		expect(refusal({}, { json: '["a"]' }).problem).toBe('must be a JSON object, e.g. {"name": "value"}');
	});

	it('refuses a path through a value', () => {
		const error = refusal({ serviceAffected: 'S' }, { path: 'serviceAffected.x', json: '{}' });
		expect(error.label).toBe('Options › Extra Fields › Extra Field 1 › Path');
		expect(error.problem).toMatch(/"serviceAffected" holds a value, not a group/);
	});

	it('does nothing without entries', () => {
		const values = { a: '1' };
		applyExtraFields(values, {});
		expect(values).toEqual({ a: '1' });
	});
});
