/**
 * The package where users run it: a real n8n server of one line with the packed package
 * installed as a community package, and the real sandbox as a separate process. Every claim is
 * checked on both sides of the wire: the sandbox's records (tickets, notifications, the
 * acknowledgements it received, the calls it answered) and n8n's execution records.
 *
 * The tests of one line tell one story and run in order: a ticket raised in one is answered in
 * the next. The sandbox runs its clock 1,200 times faster than real time with On Hold always
 * drawn, so a ticket's life is the same every run and takes seconds.
 */
import { OUTCOME_HINTS } from '../../nodes/CityFibre/transport/outcomes';
import { clientCertificate, createTestCa } from '../support/badCerts';
import type { N8nInstance } from './support/n8n';
import { ACTION_NODE, TOOL_NODE, TRIGGER_NODE, nodeOutput, nodesRun, startN8nWithPackage } from './support/n8n';
import type { E2eSandbox, NotificationRecord } from './support/sandbox';
import { allSettled, startE2eSandbox } from './support/sandbox';
import { selectedLines } from './support/run';
import type { Line } from './support/runtime';
import { LINES } from './support/runtime';
import type { CredentialRef, ExampleFile } from './support/workflows';
import { EXAMPLE_FILES, FAILED, SUCCEEDED, raiseWorkflow, requestUpdateWorkflow, shippedExample, startedByWebhook, webhookPathOf } from './support/workflows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const BUYER = 'SPDEV1';
const OTHER_BUYER = 'SPOTHER2';
const MINUTE = 60_000;

/** Node names in the shipped examples the suite drives. */
const NOTIFICATIONS_TRIGGER = 'CityFibre notifications';
const DROP_REPEATS = 'Drop repeats';
const ROUTE_BY_EVENT = 'Route by event';
const ANSWER_FORM = 'Answer a resolution';
const FAULT_FORM = 'Fault form';
const CHASE_TRIGGER = 'Every night at 02:00';
/** The data table in which the notifications example keeps each ticket's latest state. */
const TICKETS_TABLE = 'CityFibre tickets';

/** The trigger's item for each execution of the notifications example (one notification each). */
function receivedItems(executions: Json[]): Json[] {
	return executions.flatMap((execution) => nodeOutput(execution, NOTIFICATIONS_TRIGGER));
}

function itemsFor(executions: Json[], ref: string): Json[] {
	return receivedItems(executions).filter((item) => item.buyerFaultReference === ref);
}

/**
 * The failure an item on the error output carries. The node puts its details on the item; n8n 2.x
 * re-shapes items routed to the error output into the input item plus an `error` object holding
 * them, n8n 1.x passes them as they are (`error` is then the message).
 */
function failureOf(item: Json): Json {
	return typeof item.error === 'object' && item.error !== null ? item.error : { ...item, message: item.error };
}

function statusesOf(notifications: NotificationRecord[]): string[] {
	return notifications.filter((n) => n.copyOf === undefined).map((n) => n.status);
}

export function describeEndToEnd(line: Line): void {
	// CITYFIBRE_E2E_LINES=2.x narrows a local run to one line; `npm test` runs both.
	const describeLine = selectedLines(LINES).includes(line) ? describe : describe.skip;
	describeLine(`on n8n ${line}, with the packed package and the sandbox`, () => {
		let n8n: N8nInstance;
		let sandbox: E2eSandbox;
		let credential: CredentialRef;
		const workflowIds: Partial<Record<ExampleFile | 'raise' | 'raiseAsOtherBuyer' | 'requestUpdate', string>> = {};
		const ref = (name: string) => `E2E-${line.replace('.', '')}-${name}-${Date.now().toString(36)}`;

		beforeAll(async () => {
			sandbox = await startE2eSandbox(`sandbox-${line}`, {
				buyers: [BUYER, OTHER_BUYER],
				clockSpeed: 1200,
				holdProbability: 1,
				seed: 1,
			});
			n8n = await startN8nWithPackage(line, `n8n-${line}`);
			credential = await n8n.createCredential('CityFibre sandbox', sandbox.credentialData(BUYER));
			// Activation fails loudly here (n8n names the node and its problem) if an example cannot run.
			const examples = await n8n.withDataTables(EXAMPLE_FILES.map((file) => shippedExample(n8n.userFolder, file, credential)));
			for (const [i, file] of EXAMPLE_FILES.entries()) workflowIds[file] = await n8n.deploy(examples[i]);
			// The trigger's production URL, from the example itself: what a user registers with CityFibre.
			const notifications = shippedExample(n8n.userFolder, 'handle-notifications.json', credential);
			await sandbox.setNotifyUrl(n8n.webhookUrl(webhookPathOf(notifications, NOTIFICATIONS_TRIGGER)));
			workflowIds.raise = await n8n.deploy(raiseWorkflow('e2e: raise', 'e2e-raise', credential));
			workflowIds.requestUpdate = await n8n.deploy(requestUpdateWorkflow('e2e: request update', 'e2e-request-update', credential));
		}, 10 * MINUTE);

		afterAll(async () => {
			await n8n?.stop();
			await sandbox?.stop();
		}, 2 * MINUTE);

		const executionsOf = (file: ExampleFile) => n8n.executions(workflowIds[file] as string);

		test("n8n loads the action node, the trigger, and the action node's AI-tool variant", async () => {
			expect((await n8n.packageNodeTypes()).sort()).toEqual([ACTION_NODE, TOOL_NODE, TRIGGER_NODE].sort());
		}, MINUTE);

		test('every shipped example is imported whole and active', async () => {
			for (const file of EXAMPLE_FILES) {
				const stored = await n8n.getWorkflow(workflowIds[file] as string);
				const shipped = shippedExample(n8n.userFolder, file, credential);
				expect({ file, active: stored.active, nodes: stored.nodes.map((n: Json) => n.name).sort() }).toEqual({
					file,
					active: true,
					nodes: (shipped.nodes as Json[]).map((n) => n.name).sort(),
				});
			}
		}, MINUTE);

		describe("a ticket's life", () => {
			const ticketRef = ref('life');
			let maintainerFaultReference = '';

			test('a workflow raises a ticket and the sandbox accepts it as Pending', async () => {
				const res = await n8n.callWebhook('e2e-raise', { serviceAffected: 'SERVICE-0001', buyerFaultReference: ticketRef, description: 'No sync since 09:00' });
				expect(res.status).toBe(200);
				expect(res.json).toEqual([expect.objectContaining({ buyerFaultReference: ticketRef, status: 'Pending', operation: 'addFaultReport' })]);
				const ticket = await sandbox.ticket(ticketRef);
				expect(ticket).toEqual(expect.objectContaining({ buyerIdentifier: BUYER, buyerFaultReference: ticketRef }));
			}, 2 * MINUTE);

			test('the sandbox moves it to Resolved: Accepted, In Progress, On Hold, In Progress, Resolved', async () => {
				const ticket = await sandbox.waitForTicket(ticketRef, (t) => t.status === 'Resolved', 'the ticket to be Resolved');
				maintainerFaultReference = String(ticket.maintainerFaultReference);
				const notifications = await sandbox.waitForDeliveries(ticketRef, (list) => list.length >= 5 && allSettled(list), 'five notifications delivered');
				expect(statusesOf(notifications)).toEqual(['Accepted', 'In Progress', 'On Hold', 'In Progress', 'Resolved']);
				expect(maintainerFaultReference).not.toBe('');
			}, 2 * MINUTE);

			test("each notification is acknowledged with a valid receivedNotifyFaultReportUpdate for its messageId", async () => {
				const notifications = await sandbox.notifications(ticketRef);
				const acknowledgements = await sandbox.acknowledgements(ticketRef);
				for (const notification of notifications) {
					expect(notification.state).toBe('delivered');
					const answers = acknowledgements.filter((a) => a.notificationId === notification.id);
					expect(answers).toEqual([
						expect.objectContaining({
							httpStatus: 200,
							valid: true,
							notificationMessageId: notification.messageId,
							name: 'receivedNotifyFaultReportUpdate',
							body: expect.objectContaining({ messageId: notification.messageId, buyerIdentifier: BUYER, responseCode: '200' }),
						}),
					]);
				}
			}, MINUTE);

			test('each notification started exactly one execution through the production URL, with its event and fields', async () => {
				const notifications = await sandbox.notifications(ticketRef);
				const executions = await n8n.waitForExecutions(
					workflowIds['handle-notifications.json'] as string,
					(list) => itemsFor(list, ticketRef).length >= notifications.length,
					`${notifications.length} executions for ${ticketRef}`,
				);
				const items = itemsFor(executions, ticketRef);
				expect(items.map((item) => item.messageId)).toEqual(notifications.map((n) => n.messageId));
				notifications.forEach((notification, i) => {
					expect(items[i]).toEqual(
						expect.objectContaining({
							event: notification.events[0],
							events: notification.events,
							status: notification.status,
							buyerFaultReference: ticketRef,
							maintainerFaultReference,
							serviceAffected: 'SERVICE-0001',
							buyerIdentifier: BUYER,
							dedupeKey: `${BUYER}:${notification.messageId}`,
						}),
					);
				});
				// Every execution ran on past the durable de-duplication and was routed.
				const runs = executions.filter((e) => nodeOutput(e, NOTIFICATIONS_TRIGGER)[0]?.buyerFaultReference === ticketRef);
				for (const execution of runs) {
					expect(execution.status).toBe('success');
					expect(nodeOutput(execution, DROP_REPEATS)).toHaveLength(1);
					expect(nodesRun(execution)).toContain(ROUTE_BY_EVENT);
				}
			}, 2 * MINUTE);

			/** Submits the notifications example's "Answer a resolution" form for this ticket. */
			const answerResolution = async (decision: 'Accept' | 'Reject', reason: string) => {
				const form = webhookPathOf(shippedExample(n8n.userFolder, 'handle-notifications.json', credential), ANSWER_FORM);
				return await n8n.submitForm(form, [ticketRef, maintainerFaultReference, decision, reason]);
			};

			/** The trigger's item for this ticket's first notification with `event`, once n8n has run it. */
			const receivedEvent = async (event: string) => {
				const executions = await n8n.waitForExecutions(
					workflowIds['handle-notifications.json'] as string,
					(list) => itemsFor(list, ticketRef).some((item) => item.event === event),
					`the ${event} notification in n8n`,
				);
				return itemsFor(executions, ticketRef).find((item) => item.event === event);
			};

			test('rejecting the resolution from the answer form re-opens the ticket', async () => {
				expect((await answerResolution('Reject', 'Still no sync at the premises')).status).toBe(200);
				const ticket = await sandbox.waitForTicket(ticketRef, (t) => t.history.some((h) => h.status === 'Re-Opened'), 'the ticket to be re-opened');
				expect(ticket.history.find((h) => h.status === 'Re-Opened')).toEqual(expect.objectContaining({ by: 'buyer' }));
				expect(await receivedEvent('reOpened')).toEqual(expect.objectContaining({ status: 'Re-Opened' }));
			}, 2 * MINUTE);

			test('accepting the next resolution from the answer form closes the ticket', async () => {
				await sandbox.waitForTicket(ticketRef, (t) => t.status === 'Resolved', 'the ticket to be Resolved again');
				expect((await answerResolution('Accept', '')).status).toBe(200);
				const ticket = await sandbox.waitForTicket(ticketRef, (t) => t.status === 'Closed', 'the ticket to be Closed');
				expect(ticket.history.at(-1)).toEqual(expect.objectContaining({ status: 'Closed', by: 'buyer' }));
				expect(await receivedEvent('closed')).toEqual(expect.objectContaining({ status: 'Closed' }));
			}, 2 * MINUTE);

			test("the notifications example keeps the ticket's latest state in its data table", async () => {
				const rows = await n8n.dataTableRows(TICKETS_TABLE);
				expect(rows.filter((row) => row.buyerFaultReference === ticketRef)).toEqual([
					expect.objectContaining({ status: 'Closed', event: 'closed', maintainerFaultReference, serviceAffected: 'SERVICE-0001' }),
				]);
			}, MINUTE);

			test('a notification delivered twice is acknowledged both times and starts one execution', async () => {
				await sandbox.duplicateNext(1);
				const res = await n8n.callWebhook('e2e-request-update', { buyerFaultReference: ticketRef, maintainerFaultReference });
				expect(res.json).toEqual([expect.objectContaining({ operation: 'requestFaultReportUpdate', buyerFaultReference: ticketRef })]);
				const notifications = await sandbox.waitForDeliveries(ticketRef, (list) => list.some((n) => n.copyOf !== undefined) && allSettled(list), 'the duplicate delivered');
				const copy = notifications.find((n) => n.copyOf !== undefined) as NotificationRecord;
				const original = notifications.find((n) => n.id === copy.copyOf) as NotificationRecord;
				expect(copy.messageId).toBe(original.messageId);
				const answers = (await sandbox.acknowledgements(ticketRef)).filter((a) => a.notificationMessageId === original.messageId);
				expect(answers.map((a) => [a.httpStatus, a.valid])).toEqual([
					[200, true],
					[200, true],
				]);
				const executions = await n8n.waitForExecutions(
					workflowIds['handle-notifications.json'] as string,
					(list) => receivedItems(list).some((item) => item.messageId === original.messageId),
					'the update in n8n',
				);
				expect(receivedItems(executions).filter((item) => item.messageId === original.messageId)).toHaveLength(1);
			}, 2 * MINUTE);

			test('after a restart a repeat still runs no further than the Remove Duplicates node', async () => {
				const [last] = (await sandbox.notifications(ticketRef)).slice(-1);
				await n8n.restart(); // the trigger's in-memory repeat window is gone; the database is not
				const before = await executionsOf('handle-notifications.json');
				await sandbox.resend(last.id, false);
				const notifications = await sandbox.waitForDeliveries(ticketRef, (list) => list.filter((n) => n.messageId === last.messageId).length >= 2 && allSettled(list), 'the repeat delivered');
				expect(notifications.filter((n) => n.messageId === last.messageId).every((n) => n.state === 'delivered')).toBe(true);
				const executions = await n8n.waitForExecutions(
					workflowIds['handle-notifications.json'] as string,
					(list) => list.length > before.length,
					'the repeat to start an execution',
				);
				const repeat = executions.slice(before.length).find((e) => nodeOutput(e, NOTIFICATIONS_TRIGGER)[0]?.messageId === last.messageId);
				expect(repeat).toBeDefined();
				expect(nodeOutput(repeat, DROP_REPEATS)).toEqual([]);
				expect(nodesRun(repeat)).not.toContain(ROUTE_BY_EVENT);
			}, 3 * MINUTE);
		});

		test("a CityFibre rejection (unknown service ID) goes to the node's error output with CityFibre's reason", async () => {
			const rejectedRef = ref('unknown-service');
			const res = await n8n.callWebhook('e2e-raise', { serviceAffected: 'NO-SUCH-SERVICE', buyerFaultReference: rejectedRef, description: 'Wrong service' });
			expect(res.status).toBe(200);
			const [exchange] = (await sandbox.exchanges('addFaultReport')).filter((e) => e.buyerFaultReference === rejectedRef);
			expect(exchange).toEqual(expect.objectContaining({ outcome: 'rejected', detail: expect.stringContaining('NO-SUCH-SERVICE') }));
			expect(res.json).toHaveLength(1);
			expect(failureOf(res.json[0])).toEqual(
				expect.objectContaining({
					message: expect.stringContaining(exchange.detail as string),
					errorKind: 'rejected',
					errorCode: '404',
					buyerFaultReference: rejectedRef,
					operation: 'addFaultReport',
				}),
			);
			const [execution] = (await n8n.executions(workflowIds.raise as string)).filter(
				(e) => nodeOutput(e, FAILED)[0]?.buyerFaultReference === rejectedRef,
			);
			expect(nodesRun(execution)).not.toContain(SUCCEEDED);
		}, 2 * MINUTE);

		test('the form example raises a Service Outage after diagnostics, with a reserved appointment', async () => {
			const form = webhookPathOf(shippedExample(n8n.userFolder, 'raise-fault-from-form.json', credential), FAULT_FORM);
			const calls = (await sandbox.exchanges()).length;
			const res = await n8n.submitForm(form, ['SERVICE-0002', 'Service Outage', 'No light on the ONT', '100023336956', 'Ann User', '07700900001', 'Nia NOC', 'noc@isp.example', '02070000000']);
			expect(res.status).toBe(200);
			const exchanges = (await sandbox.exchanges()).slice(calls);
			expect(exchanges.map((e) => [e.operation, e.outcome])).toEqual([
				['requestServiceDiagnostics', 'ok'],
				['queryAppointmentAvailability', 'ok'],
				['reserveAppointment', 'ok'],
				['addFaultReport', 'ok'],
			]);
			const ticket = await sandbox.ticket(exchanges[3].buyerFaultReference as string);
			expect(ticket.details).toEqual(expect.objectContaining({ serviceAffected: 'SERVICE-0002', faultDetails: expect.objectContaining({ type: 'Service Outage', triageComplete: true }) }));
			expect(ticket.appointments[0]).toEqual(expect.objectContaining({ appointmentReservationKey: expect.any(String) }));
		}, 2 * MINUTE);

		test('the nightly chase asks for an update on every open ticket in the data table and none of the closed ones', async () => {
			const chaseRef = ref('chase');
			await n8n.callWebhook('e2e-raise', { serviceAffected: 'SERVICE-0004', buyerFaultReference: chaseRef, description: 'Drops every evening' });
			const deadline = Date.now() + 2 * MINUTE;
			let rows = await n8n.dataTableRows(TICKETS_TABLE);
			while (!rows.some((row) => row.buyerFaultReference === chaseRef && row.maintainerFaultReference)) {
				if (Date.now() > deadline) throw new Error(`no accepted row for ${chaseRef} in "${TICKETS_TABLE}": ${JSON.stringify(rows)}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
				rows = await n8n.dataTableRows(TICKETS_TABLE);
			}
			const closed = rows.filter((row) => row.status === 'Closed').map((row) => row.buyerFaultReference);
			expect(closed.length).toBeGreaterThan(0);

			const [chase] = await n8n.withDataTables([startedByWebhook(shippedExample(n8n.userFolder, 'nightly-chase.json', credential), CHASE_TRIGGER, 'e2e-chase')]);
			await n8n.deploy(chase);
			const calls = (await sandbox.exchanges('requestFaultReportUpdate')).length;
			const res = await n8n.callWebhook('e2e-chase', {});
			expect(res.status).toBe(200);
			const chased = (res.json as Json[]).map((item) => item.buyerFaultReference);
			expect(chased).toContain(chaseRef);
			expect(chased.filter((chasedRef) => closed.includes(chasedRef))).toEqual([]);
			const answered = (await sandbox.exchanges('requestFaultReportUpdate')).slice(calls);
			expect(answered.map((e) => [e.buyerFaultReference, e.outcome]).sort()).toEqual(chased.map((chasedRef) => [chasedRef, 'ok']).sort());
		}, 3 * MINUTE);

		test('a notification for another buyer is refused and starts nothing', async () => {
			const otherCredential = await n8n.createCredential('CityFibre sandbox, other buyer', sandbox.credentialData(OTHER_BUYER));
			const otherRef = ref('other-buyer');
			workflowIds.raiseAsOtherBuyer = await n8n.deploy(raiseWorkflow('e2e: raise as another buyer', 'e2e-raise-other', otherCredential));
			const res = await n8n.callWebhook('e2e-raise-other', { serviceAffected: 'SERVICE-0003', buyerFaultReference: otherRef, description: 'Another buyer' });
			expect(res.json).toEqual([expect.objectContaining({ status: 'Pending' })]);
			const [answer] = await sandbox.waitForAcknowledgements(otherRef, (list) => list.length > 0, "the trigger's answer to another buyer's notification");
			expect(answer).toEqual(
				expect.objectContaining({
					httpStatus: 400,
					valid: false,
					body: expect.objectContaining({ responseCode: '400', errorMessage: expect.stringContaining(OTHER_BUYER) }),
				}),
			);
			const executions = await executionsOf('handle-notifications.json');
			expect(itemsFor(executions, otherRef)).toEqual([]);
		}, 2 * MINUTE);

		describe("n8n's credential test", () => {
			test('reports success for the sandbox credential', async () => {
				const result = await n8n.testCredential(credential, sandbox.credentialData(BUYER));
				expect(result.status).toBe('OK');
			}, MINUTE);

			test('reports a refused certificate for one CityFibre did not issue', async () => {
				const stranger = clientCertificate(createTestCa('Not the sandbox CA'), BUYER);
				const data = { ...sandbox.credentialData(BUYER), certificate: stranger.cert, privateKey: stranger.key };
				const result = await n8n.testCredential(credential, data);
				expect(result).toEqual({ status: 'Error', message: expect.stringContaining(OUTCOME_HINTS.certificateRefused) });
			}, MINUTE);
		});
	});
}
