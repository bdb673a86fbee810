/**
 * Workflows run by n8n-core's real execution engine (`WorkflowExecute`), in process, against the
 * sandbox over mutual TLS: n8n evaluates the expressions that chain the nodes, hands each node its
 * credential through the credentials helper, routes failed items to the error output, and
 * repeats a node with Retry On Fail.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { readMessage } from '../../nodes/CityFibre/codec';
import { closeAllAgents } from '../../nodes/CityFibre/transport';
import { connect, itemsNode, passThroughNode, registerStep, runWorkflow, stopEngineServices, ticketingNode } from '../support/engine';
import { CREDENTIAL_ID, sandboxCredentials } from '../support/executeContext';
import { useSandbox } from '../support/sandbox';

const sandbox = useSandbox();
afterAll(async () => {
	closeAllAgents();
	await stopEngineServices();
});

const credentials = () => ({ cityFibreTicketingApi: sandboxCredentials(sandbox()) });

const raise = {
	resource: 'faultReport',
	operation: 'raise',
	reportDateTime: '2025-06-02T08:40:00Z',
	reporterContactDetails: { name: 'Alex Reporter', phone: '01632960001' },
	endUserContactDetails: { name: 'Sam Customer' },
	serviceAffected: '={{ $json.service }}',
	description: '={{ "No light on the ONT at " + $json.service }}',
	type: 'Impaired Service',
};

// What the trigger would deliver in a real workflow: CityFibre accepts the ticket and its
// notification carries CityFibre's reference.
registerStep('cityFibreAccepts', async (items: INodeExecutionData[]) =>
	items.map((item) => {
		const ticket = sandbox().control.setStatus({ ref: item.json.buyerFaultReference as string, status: 'Accepted' });
		return { ...item, json: { ...item.json, maintainerFaultReference: ticket.maintainerFaultReference } };
	}),
);

describe('in n8n\'s execution engine', () => {
	it('runs Raise → Amend → Request Update, each node mapping the previous output', async () => {
		const workflow = await runWorkflow({
			nodes: [
				itemsNode('Start', [{ service: 'SERVICE-0005' }]),
				ticketingNode('Raise', raise),
				ticketingNode('Amend', {
					resource: 'faultReport',
					operation: 'amend',
					buyerFaultReference: '={{ $json.buyerFaultReference }}',
					additionalFields: { siteAccessDetails: 'Key safe at rear door, code 1234' },
				}),
				passThroughNode('CityFibre Accepts', 'cityFibreAccepts'),
				ticketingNode('Request Update', {
					resource: 'faultReport',
					operation: 'requestUpdate',
					buyerFaultReference: '={{ $json.buyerFaultReference }}',
					maintainerFaultReference: '={{ $json.maintainerFaultReference }}',
				}),
			],
			connections: connect(['Start', 0, 'Raise'], ['Raise', 0, 'Amend'], ['Amend', 0, 'CityFibre Accepts'], ['CityFibre Accepts', 0, 'Request Update']),
			credentials: credentials(),
		});

		expect(workflow.run.status).toBe('success');
		const [raised] = workflow.output('Raise');
		expect(raised.json).toMatchObject({ status: 'Pending', buyerFaultReferenceGenerated: true });
		const ref = raised.json.buyerFaultReference as string;
		expect(workflow.output('Amend')[0].json).toMatchObject({ buyerFaultReference: ref, responseCode: '0', operation: 'amendFaultReport' });
		const [update] = workflow.output('Request Update');
		expect(update.json).toMatchObject({ buyerFaultReference: ref, maintainerFaultReference: expect.stringMatching(/^CF-/), responseCode: '0' });

		const ticket = sandbox().control.ticket({ ref });
		expect(ticket.details).toMatchObject({ serviceAffected: 'SERVICE-0005', faultDetails: { description: 'No light on the ONT at SERVICE-0005', siteAccessDetails: 'Key safe at rear door, code 1234' } });
		expect(sandbox().control.notifications({ ref }).map((n) => n.reason)).toContain('fullUpdate');
		// Each CityFibre node got its credential from n8n's credentials helper.
		expect(workflow.credentialsRequested).toEqual(Array(3).fill(`cityFibreTicketingApi:${CREDENTIAL_ID}`));
	});

	it('sends the rejected item of a batch to the error output and the rest on', async () => {
		const workflow = await runWorkflow({
			nodes: [
				itemsNode('Start', [{ service: 'SERVICE-0006' }, { service: 'SERVICE-9999' }, { service: 'SERVICE-0007' }]),
				ticketingNode('Raise', raise, { onError: 'continueErrorOutput' }),
				passThroughNode('Raised'),
				passThroughNode('Rejected'),
			],
			connections: connect(['Start', 0, 'Raise'], ['Raise', 0, 'Raised'], ['Raise', 1, 'Rejected']),
			credentials: credentials(),
		});

		expect(workflow.run.status).toBe('success');
		const raised = workflow.output('Raised');
		expect(raised.map((item) => [item.json.status, sandbox().control.ticket({ ref: item.json.buyerFaultReference as string }).details.serviceAffected])).toEqual([
			['Pending', 'SERVICE-0006'],
			['Pending', 'SERVICE-0007'],
		]);
		const rejected = workflow.output('Rejected');
		expect(rejected).toHaveLength(1);
		// n8n merges the input item into the error item: the workflow knows which service failed.
		expect(rejected[0].json).toEqual({
			service: 'SERVICE-9999',
			error: expect.objectContaining({
				message: 'CityFibre rejected the request: serviceAffected: unknown service ID "SERVICE-9999" (code 404)',
				errorKind: 'rejected',
				errorCode: '404',
				operation: 'addFaultReport',
				buyerFaultReference: expect.stringMatching(/^N8N-/),
			}),
		});
	});

	it('stops the workflow on a rejection when no error handling is set, with CityFibre\'s message', async () => {
		const workflow = await runWorkflow({
			nodes: [itemsNode('Start', [{ service: 'SERVICE-9998' }]), ticketingNode('Raise', raise)],
			connections: connect(['Start', 0, 'Raise']),
			credentials: credentials(),
		});
		expect(workflow.run.status).toBe('error');
		expect(workflow.run.data.resultData.error).toMatchObject({
			name: 'NodeApiError',
			message: 'CityFibre rejected the request: serviceAffected: unknown service ID "SERVICE-9998" (code 404)',
		});
	});

	it('repeats a failed node with Retry On Fail under the same message ID and reference', async () => {
		const before = sandbox().control.exchanges({ operation: 'addFaultReport' }).length;
		sandbox().control.injectFault({ kind: 'status', status: 500, operation: 'addFaultReport' });
		const workflow = await runWorkflow({
			nodes: [itemsNode('Start', [{ service: 'SERVICE-0008' }]), ticketingNode('Raise', raise, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 })],
			connections: connect(['Start', 0, 'Raise']),
			credentials: credentials(),
		});
		expect(workflow.run.status).toBe('success');
		const [raised] = workflow.output('Raise');
		const attempts = sandbox().control.exchanges({ operation: 'addFaultReport' }).slice(before);
		const sent = attempts.map((a) => {
			const body = readMessage(a.requestXml ?? '').body;
			return [a.httpStatus, body.messageId, body.buyerFaultReference];
		});
		expect(sent).toEqual([
			[500, raised.json.messageId, raised.json.buyerFaultReference],
			[200, raised.json.messageId, raised.json.buyerFaultReference],
		]);
	});
});
