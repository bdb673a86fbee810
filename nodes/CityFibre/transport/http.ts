/**
 * One HTTPS exchange on a pooled agent, timed by our own timer, that records how far it got
 * (TLS session up? request fully written? answer started?) so the retry rule can tell "never
 * reached CityFibre" from "may have reached CityFibre".
 */
import * as https from 'node:https';

import { RequestTimeoutError, translateConnectionError } from './errors';
import { ProxyTunnelError } from './proxy';
import type { AttemptFailure } from './retry';

export interface HttpAnswer {
	status: number;
	statusText: string;
	body: Buffer;
}

export interface HttpExchange {
	agent: https.Agent;
	url: URL;
	method: 'GET' | 'POST';
	headers: Record<string, string>;
	body?: string;
	timeoutMs: number;
	/** Longer answers are cut off and reported as too large. */
	maxBytes: number;
	signal?: AbortSignal;
}

/** The exchange failed; `failure` is what the retry rule needs, `cause` the original error. */
export class AttemptError extends Error {
	readonly name = 'AttemptError';
	constructor(
		readonly failure: AttemptFailure,
		readonly cause: unknown,
		/** Whether the TLS session was established when it failed. */
		readonly established: boolean,
	) {
		super(typeof (cause as Error | undefined)?.message === 'string' ? (cause as Error).message : String(cause));
	}
}

export class ResponseTooLargeError extends Error {
	readonly name = 'ResponseTooLargeError';
}

function abortError(): Error {
	const error = new Error('The call was cancelled');
	error.name = 'AbortError';
	return error;
}

interface Progress {
	established: boolean;
	written: boolean;
}

function failureOf(error: unknown, progress: Progress, host: string): AttemptFailure {
	if (error instanceof ResponseTooLargeError || (error as Error)?.name === 'AbortError') return { type: 'final' };
	// The rule repeats a timeout for the read-like operations only, wherever it struck (connecting,
	// in the handshake, or waiting for the answer): ours, the system's, or the proxy's.
	if (error instanceof RequestTimeoutError) return { type: 'noAnswer', timedOut: true };
	if (error instanceof ProxyTunnelError) {
		if (error.syscallCode === 'ETIMEDOUT') return { type: 'noAnswer', timedOut: true };
		// The proxy refused or reset the connection: the tunnel to CityFibre was never opened.
		if (error.syscallCode === 'ECONNREFUSED' || error.syscallCode === 'ECONNRESET') return { type: 'notSent', code: error.syscallCode };
		return { type: 'final' };
	}
	// A handshake refusal or an untrusted server will not change on a repeat.
	if (translateConnectionError(error, host, progress.established).kind === 'tls') return { type: 'final' };
	const code = (error as NodeJS.ErrnoException)?.code;
	if (code === 'ETIMEDOUT') return { type: 'noAnswer', timedOut: true };
	if (!progress.established || !progress.written) return { type: 'notSent', code };
	return { type: 'noAnswer', timedOut: false };
}

export function exchange(options: HttpExchange): Promise<HttpAnswer> {
	const { url } = options;
	const progress: Progress = { established: false, written: false };
	return new Promise<HttpAnswer>((resolve, reject) => {
		let settled = false;
		const finish = (error: unknown, answer?: HttpAnswer) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', onAbort);
			if (answer) resolve(answer);
			else reject(new AttemptError(failureOf(error, progress, url.host), error, progress.established));
		};
		const headers: Record<string, string> = { ...options.headers };
		if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
		const request = https.request({
			protocol: 'https:',
			hostname: url.hostname.replace(/^\[|\]$/g, ''),
			port: url.port || 443,
			path: `${url.pathname}${url.search}`,
			method: options.method,
			headers,
			agent: options.agent,
		});
		const timer = setTimeout(() => request.destroy(new RequestTimeoutError(`No answer within ${options.timeoutMs} ms`)), options.timeoutMs);
		const onAbort = () => request.destroy(abortError());
		if (options.signal?.aborted) onAbort();
		options.signal?.addEventListener('abort', onAbort, { once: true });

		request.on('socket', (socket) => {
			if (request.reusedSocket) progress.established = true;
			else socket.once('secureConnect', () => (progress.established = true));
		});
		request.on('finish', () => (progress.written = true));
		request.on('error', (error) => finish(error));
		request.on('response', (response) => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > options.maxBytes) {
					request.destroy(new ResponseTooLargeError(`The answer is larger than ${options.maxBytes} bytes`));
					return;
				}
				chunks.push(chunk);
			});
			response.on('end', () =>
				finish(null, { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', body: Buffer.concat(chunks) }),
			);
			response.on('error', (error) => finish(error));
			response.on('close', () => {
				if (!response.complete) finish(Object.assign(new Error('The answer was cut off'), { code: 'ECONNRESET' }));
			});
		});
		request.end(options.body);
	});
}
