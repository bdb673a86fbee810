import { bypassesProxy, describeProxy, proxyFor } from '../../nodes/CityFibre/transport/proxy';

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
