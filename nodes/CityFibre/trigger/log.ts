/**
 * One line in n8n's log per delivery. Refusals are warnings an operator can act on; a repeat is
 * info (evidence that CityFibre retried); the rest is debug. Only identifiers, codes and sizes:
 * never a header value, a credential or the body.
 */
import type { Outcome } from './receive';

export interface LogEntry {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta: Record<string, string | number | boolean>;
}

export interface RequestFacts {
	workflowId: string;
	nodeName: string;
	remoteAddress: string;
	contentType: string;
	bytes?: number;
}

export function logEntryFor(outcome: Outcome, facts: RequestFacts): LogEntry {
	const meta: LogEntry['meta'] = { ...facts, httpStatus: outcome.answer.status };
	if (meta.bytes === undefined) delete meta.bytes;
	if (outcome.kind === 'refused') {
		const { code, detail, messageId } = outcome.refusal;
		Object.assign(meta, { refusal: code }, messageId ? { messageId } : {});
		const serious = code === 'notConfigured' || code === 'internal';
		return { level: serious ? 'error' : 'warn', message: `CityFibre notification refused: ${detail}`, meta };
	}
	Object.assign(meta, { messageId: outcome.messageId, events: outcome.events.join(',') });
	if (outcome.kind === 'repeat') {
		return { level: 'info', message: 'CityFibre notification repeated: acknowledged, workflow not started again', meta };
	}
	if (outcome.kind === 'filtered') {
		return { level: 'debug', message: 'CityFibre notification acknowledged: no chosen event, workflow not started', meta };
	}
	return { level: 'debug', message: 'CityFibre notification acknowledged: workflow started', meta };
}
