/**
 * Inbound checks that run before the body is read. CityFibre authenticates with a client
 * certificate, which n8n cannot check itself; the standard deployment lets a reverse proxy verify
 * it and forward a shared header (see examples/nginx). These checks let the trigger insist on that
 * header, on HTTP Basic credentials, and on a source-address allow-list.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

import type { Refusal } from './refusals';
import { TriggerConfigError, authenticationRefusal, quote } from './refusals';

export interface InboundSecurity {
	/** A header the proxy sets; name compared case-insensitively, value in constant time. */
	requiredHeader?: { name: string; value: string };
	/** HTTP Basic credentials, from n8n's `httpBasicAuth` credential. */
	basicAuth?: { user: string; password: string };
	allowList?: AllowList;
	/** Take the client address from X-Forwarded-For, as set by a proxy the user trusts. */
	trustForwardedFor: boolean;
}

export interface InboundRequestMeta {
	headers: IncomingHttpHeaders;
	/** The TCP peer: the proxy when there is one. */
	remoteAddress: string | undefined;
}

/**
 * Equal-length digests make the comparison's duration independent of where the strings differ
 * and of their lengths, so a caller cannot guess a secret one character at a time.
 */
export function constantTimeEqual(a: string, b: string): boolean {
	const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
	return timingSafeEqual(digest(a), digest(b));
}

/** An IP address without IPv4-mapping (`::ffff:10.0.0.1`), zone (`fe80::1%eth0`) or port. */
export function normaliseAddress(raw: string): string | undefined {
	let address = raw.trim();
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
	if (bracketed) address = bracketed[1];
	else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
	address = address.replace(/%.*$/, '');
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
	if (mapped) address = mapped[1];
	return isIP(address) ? address.toLowerCase() : undefined;
}

export interface AllowList {
	/** The entries as the user wrote them, for log lines. */
	entries: readonly string[];
	allows(address: string): boolean;
}

/** Parses "203.0.113.7, 198.51.100.0/24, 2001:db8::/32". A bad entry is a configuration error. */
export function parseAllowList(text: string): AllowList | undefined {
	const entries = text.split(/[\s,;]+/).filter((e) => e !== '');
	if (!entries.length) return undefined;
	const list = new BlockList();
	for (const entry of entries) {
		const [rawAddress, prefixText, extra] = entry.split('/');
		const address = normaliseAddress(rawAddress);
		const family = address ? isIP(address) : 0;
		const type = family === 6 ? 'ipv6' : 'ipv4';
		if (!address || extra !== undefined) {
			throw new TriggerConfigError(`Allowed IP Addresses: ${quote(entry)} is not an IP address or a CIDR range such as 203.0.113.0/24`);
		}
		if (prefixText === undefined) {
			list.addAddress(address, type);
			continue;
		}
		const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
		if (!(prefix >= 0 && prefix <= (family === 6 ? 128 : 32))) {
			throw new TriggerConfigError(`Allowed IP Addresses: ${quote(entry)} has an invalid prefix length`);
		}
		list.addSubnet(address, prefix, type);
	}
	return {
		entries,
		allows(raw: string): boolean {
			const address = normaliseAddress(raw);
			if (!address) return false;
			return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
		},
	};
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The caller's address. Without a trusted proxy it is the TCP peer, whatever headers say. With
 * one, it is the last X-Forwarded-For entry: the address the proxy itself appended, which the
 * caller cannot forge (entries to its left can be).
 */
export function clientAddress(request: InboundRequestMeta, trustForwardedFor: boolean): string | undefined {
	if (trustForwardedFor) {
		const forwarded = headerText(request.headers['x-forwarded-for']);
		const last = forwarded
			?.split(',')
			.map((e) => e.trim())
			.filter((e) => e !== '')
			.pop();
		if (last !== undefined) return normaliseAddress(last);
	}
	return request.remoteAddress === undefined ? undefined : normaliseAddress(request.remoteAddress);
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
	const match = header ? /^basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header) : null;
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The first inbound check that fails, or undefined when the request may be read. */
export function checkInbound(request: InboundRequestMeta, security: InboundSecurity): Refusal | undefined {
	if (security.allowList) {
		const address = clientAddress(request, security.trustForwardedFor);
		if (!address || !security.allowList.allows(address)) {
			const source = security.trustForwardedFor ? 'X-Forwarded-For' : 'connection';
			return authenticationRefusal(
				'addressNotAllowed',
				`Source address ${quote(address ?? request.remoteAddress ?? 'unknown')} (from the ${source}) is not in Allowed IP Addresses`,
			);
		}
	}
	if (security.requiredHeader) {
		const { name, value } = security.requiredHeader;
		const sent = headerText(request.headers[name.toLowerCase()]);
		if (sent === undefined) return authenticationRefusal('headerMissing', `Required header ${quote(name)} is missing`);
		if (!constantTimeEqual(sent, value)) return authenticationRefusal('headerWrong', `Required header ${quote(name)} has the wrong value`);
	}
	if (security.basicAuth) {
		const sent = basicCredentials(headerText(request.headers.authorization));
		if (!sent) return authenticationRefusal('credentialsMissing', 'HTTP Basic credentials are missing or unreadable');
		// Both comparisons always run, so the time taken does not say which one failed.
		const userOk = constantTimeEqual(sent.user, security.basicAuth.user);
		const passwordOk = constantTimeEqual(sent.password, security.basicAuth.password);
		if (!userOk || !passwordOk) return authenticationRefusal('credentialsWrong', 'HTTP Basic credentials are wrong');
	}
	return undefined;
}
