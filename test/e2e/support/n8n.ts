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
export const CREDENTIAL_TYPE = 'cityFibreTicketingApi';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface N8nInstance {
	line: Line;
	version: string;
	baseUrl: string;
	port: number;
	/** The editor session (n8n-auth cookie) of the owner. */
	cookie: string;
	apiKey: string;
	server: N8nServer;
	/** Production webhook URL for a path (nodes with a webhookId). */
	webhookUrl(webhookPath: string): string;
	createCredential(name: string, data: Record<string, unknown>): Promise<{ id: string; name: string }>;
	testCredential(credential: { id: string; name: string }, data: Record<string, unknown>): Promise<{ status: 'OK' | 'Error'; message: string }>;
	/** Creates and activates (2.x: publishes) a workflow; returns its id. */
	deploy(workflow: WorkflowJson): Promise<string>;
	createWorkflow(workflow: WorkflowJson): Promise<string>;
	activate(workflowId: string): Promise<void>;
	callWebhook(webhookPath: string, body: unknown): Promise<HttpResult>;
	/** Finished executions of a workflow, oldest first, with their run data. */
	executions(workflowId: string): Promise<Json[]>;
	/** Waits until a workflow has at least `count` finished executions; returns them oldest first. */
	waitForExecutions(workflowId: string, count: number, timeoutMs?: number): Promise<Json[]>;
	/** The last lines n8n printed, for assertion messages. */
	logTail(lines?: number): string;
	stop(): Promise<void>;
}

/**
 * Starts n8n of `line` in <run>/<name> with the package installed. Pass `port` when another
 * process must know n8n's address before it starts (the sandbox's notification URL).
 */
export async function startN8nWithPackage(line: Line, name: string, options: { port?: number } = {}): Promise<N8nInstance> {
	const { runDir, tarball, installs } = runInfo();
	const install = installs[line];
	if (!install) throw new Error(`n8n ${line} was not prepared by globalSetup (CITYFIBRE_E2E_LINES?)`);
	const log = (message: string) => process.stderr.write(`[e2e ${line}] ${message}\n`);
	const userFolder = path.join(runDir, name);
	await rt.installPackageInto(userFolder, tarball, { nodeBin: install.nodeBin, log });
	const server = await rt.startN8n({ line, userFolder, port: options.port, log });
	trackProcess(runDir, server.pid, `n8n ${line} (${name})`);
	const stop = async () => {
		await server.stop();
		untrackProcess(runDir, server.pid);
	};
	try {
		const { baseUrl } = server;
		const cookie = await rt.setupOwner(baseUrl);
		const apiKey = await rt.createApiKey(baseUrl, cookie);
		const loaded = (await rt.nodeTypeNames(baseUrl, cookie)).filter((n) => n.startsWith(`${PACKAGE_NAME}.`));
		for (const expected of [ACTION_NODE, TRIGGER_NODE]) {
			if (!loaded.includes(expected)) {
				throw new Error(`n8n ${line} did not load ${expected} (loaded: ${loaded.join(', ') || 'none'}); see ${server.logFile}`);
			}
		}
		return instance(line, server, cookie, apiKey, stop);
	} catch (error) {
		await stop();
		throw error;
	}
}

function instance(line: Line, server: N8nServer, cookie: string, apiKey: string, stop: () => Promise<void>): N8nInstance {
	const { baseUrl } = server;
	const finished = async (workflowId: string) => {
		const list = await rt.listExecutions(baseUrl, apiKey, workflowId, { includeData: true, limit: 250 });
		return list.filter((e) => e.finished || e.stoppedAt).sort((a, b) => Number(a.id) - Number(b.id));
	};
	const self: N8nInstance = {
		line,
		version: server.install.version,
		baseUrl,
		port: server.port,
		cookie,
		apiKey,
		server,
		webhookUrl: (webhookPath) => `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`,
		// Through the editor's endpoint, as a user does: n8n 1.x's public API derives a JSON schema
		// from the credential's fields that wrongly requires `pkcs12` next to a PEM pair.
		async createCredential(name, data) {
			const res = await rt.rest(baseUrl, cookie, 'POST', '/credentials', { name, type: CREDENTIAL_TYPE, data });
			if (res.status !== 200) throw new Error(`creating credential "${name}": HTTP ${res.status} ${res.text.slice(0, 500)}`);
			return { id: String(res.json.data.id), name };
		},
		testCredential: (credential, data) => rt.testCredential(baseUrl, cookie, { ...credential, type: CREDENTIAL_TYPE, data }),
		async createWorkflow(workflow) {
			return (await rt.createWorkflow(baseUrl, apiKey, workflow)).id;
		},
		async activate(workflowId) {
			await rt.activateWorkflow(baseUrl, apiKey, workflowId);
		},
		async deploy(workflow) {
			const id = await self.createWorkflow(workflow);
			await self.activate(id);
			return id;
		},
		callWebhook: (webhookPath, body) => rt.callWebhook(baseUrl, webhookPath, { body, timeoutMs: 60_000 }),
		executions: finished,
		async waitForExecutions(workflowId, count, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const list = await finished(workflowId);
				if (list.length >= count) return list;
				if (Date.now() > deadline) {
					throw new Error(`workflow ${workflowId}: ${list.length} of ${count} executions after ${timeoutMs} ms; n8n log:\n${self.logTail()}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		},
		logTail: (lines = 40) => server.logs().split('\n').slice(-lines).join('\n'),
		stop,
	};
	return self;
}

/** The items a node output in an execution (run 0, output `output`). */
export function nodeOutput(execution: Json, nodeName: string, output = 0): Json[] {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) return [];
	return (runs[0].data?.main?.[output] ?? []).map((item: { json: Json }) => item.json);
}

/** Names of the nodes that ran in an execution. */
export function nodesRun(execution: Json): string[] {
	return Object.keys(execution?.data?.resultData?.runData ?? {});
}
