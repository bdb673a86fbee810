/**
 * Typed access to scripts/n8n-runtime.js (plain CommonJS, shared with `npm run dev`): the shapes
 * below are the ones documented in its JSDoc, for the functions this suite uses.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type Line = '2.x' | '1.x';
export type Log = (message: string) => void;

export interface N8nInstall {
	line: Line;
	version: string;
	dir: string;
	entry: string;
	nodeBin: string;
}

export interface N8nServer {
	baseUrl: string;
	pid: number;
	port: number;
	brokerPort: number;
	userFolder: string;
	logFile: string;
	install: N8nInstall;
	logs(): string;
	stop(): Promise<void>;
}

export interface HttpResult {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface WorkflowJson {
	name: string;
	nodes: object[];
	connections: object;
	settings?: object;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Runtime {
	versions: { node24: string; lines: Record<Line, { version: string }> };
	cacheDir(): string;
	ensureN8n(line: Line, options?: { log?: Log }): Promise<N8nInstall>;
	startN8n(options: {
		line: Line;
		userFolder?: string;
		port?: number;
		brokerPort?: number;
		env?: Record<string, string>;
		log?: Log;
		timeoutMs?: number;
	}): Promise<N8nServer>;
	installPackageInto(userFolder: string, tarball: string, options?: { nodeBin?: string; log?: Log }): Promise<{ name: string; version: string; dir: string }>;
	freePort(): Promise<number>;
	request(
		baseUrl: string,
		method: string,
		urlPath: string,
		options?: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
	): Promise<HttpResult>;
	rest(baseUrl: string, cookie: string, method: string, urlPath: string, body?: unknown): Promise<HttpResult>;
	publicApi(baseUrl: string, apiKey: string, method: string, urlPath: string, body?: unknown): Promise<Json>;
	DEFAULT_OWNER: { email: string; firstName: string; lastName: string; password: string };
	setupOwner(baseUrl: string, owner?: { email: string; firstName: string; lastName: string; password: string }): Promise<string>;
	createApiKey(baseUrl: string, cookie: string, options?: { label?: string }): Promise<string>;
	createCredential(
		baseUrl: string,
		apiKey: string,
		credential: { name: string; type: string; data: Record<string, unknown> },
	): Promise<{ id: string; name: string; type: string }>;
	createWorkflow(baseUrl: string, apiKey: string, workflow: WorkflowJson): Promise<{ id: string } & Json>;
	activateWorkflow(baseUrl: string, apiKey: string, workflowId: string): Promise<Json>;
	deactivateWorkflow(baseUrl: string, apiKey: string, workflowId: string): Promise<Json>;
	listExecutions(
		baseUrl: string,
		apiKey: string,
		workflowId: string,
		options?: { includeData?: boolean; status?: string; limit?: number },
	): Promise<Json[]>;
	getExecution(baseUrl: string, apiKey: string, executionId: string | number, options?: { includeData?: boolean }): Promise<Json>;
	waitForExecutions(
		baseUrl: string,
		apiKey: string,
		workflowId: string,
		options?: { count?: number; timeoutMs?: number; includeData?: boolean },
	): Promise<Json[]>;
	callWebhook(
		baseUrl: string,
		webhookPath: string,
		options?: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
	): Promise<HttpResult>;
	nodeTypeNames(baseUrl: string, cookie: string): Promise<string[]>;
	withDataTables(baseUrl: string, cookie: string, workflows: WorkflowJson[]): Promise<WorkflowJson[]>;
	dataTableRows(baseUrl: string, cookie: string, name: string): Promise<Json[]>;
	testCredential(
		baseUrl: string,
		cookie: string,
		credentials: { id: string; name?: string; type: string; data: Record<string, unknown> },
	): Promise<{ status: 'OK' | 'Error'; message: string }>;
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
export const rt: Runtime = require('../../../scripts/n8n-runtime');

export const LINES: readonly Line[] = ['2.x', '1.x'];
