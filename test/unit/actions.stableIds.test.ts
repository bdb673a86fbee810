import { GENERATED_REFERENCE_PREFIX, stableIds } from '../../nodes/CityFibre/actions/stableIds';
import { executeContext } from '../support/executeContext';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const parameters = { resource: 'serviceDiagnostics', operation: 'run' };

describe('identifiers that survive a retry', () => {
	it('repeats the message ID and reference of an item when the node runs again in the same execution', () => {
		const first = stableIds(executeContext({ parameters, executionId: 'E-1' }));
		const retry = stableIds(executeContext({ parameters, executionId: 'E-1' }));
		expect(retry.messageId(2)).toBe(first.messageId(2));
		expect(retry.reference(2, 'buyerFaultReference')).toBe(first.reference(2, 'buyerFaultReference'));
	});

	it('differs between items', () => {
		const ids = stableIds(executeContext({ parameters, executionId: 'E-1' }));
		expect(ids.messageId(0)).not.toBe(ids.messageId(1));
		expect(ids.reference(0, 'buyerFaultReference')).not.toBe(ids.reference(1, 'buyerFaultReference'));
	});

	it('differs in a new execution and in a second run of the node', () => {
		const first = stableIds(executeContext({ parameters, executionId: 'E-1' })).messageId(0);
		expect(stableIds(executeContext({ parameters, executionId: 'E-2' })).messageId(0)).not.toBe(first);
		expect(stableIds(executeContext({ parameters, executionId: 'E-1', runIndex: 1 })).messageId(0)).not.toBe(first);
	});

	it('is random when the context cannot name its execution', () => {
		const a = stableIds(executeContext({ parameters, executionId: null })).messageId(0);
		const b = stableIds(executeContext({ parameters, executionId: null })).messageId(0);
		expect(a).not.toBe(b);
	});

	it('makes message IDs UUIDs and references short, prefixed and upper-case', () => {
		const ids = stableIds(executeContext({ parameters }));
		expect(ids.messageId(0)).toMatch(UUID);
		expect(ids.reference(0, 'buyerFaultReference')).toMatch(new RegExp(`^${GENERATED_REFERENCE_PREFIX}[0-9A-F]{16}$`));
	});
});
