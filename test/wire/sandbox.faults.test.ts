/**
 * Fault injection, for the Buyer side's retry rules: the next calls answered with an HTTP error,
 * answered late, or cut off before the request is read, after it is read (and processed), or
 * right after the TLS handshake. And the control interface itself, over HTTP.
 */
import { callOperation, controlCall, keepAliveAgent, request } from '../support/https';
import { faultReportValues, useSandbox } from '../support/sandbox';

const sandbox = useSandbox();

afterEach(() => {
	sandbox().control.clearFaults();
});

function raise(values = faultReportValues(), options: Parameters<typeof callOperation>[4] = {}) {
	return callOperation(sandbox().baseUrl, 'addFaultReport', values, sandbox().tls, options);
}

function exists(ref: unknown): boolean {
	return sandbox().control.tickets().some((t) => t.buyerFaultReference === ref);
}

describe('injected answers', () => {
	it('answers the next N calls with HTTP 500 and a CityFibre fault, without processing them', async () => {
		sandbox().control.injectFault({ kind: 'status', count: 2 });
		const first = faultReportValues();
		const answers = [await raise(first), await raise(faultReportValues()), await raise(faultReportValues())];
		expect(answers.map((a) => a.status)).toEqual([500, 500, 200]);
		expect(answers[0].message.fault).toMatchObject({ form: 'cityfibre', code: '500' });
		expect(exists(first.buyerFaultReference)).toBe(false);
		const recorded = sandbox().control.exchanges({ operation: 'addFaultReport' }).slice(-3);
		expect(recorded.map((e) => [e.httpStatus, e.outcome, e.buyerFaultReference])).toEqual([
			[500, 'injected', first.buyerFaultReference],
			[500, 'injected', answers[1].sent.buyerFaultReference],
			[200, 'ok', answers[2].sent.buyerFaultReference],
		]);
		expect(recorded[0].messageId).toBe(answers[0].sent.messageId);
	});

	it('applies a fault only to the operation it names', async () => {
		sandbox().control.injectFault({ kind: 'status', status: 503, operation: 'requestServiceDiagnostics' });
		expect((await raise()).status).toBe(200);
		const diagnostics = await callOperation(sandbox().baseUrl, 'requestServiceDiagnostics', { serviceId: 'SERVICE-0001' }, sandbox().tls);
		expect(diagnostics.status).toBe(503);
	});

	it('refuses a fault for an operation the API does not have, which no call would ever meet', async () => {
		const armed = await controlCall(sandbox(), 'injectFault', { kind: 'status', operation: 'addFaultRepot' });
		expect(armed).toMatchObject({ status: 400, json: { error: expect.stringContaining('operation "addFaultRepot" is not a Buyer operation') } });
		expect(sandbox().control.faults()).toEqual([]);
	});

	it('answers late: a client that gives up first sees a timeout, and the call took effect anyway', async () => {
		sandbox().control.injectFault({ kind: 'delay', ms: 1_000 });
		const values = faultReportValues();
		await expect(raise(values, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
		expect(exists(values.buyerFaultReference)).toBe(true);
	});
});

describe('dropped connections', () => {
	it('cuts the connection before reading the request: nothing is processed', async () => {
		sandbox().control.injectFault({ kind: 'drop', at: 'beforeRead' });
		const values = faultReportValues();
		await expect(raise(values)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
		expect(exists(values.buyerFaultReference)).toBe(false);
		expect(sandbox().control.exchanges().at(-1)).toMatchObject({ outcome: 'injected', fault: { kind: 'drop', at: 'beforeRead' } });
	});

	it('cuts the connection after processing the request: the ticket exists, the answer never comes', async () => {
		sandbox().control.injectFault({ kind: 'drop', at: 'afterRead' });
		const values = faultReportValues();
		await expect(raise(values)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
		expect(exists(values.buyerFaultReference)).toBe(true);
	});

	it('cuts the next new connection right after the TLS handshake, even for a client holding a kept-alive one', async () => {
		const agent = keepAliveAgent(sandbox().tls);
		try {
			expect((await raise(faultReportValues(), { agent })).status).toBe(200);
			const handshakes = sandbox().control.handshakes();
			sandbox().control.injectFault({ kind: 'drop', at: 'handshake' });
			// Arming it closes idle connections; wait until the client has seen its one close.
			while (Object.values(agent.freeSockets).some((sockets) => sockets?.length)) await new Promise((r) => setTimeout(r, 5));
			const values = faultReportValues();
			await expect(raise(values, { agent })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
			expect(sandbox().control.handshakes()).toBe(handshakes + 1);
			expect(exists(values.buyerFaultReference)).toBe(false);
			expect((await raise(faultReportValues(), { agent })).status).toBe(200);
		} finally {
			agent.destroy();
		}
	});

	it('refuses a handshake drop limited to one operation (the operation is not known yet)', () => {
		expect(() => sandbox().control.injectFault({ kind: 'drop', at: 'handshake', operation: 'addFaultReport' } as never)).toThrow(/before the operation is known/);
	});
});

describe('the control interface over HTTP', () => {
	it('injects a fault and reads back tickets, notifications and stats with the Buyer certificate', async () => {
		const armed = await controlCall(sandbox(), 'injectFault', { kind: 'status', count: 1 });
		expect(armed.status).toBe(200);
		expect(armed.json).toMatchObject({ remaining: 1, spec: { kind: 'status', count: 1 } });
		expect((await raise()).status).toBe(500);
		const values = faultReportValues();
		expect((await raise(values)).status).toBe(200);
		const set = await controlCall(sandbox(), 'setStatus', { ref: values.buyerFaultReference, status: 'in-progress' });
		expect(set.json).toMatchObject({ status: 'In Progress', maintainerFaultReference: expect.stringMatching(/^CF-/) });
		const tickets = await request(`${sandbox().controlUrl}/tickets`, undefined, sandbox().tls, { method: 'GET' });
		expect(JSON.parse(tickets.body)).toEqual(expect.arrayContaining([expect.objectContaining({ buyerFaultReference: values.buyerFaultReference })]));
		const stats = await controlCall<{ handshakes: number }>(sandbox(), 'stats');
		expect(stats.json.handshakes).toBeGreaterThan(0);
		expect((await controlCall<unknown[]>(sandbox(), 'notifications', { ref: values.buyerFaultReference })).json).toHaveLength(1);
	});

	it('names what is wrong: an unknown method, a bad argument, GET on a method that changes things', async () => {
		expect(await controlCall(sandbox(), 'dropDatabase')).toMatchObject({ status: 404, json: { error: expect.stringContaining('no control method "dropDatabase"') } });
		expect(await controlCall(sandbox(), 'injectFault', { kind: 'explode' })).toMatchObject({ status: 400, json: { error: expect.stringContaining('kind must be') } });
		expect(await controlCall(sandbox(), 'setStatus', { ref: 'NOPE', status: 'Closed' })).toMatchObject({ status: 404 });
		expect(await controlCall(sandbox(), 'setStatus', { status: 'Closed' })).toMatchObject({ status: 400, json: { error: 'ref is required' } });
		const get = await request(`${sandbox().controlUrl}/clearFaults`, undefined, sandbox().tls, { method: 'GET' });
		expect(get.status).toBe(405);
	});

	it('is behind the same mutual TLS as the API', async () => {
		await expect(request(`${sandbox().controlUrl}/tickets`, undefined, { ca: sandbox().certs.ca.cert }, { method: 'GET' })).rejects.toMatchObject({
			code: expect.stringMatching(/CERTIFICATE_REQUIRED|ECONNRESET|EPIPE/),
		});
	});
});
