/**
 * Small real network pieces for the transport's tests, all on 127.0.0.1: a port nothing listens
 * on, a TCP front that resets connections before any TLS byte, a server that accepts connections
 * and never answers, an HTTP CONNECT proxy that counts its tunnels, and a poll for conditions the
 * sandbox reaches asynchronously.
 */
import * as http from 'node:http';
import * as net from 'node:net';

/** A port nothing listens on: bound, then released. */
export function closedPort(): Promise<number> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Resolves once `condition` holds (checked every 20 ms; fails after 5 s). */
export async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 20) {
		if (waited > 5_000) throw new Error('condition not met within 5 s');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

function tracked(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
	return () =>
		new Promise<void>((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		});
}

function pipeBoth(a: net.Socket, b: net.Socket, sockets: Set<net.Socket>): void {
	for (const s of [a, b]) {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	}
	a.on('error', () => b.destroy());
	b.on('error', () => a.destroy());
	a.pipe(b).pipe(a);
}

export interface ResettingFront {
	port: number;
	/** Connections reset so far. */
	resets: number;
	close(): Promise<void>;
}

/**
 * A TCP front for `targetPort` that resets its first `resets` connections as they arrive, before
 * any TLS byte (the one failure a client can know never carried its request), then forwards.
 */
export async function startResettingFront(targetPort: number, resets: number): Promise<ResettingFront> {
	const sockets = new Set<net.Socket>();
	const front: ResettingFront = { port: 0, resets: 0, close: () => Promise.resolve() };
	const server = net.createServer((client) => {
		client.on('error', () => undefined);
		if (front.resets < resets) {
			front.resets++;
			client.resetAndDestroy();
			return;
		}
		pipeBoth(client, net.connect(targetPort, '127.0.0.1'), sockets);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	front.port = (server.address() as net.AddressInfo).port;
	front.close = tracked(server, sockets);
	return front;
}

export interface SilentServer {
	port: number;
	/** Connections accepted so far. */
	connections: number;
	close(): Promise<void>;
}

/**
 * A TCP server that accepts connections and never sends a byte (no TLS handshake, no answer):
 * what a client meets when a gateway black-holes it, so its timer fires before the TLS session is up.
 */
export async function startSilentServer(): Promise<SilentServer> {
	const sockets = new Set<net.Socket>();
	const silent: SilentServer = { port: 0, connections: 0, close: () => Promise.resolve() };
	const server = net.createServer((client) => {
		silent.connections++;
		client.on('error', () => undefined);
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	silent.port = (server.address() as net.AddressInfo).port;
	silent.close = tracked(server, sockets);
	return silent;
}

export interface ConnectProxy {
	url: string;
	port: number;
	/** `host:port` of every tunnel opened, in order. */
	tunnels: string[];
	/** The Proxy-Authorization header of each CONNECT. */
	authorizations: Array<string | undefined>;
	/** The Host header of each CONNECT. */
	hosts: Array<string | undefined>;
	close(): Promise<void>;
}

/** The host and port of a CONNECT target in authority form: `host:port`, or `[v6]:port` for an IPv6 address. */
function parseAuthority(target: string): { host: string; port: number } | undefined {
	const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d+)$/.exec(target);
	if (!match) return undefined;
	return { host: match[1] ?? match[2], port: Number(match[3]) };
}

/**
 * An HTTP forward proxy that only does CONNECT, to targets in authority form (an IPv6 address in
 * brackets; anything else is a 400). With `requireAuth` ("user:password") it answers 407 to anyone
 * else. `dial` is where it connects for a target host, as its own name resolution would: every test
 * server listens on 127.0.0.1 only, so `{ '::1': '127.0.0.1' }` lets a test aim at an IPv6 address.
 */
export async function startConnectProxy(options: { requireAuth?: string; dial?: Record<string, string> } = {}): Promise<ConnectProxy> {
	const sockets = new Set<net.Socket>();
	const proxy: ConnectProxy = { url: '', port: 0, tunnels: [], authorizations: [], hosts: [], close: () => Promise.resolve() };
	const server = http.createServer((_req, res) => res.writeHead(405).end());
	server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
		client.on('error', () => undefined);
		const authorization = req.headers['proxy-authorization'];
		proxy.authorizations.push(authorization);
		proxy.hosts.push(req.headers.host);
		if (options.requireAuth && authorization !== `Basic ${Buffer.from(options.requireAuth).toString('base64')}`) {
			client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="isp"\r\n\r\n');
			return;
		}
		const target = parseAuthority(req.url ?? '');
		if (!target) {
			client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
			return;
		}
		proxy.tunnels.push(req.url ?? '');
		const upstream = net.connect(target.port, options.dial?.[target.host] ?? target.host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length) upstream.write(head);
			pipeBoth(client, upstream, sockets);
		});
		upstream.on('error', () => client.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	proxy.port = (server.address() as net.AddressInfo).port;
	proxy.url = `http://127.0.0.1:${proxy.port}`;
	proxy.close = tracked(server, sockets);
	return proxy;
}
