/**
 * The node's `webhook()`: settings → `receive` → answer → log → workflow data. It answers every
 * request itself through the response object (n8n's own `webhookResponse` would send text/html)
 * and catches everything, because an exception here makes n8n answer with a 500 JSON of its own.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DEFAULT_API_VERSION } from '../catalogue';
import type { HttpAnswer } from './acknowledge';
import { recentMessagesFor } from './dedupe';
import type { LogEntry, RequestFacts } from './log';
import { logEntryFor } from './log';
import type { WebhookRequestLike } from './readBody';
import { mediaType, readRequestBytes } from './readBody';
import type { Outcome, TriggerSettings } from './receive';
import { receive, refused } from './receive';
import { TriggerConfigError, notConfigured, refusal } from './refusals';
import { loadSettings } from './settings';

interface ResponseLike {
	headersSent: boolean;
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

function send(res: ResponseLike, answer: HttpAnswer): void {
	if (res.headersSent) return;
	res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(Buffer.byteLength(answer.body)) });
	res.end(answer.body);
}

function write(context: IWebhookFunctions, entry: LogEntry): void {
	context.logger[entry.level](entry.message, entry.meta);
}

async function settingsOrRefusal(context: IWebhookFunctions, now: Date): Promise<TriggerSettings | Outcome> {
	try {
		return await loadSettings(context);
	} catch (error) {
		if (!(error instanceof TriggerConfigError)) throw error;
		return refused(notConfigured(error), { buyerIdentifier: '', apiVersion: DEFAULT_API_VERSION, now }, 'matching');
	}
}

export async function handleWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const now = new Date();
	const res = context.getResponseObject() as unknown as ResponseLike;
	const facts: RequestFacts = { workflowId: '', nodeName: '', remoteAddress: '', contentType: '' };
	try {
		const req = context.getRequestObject() as unknown as WebhookRequestLike;
		const node = context.getNode();
		const workflowId = String(context.getWorkflow().id ?? '');
		Object.assign(facts, {
			workflowId,
			nodeName: node.name,
			remoteAddress: req.socket?.remoteAddress ?? '',
			contentType: mediaType(req.headers) ?? '',
		});

		const loaded = await settingsOrRefusal(context, now);
		const outcome =
			'kind' in loaded
				? loaded
				: await receive(
						{
							request: { headers: req.headers, remoteAddress: req.socket?.remoteAddress },
							readBody: async () => {
								const bytes = await readRequestBytes(req);
								facts.bytes = bytes.length;
								return bytes;
							},
						},
						loaded,
						{
							now,
							// In test mode ("listen for test event") a re-sent sample must still run.
							memory: context.getMode() === 'manual' ? undefined : recentMessagesFor(`${workflowId}:${node.id ?? node.name}`),
						},
					);

		send(res, outcome.answer);
		write(context, logEntryFor(outcome, facts));
		if (outcome.kind !== 'started') return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [[{ json: outcome.item }]] };
	} catch (error) {
		const reason = refusal('internal', 500, 'The receiver failed to process the notification', `Unexpected error: ${(error as Error)?.message ?? String(error)}`);
		try {
			const outcome = refused(reason, { buyerIdentifier: '', apiVersion: DEFAULT_API_VERSION, now }, 'matching');
			send(res, outcome.answer);
			write(context, logEntryFor(outcome, facts));
		} catch {
			// Nothing more can be said to this caller; n8n must still not see an exception.
		}
		return { noWebhookResponse: true };
	}
}
