/**
 * Runs a trigger node's `webhook()` behind a real HTTP server on 127.0.0.1, the way n8n's webhook
 * server does: the body is read before the node runs into `req.rawBody` (exact bytes, gzip and
 * deflate decoded) with `req.readRawBody()` available; `req.body` holds a pre-parsed stand-in the
 * node must ignore; the node gets the real `req`/`res` through a mocked IWebhookFunctions. If
 * `webhook()` throws, the caller gets n8n's 500 JSON, and without `noWebhookResponse` n8n's own
 * default answer, so a node that relies on either is caught by the assertions.
 */
import { once } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

export interface LogRecord {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: Record<string, unknown>;
}

export interface HarnessOptions {
	/** Node parameters; the description's defaults fill in the rest. */
	parameters?: Record<string, unknown>;
	/** Decrypted credential data by credential type, as `getCredentials` returns it. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** `webhook` for production URLs (the default), `manual` for the editor's test URL. */
	mode?: WorkflowExecuteMode;
	workflowId?: string;
	nodeId?: string;
	/**
	 * n8n reads the body of a typeVersion-1 node before it runs (the default, true). false leaves
	 * `rawBody` unset, as n8n does for typeVersion >= 2 with non-parsable content types.
	 */
	preRead?: boolean;
	/**
	 * n8n's body limit (N8N_PAYLOAD_SIZE_MAX) in bytes: beyond it n8n answers 413 itself when it
	 * reads the body first, and `readRawBody()` throws raw-body's 413 error when the node reads it.
	 */
	payloadSizeMax?: number;
	/** Replaces context functions, e.g. to make one throw. */
	override?: Partial<Record<keyof IWebhookFunctions, unknown>>;
}

export interface Delivery {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** What `webhook()` returned, or undefined if it threw. */
	result: IWebhookResponseData | undefined;
	/** What `webhook()` threw, if it did. */
	error?: unknown;
}

export interface SendOptions {
	headers?: OutgoingHttpHeaders;
	method?: string;
	path?: string;
}

export interface WebhookHarness {
	url: string;
	logs: LogRecord[];
	send(body: string | Buffer, options?: SendOptions): Promise<Delivery>;
	close(): Promise<void>;
}

/** A stand-in for n8n's xml2js result: tags lower-cased. A node reading it would show it. */
const PRE_PARSED_BODY = Object.freeze({ 'soap:envelope': { 'soap:body': { notifyfaultreportupdate: { note: 'n8n pre-parsed body' } } } });

/** What n8n's raw-body middleware attaches: `readRawBody()` fills `rawBody` once. */
function attachRawBodyReader(req: IncomingMessage, limit: number): void {
	const target = req as IncomingMessage & { rawBody?: Buffer; readRawBody: () => Promise<void> };
	target.readRawBody = async () => {
		if (target.rawBody) return;
		const encoding = req.headers['content-encoding'];
		const stream: Readable = encoding === 'gzip' ? req.pipe(createGunzip()) : encoding === 'deflate' ? req.pipe(createInflate()) : req;
		const chunks: Buffer[] = [];
		let length = 0;
		for await (const chunk of stream) {
			length += (chunk as Buffer).length;
			// raw-body's own error, which n8n's readRawBody passes on.
			if (length > limit) throw Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
			chunks.push(chunk as Buffer);
		}
		target.rawBody = Buffer.concat(chunks);
	};
}

function defaultsOf(node: INodeType): Record<string, unknown> {
	const defaults: Record<string, unknown> = {};
	for (const property of node.description.properties) {
		if (!(property.name in defaults)) defaults[property.name] = property.default;
	}
	return defaults;
}

function webhookContext(
	node: INodeType,
	req: IncomingMessage,
	res: ServerResponse,
	options: HarnessOptions,
	logs: LogRecord[],
	baseUrl: string,
): IWebhookFunctions {
	const parameters = { ...defaultsOf(node), ...options.parameters };
	const nodeData: INode = {
		id: options.nodeId ?? 'trigger-node-1',
		name: node.description.defaults.name ?? node.description.displayName,
		type: `n8n-nodes-cityfibre.${node.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
	};
	const log = (level: LogRecord['level']) => (message: string, meta?: Record<string, unknown>) => logs.push({ level, message, meta });
	const context = {
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		getNode: () => nodeData,
		getWorkflow: () => ({ id: options.workflowId ?? 'workflow-1', name: 'CityFibre notifications', active: true }),
		getMode: () => options.mode ?? 'webhook',
		getWebhookName: () => 'default',
		getNodeWebhookUrl: () => `${baseUrl}/webhook/${String(parameters.path)}`,
		getNodeParameter: (name: string, fallback?: unknown) => (parameters[name] === undefined ? fallback : parameters[name]),
		getCredentials: async (type: string) => {
			const data = options.credentials?.[type];
			// n8n's own wording when the node has no credential of that type selected.
			if (!data) throw new Error(`Node "${nodeData.name}" does not have any credentials of type "${type}" set`);
			return data;
		},
		getRequestObject: () => req,
		getResponseObject: () => res,
		getHeaderData: () => req.headers,
		getBodyData: () => (req as IncomingMessage & { body?: unknown }).body,
		getQueryData: () => ({}),
		getParamsData: () => ({}),
		...options.override,
	};
	return context as unknown as IWebhookFunctions;
}

/** Answers like n8n's webhook server would around the node. */
async function serve(node: INodeType, req: IncomingMessage, res: ServerResponse, options: HarnessOptions, logs: LogRecord[], baseUrl: string) {
	attachRawBodyReader(req, options.payloadSizeMax ?? 16 * 1024 * 1024);
	const contentType = req.headers['content-type'] ?? '';
	if (options.preRead !== false && !contentType.startsWith('multipart/')) {
		try {
			await (req as IncomingMessage & { readRawBody: () => Promise<void> }).readRawBody();
		} catch {
			res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
			res.end(JSON.stringify({ code: 413, message: 'request entity too large' }));
			return { result: undefined };
		}
		(req as IncomingMessage & { body?: unknown }).body = PRE_PARSED_BODY;
	}
	try {
		const result = await node.webhook!.call(webhookContext(node, req, res, options, logs, baseUrl));
		if (!result.noWebhookResponse && !res.headersSent) {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ message: 'Workflow was started' }));
		}
		return { result };
	} catch (error) {
		if (!res.headersSent) {
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' }));
		}
		return { result: undefined, error };
	}
}

export async function startWebhookHarness(node: INodeType, options: HarnessOptions = {}): Promise<WebhookHarness> {
	const logs: LogRecord[] = [];
	const handled = new Map<string, Promise<{ result: IWebhookResponseData | undefined; error?: unknown }>>();
	let baseUrl = '';
	const server: Server = createServer((req, res) => {
		const id = String(req.headers['x-harness-delivery'] ?? '');
		handled.set(id, serve(node, req, res, options, logs, baseUrl));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	baseUrl = `http://127.0.0.1:${port}`;
	let deliveries = 0;

	return {
		url: baseUrl,
		logs,
		async send(body, sendOptions = {}) {
			const id = String(++deliveries);
			const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
			const response = await new Promise<{ status: number; headers: Delivery['headers']; body: string }>((resolve, reject) => {
				const req = request(
					`${baseUrl}${sendOptions.path ?? '/webhook/cityfibre-notifications'}`,
					{
						method: sendOptions.method ?? 'POST',
						// A header given as undefined is not sent at all.
						headers: Object.fromEntries(
							Object.entries({
								'Content-Type': 'text/xml; charset=utf-8',
								'Content-Length': payload.length,
								...sendOptions.headers,
								'X-Harness-Delivery': id,
							}).filter(([, value]) => value !== undefined),
						) as OutgoingHttpHeaders,
					},
					(res) => {
						const chunks: Buffer[] = [];
						res.on('data', (c: Buffer) => chunks.push(c));
						res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
						res.on('error', reject);
					},
				);
				req.on('error', reject);
				req.end(payload);
			});
			const outcome = await handled.get(id);
			return { ...response, result: outcome?.result, error: outcome?.error };
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
