/**
 * One keep-alive https.Agent per distinct credential, so a workflow that raises 1,000 tickets pays
 * one TLS handshake, not 1,000 (n8n's request helpers build a new agent per call). Agents are
 * keyed by a SHA-256 of the TLS material and the proxy route, never by the material itself.
 * An agent is closed when its credential is saved with new material (when the caller names the
 * credential), when it has been idle for a while, or when the pool is full (least recently used).
 */
import * as https from 'node:https';

import type { CityFibreCredentials } from './credentials';
import { isoDate } from './outcomes';
import { TunnellingAgent, proxyFor } from './proxy';
import type { CertificateSummary } from './tlsMaterial';
import { TlsMaterialError, materialFingerprint, prepareTls, tlsMaterialOf } from './tlsMaterial';

/** Below the 5 s keep-alive timeout of Node's (and many) servers, so we never reuse a socket the server is closing. */
export const FREE_SOCKET_TIMEOUT_MS = 4_000;
/** Bounds the connections one credential opens to CityFibre at once. */
export const MAX_SOCKETS_PER_AGENT = 8;
export const MAX_AGENTS = 32;
export const AGENT_IDLE_MS = 5 * 60_000;

export interface PooledAgent {
	agent: https.Agent;
	/** Pool key: SHA-256 hex of the TLS material and proxy route. */
	key: string;
	certificate: CertificateSummary;
	/** The proxy route, as it may be shown (no credentials), or undefined for a direct connection. */
	proxy?: string;
	lastUsed: number;
}

const pool = new Map<string, PooledAgent>();
/** n8n credential id → pool key, to close an agent as soon as its credential changes. */
const slots = new Map<string, string>();
let sweeper: NodeJS.Timeout | undefined;

/**
 * Takes an agent out of the pool. Idle sockets close now; a request still in flight finishes on
 * its socket, which then closes after FREE_SOCKET_TIMEOUT_MS. `hard` closes everything at once.
 */
function drop(key: string, hard = false): void {
	const entry = pool.get(key);
	if (!entry) return;
	pool.delete(key);
	for (const [id, slotKey] of slots) if (slotKey === key) slots.delete(id);
	if (hard) {
		entry.agent.destroy();
		return;
	}
	for (const sockets of Object.values(entry.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}

function sweep(): void {
	const now = Date.now();
	for (const [key, entry] of pool) if (now - entry.lastUsed > AGENT_IDLE_MS) drop(key);
	if (!pool.size && sweeper) {
		clearInterval(sweeper);
		sweeper = undefined;
	}
}

function createAgent(credentials: CityFibreCredentials, secureContext: import('node:tls').SecureContext, proxy: URL | undefined): https.Agent {
	const options: https.AgentOptions = {
		keepAlive: true,
		keepAliveMsecs: 1_000,
		maxSockets: MAX_SOCKETS_PER_AGENT,
		maxFreeSockets: MAX_SOCKETS_PER_AGENT,
		// Node's agent uses this as the idle timeout of free sockets; requests are timed by the transport.
		timeout: FREE_SOCKET_TIMEOUT_MS,
		secureContext,
	};
	if (!proxy) return new https.Agent(options);
	return new TunnellingAgent(proxy, options, { connectTimeoutMs: (credentials.timeoutSeconds ?? 30) * 1000 });
}

/**
 * The pooled agent for these credentials and this target, created (after local checks of the
 * TLS material) on first use. Throws TlsMaterialError when the material is unusable.
 */
export function agentFor(credentials: CityFibreCredentials, target: URL, now: Date = new Date()): PooledAgent {
	const material = tlsMaterialOf(credentials);
	const proxy = proxyFor(target);
	const key = materialFingerprint(material, proxy?.href ?? 'direct');
	let entry = pool.get(key);
	if (!entry) {
		const prepared = prepareTls(material, now);
		entry = {
			agent: createAgent(credentials, prepared.secureContext, proxy),
			key,
			certificate: prepared.certificate,
			proxy: proxy ? `${proxy.protocol}//${proxy.host}` : undefined,
			lastUsed: Date.now(),
		};
		pool.set(key, entry);
		while (pool.size > MAX_AGENTS) drop(pool.keys().next().value as string);
		sweeper ??= setInterval(sweep, 60_000).unref();
	} else {
		// Map order is the LRU order: move to the end.
		pool.delete(key);
		pool.set(key, entry);
		entry.lastUsed = Date.now();
	}
	if (credentials.credentialId) {
		const previous = slots.get(credentials.credentialId);
		if (previous && previous !== key) drop(previous);
		slots.set(credentials.credentialId, key);
	}
	if (now > entry.certificate.validTo) {
		throw new TlsMaterialError('certificateExpired', `The client certificate expired on ${isoDate(entry.certificate.validTo)}.`, entry.certificate.validTo);
	}
	return entry;
}

/** Closes the agent of these credentials, if one is pooled. */
export function dropAgent(credentials: CityFibreCredentials, target: URL): void {
	const proxy = proxyFor(target);
	drop(materialFingerprint(tlsMaterialOf(credentials), proxy?.href ?? 'direct'));
}

/** Closes every pooled agent and its sockets (tests, shutdown). */
export function closeAllAgents(): void {
	for (const key of [...pool.keys()]) drop(key, true);
	sweep();
}

/** What is pooled, without any material: for tests and diagnostics. */
export function agentPoolStats(): { agents: number; keys: string[] } {
	return { agents: pool.size, keys: [...pool.keys()] };
}
