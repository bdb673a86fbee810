/** The trigger's pure pieces: allow-list, client address, constant-time compare, repeat memory. */
import {
	RecentMessages,
	TriggerConfigError,
	checkContentType,
	clientAddress,
	constantTimeEqual,
	normaliseAddress,
	parseAllowList,
	quote,
	recentMessagesFor,
	refusal,
} from '../../nodes/CityFibre/trigger';

describe('the IP allow-list', () => {
	const list = parseAllowList('203.0.113.7, 198.51.100.0/24\n2001:db8::/32 ; ::1')!;

	it.each([
		['203.0.113.7', true],
		['203.0.113.8', false],
		['198.51.100.200', true],
		['198.51.101.1', false],
		['2001:db8:1::5', true],
		['2001:db9::5', false],
		['::1', true],
		['::ffff:203.0.113.7', true],
		['::ffff:203.0.113.8', false],
		['not-an-address', false],
	])('%s is allowed: %s', (address, allowed) => {
		expect(list.allows(address)).toBe(allowed);
	});

	it('keeps the entries as written, for log lines', () => {
		expect(list.entries).toEqual(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32', '::1']);
	});

	it('is absent when the text holds no entry', () => {
		expect(parseAllowList(' , \n')).toBeUndefined();
	});

	it.each([
		['cityfibre.com', "Allowed IP Addresses: 'cityfibre.com' is not an IP address or a CIDR range such as 203.0.113.0/24"],
		['10.0.0.0/33', "Allowed IP Addresses: '10.0.0.0/33' has an invalid prefix length"],
		['2001:db8::/129', "Allowed IP Addresses: '2001:db8::/129' has an invalid prefix length"],
		['10.0.0.0/8/8', "Allowed IP Addresses: '10.0.0.0/8/8' is not an IP address or a CIDR range such as 203.0.113.0/24"],
		['10.0.0.0/x', "Allowed IP Addresses: '10.0.0.0/x' has an invalid prefix length"],
	])('names a bad entry (%s) in a configuration error', (entry, message) => {
		expect(() => parseAllowList(`127.0.0.1, ${entry}`)).toThrow(new TriggerConfigError(message));
	});
});

describe('the client address', () => {
	const request = (forwarded?: string) => ({ headers: forwarded ? { 'x-forwarded-for': forwarded } : {}, remoteAddress: '::ffff:127.0.0.1' });

	it('is the connecting address, IPv4-mapping removed, when the proxy is not trusted', () => {
		expect(clientAddress(request('203.0.113.7'), false)).toBe('127.0.0.1');
	});

	it('is the last X-Forwarded-For entry behind a trusted proxy', () => {
		expect(clientAddress(request('198.51.100.1, 203.0.113.7'), true)).toBe('203.0.113.7');
	});

	it('is the connecting address behind a trusted proxy that sent no X-Forwarded-For', () => {
		expect(clientAddress(request(), true)).toBe('127.0.0.1');
	});

	it.each([
		['203.0.113.7:51234', '203.0.113.7'],
		['[2001:db8::1]:443', '2001:db8::1'],
		['fe80::1%eth0', 'fe80::1'],
		['2001:DB8::A', '2001:db8::a'],
		['unknown', undefined],
	])('reads %s as %s', (raw, address) => {
		expect(normaliseAddress(raw)).toBe(address);
	});
});

describe('constant-time comparison', () => {
	it('is true only for identical strings, of any length', () => {
		expect(constantTimeEqual('s3cret', 's3cret')).toBe(true);
		expect(constantTimeEqual('s3cret', 's3creT')).toBe(false);
		expect(constantTimeEqual('s3cret', 's3cret-and-more')).toBe(false);
		expect(constantTimeEqual('', '')).toBe(true);
	});
});

describe('the Content-Type check', () => {
	it.each(['text/xml', 'application/xml; charset=UTF-8', 'application/soap+xml', 'TEXT/XML'])('accepts %s', (type) => {
		expect(checkContentType({ 'content-type': type })).toBeUndefined();
	});

	it.each(['application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x'])('refuses %s with 415', (type) => {
		expect(checkContentType({ 'content-type': type })).toMatchObject({ code: 'contentType', httpStatus: 415 });
	});
});

describe('the repeat memory', () => {
	const HOUR = 3_600_000;

	it('says repeat for a messageId seen within the window, new after it', () => {
		const memory = new RecentMessages();
		expect(memory.checkAndRecord('CF-1', 0, HOUR)).toBe('new');
		expect(memory.checkAndRecord('CF-1', HOUR - 1, HOUR)).toBe('repeat');
		expect(memory.checkAndRecord('CF-1', HOUR, HOUR)).toBe('new');
	});

	it('forgets expired entries, so it does not grow with time', () => {
		const memory = new RecentMessages();
		for (let i = 0; i < 100; i++) memory.checkAndRecord(`CF-${i}`, i * HOUR, HOUR);
		expect(memory.size).toBe(1);
	});

	it('holds at most its bound, dropping the oldest first', () => {
		const memory = new RecentMessages(3);
		for (const id of ['a', 'b', 'c', 'd']) memory.checkAndRecord(id, 0, HOUR);
		expect(memory.size).toBe(3);
		expect(memory.checkAndRecord('d', 1, HOUR)).toBe('repeat');
		expect(memory.checkAndRecord('a', 1, HOUR)).toBe('new');
	});

	it('is one memory per trigger node', () => {
		expect(recentMessagesFor('workflow-x:node-1')).toBe(recentMessagesFor('workflow-x:node-1'));
		expect(recentMessagesFor('workflow-x:node-1')).not.toBe(recentMessagesFor('workflow-x:node-2'));
	});
});

describe('quoting what a caller sent', () => {
	it('keeps it short and free of markup and control characters', () => {
		expect(quote('<b>"x"</b>\n')).toBe("'?b??x??/b??'");
		expect(quote('a'.repeat(70))).toBe(`'${'a'.repeat(64)}…'`);
	});
});

describe('the text of a refusal', () => {
	it('has line breaks and characters XML cannot carry replaced, in the reason and the detail', () => {
		expect(refusal('malformedXml', 400, 'bad <a\u0001>', 'line\nforged\u0000')).toEqual({
			code: 'malformedXml',
			httpStatus: 400,
			reason: 'bad <a?>',
			detail: 'line?forged?',
		});
	});

	it('is cut at 300 characters', () => {
		expect(refusal('malformedXml', 400, 'x'.repeat(1000), 'y').reason).toBe(`${'x'.repeat(300)}…`);
	});
});
