/**
 * HTTPS through a forward proxy, for ISPs whose allow-listed egress goes through one. n8n's own
 * helpers read the proxy from the usual environment variables; since we own the TLS agent (to
 * keep connections alive), we read the same variables and open an HTTP CONNECT tunnel with
 * node's http module. Mutual TLS runs end to end inside the tunnel: the proxy sees neither the
 * certificate nor the traffic. No dependency needed.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';

type Env = Record<string, string | undefined>;

function first(env: Env, ...names: string[]): string | undefined {
	for (const name of names) {
		const value = env[name]?.trim();
		if (value) return value;
	}
	return undefined;
}

function bare(host: string): string {
	return host.replace(/^\[|\]$/g, '').toLowerCase();
}

function defaultPort(url: URL): string {
	return url.port || (url.protocol === 'http:' ? '80' : '443');
}

/**
 * `host:port` in authority form, the CONNECT target and its Host header (RFC 9110 §7.2, §9.3.6):
 * an IPv6 literal goes in brackets (`[::1]:443`), host names and IPv4 addresses as they are.
 */
export function authority(host: string, port: number | string): string {
	const name = host.replace(/^\[|\]$/g, '');
	return isIPv6(name) ? `[${name}]:${port}` : `${name}:${port}`;
}

/** What the CONNECT request to `proxy` for a connection to `target` is made of. */
export function connectRequest(
	proxy: URL,
	target: Pick<https.RequestOptions, 'host' | 'hostname' | 'port'>,
): Pick<http.RequestOptions, 'host' | 'port' | 'path' | 'headers'> {
	const path = authority(target.host ?? target.hostname ?? 'localhost', target.port ?? 443);
	const headers: http.OutgoingHttpHeaders = { host: path };
	if (proxy.username || proxy.password) {
		const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
		headers['proxy-authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
	}
	// URL keeps an IPv6 proxy's brackets in `hostname`; the socket wants the bare address.
	return { host: proxy.hostname.replace(/^\[|\]$/g, ''), port: defaultPort(proxy), path, headers };
}

/** Whether NO_PROXY / no_proxy exempts the target: `*`, host names, `.domain` / `*.domain` suffixes, optional `:port`. */
export function bypassesProxy(target: URL, env: Env = process.env): boolean {
	const list = first(env, 'no_proxy', 'NO_PROXY');
	if (!list) return false;
	const host = bare(target.hostname);
	const port = defaultPort(target);
	return list
		.split(/[\s,]+/)
		.filter(Boolean)
		.some((raw) => {
			if (raw === '*') return true;
			const entry = raw.replace(/^\*/, '');
			// A bare IPv6 address has colons but no port; `[::1]:8443` and `host:8443` carry one.
			const ipv6 = entry.split(':').length > 2 && !entry.startsWith('[');
			const [, entryName, entryPort] = ipv6 ? [entry, entry, undefined] : (/^(.*?)(?::(\d+))?$/.exec(entry) as RegExpExecArray);
			const entryHost = bare(entryName).replace(/^\./, '');
			if (entryPort && entryPort !== port) return false;
			return host === entryHost || host.endsWith(`.${entryHost}`);
		});
}

/**
 * The proxy for an `https:` target from HTTPS_PROXY / https_proxy (then ALL_PROXY / all_proxy),
 * unless NO_PROXY exempts it; undefined means connect directly. The lower-case name wins, as in curl.
 */
export function proxyFor(target: URL, env: Env = process.env): URL | undefined {
	const value = first(env, 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY');
	if (!value || bypassesProxy(target, env)) return undefined;
	try {
		const url = new URL(value.includes('://') ? value : `http://${value}`);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
	} catch {
		return undefined;
	}
}

/** The proxy as it may be shown: scheme, host and port, never its user name or password. */
export function describeProxy(proxy: URL): string {
	return `${proxy.protocol}//${proxy.host}`;
}

/** The proxy could not open a tunnel; `status` is its HTTP answer to CONNECT when it gave one. */
export class ProxyTunnelError extends Error {
	readonly name = 'ProxyTunnelError';
	readonly code = 'ERR_CITYFIBRE_PROXY';
	constructor(
		message: string,
		readonly status?: number,
		readonly syscallCode?: string,
	) {
		super(message);
	}
}

export interface TunnelOptions {
	/** How long the proxy may take to open the tunnel. */
	connectTimeoutMs: number;
}

/** An https.Agent whose every connection is a CONNECT tunnel through `proxy`; keep-alive and TLS work as usual. */
export class TunnellingAgent extends https.Agent {
	constructor(
		readonly proxy: URL,
		options: https.AgentOptions,
		private readonly tunnel: TunnelOptions,
	) {
		super(options);
	}

	createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
		const done = callback as (err: Error | null, stream?: Duplex) => void;
		const request = (this.proxy.protocol === 'https:' ? https : http).request({
			...connectRequest(this.proxy, options),
			method: 'CONNECT',
			agent: false,
		});
		const where = describeProxy(this.proxy);
		let settled = false;
		const settle = (error: Error | null, socket?: Duplex) => {
			if (settled) return;
			settled = true;
			done(error, socket);
		};
		request.setTimeout(this.tunnel.connectTimeoutMs, () => {
			request.destroy();
			settle(new ProxyTunnelError(`The proxy ${where} did not open a tunnel in time`, undefined, 'ETIMEDOUT'));
		});
		request.once('connect', (response, socket) => {
			request.setTimeout(0);
			if (response.statusCode !== 200) {
				socket.destroy();
				settle(new ProxyTunnelError(`The proxy ${where} refused the tunnel: HTTP ${response.statusCode} ${response.statusMessage ?? ''}`.trim(), response.statusCode));
				return;
			}
			// https.Agent's own createConnection does the TLS (and its session cache) over our socket.
			settle(null, super.createConnection({ ...options, socket } as https.RequestOptions) as Duplex);
		});
		request.once('error', (error: NodeJS.ErrnoException) => {
			settle(new ProxyTunnelError(`The proxy ${where} cannot be reached (${error.code ?? error.message})`, undefined, error.code));
		});
		request.end();
		return undefined;
	}
}
