import { bypassesProxy, connectRequest, describeProxy, proxyFor } from '../../nodes/CityFibre/transport/proxy';

const gateway = new URL('https://api-gw.cityfibre.com:41223/prod/api2');

describe('proxyFor', () => {
	it('connects directly when no proxy variable is set', () => {
		expect(proxyFor(gateway, {})).toBeUndefined();
	});

	it('reads HTTPS_PROXY', () => {
		expect(proxyFor(gateway, { HTTPS_PROXY: 'http://proxy.isp.example:3128' })?.href).toBe('http://proxy.isp.example:3128/');
	});

	it('prefers https_proxy over HTTPS_PROXY, as curl does', () => {
		expect(proxyFor(gateway, { https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128' })?.host).toBe('lower:3128');
	});

	it('falls back to ALL_PROXY', () => {
		expect(proxyFor(gateway, { ALL_PROXY: 'http://all:8080' })?.host).toBe('all:8080');
	});

	it('accepts a proxy written without a scheme', () => {
		expect(proxyFor(gateway, { HTTPS_PROXY: 'proxy.isp.example:3128' })?.href).toBe('http://proxy.isp.example:3128/');
	});

	it('ignores HTTP_PROXY, which is for http:// targets', () => {
		expect(proxyFor(gateway, { HTTP_PROXY: 'http://proxy:3128' })).toBeUndefined();
	});

	it('connects directly when NO_PROXY exempts the host', () => {
		expect(proxyFor(gateway, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost,.cityfibre.com' })).toBeUndefined();
	});
});

describe('bypassesProxy', () => {
	it.each([
		['*', true],
		['api-gw.cityfibre.com', true],
		['cityfibre.com', true],
		['.cityfibre.com', true],
		['*.cityfibre.com', true],
		['api-gw.cityfibre.com:41223', true],
		['api-gw.cityfibre.com:443', false],
		['fibre.com', false],
		['other.example, 10.0.0.1', false],
		['other.example  api-gw.cityfibre.com', true],
	])('NO_PROXY=%p exempts api-gw.cityfibre.com:41223: %p', (list, expected) => {
		expect(bypassesProxy(gateway, { NO_PROXY: list })).toBe(expected);
	});

	it('matches IP addresses, IPv6 included', () => {
		expect(bypassesProxy(new URL('https://127.0.0.1:41223/'), { no_proxy: '127.0.0.1' })).toBe(true);
		expect(bypassesProxy(new URL('https://[::1]:41223/'), { no_proxy: '::1' })).toBe(true);
		expect(bypassesProxy(new URL('https://[::1]:41223/'), { no_proxy: '[::1]:41223' })).toBe(true);
	});
});

describe('describeProxy', () => {
	it('never shows the proxy user name or password', () => {
		expect(describeProxy(new URL('http://isp-user:s3cret@proxy.isp.example:3128'))).toBe('http://proxy.isp.example:3128');
	});
});

describe('the CONNECT request', () => {
	const proxy = new URL('http://proxy.isp.example:3128');

	it('puts an IPv6 target in brackets, in the request target and the Host header', () => {
		expect(connectRequest(proxy, { host: '::1', port: 41223 })).toMatchObject({ path: '[::1]:41223', headers: { host: '[::1]:41223' } });
	});

	it('does not bracket an IPv6 target twice', () => {
		expect(connectRequest(proxy, { host: '[2001:db8::7]', port: 443 })).toMatchObject({ path: '[2001:db8::7]:443', headers: { host: '[2001:db8::7]:443' } });
	});

	it('writes a host name and an IPv4 address as they are', () => {
		expect(connectRequest(proxy, { host: 'api-gw.cityfibre.com', port: 41223 })).toMatchObject({
			path: 'api-gw.cityfibre.com:41223',
			headers: { host: 'api-gw.cityfibre.com:41223' },
		});
		expect(connectRequest(proxy, { host: '10.0.0.1', port: 41223 })).toMatchObject({ path: '10.0.0.1:41223', headers: { host: '10.0.0.1:41223' } });
	});

	it('uses port 443 when the target names none', () => {
		expect(connectRequest(proxy, { hostname: 'api-gw.cityfibre.com' }).path).toBe('api-gw.cityfibre.com:443');
	});

	it('dials an IPv6 proxy at its bare address, on its port', () => {
		expect(connectRequest(new URL('http://[::1]:3128'), { host: 'api-gw.cityfibre.com', port: 41223 })).toMatchObject({ host: '::1', port: '3128' });
	});

	it('sends the user name and password in the proxy URL as Basic proxy authorization', () => {
		const request = connectRequest(new URL('http://isp%40user:p%3Ass@proxy.isp.example:3128'), { host: 'api-gw.cityfibre.com', port: 41223 });
		expect(request.headers).toEqual({ host: 'api-gw.cityfibre.com:41223', 'proxy-authorization': `Basic ${Buffer.from('isp@user:p:ss').toString('base64')}` });
	});
});
