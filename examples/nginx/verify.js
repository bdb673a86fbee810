#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Proves cityfibre-notifications.conf with a real nginx on 127.0.0.1, in front of the real
 * CityFibre Ticketing Trigger (the built node from dist/, its webhook() served like n8n serves
 * it). Certificates are made fresh in a temporary folder; nothing outside it is touched.
 *
 *   npm run build && node examples/nginx/verify.js        (nginx on PATH, or NGINX=/usr/sbin/nginx)
 *
 * Checks: no client certificate → nginx 400; a certificate from another CA → 400; CityFibre's
 * certificate → the trigger's ValidResponse and one workflow start; a caller's own copy of the
 * shared header is replaced by nginx; the trigger refuses a request that bypasses nginx; only
 * POST on the one published path gets through. Prints one line per check; exit code 1 on failure.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const forge = require('node-forge');

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist/nodes/CityFibre');
const nginx = process.env.NGINX || 'nginx';
const PATH = '/webhook/cityfibre-notifications';
const HEADER = 'X-CityFibre-Proxy-Secret';

// --- Certificates --------------------------------------------------------------------------------

/** @typedef {{ cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey, certPem: string, keyPem: string }} Issued */

/**
 * @param {string} cn
 * @param {Issued | undefined} issuer undefined for a self-signed CA
 * @param {'ca' | 'server' | 'client'} kind
 * @returns {Issued}
 */
function issue(cn, issuer, kind) {
	const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
	const cert = forge.pki.createCertificate();
	cert.publicKey = keys.publicKey;
	cert.serialNumber = `0${randomBytes(8).toString('hex')}`;
	cert.validity.notBefore = new Date(Date.now() - 60_000);
	cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
	cert.setSubject([{ name: 'commonName', value: cn }]);
	cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: 'commonName', value: cn }]);
	const extensions = [{ name: 'basicConstraints', cA: kind === 'ca' }];
	if (kind === 'ca') extensions.push(/** @type {any} */ ({ name: 'keyUsage', keyCertSign: true, cRLSign: true }));
	if (kind === 'server') {
		extensions.push(/** @type {any} */ ({ name: 'extKeyUsage', serverAuth: true }));
		extensions.push(/** @type {any} */ ({ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }));
	}
	if (kind === 'client') extensions.push(/** @type {any} */ ({ name: 'extKeyUsage', clientAuth: true }));
	cert.setExtensions(extensions);
	cert.sign(issuer ? issuer.key : keys.privateKey, forge.md.sha256.create());
	return { cert, key: keys.privateKey, certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

// --- The trigger, served the way n8n serves a webhook ---------------------------------------------

/**
 * @param {string} secret
 * @param {Array<{ url: string, headers: http.IncomingHttpHeaders, started: boolean }>} seen
 */
function triggerServer(secret, seen) {
	const { CityFibreTicketingTrigger } = require(path.join(dist, 'CityFibreTicketingTrigger.node.js'));
	const node = new CityFibreTicketingTrigger();
	const parameters = {
		path: 'cityfibre-notifications',
		buyerIdentifierSource: 'parameter',
		buyerIdentifier: 'SPDEV1',
		events: ['*'],
		authentication: 'none',
		options: {
			requiredHeader: { header: { name: HEADER, value: secret } },
			allowedIpAddresses: '127.0.0.1',
			trustForwardedFor: true,
		},
	};
	return http.createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		Object.assign(req, { rawBody: Buffer.concat(chunks), readRawBody: async () => {} });
		const quiet = () => {};
		const context = {
			logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
			getNode: () => ({ id: 'nginx-verify', name: 'CityFibre Ticketing Trigger', typeVersion: 1, parameters }),
			getWorkflow: () => ({ id: 'nginx-verify', active: true }),
			getMode: () => 'webhook',
			getNodeParameter: (/** @type {string} */ name, /** @type {unknown} */ fallback) =>
				/** @type {Record<string, unknown>} */ (parameters)[name] ?? fallback,
			getCredentials: async () => {
				throw new Error('no credentials in this check');
			},
			getRequestObject: () => req,
			getResponseObject: () => res,
		};
		const result = await node.webhook.call(context);
		seen.push({ url: String(req.url), headers: req.headers, started: Boolean(result.workflowData) });
	});
}

// --- Plumbing ------------------------------------------------------------------------------------

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/**
 * @param {string} url
 * @param {{ method?: string, body?: string, headers?: Record<string, string>, tls?: object }} options
 * @returns {Promise<{ status: number, body: string }>}
 */
function send(url, options) {
	const client = url.startsWith('https:') ? https : http;
	return new Promise((resolve, reject) => {
		const req = client.request(
			url,
			{ method: options.method ?? 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', ...options.headers }, ...options.tls },
			(res) => {
				const chunks = /** @type {Buffer[]} */ ([]);
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			},
		);
		req.on('error', reject);
		req.end(options.body ?? '');
	});
}

/**
 * The example's server block with test paths and ports: each edit must find its line, so a
 * change to the example that this check no longer covers fails loudly.
 * @param {Record<string, string>} edits
 */
function siteConfig(edits) {
	let text = fs.readFileSync(path.join(__dirname, 'cityfibre-notifications.conf'), 'utf8');
	for (const [from, to] of Object.entries(edits)) {
		if (!text.includes(from)) throw new Error(`The example no longer contains ${JSON.stringify(from)}`);
		text = text.split(from).join(to);
	}
	return text;
}

let failures = 0;
/** @param {boolean} ok @param {string} what @param {string} [got] */
function check(ok, what, got) {
	if (!ok) failures++;
	console.log(`${ok ? 'ok  ' : 'FAIL'} - ${what}${ok || got === undefined ? '' : ` (got ${got})`}`);
}

async function main() {
	const version = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
	if (version.error) throw new Error(`nginx not found (${nginx}): install it (Debian: apt-get install -y nginx) or set NGINX`);
	if (!fs.existsSync(path.join(dist, 'CityFibreTicketingTrigger.node.js'))) throw new Error('Build first: npm run build');
	console.log(`# ${version.stderr.trim()}, trigger from ${path.relative(root, dist)}`);

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityfibre-nginx-'));
	fs.chmodSync(dir, 0o755);
	for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, 'tmp', t), { recursive: true, mode: 0o777 });

	const serverCa = issue('Example ISP server CA', undefined, 'ca');
	const cityFibreCa = issue('CityFibre client CA (test)', undefined, 'ca');
	const strangerCa = issue('Somebody else CA', undefined, 'ca');
	const server = issue('127.0.0.1', serverCa, 'server');
	const cityFibre = issue('cityfibre-notifications', cityFibreCa, 'client');
	const stranger = issue('cityfibre-notifications', strangerCa, 'client');
	fs.writeFileSync(path.join(dir, 'server.crt'), server.certPem);
	fs.writeFileSync(path.join(dir, 'server.key'), server.keyPem, { mode: 0o600 });
	fs.writeFileSync(path.join(dir, 'cityfibre-client-ca.pem'), cityFibreCa.certPem);

	const secret = randomBytes(24).toString('base64url');
	/** @type {Array<{ url: string, headers: http.IncomingHttpHeaders, started: boolean }>} */
	const seen = [];
	const upstream = triggerServer(secret, seen);
	await new Promise((resolve) => upstream.listen(0, '127.0.0.1', () => resolve(undefined)));
	const upstreamPort = /** @type {net.AddressInfo} */ (upstream.address()).port;
	const port = await freePort();

	fs.writeFileSync(
		path.join(dir, 'site.conf'),
		siteConfig({
			'listen 443 ssl;': `listen 127.0.0.1:${port} ssl;`,
			'/etc/nginx/cityfibre/': `${dir}/`,
			'proxy_pass http://127.0.0.1:5678;': `proxy_pass http://127.0.0.1:${upstreamPort};`,
			'"CHANGE-ME-to-a-long-random-value"': `"${secret}"`,
		}),
	);
	const tmp = (/** @type {string} */ t) => path.join(dir, 'tmp', t);
	fs.writeFileSync(
		path.join(dir, 'nginx.conf'),
		[
			'daemon off;',
			'worker_processes 1;',
			`pid ${dir}/nginx.pid;`,
			`error_log ${dir}/error.log warn;`,
			'events { worker_connections 64; }',
			'http {',
			`  access_log ${dir}/access.log;`,
			`  client_body_temp_path ${tmp('body')}; proxy_temp_path ${tmp('proxy')}; fastcgi_temp_path ${tmp('fastcgi')};`,
			`  uwsgi_temp_path ${tmp('uwsgi')}; scgi_temp_path ${tmp('scgi')};`,
			`  include ${dir}/site.conf;`,
			'}',
			'',
		].join('\n'),
	);

	const args = ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
	const test = spawnSync(nginx, ['-t', ...args], { encoding: 'utf8' });
	check(test.status === 0, 'nginx accepts the example configuration (nginx -t)', test.stderr.trim());
	if (test.status !== 0) throw new Error('nginx -t failed');

	const proc = spawn(nginx, args, { stdio: 'ignore' });
	try {
		const base = `https://127.0.0.1:${port}`;
		const trustServer = { ca: serverCa.certPem };
		for (let i = 0; i < 50; i++) {
			const up = await send(`${base}/`, { method: 'GET', tls: trustServer }).then(
				() => true,
				() => false,
			);
			if (up) break;
			await new Promise((r) => setTimeout(r, 100));
		}

		const { writeMessage } = require(path.join(dist, 'codec'));
		const { notifyFaultReportUpdate } = require(path.join(dist, 'catalogue'));
		const notification = (/** @type {string} */ messageId) =>
			writeMessage(notifyFaultReportUpdate, {
				apiVersion: '1.1',
				buyerIdentifier: 'SPDEV1',
				sentAt: new Date().toISOString(),
				messageId,
				serviceAffected: 'SERVICE-0001',
				buyerFaultReference: 'ISP-FLT-1',
				faultDetails: { status: 'In Progress' },
			});
		const asCityFibre = { ...trustServer, cert: cityFibre.certPem, key: cityFibre.keyPem };

		let r = await send(`${base}${PATH}`, { body: notification('NGX-1'), tls: trustServer });
		check(r.status === 400 && /No required SSL certificate/.test(r.body), 'no client certificate: nginx answers 400 and n8n is never called', String(r.status));

		r = await send(`${base}${PATH}`, { body: notification('NGX-2'), tls: { ...trustServer, cert: stranger.certPem, key: stranger.keyPem } });
		check(r.status === 400 && /certificate error/i.test(r.body), 'a certificate from another CA: nginx answers 400', String(r.status));
		check(seen.length === 0, 'the trigger saw neither request', String(seen.length));

		r = await send(`${base}${PATH}`, { body: notification('NGX-3'), tls: asCityFibre });
		check(r.status === 200 && r.body.includes('<messageId>NGX-3</messageId><responseCode>200</responseCode>'), "CityFibre's certificate: the trigger's ValidResponse comes back through nginx", `${r.status} ${r.body.slice(0, 120)}`);
		const last = seen[seen.length - 1];
		check(last?.started === true, 'the workflow was started once');
		check(last?.headers['x-ssl-client-verify'] === 'SUCCESS', 'nginx told n8n the certificate was verified', String(last?.headers['x-ssl-client-verify']));
		check(last?.headers['x-forwarded-for'] === '127.0.0.1', 'X-Forwarded-For ends with the caller nginx saw', String(last?.headers['x-forwarded-for']));

		r = await send(`${base}${PATH}/notifyInProgress`, { body: notification('NGX-3b'), tls: asCityFibre });
		check(r.status === 200 && r.body.includes('<messageId>NGX-3b</messageId><responseCode>200</responseCode>'), "a notification's name after the path (…/notifyInProgress) reaches the same trigger", `${r.status} ${r.body.slice(0, 120)}`);
		check(seen[seen.length - 1]?.url === PATH && seen[seen.length - 1]?.started === true, 'as the one production path, and starts the workflow', String(seen[seen.length - 1]?.url));

		r = await send(`${base}${PATH}`, { body: notification('NGX-4'), headers: { [HEADER]: 'forged', 'X-Forwarded-For': '203.0.113.66' }, tls: asCityFibre });
		check(r.status === 200, "a caller's own shared header and X-Forwarded-For do not get in the way", String(r.status));
		check(seen[seen.length - 1]?.headers[HEADER.toLowerCase()] === secret, 'nginx replaced the forged shared header with its own');
		check(seen[seen.length - 1]?.headers['x-forwarded-for'] === '203.0.113.66, 127.0.0.1', 'nginx appended the real caller to X-Forwarded-For', String(seen[seen.length - 1]?.headers['x-forwarded-for']));

		r = await send(`http://127.0.0.1:${upstreamPort}${PATH}`, { body: notification('NGX-5') });
		check(r.status === 403 && r.body.includes('<errorMessage>Authentication failed</errorMessage>'), 'bypassing nginx: the trigger refuses with a Rejected acknowledgement', String(r.status));
		check(seen[seen.length - 1]?.started === false, 'and starts no workflow');

		r = await send(`${base}${PATH}`, { method: 'GET', tls: asCityFibre });
		check(r.status === 403, 'GET on the notification path: 403 from nginx', String(r.status));
		r = await send(`${base}/rest/login`, { body: '{}', tls: asCityFibre });
		check(r.status === 404, 'any other path (the n8n editor, the test URL): 404 from nginx', String(r.status));
	} finally {
		proc.kill('SIGTERM');
		await new Promise((resolve) => proc.once('exit', resolve));
		upstream.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
	console.log(failures ? `# ${failures} check(s) failed` : '# all checks passed');
	process.exit(failures ? 1 : 0);
}

main().catch((error) => {
	console.error(`FAIL - ${error.message}`);
	process.exit(1);
});
