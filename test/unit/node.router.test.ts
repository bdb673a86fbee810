import { NodeOperationError } from 'n8n-workflow';

import { everyFieldParameters, executeNode, failure } from '../support/executeContext';

// Validation runs before anything is sent, so these items never reach the (unreachable) address.
const credentials = { environment: 'custom', baseUrl: 'https://127.0.0.1:9/cfsit/api2', buyerIdentifier: 'SPDEV1', certificateFormat: 'pem' };
// Every field but the reservation key, which only a Service Outage may carry.
const raise = everyFieldParameters('faultReport', 'raise', { appointmentReservationKey: '' });

describe('the router', () => {
	it('stops at the first invalid item with its index when Continue On Fail is off', async () => {
		const error = await failure(executeNode({ parameters: { ...raise, type: () => 'Broken' }, items: [{}, {}], credentials }), NodeOperationError);
		expect(error.message).toMatch(/^Invalid parameter: Fault Type \(faultDetails\.type\): must be one of/);
		expect(error.context.itemIndex).toBe(0);
	});

	it('with Continue On Fail gives every failed item its own error, paired with its input, and goes on', async () => {
		const parameters = {
			...raise,
			type: (json: { type?: string }) => json.type ?? 'Impaired Service',
			serviceAffected: (json: { service?: string }) => json.service ?? '',
			options: { extraFields: { field: [{ path: '', json: (json: { extra?: string }) => json.extra ?? '{}' }] } },
		};
		const items = [{ type: 'Broken', service: 'SVC-1' }, {}, { service: 'SVC-3', extra: '{oops' }];
		const output = await executeNode({ parameters, items, credentials, continueOnFail: true });

		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output.map((item) => (item.json.error as { message: string }).message)).toEqual([
			expect.stringMatching(/Fault Type \(faultDetails\.type\): must be one of/),
			'Invalid parameter: Service ID (serviceAffected): is required',
			expect.stringMatching(/^Invalid parameter: Options › Extra Fields › Extra Field 1 › JSON: is not valid JSON/),
		]);
		// `error` as the only key is what n8n's error output recognises.
		expect(output.every((item) => Object.keys(item.json).join() === 'error')).toBe(true);
	});

	it('puts the generated reference on a failed Raise, so it can be found again', async () => {
		const [item] = await executeNode({ parameters: { ...raise, buyerFaultReference: '', type: () => 'Broken' }, credentials, continueOnFail: true });
		expect(item.json.error).toMatchObject({ buyerFaultReference: expect.stringMatching(/^N8N-[0-9A-F]{16}$/), messageId: expect.any(String) });
	});

	it('refuses an operation it does not know', async () => {
		const error = await failure(executeNode({ parameters: { resource: 'faultReport', operation: 'delete' }, credentials }), NodeOperationError);
		expect(error.message).toBe('The operation "delete" of "faultReport" is not supported');
	});

	it('fails before any item without a credential', async () => {
		await expect(executeNode({ parameters: raise })).rejects.toThrow('Node does not have any credentials set for "cityFibreTicketingApi"');
	});
});
