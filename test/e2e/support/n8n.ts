/**
 * A live n8n server of one line with this checkout's packed package installed the way n8n's
 * Community Nodes screen installs it, an owner, an API key, and the calls the suite makes to it.
 */
import * as path from 'node:path';

import { trackProcess, untrackProcess } from './processes';
import { runInfo } from './run';
import type { HttpResult, Line, N8nServer, WorkflowJson } from './runtime';
import { rt } from './runtime';

export const PACKAGE_NAME = 'n8n-nodes-cityfibre';
export const ACTION_NODE = `${PACKAGE_NAME}.cityFibreTicketing`;
export const TRIGGER_NODE = `${PACKAGE_NAME}.cityFibreTicketingTrigger`;
/** The variant n8n derives from a `usableAsTool` node for its AI Agent's tools. */
export const TOOL_NODE = `${PACKAGE_NAME}.cityFibreTicketingTool`;
export const CREDENTIAL_TYPE = 'cityFibreTicketingApi';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface N8nInstance {
	line: Line;
	version: string;
	baseUrl: string;
	userFolder: string;
	/** Production webhook URL for a path (nodes with a webhookId). */
	webhookUrl(webhookPath: string): string;
	createCredential(name: string, data: Record<string, unknown>): Promise<{ id: string; name: string }>;
	testCredential(credential: { id: string; name: string }, data: Record<string, unknown>): Promise<{ status: 'OK' | 'Error'; message: string }>;
	createWorkflow(workflow: WorkflowJson): Promise<string>;
	/** Activates (2.x: publishes) a workflow; its webhooks go live a moment later. */
	activate(workflowId: string): Promise<void>;
	/** A stored workflow as the public API returns it (name, active, nodes, …). */
	getWorkflow(workflowId: string): Promise<Json>;
	/** Creates and activates a workflow; returns its id. */
	deploy(workflow: WorkflowJson): Promise<string>;
	/** Creates the data tables that workflows' Data Table nodes name, and links the nodes to them. */
	withDataTables(workflows: WorkflowJson[]): Promise<WorkflowJson[]>;
	/** The rows of a data table (the first 50). */
	dataTableRows(name: string): Promise<Json[]>;
	/** POSTs JSON to a production webhook, retrying while n8n has not registered it yet. */
	callWebhook(webhookPath: string, body: unknown): Promise<HttpResult>;
	/** Submits a production form (/form/<path>) with the values of its fields, in order. */
	submitForm(formPath: string, values: string[]): Promise<HttpResult>;
	/** Finished executions of a workflow with their run data, oldest first. */
	executions(workflowId: string): Promise<Json[]>;
	/** Polls the finished executions until `done` holds; returns them. */
	waitForExecutions(workflowId: string, done: (executions: Json[]) => boolean, what: string, timeoutMs?: number): Promise<Json[]>;
	/** Stops and starts the server on the same folder and port (memory gone, database kept). */
	restart(): Promise<void>;
	/** The names of the node types n8n loaded from this package. */
	packageNodeTypes(): Promise<string[]>;
	/** The last lines n8n printed, for assertion messages. */
	logTail(lines?: number): string;
	stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts n8n of `line` in <run>/<name> with the package installed, and signs in as the owner. */
export async function startN8nWithPackage(line: Line, name: string): Promise<N8nInstance> {
	const { runDir, tarball, installs } = runInfo();
	const install = installs[line];
	if (!install) throw new Error(`n8n ${line} was not prepared by globalSetup (CITYFIBRE_E2E_LINES?)`);
	const log = (message: string) => process.stderr.write(`[e2e ${line}] ${message}\n`);
	const userFolder = path.join(runDir, name);
	await rt.installPackageInto(userFolder, tarball, { nodeBin: install.nodeBin, log });

	const session = { server: undefined as unknown as N8nServer, cookie: '', apiKey: '' };
	const stop = async () => {
		if (!session.server) return;
		await session.server.stop();
		untrackProcess(runDir, session.server.pid);
	};
	const start = async (port?: number) => {
		session.server = await rt.startN8n({ line, userFolder, port, log });
		trackProcess(runDir, session.server.pid, `n8n ${line} (${name})`);
		try {
			session.cookie = await rt.setupOwner(session.server.baseUrl);
			session.apiKey = await rt.createApiKey(session.server.baseUrl, session.cookie);
		} catch (error) {
			await stop();
			throw error;
		}
	};
	await start();
	const self = instance(line, userFolder, session, {
		stop,
		async restart() {
			const { port } = session.server;
			await stop();
			await start(port);
		},
	});
	try {
		const loaded = (await rt.nodeTypeNames(self.baseUrl, session.cookie)).filter((n) => n.startsWith(`${PACKAGE_NAME}.`));
		for (const expected of [ACTION_NODE, TRIGGER_NODE]) {
			if (!loaded.includes(expected)) {
				throw new Error(`n8n ${line} did not load ${expected} (loaded: ${loaded.join(', ') || 'none'}); see ${session.server.logFile}`);
			}
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return self;
}

function instance(
	line: Line,
	userFolder: string,
	session: { server: N8nServer; cookie: string; apiKey: string },
	control: { stop: () => Promise<void>; restart: () => Promise<void> },
): N8nInstance {
	const { baseUrl } = session.server; // the same across restarts (same port)
	const finished = async (workflowId: string) => {
		const list = await rt.listExecutions(baseUrl, session.apiKey, workflowId, { includeData: true, limit: 250 });
		return list.filter((e) => e.finished || e.stoppedAt).sort((a, b) => Number(a.id) - Number(b.id));
	};
	const self: N8nInstance = {
		line,
		version: session.server.install.version,
		baseUrl,
		userFolder,
		webhookUrl: (webhookPath) => `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`,
		// Through the editor's endpoint, as a user does: n8n 1.x's public API derives a JSON schema
		// from the credential's fields that wrongly requires `pkcs12` next to a PEM pair.
		async createCredential(name, data) {
			const res = await rt.rest(baseUrl, session.cookie, 'POST', '/credentials', { name, type: CREDENTIAL_TYPE, data });
			if (res.status !== 200) throw new Error(`creating credential "${name}": HTTP ${res.status} ${res.text.slice(0, 500)}`);
			return { id: String(res.json.data.id), name };
		},
		testCredential: (credential, data) => rt.testCredential(baseUrl, session.cookie, { ...credential, type: CREDENTIAL_TYPE, data }),
		async createWorkflow(workflow) {
			return (await rt.createWorkflow(baseUrl, session.apiKey, workflow)).id;
		},
		async activate(workflowId) {
			await rt.activateWorkflow(baseUrl, session.apiKey, workflowId);
		},
		getWorkflow: (workflowId) => rt.publicApi(baseUrl, session.apiKey, 'GET', `/workflows/${workflowId}`),
		async deploy(workflow) {
			const id = await self.createWorkflow(workflow);
			await self.activate(id);
			return id;
		},
		withDataTables: (workflows) => rt.withDataTables(baseUrl, session.cookie, workflows),
		packageNodeTypes: async () => (await rt.nodeTypeNames(baseUrl, session.cookie)).filter((n) => n.startsWith(`${PACKAGE_NAME}.`)),
		dataTableRows: (name) => rt.dataTableRows(baseUrl, session.cookie, name),
		callWebhook: (webhookPath, body) => rt.callWebhook(baseUrl, webhookPath, { body, timeoutMs: 60_000 }),
		async submitForm(formPath, values) {
			const { body, contentType } = formSubmission(values);
			const deadline = Date.now() + 10_000;
			for (;;) {
				const res = await rt.request(baseUrl, 'POST', `/form/${formPath}`, { body, headers: { 'content-type': contentType }, timeoutMs: 120_000 });
				// Like webhooks, a form goes live a moment after activation.
				if (res.status !== 404 || Date.now() > deadline) return res;
				await sleep(100);
			}
		},
		executions: finished,
		async waitForExecutions(workflowId, done, what, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const list = await finished(workflowId);
				if (done(list)) return list;
				if (Date.now() > deadline) {
					throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (workflow ${workflowId} has ${list.length} executions); n8n log:\n${self.logTail()}`);
				}
				await sleep(250);
			}
		},
		restart: control.restart,
		logTail: (lines = 40) => session.server.logs().split('\n').slice(-lines).join('\n'),
		stop: control.stop,
	};
	return self;
}

/**
 * A multipart/form-data body as n8n's form page posts it: fields `field-0`, `field-1`, … in the
 * order of the form's fields.
 */
export function formSubmission(values: string[]): { body: string; contentType: string } {
	const boundary = `----cityfibre-e2e-${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
	const parts = values.map((value, index) => `--${boundary}\r\nContent-Disposition: form-data; name="field-${index}"\r\n\r\n${value}\r\n`);
	return { body: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The items a node output in an execution (its first run, output `output`). */
export function nodeOutput(execution: Json, nodeName: string, output = 0): Json[] {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) return [];
	return (runs[0].data?.main?.[output] ?? []).map((item: { json: Json }) => item.json);
}

/** Names of the nodes that ran in an execution. */
export function nodesRun(execution: Json): string[] {
	return Object.keys(execution?.data?.resultData?.runData ?? {});
}
